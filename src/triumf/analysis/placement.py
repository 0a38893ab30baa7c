"""Fire-unit placement: maximal covering location as a mixed-integer linear programme.

Choose ``K`` of ``J`` candidate sites (``x_j`` in {0, 1}) to maximise the value-weighted number
of covered (asset, threat axis) pairs ``i`` (``y_i`` in {0, 1}), a pair counting as covered when
at least ``m`` chosen sites reach it (Church and ReVelle, "The maximal covering location
problem", Papers of the Regional Science Association 32, 1974; multiplicity ``m`` as in the
backup-coverage variants):

    maximise   sum_i w_i y_i
    subject to m y_i <= sum_j a_ij x_j      for every pair i
               sum_j x_j = K
               sum_j c_j x_j <= B           (optional budget)

solved with SciPy's HiGHS (:func:`scipy.optimize.milp`). Among the optimal layouts a second
solve picks the one with the greatest weighted coverage depth ``sum_ij w_i a_ij x_j`` (more
sites reaching the valuable pairs), keeping the first objective at its optimum.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, identity, vstack

__all__ = ["PlacementSolution", "solve_placement", "brute_force_placement", "covered_value"]


@dataclass(frozen=True)
class PlacementSolution:
    """A chosen layout.

    Attributes
    ----------
    chosen : ndarray of int, shape (K,)
        Indices of the chosen sites, ascending.
    covered : ndarray of bool, shape (P,)
        Pairs covered (at least ``m`` chosen sites reach them).
    value : float
        Weighted value covered, ``sum_i w_i y_i``.
    total_value : float
        ``sum_i w_i`` (all pairs).
    cost_usd : float
        Cost of the chosen sites (``sum c_j``), USD.
    optimal : bool
        True when HiGHS proved the covered value optimal; False when the time limit stopped
        it first (the layout is the best found, ``status`` says why).
    status : str
        HiGHS's message for the first solve.
    """

    chosen: NDArray[np.int64]
    covered: NDArray[np.bool_]
    value: float
    total_value: float
    cost_usd: float
    optimal: bool = True
    status: str = "optimal"


def covered_value(reach: ArrayLike, weights: ArrayLike, chosen: ArrayLike,
                  multiplicity: int = 1) -> tuple[float, NDArray[np.bool_]]:
    """Weighted value covered by a set of sites, and which pairs it covers.

    Parameters
    ----------
    reach : array_like of bool, shape (J, P)
        ``a_ij``: site j reaches pair i.
    weights : array_like, shape (P,)
    chosen : array_like of int, shape (K,)
    multiplicity : int
    """
    a = np.asarray(reach, dtype=bool)
    hits = a[np.asarray(chosen, np.int64)].sum(axis=0)
    cov = hits >= multiplicity
    return float(np.asarray(weights, np.float64)[cov].sum()), cov


def solve_placement(
    reach: ArrayLike,
    weights: ArrayLike,
    k: int,
    *,
    multiplicity: int = 1,
    site_cost_usd: ArrayLike | None = None,
    budget_usd: float | None = None,
    time_limit_s: float = 60.0,
) -> PlacementSolution:
    """Choose ``k`` sites maximising the weighted coverage (MILP, HiGHS).

    Parameters
    ----------
    reach : array_like of bool, shape (J, P)
        Coverage indicator of every (site, pair).
    weights : array_like, shape (P,), > 0
        Value of each pair (asset value x axis weight).
    k : int
        Number of sites to choose, 1 <= k <= J.
    multiplicity : int
        Chosen sites that must reach a pair for it to count.
    site_cost_usd : array_like, shape (J,), optional
        Cost of a fire unit on each site (for the budget), USD.
    budget_usd : float, optional
        Most the ``k`` sites may cost.
    time_limit_s : float
        HiGHS time limit per solve.

    Raises
    ------
    ValueError
        ``k`` out of range; no ``k`` sites fit the budget (infeasible); no layout found within
        the time limit; or another solver failure (HiGHS's message quoted).

    Notes
    -----
    The solve status of HiGHS (scipy.optimize.milp ``status``: 0 optimal, 1 time or iteration
    limit, 2 infeasible, 3 unbounded, 4 other) is checked: a layout found before the time limit
    is returned with ``optimal=False``.
    """
    a = np.asarray(reach, dtype=bool)
    n_sites, n_pairs = a.shape
    w = np.asarray(weights, np.float64).reshape(n_pairs)
    if not 1 <= k <= n_sites:
        raise ValueError(f"the number of fire units must be between 1 and {n_sites} "
                         f"(the candidate sites), got {k}")
    cost = (np.zeros(n_sites) if site_cost_usd is None
            else np.asarray(site_cost_usd, np.float64).reshape(n_sites))
    # variables: x (J) then y (P)
    integrality = np.ones(n_sites + n_pairs)
    bounds = Bounds(np.zeros(n_sites + n_pairs), np.ones(n_sites + n_pairs))
    cover = hstack([csr_array(-a.T.astype(np.float64)),
                    csr_array(multiplicity * identity(n_pairs, format="csr"))])
    # m y_i - sum a_ij x_j <= 0
    rows = [cover]
    low = [np.full(n_pairs, -np.inf)]
    high = [np.zeros(n_pairs)]
    rows.append(csr_array(np.concatenate([np.ones(n_sites), np.zeros(n_pairs)])[None]))
    low.append(np.array([float(k)]))
    high.append(np.array([float(k)]))
    if budget_usd is not None:
        rows.append(csr_array(np.concatenate([cost, np.zeros(n_pairs)])[None]))
        low.append(np.array([-np.inf]))
        high.append(np.array([float(budget_usd)]))
    constraints = [LinearConstraint(vstack(rows), np.concatenate(low), np.concatenate(high))]
    options = {"time_limit": float(time_limit_s), "disp": False}

    c1 = np.concatenate([np.zeros(n_sites), -w])
    res = milp(c1, integrality=integrality, bounds=bounds, constraints=constraints,
               options=options)
    if res.x is None:
        cheapest = float(np.sort(cost)[:k].sum())
        if res.status == 2 and budget_usd is not None and cheapest > budget_usd:
            raise ValueError(f"no layout of {k} fire units fits the budget of "
                             f"{budget_usd:,.0f} USD (the {k} cheapest sites cost "
                             f"{cheapest:,.0f} USD)")
        if res.status == 1:
            raise ValueError(f"no layout of {k} fire units found within the time limit of "
                             f"{time_limit_s:g} s ({res.message})")
        raise ValueError(f"the placement solver failed (status {res.status}: {res.message})")
    best = float(-res.fun)
    # second solve: deepest coverage among the layouts with the best covered value
    depth = np.concatenate([a.astype(np.float64) @ w, np.zeros(n_pairs)])
    scale = max(best, 1.0)
    keep = LinearConstraint(csr_array(np.concatenate([np.zeros(n_sites), w])[None]),
                            best - 1e-9 * scale, np.inf)
    res2 = milp(-depth, integrality=integrality, bounds=bounds,
                constraints=[*constraints, keep], options=options)
    x = (res2.x if res2.x is not None else res.x)[:n_sites]
    chosen = np.flatnonzero(x > 0.5).astype(np.int64)
    value, cov = covered_value(a, w, chosen, multiplicity)
    return PlacementSolution(chosen, cov, value, float(w.sum()), float(cost[chosen].sum()),
                             optimal=bool(res.status == 0), status=str(res.message))


def brute_force_placement(
    reach: ArrayLike,
    weights: ArrayLike,
    k: int,
    *,
    multiplicity: int = 1,
    site_cost_usd: ArrayLike | None = None,
    budget_usd: float | None = None,
) -> tuple[float, NDArray[np.int64]]:
    """Best covered value over every ``k``-subset of sites (small instances only).

    Returns
    -------
    value : float
        Best weighted coverage (-inf if no subset fits the budget).
    chosen : ndarray of int, shape (k,)
        One subset reaching it.
    """
    a = np.asarray(reach, dtype=bool)
    n_sites = a.shape[0]
    cost = (np.zeros(n_sites) if site_cost_usd is None
            else np.asarray(site_cost_usd, np.float64))
    best, arg = -np.inf, np.zeros(0, np.int64)
    for combo in itertools.combinations(range(n_sites), k):
        idx = np.asarray(combo, np.int64)
        if budget_usd is not None and cost[idx].sum() > budget_usd:
            continue
        value, _ = covered_value(a, weights, idx, multiplicity)
        if value > best:
            best, arg = value, idx
    return best, arg

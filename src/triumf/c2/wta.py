"""Weapon-target assignment (WTA) kernels: pure functions batched over a leading axis B.

The static weapon-target assignment problem (Manne 1958; survey: Kline, Ahner & Hill,
Computers & Operations Research 105 (2019)) chooses integer round counts ``x_ij`` of weapon
type ``i`` at target ``j`` to minimise the expected surviving target value::

    F(x) = sum_j V_j prod_i (1 - p_ij)^x_ij,   sum_j x_ij <= w_i.

Maximal marginal return (MMR) greedy assigns one salvo at a time to the (weapon, target) pair
with the largest decrease of F. With identical weapons (``p_ij = p_j``) it is exactly optimal
(den Broeder, Ellison & Emerling, Operations Research 7 (1959)); with different weapons it is a
heuristic. Infeasible pairs (no intercept solution, no channel) should carry ``p_ij = 0``: a
zero gain is never assigned.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["greedy_mmr", "objective", "brute_force", "solve", "assign_batch", "WTAResult",
           "METHODS"]

WTAMethod = Literal["greedy", "heuristic", "exact", "asset"]
METHODS: tuple[str, ...] = ("greedy", "heuristic", "exact", "asset")
"""Assignment methods of :func:`solve` (also the doctrine's ``wta_method`` choices)."""


def objective(values: ArrayLike, p_kill: ArrayLike, x: ArrayLike) -> NDArray[np.float64]:
    """Expected surviving target value ``sum_j V_j prod_i (1 - p_ij)^x_ij``.

    Parameters
    ----------
    values : array_like, shape (..., n)
        Target values V_j (>= 0).
    p_kill : array_like, shape (..., m, n)
        Single-shot kill probability of weapon type i against target j, in [0, 1].
    x : array_like of int, shape (..., m, n)
        Rounds of weapon type i assigned to target j.

    Returns
    -------
    ndarray, shape (...)
    """
    v = np.asarray(values, dtype=np.float64)
    q = 1.0 - np.asarray(p_kill, dtype=np.float64)
    survive = np.prod(np.power(q, np.asarray(x)), axis=-2)  # 0**0 == 1
    return np.asarray(np.sum(v * survive, axis=-1))


def _per_problem_limit(limit: ArrayLike | None, n_problems: int) -> NDArray[np.int64]:
    """A limit per problem, shape (B,), int64, writable; None gives no limit (a huge count).

    The stand-in for "no limit" is a quarter of the int64 range, so sums of a few never
    overflow.
    """
    if limit is None:
        return np.full(n_problems, np.iinfo(np.int64).max // 4, dtype=np.int64)
    return np.broadcast_to(np.asarray(limit, dtype=np.int64), (n_problems,)).copy()


def greedy_mmr(
    values: ArrayLike,
    p_kill: ArrayLike,
    weapons: ArrayLike,
    max_targets: ArrayLike | None = None,
    max_rounds: ArrayLike | None = None,
    salvo: int = 1,
) -> NDArray[np.int64]:
    """Maximal-marginal-return greedy assignment, batched over B problems.

    Each pass gives, in every problem at once, one salvo of ``k = min(salvo, rounds left of the
    weapon type, round budget left)`` rounds to the pair (i, j) with the largest gain::

        gain_ij = V_j * prod_l (1 - p_lj)^x_lj * (1 - (1 - p_ij)^k)

    (``V_j p_ij prod(...)`` for single rounds). A pair is allowed only if the weapon type has
    rounds left, the round budget is not spent, and target j is already engaged or fewer than
    ``max_targets`` distinct targets are. A problem stops when no allowed pair has a positive
    gain. The loop runs over assignment passes (at most the total number of rounds), never
    over B.

    Parameters
    ----------
    values : array_like, shape (B, n)
        Target values V_j >= 0.
    p_kill : array_like, shape (B, m, n)
        Single-shot kill probabilities in [0, 1]; 0 for infeasible pairs.
    weapons : array_like of int, shape (B, m)
        Rounds available of each weapon type.
    max_targets : array_like of int, shape (B,), optional
        Most distinct targets that may be engaged (e.g. free target channels). None: no limit.
    max_rounds : array_like of int, shape (B,), optional
        Most rounds that may be fired in total (e.g. free missile channels). None: no limit.
    salvo : int
        Rounds per assignment (1 = pure MMR; 2 = two-round salvos).

    Returns
    -------
    x : ndarray of int64, shape (B, m, n)
        Rounds of weapon type i assigned to target j.
    """
    if salvo < 1:
        raise ValueError("salvo must be >= 1")
    v = np.asarray(values, dtype=np.float64)
    p = np.asarray(p_kill, dtype=np.float64)
    left = np.array(weapons, dtype=np.int64, copy=True)
    B, m, n = p.shape
    if v.shape != (B, n) or left.shape != (B, m):
        raise ValueError("shapes must be values (B, n), p_kill (B, m, n), weapons (B, m)")
    tmax = _per_problem_limit(max_targets, B)
    budget = _per_problem_limit(max_rounds, B)
    q = 1.0 - p
    x = np.zeros((B, m, n), dtype=np.int64)
    survive = np.ones((B, n))  # prod_i (1 - p_ij)^x_ij
    active = np.ones(B, dtype=bool)
    if B == 0 or m == 0 or n == 0:
        return x
    b = np.arange(B)
    max_passes = int(np.minimum(np.maximum(left, 0).sum(axis=1), budget).max(initial=0))
    for _ in range(max_passes):
        # rounds of the next salvo of each weapon type, shape (B, m)
        k = np.minimum(np.minimum(left, salvo), budget[:, None])
        engaged = x.sum(axis=1) > 0  # (B, n)
        target_ok = engaged | (engaged.sum(axis=1) < tmax)[:, None]
        allowed = (k[:, :, None] > 0) & target_ok[:, None, :] & active[:, None, None]
        gain = (v * survive)[:, None, :] * (1.0 - q ** k[:, :, None])
        gain = np.where(allowed, gain, -np.inf)
        flat = np.argmax(gain.reshape(B, m * n), axis=1)
        best = gain.reshape(B, m * n)[b, flat]
        go = best > 0.0
        if not go.any():
            break
        active &= go
        i, j = np.divmod(flat, n)
        kk = np.where(go, k[b, i], 0)
        x[b, i, j] += kk
        left[b, i] -= kk
        budget -= kk
        survive[b, j] *= q[b, i, j] ** kk
    return x


def _compositions(total_max: int, n: int) -> list[tuple[int, ...]]:
    """All n-tuples of non-negative ints with sum <= total_max."""
    return [c for c in itertools.product(range(total_max + 1), repeat=n) if sum(c) <= total_max]


def brute_force(
    values: ArrayLike,
    p_kill: ArrayLike,
    weapons: ArrayLike,
    max_targets: int | None = None,
    max_rounds: int | None = None,
) -> NDArray[np.int64]:
    """Exact assignment by enumeration, for tiny single instances (the test oracle).

    Parameters
    ----------
    values : array_like, shape (n,)
    p_kill : array_like, shape (m, n)
    weapons : array_like of int, shape (m,)
    max_targets, max_rounds : int, optional
        The same limits as :func:`greedy_mmr`.

    Returns
    -------
    x : ndarray of int64, shape (m, n)
        An assignment minimising :func:`objective` (the first found among ties).

    Notes
    -----
    Cost grows like prod_i C(w_i + n, n); keep m, n and the counts to a handful.
    """
    v = np.asarray(values, dtype=np.float64)
    p = np.asarray(p_kill, dtype=np.float64)
    w = np.asarray(weapons, dtype=np.int64)
    m, n = p.shape
    rows = [np.array(_compositions(int(w[i]), n), dtype=np.int64) for i in range(m)]
    best_x = np.zeros((m, n), dtype=np.int64)
    best_f = np.inf
    for choice in itertools.product(*rows):
        x = np.stack(choice) if m else np.zeros((0, n), dtype=np.int64)
        if max_rounds is not None and x.sum() > max_rounds:
            continue
        if max_targets is not None and int((x.sum(axis=0) > 0).sum()) > max_targets:
            continue
        f = float(objective(v, p, x))
        if f < best_f - 1e-15:
            best_f, best_x = f, x
    return best_x


@dataclass(frozen=True)
class WTAResult:
    """Outcome of :func:`solve`.

    Attributes
    ----------
    x : ndarray of int64, shape (m, n)
        Rounds of weapon type i assigned to target j.
    objective : float
        Target-based methods: expected surviving target value ``F(x)`` (minimised). Method
        ``asset``: expected surviving asset value ``S(x)`` (maximised).
    bound : float
        Certified bound on the optimum: lower for target-based, upper for ``asset``; NaN for
        ``greedy`` and ``heuristic``, which certify nothing.
    gap : float
        ``|objective - bound| / max(|objective|, tiny)``; 0 when optimal, NaN without bound.
    status : str
        ``optimal`` (certified), ``work_limit`` or ``time_limit`` (stopped early, gap
        certified) or ``heuristic``.
    method : str
    time_s : float
        Wall-clock time of the solve, s.
    """

    x: NDArray[np.int64]
    objective: float
    bound: float
    gap: float
    status: str
    method: str
    time_s: float


def solve(
    values: ArrayLike,
    p_kill: ArrayLike,
    weapons: ArrayLike,
    method: WTAMethod = "greedy",
    *,
    time_limit_s: float = 60.0,
    rel_gap: float = 1e-6,
    work_limit: int | None = None,
    target_asset: ArrayLike | None = None,
    lethality: ArrayLike | None = None,
    max_targets: int | None = None,
    max_rounds: int | None = None,
) -> WTAResult:
    """Solve one static weapon-target assignment instance.

    Methods:

    - ``greedy``: maximal-marginal-return, one round at a time (exact when all weapon types
      are identical; otherwise a heuristic).
    - ``heuristic``: greedy, then local search by single-round moves and swaps
      (:mod:`triumf.c2.wta_local`); fast on large raids, no certificate; at most
      ``work_limit`` improving moves.
    - ``exact``: MILP outer approximation with HiGHS (:mod:`triumf.c2.wta_exact`), optimality
      certified to ``rel_gap`` or a certified gap once ``work_limit`` branch-and-bound nodes
      (or ``time_limit_s``) are spent.
    - ``asset``: the asset-based problem, exact branch and bound (:mod:`triumf.c2.wta_asset`).
      Here ``values`` are the asset values U_k, shape (A,), and ``target_asset`` (n,) and
      ``lethality`` (n,) are required.

    Parameters
    ----------
    values : array_like, shape (n,) (shape (A,) for ``asset``)
        Target values V_j >= 0 (asset values for ``asset``).
    p_kill : array_like, shape (m, n)
        Single-shot kill probability of a round of type i at target j, in [0, 1].
    weapons : array_like of int, shape (m,)
        Rounds of each weapon type.
    method : {"greedy", "heuristic", "exact", "asset"}
    time_limit_s : float
        Wall-clock cap of ``exact``, ``asset`` and the local search, s. With ``work_limit``
        set it is a safety cap only: results then depend on the work done, not on the
        machine's speed, as long as the cap does not bind.
    rel_gap : float
        Relative gap at which ``exact`` declares optimality.
    work_limit : int, optional
        Deterministic budget: improving moves of the local search (``heuristic``), or
        branch-and-bound nodes over all MILP rounds, at least one per round (``exact``), or
        search nodes of the asset-based branch and bound (``asset``). None: 100,000 moves,
        no node limit.
    target_asset : array_like of int, shape (n,), optional
        Asset each target aims at (``asset`` only).
    lethality : array_like, shape (n,), optional
        Probability a surviving target destroys its asset (``asset`` only; default 1).
    max_targets, max_rounds : int, optional
        Most distinct targets engaged and most rounds assigned (target and missile fire
        channels); target-based methods only.

    Returns
    -------
    WTAResult
    """
    t0 = time.perf_counter()
    v = np.asarray(values, dtype=np.float64)
    p = np.asarray(p_kill, dtype=np.float64)
    w = np.asarray(weapons, dtype=np.int64)
    if p.ndim != 2 or w.shape != (p.shape[0],):
        raise ValueError("shapes must be p_kill (m, n) and weapons (m,)")
    if np.any((p < 0.0) | (p > 1.0)) or np.any(w < 0) or np.any(v < 0.0):
        raise ValueError("p_kill must lie in [0, 1], weapons and values must be >= 0")
    m, n = p.shape
    if method == "asset":
        from triumf.c2.wta_asset import branch_and_bound_asset

        if target_asset is None:
            raise ValueError("method 'asset' needs target_asset (n,)")
        a = np.asarray(target_asset, dtype=np.int64)
        pi = np.ones(n) if lethality is None else np.asarray(lethality, dtype=np.float64)
        if a.shape != (n,) or pi.shape != (n,) or a.min(initial=0) < 0 or \
                a.max(initial=-1) >= v.size:
            raise ValueError("target_asset (n,) must index values (A,); lethality is (n,)")
        x, val, bnd, status = branch_and_bound_asset(v, a, pi, p, w, time_limit_s,
                                                     work_limit=work_limit)
        return WTAResult(x, val, bnd, _gap(val, bnd), status, method, time.perf_counter() - t0)
    if v.shape != (n,):
        raise ValueError("values must have shape (n,) matching p_kill (m, n)")
    lim_t = None if max_targets is None else np.array([max_targets])
    lim_r = None if max_rounds is None else np.array([max_rounds])
    x = greedy_mmr(v[None], p[None], w[None], lim_t, lim_r)[0]
    if method == "greedy":
        f = float(objective(v, p, x))
        return WTAResult(x, f, np.nan, np.nan, "heuristic", method, time.perf_counter() - t0)
    if method == "heuristic":
        from triumf.c2.wta_local import local_search

        x = local_search(v, p, w, x, deadline=t0 + time_limit_s, max_targets=max_targets,
                         max_rounds=max_rounds,
                         max_moves=100_000 if work_limit is None else work_limit)
        f = float(objective(v, p, x))
        return WTAResult(x, f, np.nan, np.nan, "heuristic", method, time.perf_counter() - t0)
    if method == "exact":
        from triumf.c2.wta_exact import solve_outer_approximation

        res = solve_outer_approximation(v, p, w, x, time_limit_s, rel_gap,
                                        max_targets=max_targets, max_rounds=max_rounds,
                                        work_limit=work_limit)
        return WTAResult(res.x, res.objective, res.bound, _gap(res.objective, res.bound),
                         res.status, method, time.perf_counter() - t0)
    raise ValueError(f"unknown method {method!r}; valid: {', '.join(METHODS)}")


def _gap(obj: float, bound: float) -> float:
    """Relative gap between an objective and its certified bound."""
    return abs(obj - bound) / max(abs(obj), 1e-300) if obj != 0.0 else abs(bound)


def assign_batch(
    values: ArrayLike,
    p_kill: ArrayLike,
    weapons: ArrayLike,
    max_targets: ArrayLike | None = None,
    max_rounds: ArrayLike | None = None,
    salvo: int = 1,
    method: str = "greedy",
    time_limit_s: float = 5.0,
    work_limit: int | None = None,
) -> NDArray[np.int64]:
    """Assignments of B independent problems with the command post's chosen method.

    ``greedy`` is :func:`greedy_mmr` (batched, salvo by salvo). ``heuristic`` and ``exact``
    solve each problem with :func:`solve` in a loop over B (local search and the MILP do not
    batch); they assign single rounds, and the caller caps each target at one salvo. Shapes
    as in :func:`greedy_mmr`; ``work_limit`` is the deterministic budget per problem and
    ``time_limit_s`` a wall-clock cap per problem (see :func:`solve`).

    Returns
    -------
    x : ndarray of int64, shape (B, m, n)
    """
    if method == "greedy":
        return greedy_mmr(values, p_kill, weapons, max_targets, max_rounds, salvo)
    if method not in ("heuristic", "exact"):
        raise ValueError(f"unknown method {method!r}; valid: greedy, heuristic, exact")
    v = np.asarray(values, dtype=np.float64)
    p = np.asarray(p_kill, dtype=np.float64)
    w = np.asarray(weapons, dtype=np.int64)
    B, m, n = p.shape
    lim_t = _per_problem_limit(max_targets, B)
    lim_r = _per_problem_limit(max_rounds, B)
    x = np.zeros((B, m, n), np.int64)
    for b in range(B):
        live = (p[b] > 0.0).any(axis=0) & (v[b] > 0.0)
        if not live.any() or w[b].sum() == 0 or lim_t[b] == 0 or lim_r[b] == 0:
            continue
        cols = np.flatnonzero(live)
        res = solve(v[b, cols], p[b][:, cols], np.maximum(w[b], 0), method,  # type: ignore
                    time_limit_s=time_limit_s, work_limit=work_limit,
                    max_targets=int(min(lim_t[b], cols.size)),
                    max_rounds=int(min(lim_r[b], w[b].sum())))
        x[b][:, cols] = res.x
    return x

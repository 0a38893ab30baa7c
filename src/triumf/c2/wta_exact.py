"""Exact target-based weapon-target assignment: MILP outer approximation with HiGHS.

The target-based problem minimises ``F(x) = sum_j V_j prod_i q_ij^x_ij`` (``q = 1 - p``) over
integer round counts with ``sum_j x_ij <= w_i``. Each term ``f_j(x) = V_j exp(sum_i ln q_ij
x_ij)`` is convex in x, so every tangent plane lies below it::

    z_j >= f_j(xb) (1 + sum_i ln q_ij (x_ij - xb_ij))        (outer-approximation cut at xb)

Minimising ``sum_j z_j`` over the cuts found so far (a MILP, solved by SciPy's HiGHS) gives a
lower bound on the optimum; the true objective of its solution (and of that solution improved
by local search) gives an upper bound. Cuts are added at each new solution for the targets
whose ``z_j`` underestimates ``f_j``, until the bounds meet (optimality certified to
``rel_gap``) or the time runs out (the gap is then certified). This is the outer-approximation
scheme of Duran & Grossmann (Math. Programming 36 (1986)) that Andersen, Pavlikov & Toffolo
(European J. Operational Research 2022) use for large WTA instances; triumf re-solves the
MILP after each round of cuts instead of adding them lazily.

The first cuts are taken at the greedy + local-search solution, at no rounds, and, per target,
at its k best single rounds (k = 1, 2, ...): together they already shape each ``f_j`` well
where an optimum can lie.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, vstack

from triumf.c2.wta_local import Q_FLOOR, local_search

__all__ = ["ExactResult", "solve_outer_approximation"]

# cuts per target taken at its k best rounds, k = 1..INITIAL_DEPTH (numerical tuning)
INITIAL_DEPTH = 4


@dataclass(frozen=True)
class ExactResult:
    """Outcome of the outer-approximation solver.

    Attributes
    ----------
    x : ndarray of int64, shape (m, n)
        Best assignment found.
    objective : float
        Its expected surviving target value.
    bound : float
        Certified lower bound on the optimal objective.
    status : str
        ``optimal`` (gap within tolerance), ``work_limit`` or ``time_limit`` (stopped at
        the node budget or the wall-clock cap, gap certified).
    iterations : int
        MILP solves.
    cuts : int
        Cuts in the final MILP.
    """

    x: NDArray[np.int64]
    objective: float
    bound: float
    status: str
    iterations: int
    cuts: int


def _f(v: NDArray[np.float64], logq: NDArray[np.float64], x: NDArray[np.int64]
       ) -> NDArray[np.float64]:
    """Per-target terms ``V_j exp(sum_i ln q_ij x_ij)``, shape (n,)."""
    return np.asarray(v * np.exp(np.sum(logq * x, axis=0)))


def solve_outer_approximation(values: NDArray[np.float64], p_kill: NDArray[np.float64],
                              weapons: NDArray[np.int64], x_start: NDArray[np.int64],
                              time_limit_s: float = 60.0, rel_gap: float = 1e-6,
                              abs_gap: float = 1e-9, max_targets: int | None = None,
                              max_rounds: int | None = None,
                              work_limit: int | None = None) -> ExactResult:
    """Solve one target-based WTA instance to certified optimality (or gap).

    Parameters
    ----------
    values : ndarray, shape (n,)
        Target values V_j >= 0.
    p_kill : ndarray, shape (m, n)
        Single-shot kill probabilities in [0, 1].
    weapons : ndarray of int, shape (m,)
        Rounds of each weapon type.
    x_start : ndarray of int, shape (m, n)
        A feasible starting assignment (e.g. greedy), the first incumbent.
    time_limit_s : float
        Wall-clock cap, s (a safety cap when ``work_limit`` is set).
    rel_gap, abs_gap : float
        Stop when ``objective - bound <= max(abs_gap, rel_gap * objective)``.
    max_targets, max_rounds : int, optional
        Most distinct targets engaged (binary y_j with ``x_ij <= w_i y_j``, ``sum y <= T``)
        and most rounds in total (``sum x <= M``): the fire channels of a battalion.
    work_limit : int, optional
        Deterministic budget: branch-and-bound nodes summed over the MILP rounds (a round
        counts at least one), and improving moves of each local search. Reaching it stops
        with status ``work_limit`` and a certified gap; None: no node limit.

    Returns
    -------
    ExactResult
    """
    t_end = time.perf_counter() + time_limit_s
    v = np.asarray(values, dtype=np.float64)
    p = np.asarray(p_kill, dtype=np.float64)
    w = np.maximum(np.asarray(weapons, dtype=np.int64), 0)
    m, n = p.shape
    q = 1.0 - p
    # ln q clipped: a sure kill (p = 1) becomes p = 1 - Q_FLOOR, which moves F by < Q_FLOOR V
    logq = np.log(np.maximum(q, Q_FLOOR))
    useful = (p > 0.0) & (w[:, None] > 0) & (v[None, :] > 0.0)
    ii, jj = np.nonzero(useful)  # the integer variables, one per useful pair
    nv = ii.size
    moves = 100_000 if work_limit is None else work_limit
    x_best = local_search(v, p, w, np.asarray(x_start, np.int64), deadline=t_end,
                          max_targets=max_targets, max_rounds=max_rounds, max_moves=moves)
    f_best = float(np.sum(v * np.prod(q ** x_best, axis=0)))
    if nv == 0:
        return ExactResult(x_best, f_best, f_best, "optimal", 0, 0)

    # cut rows: (target, point) -> z_j - f_j(xb) sum_i ln q_ij x_ij >= f_j(xb)(1 - lnq . xb)
    cut_rows: list[tuple[int, NDArray[np.float64], float]] = []
    have: set[bytes] = set()

    def add_cuts(xb: NDArray[np.int64], targets: NDArray[np.intp]) -> int:
        fb = _f(v, logq, xb)
        added = 0
        for j in targets.tolist():
            key = j.to_bytes(4, "little") + xb[:, j].tobytes()
            if key in have:
                continue
            have.add(key)
            coef = -fb[j] * logq[:, j]  # per weapon type
            rhs = fb[j] * (1.0 - float(logq[:, j] @ xb[:, j]))
            cut_rows.append((j, coef, rhs))
            added += 1
        return added

    all_t = np.arange(n)
    # secant cut z_j >= V_j (1 - sum_i p_ij x_ij): valid for every integer x >= 0 because
    # q^x >= 1 - x p (Bernoulli) and prod(1 - a_i) >= 1 - sum a_i (Weierstrass), and exact at
    # no round and at every single round, where the optima of sparse raids mostly lie
    for j in range(n):
        cut_rows.append((j, v[j] * np.minimum(p[:, j], 1.0), float(v[j])))
    add_cuts(np.zeros((m, n), np.int64), all_t)
    add_cuts(x_best, all_t)
    order = np.argsort(logq, axis=0)  # best weapon types first, per target
    for k in range(1, INITIAL_DEPTH + 1):
        xb = np.zeros((m, n), np.int64)
        for j in range(n):
            left = k
            for i in order[:, j].tolist():
                if left == 0 or not useful[i, j]:
                    continue
                take = min(left, int(w[i]))
                xb[i, j] = take
                left -= take
        add_cuts(xb, all_t)

    # variables: x (nv integers), z (n continuous), then y (ny binaries when max_targets is
    # given); minimise sum z
    ny = n if max_targets is not None else 0
    nt = nv + n + ny
    c = np.concatenate([np.zeros(nv), np.ones(n), np.zeros(ny)])
    integrality = np.concatenate([np.ones(nv), np.zeros(n), np.ones(ny)])
    ub_x = np.minimum(w[ii], 10**6).astype(np.float64)
    bounds = Bounds(np.zeros(nt), np.concatenate([ub_x, v, np.ones(ny)]))
    # weapon-count rows
    rows_c = [coo_matrix((np.ones(nv), (ii, np.arange(nv))), shape=(m, nt))]
    ub_c = [w.astype(float)]
    if max_rounds is not None:
        rows_c.append(coo_matrix((np.ones(nv), (np.zeros(nv, int), np.arange(nv))),
                                 shape=(1, nt)))
        ub_c.append(np.array([float(max_rounds)]))
    if max_targets is not None:
        # x_ij - w_i y_j <= 0 and sum_j y_j <= max_targets
        kv = np.arange(nv)
        rows_c.append(coo_matrix((np.concatenate([np.ones(nv), -w[ii].astype(float)]),
                                  (np.concatenate([kv, kv]),
                                   np.concatenate([kv, nv + n + jj]))), shape=(nv, nt)))
        ub_c.append(np.zeros(nv))
        rows_c.append(coo_matrix((np.ones(n), (np.zeros(n, int), nv + n + np.arange(n))),
                                 shape=(1, nt)))
        ub_c.append(np.array([float(max_targets)]))
    cap = LinearConstraint(vstack(rows_c).tocsr(), -np.inf, np.concatenate(ub_c))
    var_of = {(int(a), int(b)): k for k, (a, b) in enumerate(zip(ii, jj, strict=True))}
    col_of_target = [np.array([var_of[(i, j)] for i in range(m) if (i, j) in var_of], np.intp)
                     for j in range(n)]
    type_of_target = [ii[cols] for cols in col_of_target]

    bound = 0.0
    status = "time_limit"
    iterations = 0
    nodes_left = np.inf if work_limit is None else float(work_limit)
    while True:
        remaining = t_end - time.perf_counter()
        if remaining <= 0.0:
            break
        if nodes_left <= 0:
            status = "work_limit"
            break
        rows, cols, vals, rhs = [], [], [], []
        for r, (j, coef, b) in enumerate(cut_rows):
            cj = col_of_target[j]
            rows.extend([r] * (cj.size + 1))
            cols.extend(cj.tolist() + [nv + j])
            vals.extend(coef[type_of_target[j]].tolist() + [1.0])
            rhs.append(b)
        a_cut = coo_matrix((vals, (rows, cols)), shape=(len(cut_rows), nt)).tocsr()
        cuts = LinearConstraint(a_cut, np.array(rhs), np.inf)
        opts: dict[str, float | int] = {"time_limit": max(remaining, 0.01),
                                         "mip_rel_gap": rel_gap / 10}
        if np.isfinite(nodes_left):
            opts["node_limit"] = int(nodes_left)
        res = milp(c, integrality=integrality, bounds=bounds, constraints=[cap, cuts],
                   options=opts)
        iterations += 1
        nodes_left -= max(int(getattr(res, "mip_node_count", 0) or 0), 1)
        if res.x is None:
            break
        lb = float(res.fun) if res.status == 0 else float(getattr(res, "mip_dual_bound", 0.0))
        bound = max(bound, lb)
        xs = np.zeros((m, n), np.int64)
        xs[ii, jj] = np.rint(res.x[:nv]).astype(np.int64)
        f_true = _f(v, logq, xs)
        xl = local_search(v, p, w, xs, deadline=t_end, max_targets=max_targets,
                          max_rounds=max_rounds, max_moves=moves)
        for cand in (xs, xl):
            fc = float(np.sum(v * np.prod(q ** cand, axis=0)))
            if fc < f_best:
                f_best, x_best = fc, cand
        if f_best - bound <= max(abs_gap, rel_gap * f_best):
            status = "optimal"
            break
        z = res.x[nv:nv + n]
        under = np.flatnonzero(z < f_true - 1e-12 * max(1.0, float(v.max())))
        added = add_cuts(xs, under) + add_cuts(xl, all_t)
        if res.status != 0 or added == 0:
            break
    if status != "optimal" and nodes_left <= 0:
        status = "work_limit"
    bound = min(bound, f_best)
    return ExactResult(x_best, f_best, bound, status, iterations, len(cut_rows))

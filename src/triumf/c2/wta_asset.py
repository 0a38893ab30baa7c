"""Asset-based weapon-target assignment: greedy start and exact branch and bound.

Threat j aims at asset ``a_j`` and destroys it with probability ``pi_j`` if it survives the
rounds fired at it (survival ``s_j = prod_i q_ij^x_ij``, ``q = 1 - p``). The command post
maximises the expected surviving asset value (Hosein & Athans, MIT LIDS-P-1959 (1990))::

    S(x) = sum_k U_k prod_{j: a_j = k} (1 - pi_j s_j(x)),   sum_j x_ij <= w_i.

Branch and bound over single rounds: rounds of one type are given to targets in non-decreasing
target order (the "unused" target last), so no assignment is enumerated twice. A node's bound
lets every remaining round hit every target at once (each s_j multiplied by all remaining
q_ij): that relaxes the weapon counts, so it never underestimates the best completion. The
incumbent starts at a marginal-return greedy solution. Nodes are explored depth first, best
child first; when time runs out the bound is the largest bound among unexplored nodes.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

__all__ = ["surviving_value", "greedy_asset", "branch_and_bound_asset"]


def surviving_value(asset_values: NDArray[np.float64], target_asset: NDArray[np.int64],
                    lethality: NDArray[np.float64], p_kill: NDArray[np.float64],
                    x: NDArray[np.int64]) -> float:
    """Expected surviving asset value ``S(x)``.

    Parameters
    ----------
    asset_values : ndarray, shape (A,)
    target_asset : ndarray of int, shape (n,)
        Asset each target aims at.
    lethality : ndarray, shape (n,)
        Probability that target j destroys its asset if it survives.
    p_kill : ndarray, shape (m, n)
    x : ndarray of int, shape (m, n)

    Returns
    -------
    float
    """
    s = np.prod((1.0 - p_kill) ** x, axis=0)
    return _value_of(asset_values, target_asset, lethality, s)


def _value_of(u: NDArray[np.float64], a: NDArray[np.int64], pi: NDArray[np.float64],
              s: NDArray[np.float64]) -> float:
    factor = np.ones(u.size)
    np.multiply.at(factor, a, 1.0 - pi * s)
    return float(u @ factor)


def greedy_asset(asset_values: NDArray[np.float64], target_asset: NDArray[np.int64],
                 lethality: NDArray[np.float64], p_kill: NDArray[np.float64],
                 weapons: NDArray[np.int64]) -> NDArray[np.int64]:
    """Maximal-marginal-return greedy on ``S(x)``: one round at a time to the best pair.

    Returns
    -------
    x : ndarray of int64, shape (m, n)
    """
    u = np.asarray(asset_values, np.float64)
    a = np.asarray(target_asset, np.int64)
    pi = np.asarray(lethality, np.float64)
    q = 1.0 - np.asarray(p_kill, np.float64)
    m, n = q.shape
    left = np.maximum(np.asarray(weapons, np.int64), 0).copy()
    x = np.zeros((m, n), np.int64)
    s = np.ones(n)
    same = a[:, None] == a[None, :]
    np.fill_diagonal(same, False)
    for _ in range(int(left.sum())):
        f = 1.0 - pi * s
        # product of the other threats' factors on the same asset, shape (n,)
        others = np.prod(np.where(same, f[None, :], 1.0), axis=1)
        gain = (u[a] * others * pi * s)[None, :] * (1.0 - q)  # (m, n)
        gain[left <= 0] = -np.inf
        k = int(np.argmax(gain))
        if gain.flat[k] <= 0.0:
            break
        i, j = divmod(k, n)
        x[i, j] += 1
        left[i] -= 1
        s[j] *= q[i, j]
    return x


def branch_and_bound_asset(asset_values: NDArray[np.float64], target_asset: NDArray[np.int64],
                           lethality: NDArray[np.float64], p_kill: NDArray[np.float64],
                           weapons: NDArray[np.int64], time_limit_s: float = 60.0,
                           rel_gap: float = 1e-9, work_limit: int | None = None
                           ) -> tuple[NDArray[np.int64], float, float, str]:
    """Exact asset-based assignment (or the best found with a certified bound).

    Parameters are those of :func:`surviving_value` plus ``weapons`` (m,) and the budget:
    ``work_limit`` nodes taken from the search stack (deterministic: the same answer on any
    machine), and ``time_limit_s`` of wall clock as a safety cap.

    Returns
    -------
    x : ndarray of int64, shape (m, n)
    value : float
        ``S(x)``, to be maximised.
    bound : float
        Certified upper bound on the optimal ``S``.
    status : str
        ``optimal``, ``work_limit`` or ``time_limit``.
    """
    t_end = time.perf_counter() + time_limit_s
    u = np.asarray(asset_values, np.float64)
    a = np.asarray(target_asset, np.int64)
    pi = np.asarray(lethality, np.float64)
    p = np.asarray(p_kill, np.float64)
    q = 1.0 - p
    m, n = q.shape
    w = np.maximum(np.asarray(weapons, np.int64), 0)
    kind = np.repeat(np.arange(m), w)  # one entry per round
    n_units = kind.size
    # q of all rounds from unit d onwards, per target: tail[d] = prod_{e >= d} q_{kind_e j}
    tail = np.ones((n_units + 1, n))
    for d in range(n_units - 1, -1, -1):
        tail[d] = tail[d + 1] * q[kind[d]]

    x_best = greedy_asset(u, a, pi, p, w)
    best = surviving_value(u, a, pi, p, x_best)
    # node: (bound, depth, previous target of this type, s, x)
    root_bound = _value_of(u, a, pi, np.ones(n) * tail[0])
    stack: list[tuple[float, int, int, NDArray[np.float64], NDArray[np.int64]]] = [
        (root_bound, 0, 0, np.ones(n), np.zeros((m, n), np.int64))]
    status = "optimal"
    nodes = 0
    while stack:
        if work_limit is not None and nodes >= work_limit:
            status = "work_limit"
            break
        nodes += 1
        if time.perf_counter() > t_end:
            status = "time_limit"
            break
        bnd, d, prev, s, x = stack.pop()
        if bnd <= best * (1.0 + rel_gap):
            continue
        if d == n_units:
            val = _value_of(u, a, pi, s)
            if val > best:
                best, x_best = val, x
            continue
        i = int(kind[d])
        start = prev if d > 0 and kind[d - 1] == i else 0
        children = []
        for j in range(start, n + 1):  # j == n: the round stays unused
            s2 = s.copy()
            if j < n:
                s2[j] *= q[i, j]
            b2 = _value_of(u, a, pi, s2 * tail[d + 1])
            if b2 > best * (1.0 + rel_gap):
                children.append((b2, j, s2))
        children.sort(key=lambda c: c[0])  # best last, so it is popped first
        for b2, j, s2 in children:
            x2 = x.copy()
            if j < n:
                x2[i, j] += 1
            stack.append((b2, d + 1, j, s2, x2))
    bound = best if status == "optimal" else max([best] + [nd[0] for nd in stack])
    return x_best, best, bound, status

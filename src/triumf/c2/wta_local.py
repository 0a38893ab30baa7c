"""Local search for the target-based weapon-target assignment (one instance).

Starting from any feasible assignment (usually maximal-marginal-return greedy), the search
looks at every single round ("unit") and repeatedly applies the best improving move:

- *move*: take one round of weapon type i from target a (or from the unused rounds) and give
  it to target b (or return it unused);
- *swap*: two rounds of different types at different targets exchange their targets.

With ``s_j = prod_i q_ij^x_ij`` (``q = 1 - p``), moving a round of type i from a to b changes
the objective ``F = sum_j V_j s_j`` by ``V_a s_a (1/q_ia - 1) - V_b s_b (1 - q_ib)``; a swap
changes two terms by ``V_a s_a (q_ka/q_ia - 1) + V_b s_b (q_ib/q_kb - 1)``. Both tables are
computed for all units at once. The search stops at a local optimum, after ``max_moves``
improvements or at the deadline. This is the classic 2-exchange neighbourhood of very-large
WTA heuristics (Ahuja, Kumar, Jha & Orlin, Operations Research 55 (2007)).
"""

from __future__ import annotations

import time

import numpy as np
from numpy.typing import NDArray

__all__ = ["local_search"]

# q = 1 - p is clipped from below so that dividing by it stays finite; a round with p = 1
# kills surely and this changes the computed gains by at most Q_FLOOR * V (modelling constant,
# numerical only).
Q_FLOOR = 1e-12


def local_search(values: NDArray[np.float64], p_kill: NDArray[np.float64],
                 weapons: NDArray[np.int64], x0: NDArray[np.int64],
                 deadline: float = np.inf, max_moves: int = 100_000,
                 tol: float = 1e-12, max_targets: int | None = None,
                 max_rounds: int | None = None) -> NDArray[np.int64]:
    """Improve an assignment by single-round moves and pairwise swaps.

    Parameters
    ----------
    values : ndarray, shape (n,)
        Target values V_j.
    p_kill : ndarray, shape (m, n)
        Single-shot kill probabilities.
    weapons : ndarray of int, shape (m,)
        Rounds of each weapon type.
    x0 : ndarray of int, shape (m, n)
        Feasible start (``x0.sum(axis=1) <= weapons``).
    deadline : float
        ``time.perf_counter()`` value after which the search stops.
    max_moves : int
        Most improving moves applied.
    tol : float
        Smallest objective decrease counted as an improvement.
    max_targets, max_rounds : int, optional
        Most distinct targets engaged and most rounds assigned (fire channels); ``x0`` must
        respect them, and no move breaks them (swaps never change either count).

    Returns
    -------
    x : ndarray of int64, shape (m, n)
        A locally optimal (or improved) assignment, never worse than ``x0``.
    """
    v = np.asarray(values, dtype=np.float64)
    q = np.maximum(1.0 - np.asarray(p_kill, dtype=np.float64), Q_FLOOR)
    m, n = q.shape
    x = np.array(x0, dtype=np.int64, copy=True)
    w = np.asarray(weapons, dtype=np.int64)
    if m == 0 or n == 0 or w.sum() == 0:
        return x
    # one unit per round: its type and its target (n = unused)
    kind = np.repeat(np.arange(m), np.maximum(w, 0))
    target = np.full(kind.size, n, np.int64)
    for i in range(m):
        slots = np.flatnonzero(kind == i)
        tj = np.repeat(np.arange(n), x[i])
        target[slots[:tj.size]] = tj
    # q extended with an "unused" column of ones (a round kept back changes nothing)
    qe = np.concatenate([q, np.ones((m, 1))], axis=1)
    ve = np.concatenate([v, [0.0]])
    s = np.prod(q ** x, axis=0)
    for _ in range(max_moves):
        if time.perf_counter() > deadline:
            break
        se = np.concatenate([s, [1.0]])
        qu = qe[kind]  # (U, n+1): q of each unit at every target
        q_own = qu[np.arange(kind.size), target]  # (U,)
        # objective change if the unit leaves its target
        leave = ve[target] * se[target] * (1.0 / q_own - 1.0)  # (U,)
        # ... and joins target b
        join = ve * se * (qu - 1.0)  # (U, n+1), <= 0
        move = leave[:, None] + join
        move[np.arange(kind.size), target] = 0.0
        if max_targets is not None or max_rounds is not None:
            per_target = np.bincount(target, minlength=n + 1)[:n]
            engaged = per_target > 0
            if max_targets is not None:
                # joining a new target adds one, unless the unit leaves a target it held alone
                grows = ~engaged[None, :] & ~((target < n) & (per_target[np.minimum(
                    target, n - 1)] == 1))[:, None]
                over = grows & (int(engaged.sum()) >= max_targets)
                move[:, :n] = np.where(over, 0.0, move[:, :n])
            if max_rounds is not None and int(per_target.sum()) >= max_rounds:
                move[target == n, :n] = 0.0  # no unused round may join
        u_mv = int(np.argmin(move))
        best_move = move.flat[u_mv]
        # swaps: unit u (type i, target a) <-> unit k (type l, target b)
        a = target
        va_sa = ve[a] * se[a]
        # term for target a: unit u leaves, unit k arrives -> s_a * q_{l a} / q_{i a}
        q_k_at_a = qe[kind[None, :], a[:, None]]  # (U_u, U_k): q of k's type at u's target
        part_a = va_sa[:, None] * (q_k_at_a / q_own[:, None] - 1.0)
        swap = part_a + part_a.T
        ok = (a[:, None] != a[None, :]) & (kind[:, None] != kind[None, :])
        swap = np.where(ok, swap, 0.0)
        u_sw = int(np.argmin(swap))
        best_swap = swap.flat[u_sw]
        if min(best_move, best_swap) > -tol * max(1.0, float(np.sum(v * s))):
            break
        if best_move <= best_swap:
            u, b = divmod(u_mv, n + 1)
            changes = [(u, b)]
        else:
            u, k = divmod(u_sw, kind.size)
            changes = [(u, int(target[k])), (k, int(target[u]))]
        for u, b in changes:  # targets read above, before any change
            i, a_old = int(kind[u]), int(target[u])
            if a_old < n:
                x[i, a_old] -= 1
            if b < n:
                x[i, b] += 1
            target[u] = b
        s = np.prod(q ** x, axis=0)
    return x

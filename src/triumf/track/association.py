"""Global nearest neighbour (GNN) data association, exact per replication.

The GNN problem solved here: among the one-to-one pairings of tracks and detections that use
only gated (``allowed``) pairs, take those with the largest number of pairs, and among them the
one with the smallest total cost. This is the classic 2-D assignment with forbidden entries
(Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, 1999, ch. 6), solved with
:func:`scipy.optimize.linear_sum_assignment`: gated costs are lowered by a constant larger than
any possible total cost span, forbidden entries cost 0, and forbidden pairs in the optimum are
dropped.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment


def gnn_assign(cost: NDArray[np.float64], allowed: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Exact GNN assignment with a batched fast path.

    Replications where no track and no detection has more than one gated partner are solved
    in one vectorised step (every gated pair is then assigned). Only replications with a
    conflict go through :func:`linear_sum_assignment`, one at a time, restricted to the
    tracks and detections that have a gated partner.

    Parameters
    ----------
    cost : ndarray, shape (R, K, D)
        Pair cost (lower is better), e.g. a negative log-likelihood; only finite entries
        where ``allowed`` are used.
    allowed : ndarray of bool, shape (R, K, D)
        Gated pairs.

    Returns
    -------
    assignment : ndarray of int64, shape (R, D)
        Track index assigned to each detection, or -1.
    """
    cost = np.asarray(cost, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool) & np.isfinite(cost)
    R, K, D = cost.shape
    if K == 0 or D == 0:
        return np.full((R, D), -1, dtype=np.int64)
    deg_track = allowed.sum(axis=2)  # (R, K)
    deg_det = allowed.sum(axis=1)  # (R, D)
    conflict = (deg_track > 1).any(axis=1) | (deg_det > 1).any(axis=1)  # (R,)

    # fast path: each detection has at most one gated track and vice versa
    assignment = np.where(deg_det > 0, np.argmax(allowed, axis=1), -1).astype(np.int64)
    for r in np.flatnonzero(conflict):
        assignment[r] = _solve_one(cost[r], allowed[r])
    return assignment


def gnn_assign_loop(cost: NDArray[np.float64], allowed: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Reference GNN: :func:`linear_sum_assignment` for every replication.

    Same problem and result as :func:`gnn_assign`, without the fast path.

    Parameters
    ----------
    cost : ndarray, shape (R, K, D)
    allowed : ndarray of bool, shape (R, K, D)

    Returns
    -------
    assignment : ndarray of int64, shape (R, D)
        Track index assigned to each detection, or -1.
    """
    cost = np.asarray(cost, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool) & np.isfinite(cost)
    R, _, D = cost.shape
    assignment = np.full((R, D), -1, dtype=np.int64)
    for r in range(R):
        assignment[r] = _solve_one(cost[r], allowed[r], restrict=False)
    return assignment


def _solve_one(
    cost: NDArray[np.float64], allowed: NDArray[np.bool_], restrict: bool = True
) -> NDArray[np.int64]:
    """Max-cardinality, then min-cost matching of one (K, D) problem.

    Parameters
    ----------
    cost : ndarray, shape (K, D)
    allowed : ndarray of bool, shape (K, D)
    restrict : bool
        Drop rows and columns without any gated entry before solving.

    Returns
    -------
    ndarray of int64, shape (D,)
        Row index for each column, or -1.
    """
    K, D = cost.shape
    out = np.full(D, -1, dtype=np.int64)
    if not allowed.any():
        return out
    rows = np.flatnonzero(allowed.any(axis=1)) if restrict else np.arange(K)
    cols = np.flatnonzero(allowed.any(axis=0)) if restrict else np.arange(D)
    a = allowed[np.ix_(rows, cols)]
    c = cost[np.ix_(rows, cols)]
    c_min = c[a].min()
    span = c[a].max() - c_min
    # any extra gated pair outweighs every possible difference in total cost
    big = span * min(a.shape) + 1.0
    matrix = np.where(a, c - c_min - big, 0.0)
    ri, ci = linear_sum_assignment(matrix)
    keep = a[ri, ci]
    out[cols[ci[keep]]] = rows[ri[keep]]
    return out

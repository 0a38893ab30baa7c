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
    tracks and detections that have a gated partner. The work is done by
    :func:`gnn_select` on the list of gated pairs.

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
    assignment = np.full((R, D), -1, dtype=np.int64)
    r, k, d = np.nonzero(allowed)
    chosen = gnn_select(r, k, d, cost[r, k, d])
    assignment[r[chosen], d[chosen]] = k[chosen]
    return assignment


def gnn_select(
    rep: NDArray[np.intp],
    row: NDArray[np.intp],
    col: NDArray[np.intp],
    cost: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """Exact GNN on a list of gated pairs: which pairs are assigned.

    Same problem and result as :func:`gnn_assign` (whose dense tables hold mostly forbidden
    pairs), for pairs given as a list: track ``row`` and detection ``col`` of replication
    ``rep`` may be paired at ``cost``. Replications in which no track and no detection
    appears in two pairs take every pair; the others are solved one at a time by
    :func:`linear_sum_assignment` on the tracks and detections that appear in their pairs, in
    increasing index order.

    Parameters
    ----------
    rep, row, col : ndarray of int, shape (P,)
        Replication, track and detection of each pair; pairs must be distinct and sorted by
        ``rep`` (e.g. from :func:`numpy.nonzero` of a dense table).
    cost : ndarray, shape (P,)
        Finite pair cost (lower is better).

    Returns
    -------
    ndarray of bool, shape (P,)
        Pairs in the assignment (no track and no detection in two of them).
    """
    rep = np.asarray(rep, dtype=np.intp)
    row = np.asarray(row, dtype=np.intp)
    col = np.asarray(col, dtype=np.intp)
    cost = np.asarray(cost, dtype=np.float64)
    chosen = np.ones(rep.size, dtype=bool)
    if rep.size == 0:
        return chosen
    # a track or detection in two pairs of its replication makes a conflict
    key = rep * (int(row.max()) + 1) + row
    multi = np.bincount(key)[key] > 1
    key = rep * (int(col.max()) + 1) + col
    multi |= np.bincount(key)[key] > 1
    if not multi.any():
        return chosen
    # every pair of a replication with a conflict: solve those replications exactly
    in_conflict = np.zeros(int(rep.max()) + 1, dtype=bool)
    in_conflict[rep[multi]] = True
    sel = np.flatnonzero(in_conflict[rep])
    chosen[sel] = False
    chosen[sel[_solve_blocks(rep[sel], row[sel], col[sel], cost[sel])]] = True
    return chosen


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


def _solve_blocks(
    rep: NDArray[np.intp], row: NDArray[np.intp], col: NDArray[np.intp], cost: NDArray[np.float64]
) -> NDArray[np.intp]:
    """:func:`_solve_one` of several replications given as one pair list sorted by ``rep``.

    Builds, for each replication, the same restricted matrix as :func:`_solve_one` (rows and
    columns with a gated entry, in increasing order; gated entries lowered by the same
    constants; forbidden entries 0), so the solutions are the same. Everything but the
    :func:`linear_sum_assignment` calls is vectorised over the replications.

    Returns
    -------
    ndarray of intp
        Indices of the assigned pairs.
    """
    n = rep.size
    lo = np.flatnonzero(np.r_[True, rep[1:] != rep[:-1]])  # first pair of each replication
    group = np.cumsum(np.r_[False, rep[1:] != rep[:-1]])  # replication number of each pair
    ri, n_rows = _rank_within(rep, row)
    ci, n_cols = _rank_within(rep, col)
    n_rows, n_cols = n_rows[lo], n_cols[lo]
    c_min = np.minimum.reduceat(cost, lo)
    span = np.maximum.reduceat(cost, lo) - c_min
    big = span * np.minimum(n_rows, n_cols) + 1.0
    # any extra gated pair outweighs every possible difference in total cost
    value = cost - c_min[group] - big[group]
    size = n_rows * n_cols
    offset = np.cumsum(size) - size
    cell = offset[group] + ri * n_cols[group] + ci
    matrices = np.zeros(int(size.sum()))
    matrices[cell] = value
    pair_of_cell = np.full(matrices.size, -1, dtype=np.intp)
    pair_of_cell[cell] = np.arange(n)
    out = []
    for o, nr, nc in zip(offset.tolist(), n_rows.tolist(), n_cols.tolist(), strict=True):
        sr, sc = linear_sum_assignment(matrices[o : o + nr * nc].reshape(nr, nc))
        out.append(pair_of_cell[o + sr * nc + sc])
    taken = np.concatenate(out)
    return taken[taken >= 0]


def _rank_within(
    rep: NDArray[np.intp], key: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Rank of each ``key`` among the distinct keys of its replication, and their number.

    Parameters
    ----------
    rep, key : ndarray of int, shape (n,)
        ``rep`` sorted.

    Returns
    -------
    rank, count : ndarray of intp, shape (n,)
    """
    m = int(key.max()) + 1
    uniq, inv = np.unique(rep * m + key, return_inverse=True)
    u_rep = uniq // m
    first = np.searchsorted(u_rep, u_rep, side="left")
    count = np.searchsorted(u_rep, u_rep, side="right") - first
    return (np.arange(uniq.size) - first)[inv], count[inv]

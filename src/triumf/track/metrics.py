"""Multi-target tracking metrics: GOSPA, OSPA and track continuity.

Pure functions on plain arrays: the tracking stage never imports truth, so the caller (the
engine, a benchmark, a test) passes truth positions and the truth each track follows as arrays.

GOSPA (Rahmathullah, Garcia-Fernandez & Svensson, "Generalized optimal sub-pattern assignment
metric", FUSION 2017, arXiv:1601.05585) with cut-off ``c``, order ``p`` and ``alpha``::

    d = ( min over partial assignments  sum_assigned min(d_ij, c)^p
          + c^p / alpha * (n_unassigned_estimates + n_unassigned_truths) )^(1/p)

With ``alpha = 2`` (the only value for which it is a metric on sets of any size) it splits into
localisation (sum of ``d_ij^p`` of assigned pairs with ``d_ij < c``), missed truths and false
estimates (``c^p / 2`` each). OSPA (Schuhmacher, Vo & Vo, IEEE TSP 56(8), 2008) normalises by
the larger set size and charges ``c^p`` per cardinality difference.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment


class Gospa(NamedTuple):
    """GOSPA and its parts, each an array of the batch shape.

    Attributes
    ----------
    distance : ndarray, metres
        GOSPA distance ``(localisation + missed + false)^(1/p)``.
    localisation : ndarray, m^p
        Sum of ``d^p`` over assigned pairs closer than ``c``.
    missed : ndarray, m^p
        ``c^p / alpha`` times the number of missed truths.
    false : ndarray, m^p
        ``c^p / alpha`` times the number of false estimates.
    n_missed, n_false : ndarray of int64
        Numbers of missed truths and false estimates.
    """

    distance: NDArray[np.float64]
    localisation: NDArray[np.float64]
    missed: NDArray[np.float64]
    false: NDArray[np.float64]
    n_missed: NDArray[np.int64]
    n_false: NDArray[np.int64]


def _pair_distance(est: NDArray[np.float64], truth: NDArray[np.float64]) -> NDArray[np.float64]:
    """Euclidean distances, shape (n, m), of est (n, d) and truth (m, d)."""
    diff = est[:, None, :] - truth[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def _masks(
    est: ArrayLike, est_valid: ArrayLike | None, truth: ArrayLike, truth_valid: ArrayLike | None
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
    tuple[int, ...],
]:
    """Flatten the batch axes of padded sets and their masks."""
    e = np.asarray(est, dtype=np.float64)
    g = np.asarray(truth, dtype=np.float64)
    ev = np.ones(e.shape[:-1], bool) if est_valid is None else np.asarray(est_valid, bool)
    gv = np.ones(g.shape[:-1], bool) if truth_valid is None else np.asarray(truth_valid, bool)
    batch = np.broadcast_shapes(e.shape[:-2], g.shape[:-2])
    B = int(np.prod(batch))
    e = np.broadcast_to(e, (*batch, *e.shape[-2:])).reshape(B, *e.shape[-2:])
    g = np.broadcast_to(g, (*batch, *g.shape[-2:])).reshape(B, *g.shape[-2:])
    ev = np.broadcast_to(ev, (*batch, ev.shape[-1])).reshape(B, ev.shape[-1])
    gv = np.broadcast_to(gv, (*batch, gv.shape[-1])).reshape(B, gv.shape[-1])
    return e, ev, g, gv, batch


def gospa(
    est: ArrayLike,
    truth: ArrayLike,
    c: float,
    p: float = 1.0,
    alpha: float = 2.0,
    est_valid: ArrayLike | None = None,
    truth_valid: ArrayLike | None = None,
) -> Gospa:
    """GOSPA between sets of estimated and true positions, for a batch of sets.

    The optimal assignment is exact (:func:`scipy.optimize.linear_sum_assignment` per set;
    sets are small, so the loop over the batch is cheap).

    Parameters
    ----------
    est : array_like, shape (..., n, d), metres
        Estimated positions (e.g. confirmed tracks), padded; see ``est_valid``.
    truth : array_like, shape (..., m, d), metres
        True positions, padded; see ``truth_valid``.
    c : float, metres
        Cut-off distance, > 0.
    p : float
        Order, >= 1.
    alpha : float
        In (0, 2]; 2 gives the metric split into localisation, missed and false.
    est_valid : array_like of bool, shape (..., n), optional
        Which estimates are present (default all).
    truth_valid : array_like of bool, shape (..., m), optional
        Which truths are present (default all).

    Returns
    -------
    Gospa
        Each field of the batch shape ``...``.
    """
    if not c > 0.0 or not p >= 1.0 or not 0.0 < alpha <= 2.0:
        raise ValueError("need c > 0, p >= 1 and 0 < alpha <= 2")
    e, ev, g, gv, batch = _masks(est, est_valid, truth, truth_valid)
    B = e.shape[0]
    loc = np.zeros(B)
    n_miss = np.zeros(B, dtype=np.int64)
    n_false = np.zeros(B, dtype=np.int64)
    cp = c**p
    for b in range(B):
        eb, gb = e[b][ev[b]], g[b][gv[b]]
        n_paired = 0
        if eb.shape[0] and gb.shape[0]:
            dp = np.minimum(_pair_distance(eb, gb), c) ** p
            # pairing gains 2 c^p / alpha - d^p over leaving both unassigned
            gain = np.minimum(dp - 2.0 * cp / alpha, 0.0)
            ri, ci = linear_sum_assignment(gain)
            keep = gain[ri, ci] < 0.0
            loc[b] = dp[ri[keep], ci[keep]].sum()
            n_paired = int(keep.sum())
        n_miss[b] = gb.shape[0] - n_paired
        n_false[b] = eb.shape[0] - n_paired
    missed = cp / alpha * n_miss
    false = cp / alpha * n_false
    dist = (loc + missed + false) ** (1.0 / p)
    return Gospa(
        distance=dist.reshape(batch),
        localisation=loc.reshape(batch),
        missed=missed.reshape(batch),
        false=false.reshape(batch),
        n_missed=n_miss.reshape(batch),
        n_false=n_false.reshape(batch),
    )


def ospa(
    est: ArrayLike,
    truth: ArrayLike,
    c: float,
    p: float = 1.0,
    est_valid: ArrayLike | None = None,
    truth_valid: ArrayLike | None = None,
) -> NDArray[np.float64]:
    """OSPA distance between sets of estimated and true positions, for a batch of sets.

    ``( (min_pi sum_i min(d_i,pi(i), c)^p + c^p |n - m|) / max(n, m) )^(1/p)``; 0 when both
    sets are empty.

    Parameters
    ----------
    est, truth, est_valid, truth_valid
        As in :func:`gospa`.
    c : float, metres
        Cut-off distance, > 0.
    p : float
        Order, >= 1 (finite).

    Returns
    -------
    ndarray, shape (...), metres
    """
    if not c > 0.0 or not 1.0 <= p < np.inf:
        raise ValueError("need c > 0 and 1 <= p < inf")
    e, ev, g, gv, batch = _masks(est, est_valid, truth, truth_valid)
    B = e.shape[0]
    out = np.zeros(B)
    for b in range(B):
        eb, gb = e[b][ev[b]], g[b][gv[b]]
        n = max(eb.shape[0], gb.shape[0])
        if n == 0:
            continue
        total = c**p * abs(eb.shape[0] - gb.shape[0])
        if eb.shape[0] and gb.shape[0]:
            dp = np.minimum(_pair_distance(eb, gb), c) ** p
            ri, ci = linear_sum_assignment(dp)
            total += dp[ri, ci].sum()
        out[b] = (total / n) ** (1.0 / p)
    return out.reshape(batch)


class Continuity(NamedTuple):
    """Track continuity counts over a run, shape (R,) each.

    Attributes
    ----------
    swaps : ndarray of int64
        Times a track kept its number but switched from one truth to another.
    breaks : ndarray of int64
        Times a truth previously held by one track number became held by another (track
        fragmentation, re-initiation after a loss, or the other half of a swap). A truth
        followed by several tracks at once (duplicates) keeps its holder while the holder is
        among them; otherwise the lowest track number becomes its holder.
    """

    swaps: NDArray[np.int64]
    breaks: NDArray[np.int64]


def continuity_step(
    prev_track_id: NDArray[np.int64],
    prev_truth: NDArray[np.int64],
    track_id: NDArray[np.int64],
    truth: NDArray[np.int64],
    holder: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Count swaps and breaks between two consecutive looks at the confirmed tracks.

    Parameters
    ----------
    prev_track_id, track_id : ndarray of int64, shape (R, K)
        Track number in each slot at the previous and the current look (0: no confirmed
        track there).
    prev_truth, truth : ndarray of int64, shape (R, K)
        Truth index each slot's track follows (-1: none, e.g. a false track).
    holder : ndarray of int64, shape (R, T)
        Track number last seen following each truth (0: none yet).

    Returns
    -------
    swaps, breaks : ndarray of int64, shape (R,)
        Counts at this look.
    holder : ndarray of int64, shape (R, T)
        Updated holders (a new array).
    """
    same = (track_id > 0) & (track_id == prev_track_id)
    swaps = np.count_nonzero(same & (prev_truth >= 0) & (truth >= 0) & (truth != prev_truth), 1)
    R, T = holder.shape
    r, k = np.nonzero((track_id > 0) & (truth >= 0))
    key = r * T + truth[r, k]
    flat = holder.reshape(-1)
    # a truth followed by several tracks at once keeps its holder if the holder is among them
    kept = np.zeros(R * T, dtype=bool)
    kept[key[track_id[r, k] == flat[key]]] = True
    followed = np.zeros(R * T, dtype=bool)
    followed[key] = True
    changed = followed & ~kept
    breaks = np.bincount(np.flatnonzero(changed & (flat > 0)) // T, minlength=R)
    new = np.full(R * T, np.iinfo(np.int64).max)
    np.minimum.at(new, key, track_id[r, k])
    out = np.where(changed, new, flat).reshape(R, T)
    return swaps.astype(np.int64), breaks.astype(np.int64), out


__all__ = ["Continuity", "Gospa", "continuity_step", "gospa", "ospa"]

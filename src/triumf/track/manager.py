"""Track life-cycle: one centralised tracker fusing every radar scan as it arrives.

Measurement-level fusion: each scan of each radar is a sequential converted-measurement Kalman
update of the same track table. Per scan, :func:`process_scan` predicts, gates, associates
(GNN), updates, counts hits and misses, confirms (M-of-N), deletes and initiates, for all
replications at once. The tracker sees only :class:`triumf.sense.base.Detections`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from triumf.sense.base import Detections
from triumf.track.association import gnn_assign
from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.gating import gate_threshold, innovation_distance
from triumf.track.kalman import converted_measurement, predict, update

# gate on the distance between a single-detection track and a new detection, in units of the
# one-sigma RMS of the two measurement errors, on top of max_speed * elapsed time
_SPEED_GATE_SIGMAS = 3.0


class ScanResult(NamedTuple):
    """What :func:`process_scan` returns.

    Attributes
    ----------
    tracks : Tracks
        Track table after the scan.
    assignment : ndarray of int64, shape (R, D)
        Slot of the existing track each detection updated, or -1.
    newly_confirmed : ndarray of bool, shape (R, K)
        Slots whose track was confirmed in this scan.
    deleted : ndarray of bool, shape (R, K)
        Slots whose track was deleted in this scan (these slots are not reused before the next
        scan, so ``deleted`` and ``initiated`` never name the same slot).
    initiated : ndarray of int64, shape (R, D)
        Slot of the tentative track started from each detection, or -1.
    n_dropped : ndarray of int64, shape (R,)
        Unassociated detections that could not start a track because no slot was free.
    """

    tracks: Tracks
    assignment: NDArray[np.int64]
    newly_confirmed: NDArray[np.bool_]
    deleted: NDArray[np.bool_]
    initiated: NDArray[np.int64]
    n_dropped: NDArray[np.int64]


def process_scan(
    tracks: Tracks,
    det: Detections,
    t: float,
    params: TrackerParams,
    could_see: NDArray[np.bool_] | None = None,
) -> ScanResult:
    """Process one scan of one radar for all replications.

    Steps: (1) predict live tracks to ``t``; (2) convert the measurements to engine ENU;
    (3) gate and associate by GNN (cost: negative Gaussian log-likelihood
    ``0.5 (d2 + ln det S)``; chi-square gate, or for tracks with a single detection a
    maximum-speed gate, since their velocity is unknown); (4) update associated tracks
    (Joseph form); (5) count an update opportunity for each live track the radar could have
    seen (``could_see``) or that got a detection, and a miss for those that could be seen but
    got none; (6) delete tentative tracks that can no longer reach M hits in N opportunities
    or have gone ``tentative_max_age_s`` without a detection, and confirmed tracks after
    ``delete_misses`` consecutive misses or with ``sqrt(trace(P_pos)) > max_position_std_m``;
    (7) start tentative tracks from unassociated valid detections in free slots, nearest range
    first (so the outcome does not depend on detection slot order); (8) confirm tentative
    tracks with at least M hits.

    Parameters
    ----------
    tracks : Tracks
        Track table, shapes (R, K, ...).
    det : Detections
        One scan of one radar, ``z`` shape (R, D, 3).
    t : float, seconds
        Scan time. Tracks whose state is later than ``t`` are not predicted backwards
        (``dt`` is clipped at 0).
    params : TrackerParams
    could_see : ndarray of bool, shape (R, K), optional
        Live tracks the radar could have detected (within range, above the horizon); the
        engine's business. Default: every live track.

    Returns
    -------
    ScanResult
    """
    R, K = tracks.shape
    q = params.accel_noise_mps2
    v0 = params.initial_velocity_std_mps
    status = tracks.status
    live = status != TrackStatus.FREE

    # 1. predict live tracks to the scan time
    lr, lk = np.nonzero(live)
    x = tracks.x.copy()
    P = tracks.P.copy()
    dt = np.maximum(t - tracks.t_state[lr, lk], 0.0)
    x[lr, lk], P[lr, lk] = predict(x[lr, lk], P[lr, lk], dt, q)
    t_state = np.where(live, t, tracks.t_state)

    # 2. measurements in engine ENU (invalid slots get harmless placeholders)
    valid = np.asarray(det.valid, dtype=bool)
    z = np.where(valid[..., None], det.z, np.array([1.0, 0.0, 0.0]))
    sigma = np.where(valid[..., None], det.sigma, 1.0)
    y, Rc = converted_measurement(z, sigma, det.sensor_pos, det.sensor_rot)

    # 3. gating and GNN association
    # Only live tracks and valid detections take part: they are moved to the front of compact
    # (R, K_live, D_valid) arrays whose widths are the largest counts over replications (at
    # least 1; padding entries are masked by live/valid).
    rows = np.arange(R)[:, None]
    k_ord = np.argsort(~live, axis=1, kind="stable")[:, : max(1, int(live.sum(axis=1).max()))]
    d_ord = np.argsort(~valid, axis=1, kind="stable")[:, : max(1, int(valid.sum(axis=1).max()))]
    fresh = live & (tracks.hits == 1)  # one detection so far: velocity unknown
    allowed, cost = _gate_pairs(
        x[rows, k_ord],
        P[rows, k_ord],
        y[rows, d_ord],
        Rc[rows, d_ord],
        live[rows, k_ord],
        valid[rows, d_ord],
        fresh[rows, k_ord],
        np.maximum(t - tracks.t_update[rows, k_ord], 0.0),
        params,
    )
    compact = gnn_assign(cost, allowed)  # (R, D_valid) index into k_ord
    assignment = np.full(valid.shape, -1, dtype=np.int64)
    assignment[rows, d_ord] = np.where(
        compact >= 0, np.take_along_axis(k_ord, np.maximum(compact, 0), axis=1), -1
    )

    # 4. update associated tracks (only those: gather, update, scatter)
    det_of_track = np.full((R, K), -1, dtype=np.int64)
    rr, dd = np.nonzero(assignment >= 0)
    kk = assignment[rr, dd]
    det_of_track[rr, kk] = dd
    upd = det_of_track >= 0
    x[rr, kk], P[rr, kk] = update(x[rr, kk], P[rr, kk], y[rr, dd], Rc[rr, dd])
    iff = np.zeros((R, K), dtype=bool)
    iff[rr, kk] = np.asarray(det.iff_friend, dtype=bool)[rr, dd]

    # 5. opportunities, hits and misses
    seen = live & (upd | (live if could_see is None else np.asarray(could_see, dtype=bool)))
    opportunities = tracks.opportunities + seen
    hits = tracks.hits + upd
    misses = np.where(upd, 0, tracks.misses + (seen & ~upd))
    friend = tracks.friend | iff
    t_update = np.where(upd, t, tracks.t_update)

    # 6. deletion
    tentative = status == TrackStatus.TENTATIVE
    confirmed = status == TrackStatus.CONFIRMED
    remaining = np.maximum(params.confirm_n - opportunities, 0)
    pos_std = np.sqrt(np.maximum(np.trace(P[..., :3, :3], axis1=-2, axis2=-1), 0.0))
    deleted = (
        tentative
        & ((hits + remaining < params.confirm_m) | (t - t_update > params.tentative_max_age_s))
    ) | (confirmed & ((misses >= params.delete_misses) | (pos_std > params.max_position_std_m)))

    new = Tracks(
        x=x,
        P=P,
        status=status.copy(),
        track_id=tracks.track_id.copy(),
        next_id=tracks.next_id.copy(),
        t_update=t_update,
        t_state=t_state,
        t_confirmed=tracks.t_confirmed.copy(),
        hits=hits,
        opportunities=opportunities,
        misses=misses,
        friend=friend,
    )
    _clear(new, deleted)

    # 7. initiation from unassociated detections, nearest range first
    candidate = valid & (assignment < 0)
    free = (new.status == TrackStatus.FREE) & ~deleted
    order = np.lexsort((z[..., 2], z[..., 1], z[..., 0], ~candidate), axis=-1)  # (R, D)
    free_slots = np.argsort(~free, axis=-1, kind="stable")  # free slots first, ascending
    n_cand = candidate.sum(axis=1)
    n_new = np.minimum(n_cand, free.sum(axis=1))
    J = min(K, z.shape[1])
    take = np.arange(J)[None, :] < n_new[:, None]  # (R, J)
    ri, ji = np.nonzero(take)
    di = order[ri, ji]
    si = free_slots[ri, ji]
    initiated = np.full(valid.shape, -1, dtype=np.int64)
    initiated[ri, di] = si

    x0 = np.zeros((ri.size, 6))
    x0[:, :3] = y[ri, di]
    P0 = np.zeros((ri.size, 6, 6))
    P0[:, :3, :3] = Rc[ri, di]
    P0[:, 3:, 3:] = v0 * v0 * np.eye(3)
    new.x[ri, si] = x0
    new.P[ri, si] = P0
    new.status[ri, si] = TrackStatus.TENTATIVE
    new.track_id[ri, si] = new.next_id[ri] + ji
    new.next_id = new.next_id + n_new
    new.t_update[ri, si] = t
    new.t_state[ri, si] = t
    new.t_confirmed[ri, si] = np.nan
    new.hits[ri, si] = 1
    new.opportunities[ri, si] = 1
    new.misses[ri, si] = 0
    new.friend[ri, si] = np.asarray(det.iff_friend, dtype=bool)[ri, di]

    # 8. M-of-N confirmation
    newly_confirmed = (new.status == TrackStatus.TENTATIVE) & (new.hits >= params.confirm_m)
    new.status[newly_confirmed] = TrackStatus.CONFIRMED
    new.t_confirmed[newly_confirmed] = t

    return ScanResult(
        tracks=new,
        assignment=assignment,
        newly_confirmed=newly_confirmed,
        deleted=deleted,
        initiated=initiated,
        n_dropped=(n_cand - n_new).astype(np.int64),
    )


def drop_tracks(tracks: Tracks, mask: NDArray[np.bool_]) -> Tracks:
    """Free the slots in ``mask`` (e.g. on the command post's kill reports).

    Parameters
    ----------
    tracks : Tracks
    mask : ndarray of bool, shape (R, K)
        Slots to free. Their track numbers are not reused.

    Returns
    -------
    Tracks
        A new track table.
    """
    new = tracks.copy()
    _clear(new, np.asarray(mask, dtype=bool))
    return new


def extrapolate(
    tracks: Tracks, t: float, params: TrackerParams
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Predict every live track to time ``t`` without changing the track table.

    Parameters
    ----------
    tracks : Tracks
    t : float, seconds
    params : TrackerParams

    Returns
    -------
    x : ndarray, shape (R, K, 6)
    P : ndarray, shape (R, K, 6, 6)
        Free slots are returned unchanged.
    """
    dt = np.where(tracks.live, np.maximum(t - tracks.t_state, 0.0), 0.0)
    return predict(tracks.x, tracks.P, dt, params.accel_noise_mps2)


# pairs per block of replications in the gating pass: keeps the (block, K, D) temporaries in
# cache (about 1 MB each), several times faster than one pass over all R
_PAIRS_PER_BLOCK = 1 << 17


def _gate_pairs(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    live: NDArray[np.bool_],
    valid: NDArray[np.bool_],
    fresh: NDArray[np.bool_],
    elapsed: NDArray[np.float64],
    params: TrackerParams,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Gated pairs and their GNN cost, shape (R, K, D) each.

    Chi-square gate on the Mahalanobis distance for tracks with a velocity estimate; for
    ``fresh`` tracks (a single detection) a maximum-speed gate (:func:`_speed_gate`). Cost is
    ``0.5 (d2 + ln det S)``, ``inf`` outside the gate. The loop runs over blocks of
    replications only to bound memory traffic; every pair is computed independently.
    """
    R, K = live.shape
    D = valid.shape[1]
    gate = gate_threshold(params.gate_probability, 3)
    allowed = np.empty((R, K, D), dtype=bool)
    cost = np.empty((R, K, D))
    step = max(1, _PAIRS_PER_BLOCK // max(1, K * D))
    for s in range(0, R, step):
        b = slice(s, s + step)
        d2, logdet = innovation_distance(x[b], P[b], y[b], Rc[b])
        ok = d2 <= gate
        # single-detection tracks: maximum-speed gate instead, evaluated on those tracks only
        fb, fk = np.nonzero(fresh[b])
        fr = fb + s
        ok[fb, fk] = _speed_gate(x[fr, fk], P[fr, fk], y[fr], Rc[fr], elapsed[fr, fk], params)
        ok &= live[b, :, None] & valid[b, None, :] & np.isfinite(d2)
        allowed[b] = ok
        cost[b] = np.where(ok, 0.5 * (d2 + np.where(ok, logdet, 0.0)), np.inf)
    return allowed, cost


def _speed_gate(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    elapsed: NDArray[np.float64],
    params: TrackerParams,
) -> NDArray[np.bool_]:
    """Maximum-speed gate of single-detection tracks against every detection of their scan.

    A track started at ``t0`` from a measurement with covariance ``R0`` (velocity 0, std
    ``v0``) and predicted over ``e = t - t0`` has position covariance
    ``R0 + (v0^2 e^2 + q^2 e^3 / 3) I`` (the CWNA discretisation composes exactly), which gives
    ``trace(R0)`` back. The pair passes if
    ``|y - x_pos| <= max_speed * e + k sqrt(trace(R0) + trace(R_det))``, ``k = 3``.

    Parameters
    ----------
    x : ndarray, shape (N, 6)
        Predicted states of N tracks.
    P : ndarray, shape (N, 6, 6)
    y : ndarray, shape (N, D, 3)
        Detections of each track's replication, metres.
    Rc : ndarray, shape (N, D, 3, 3)
    elapsed : ndarray, shape (N,), seconds
        Time since the track's only detection.
    params : TrackerParams

    Returns
    -------
    ndarray of bool, shape (N, D)
    """
    e = elapsed
    v0 = params.initial_velocity_std_mps
    q = params.accel_noise_mps2
    tr_pos = np.trace(P[..., :3, :3], axis1=-2, axis2=-1)
    tr_r0 = np.maximum(tr_pos - 3.0 * (v0 * v0 * e * e + q * q * e**3 / 3.0), 0.0)  # (N,)
    tr_det = np.trace(Rc, axis1=-2, axis2=-1)  # (N, D)
    diff = y - x[:, None, :3]
    dist2 = np.einsum("...i,...i->...", diff, diff)  # (N, D)
    reach = params.max_speed_mps * e[:, None] + _SPEED_GATE_SIGMAS * np.sqrt(
        tr_r0[:, None] + tr_det
    )
    return np.asarray(dist2 <= reach * reach)


def _clear(tracks: Tracks, mask: NDArray[np.bool_]) -> None:
    """Reset the slots in ``mask`` to FREE, in place (only on arrays this module owns)."""
    tracks.x[mask] = 0.0
    tracks.P[mask] = 0.0
    tracks.status[mask] = TrackStatus.FREE
    tracks.track_id[mask] = 0
    tracks.t_update[mask] = 0.0
    tracks.t_state[mask] = 0.0
    tracks.t_confirmed[mask] = np.nan
    tracks.hits[mask] = 0
    tracks.opportunities[mask] = 0
    tracks.misses[mask] = 0
    tracks.friend[mask] = False


__all__ = ["ScanResult", "drop_tracks", "extrapolate", "process_scan"]

"""Track life-cycle: one centralised tracker fusing every radar scan as it arrives.

Measurement-level fusion: each scan of each radar is a sequential converted-measurement Kalman
update of the same track table. Per scan, :func:`process_scan` predicts, gates, associates
(GNN), updates, counts hits and misses, confirms (M-of-N), deletes and initiates, for all
replications at once. The tracker sees only :class:`triumf.sense.base.Detections`.

Performance: the engine calls :func:`process_scan` once per radar scan, with a few thousand
live tracks and detections spread over fixed-size (R, K) and (R, D) tables. The live tracks
and valid detections are gathered into compact component-major arrays (see
:mod:`triumf.track.kalman`), only track/detection pairs that can pass a gate are evaluated
exactly, and the results are scattered back into new tables once. ``benchmarks/
bench_tracker.py`` measures it against the plain dense version it replaced;
``tests/track/test_manager_reference.py`` checks they agree scan by scan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from triumf.sense.base import Detections
from triumf.track.association import gnn_select
from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.gating import TRACE_BOUND_MARGIN, gate_threshold, pair_distance
from triumf.track.imm import N_MODES, ImmParams, imm_combine, imm_init, imm_predict, imm_update
from triumf.track.jpda import jpda_probabilities
from triumf.track.kalman import converted_measurement_cm, predict_cm, update_cm

# gate on the distance between a single-detection track and a new detection, in units of the
# one-sigma RMS of the two measurement errors, on top of max_speed * elapsed time
_SPEED_GATE_SIGMAS = 3.0
# rows of the flattened 6x6 covariance holding its position block
_POS_BLOCK = np.array([0, 1, 2, 6, 7, 8, 12, 13, 14])


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
    *,
    sensor: int = 0,
) -> ScanResult:
    """Process one scan of one radar for all replications.

    Steps: (1) predict live tracks to ``t``; (2) convert the measurements to engine ENU; (3)
    gate and associate by GNN (cost: negative Gaussian log-likelihood ``0.5 (d2 + ln det S)``;
    chi-square gate, or for tracks with a single detection a maximum-speed gate, since their
    velocity is unknown; with ``params.confirmed_first``, confirmed tracks are assigned first
    and the other tracks share the detections left); (4) update associated tracks (Joseph form);
    (5) count an update opportunity for each live track the radar could have seen
    (``could_see``) or that got a detection, and a miss for those that could be seen but got
    none; (6) delete tentative tracks that can no longer reach M hits in N opportunities or have
    gone ``tentative_max_age_s`` without a detection, and confirmed tracks after
    ``delete_misses`` consecutive misses (once ``delete_coast_s`` has passed without a
    detection) or with ``sqrt(trace(P_pos)) > max_position_std_m``; (7) start tentative tracks
    from unassociated valid detections in free slots, nearest range first (so the outcome does
    not depend on detection slot order); (8) confirm tentative tracks with at least M hits.

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
    sensor : int
        Index of the radar in ``tracks.last_seen_s`` (its last axis): updated and initiated
        tracks get ``last_seen_s[..., sensor] = t``.

    Notes
    -----
    ``det.z`` and ``det.sigma`` may carry a fourth column, the range rate (m/s, NaN where the
    radar gives none) and its one-sigma noise; the IMM tracker (``motion_model="imm"``) then
    uses it as an extra EKF measurement row (:func:`triumf.track.ekf.ekf_update`). The CV
    tracker uses positions only.

    Returns
    -------
    ScanResult
    """
    valid = np.asarray(det.valid, dtype=bool)
    R, D = valid.shape
    vd = _Compact.of(valid)
    z_full = np.asarray(det.z, dtype=np.float64)
    n_z = z_full.shape[-1]  # 3, or 4 with range rate
    z_all = z_full[..., :3]
    z_v = np.ascontiguousarray(z_all.reshape(R * D, 3)[vd.flat].T)
    sig_full = np.broadcast_to(np.asarray(det.sigma, dtype=np.float64), (R, D, n_z))
    sigma_v = np.ascontiguousarray(sig_full[..., :3].reshape(R * D, 3)[vd.flat].T)
    y_v, Rc_v = converted_measurement_cm(z_v, sigma_v, det.sensor_pos, det.sensor_rot)
    range_rate = None
    if n_z == 4:  # range rate (NaN where not measured) and its variance, for the IMM's EKF
        range_rate = (
            z_full[..., 3].reshape(-1)[vd.flat],
            sig_full[..., 3].reshape(-1)[vd.flat] ** 2,
            np.asarray(det.sensor_pos, dtype=np.float64),
        )
    return _process(
        tracks, valid, vd, y_v, Rc_v, z_all, det.iff_friend, t, params, could_see, sensor,
        range_rate,
    )


def process_positions(
    tracks: Tracks,
    y: NDArray[np.float64],
    y_cov: NDArray[np.float64],
    valid: NDArray[np.bool_],
    t: float,
    params: TrackerParams,
    could_see: NDArray[np.bool_] | None = None,
    *,
    sensor: int = 0,
    iff_friend: NDArray[np.bool_] | None = None,
) -> ScanResult:
    """:func:`process_scan` for measurements already in Cartesian engine coordinates.

    For sensors that report positions (or for tests and benchmarks); the same predict, gate,
    GNN, update, confirm, delete and initiate steps. Unassociated detections start tracks in
    order of their coordinates (east, then north, then up).

    Parameters
    ----------
    tracks : Tracks
    y : ndarray, shape (R, D, 3), metres
        Measured positions.
    y_cov : ndarray, shape (R, D, 3, 3) or (3, 3), m^2
        Their covariances (symmetric positive definite where valid).
    valid : ndarray of bool, shape (R, D)
    t : float, seconds
    params : TrackerParams
    could_see : ndarray of bool, shape (R, K), optional
        As in :func:`process_scan`.
    sensor : int
        As in :func:`process_scan`.
    iff_friend : ndarray of bool, shape (R, D), optional
        Friendly IFF replies; default none.

    Returns
    -------
    ScanResult
    """
    valid = np.asarray(valid, dtype=bool)
    R, D = valid.shape
    vd = _Compact.of(valid)
    y_all = np.asarray(y, dtype=np.float64)
    y_v = np.ascontiguousarray(y_all.reshape(R * D, 3)[vd.flat].T)
    cov = np.broadcast_to(np.asarray(y_cov, dtype=np.float64), (R, D, 3, 3))
    Rc_v = np.ascontiguousarray(cov.reshape(R * D, 9)[vd.flat].T).reshape(3, 3, vd.flat.size)
    iff = np.zeros((R, D), dtype=bool) if iff_friend is None else iff_friend
    return _process(tracks, valid, vd, y_v, Rc_v, y_all, iff, t, params, could_see, sensor)


def _process(
    tracks: Tracks,
    valid: NDArray[np.bool_],
    vd: _Compact,
    y_v: NDArray[np.float64],
    Rc_v: NDArray[np.float64],
    order_key: NDArray[np.float64],
    iff_friend: NDArray[np.bool_],
    t: float,
    params: TrackerParams,
    could_see: NDArray[np.bool_] | None,
    sensor: int,
    range_rate: tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]
    | None = None,
) -> ScanResult:
    """Steps 1 and 3-8 of :func:`process_scan` on converted measurements.

    ``vd`` lists the valid detections, ``y_v`` (3, M) and ``Rc_v`` (3, 3, M) are their
    positions and covariances, ``order_key`` (R, D, 3) orders the initiations. ``range_rate``
    (optional: values (M,) in m/s, NaN where absent, variances (M,) and the radar position)
    is used by the IMM update.
    """
    R, K = tracks.shape
    D = valid.shape[1]
    q = params.accel_noise_mps2
    v0 = params.initial_velocity_std_mps
    status = tracks.status
    live = status != TrackStatus.FREE
    if not (live.any() or valid.any()):  # nothing to predict, associate or start
        return ScanResult(
            tracks=tracks.copy(),
            assignment=np.full((R, D), -1, dtype=np.int64),
            newly_confirmed=np.zeros((R, K), dtype=bool),
            deleted=np.zeros((R, K), dtype=bool),
            initiated=np.full((R, D), -1, dtype=np.int64),
            n_dropped=np.zeros(R, dtype=np.int64),
        )

    # 1. predict the live tracks to the scan time. Live tracks and valid detections are
    # gathered into component-major arrays ((6, N), (6, 6, N): one contiguous vector per
    # matrix entry), worked on there for the whole scan and scattered back once at the end.
    lt = _Compact.of(live)
    N = lt.flat.size
    x_l = np.ascontiguousarray(tracks.x.reshape(R * K, 6)[lt.flat].T)
    P_l = np.ascontiguousarray(tracks.P.reshape(R * K, 36)[lt.flat].T).reshape(6, 6, N)
    dt = np.maximum(t - tracks.t_state.reshape(-1)[lt.flat], 0.0)
    imm = params.motion_model == "imm"
    if imm:
        if tracks.mode_x.shape[2] != N_MODES:
            raise ValueError("motion_model 'imm' needs Tracks.empty(..., n_modes=2)")
        imm_params = ImmParams(q_cv=q, q_ct=params.imm_q_ct_mps2, q_turn=params.imm_q_turn,
                               p_stay=params.imm_p_stay)
        mx, mP, mmu = imm_predict(
            tracks.mode_x.reshape(R * K, N_MODES, 7)[lt.flat],
            tracks.mode_P.reshape(R * K, N_MODES, 7, 7)[lt.flat],
            tracks.mode_prob.reshape(R * K, N_MODES)[lt.flat],
            dt,
            imm_params,
        )
        xc, Pc = imm_combine(mx, mP, mmu)
        x_l = np.ascontiguousarray(xc[:, :6].T)
        P_l = np.ascontiguousarray(Pc[:, :6, :6].transpose(1, 2, 0))
    else:
        x_l, P_l = predict_cm(x_l, P_l, dt, q)
    t_state = np.where(live, t, tracks.t_state)

    # 2. (done by the caller) valid measurements in engine ENU: y_v, Rc_v
    # 3. gating and GNN association on the list of candidate pairs
    fresh = tracks.hits.reshape(-1)[lt.flat] == 1  # one detection so far: velocity unknown
    elapsed = np.maximum(t - tracks.t_update.reshape(-1)[lt.flat], 0.0)
    pr, pk, pd, cost = _gate_pairs(x_l, P_l, fresh, elapsed, lt, y_v, Rc_v, vd, params)
    if params.confirmed_first:
        chosen = _confirmed_first(pr, pk, pd, cost, status.reshape(-1)[lt.flat], lt, vd)
    else:
        chosen = gnn_select(pr, pk, pd, cost)
    ui = lt.start[pr[chosen]] + pk[chosen]  # compact index of each updated track
    uj = vd.start[pr[chosen]] + pd[chosen]  # and of its detection
    assignment = np.full((R, D), -1, dtype=np.int64)
    assignment.reshape(-1)[vd.flat[uj]] = lt.col[ui]

    # 4. update associated tracks (only those: gather, update, scatter)
    if params.association == "jpda":
        # tracks with a velocity estimate: PDA over every gated detection; GNN's pairs still
        # decide hits, misses and which detections start new tracks
        jp = ~fresh[lt.start[pr] + pk]
        jpda_ui = _jpda_update(x_l, P_l, y_v, Rc_v, lt, vd, pr[jp], pk[jp], pd[jp], cost[jp],
                               params)
        rest = ~np.isin(ui, jpda_ui)
        ui_k, uj_k = ui[rest], uj[rest]
    else:
        ui_k, uj_k = ui, uj
    if imm:
        if ui.size:
            zu = np.full((ui.size, 4), np.nan)
            zu[:, :3] = _take(y_v, uj).T
            Rz = np.zeros((ui.size, 4, 4))
            Rz[:, :3, :3] = _take(Rc_v, uj).transpose(2, 0, 1)
            s_pos = np.zeros(3)
            if range_rate is not None:
                zu[:, 3] = range_rate[0][uj]
                Rz[:, 3, 3] = range_rate[1][uj]
                s_pos = range_rate[2]
            mx[ui], mP[ui], mmu[ui], _ = imm_update(mx[ui], mP[ui], mmu[ui], zu, Rz, s_pos)
            xc, Pc = imm_combine(mx[ui], mP[ui], mmu[ui])
            x_l[:, ui] = xc[:, :6].T
            P_l[:, :, ui] = Pc[:, :6, :6].transpose(1, 2, 0)
        ui_k = ui_k[:0]
    if ui_k.size:
        x_u, P_u = update_cm(
            _take(x_l, ui_k), _take(P_l, ui_k), _take(y_v, uj_k), _take(Rc_v, uj_k)
        )
        x_l[:, ui_k] = x_u
        P_l[:, :, ui_k] = P_u
    x = np.array(tracks.x, dtype=np.float64, order="C")
    P = np.array(tracks.P, dtype=np.float64, order="C")
    x.reshape(R * K, 6)[lt.flat] = x_l.T
    P.reshape(R * K, 36)[lt.flat] = P_l.reshape(36, N).T
    upd = np.zeros((R, K), dtype=bool)
    upd.reshape(-1)[lt.flat[ui]] = True
    iff = np.zeros((R, K), dtype=bool)
    iff.reshape(-1)[lt.flat[ui]] = np.asarray(iff_friend, dtype=bool).reshape(-1)[
        vd.flat[uj]
    ]
    pos_std = np.zeros((R, K))
    tr_pos = P_l[0, 0] + P_l[1, 1] + P_l[2, 2]
    pos_std.reshape(-1)[lt.flat] = np.sqrt(np.maximum(tr_pos, 0.0))
    too_uncertain = pos_std > params.max_position_std_m
    last_seen = tracks.last_seen_s.copy()
    last_seen[..., sensor][upd] = t

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
    deleted = (
        tentative
        & ((hits + remaining < params.confirm_m) | (t - t_update > params.tentative_max_age_s))
    ) | (confirmed & (
        ((misses >= params.delete_misses) & (t - t_update >= params.delete_coast_s))
        | too_uncertain
    ))

    mode_x, mode_P, mode_prob = tracks.mode_x, tracks.mode_P, tracks.mode_prob
    if imm:
        mode_x, mode_P, mode_prob = mode_x.copy(), mode_P.copy(), mode_prob.copy()
        mode_x.reshape(R * K, N_MODES, 7)[lt.flat] = mx
        mode_P.reshape(R * K, N_MODES, 7, 7)[lt.flat] = mP
        mode_prob.reshape(R * K, N_MODES)[lt.flat] = mmu
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
        last_seen_s=last_seen,
        position_std_m=pos_std,
        mode_x=mode_x if imm else mode_x.copy(),
        mode_P=mode_P if imm else mode_P.copy(),
        mode_prob=mode_prob if imm else mode_prob.copy(),
    )
    if deleted.any():
        _clear(new, deleted)

    # 7. initiation from unassociated detections, nearest range first (ties: azimuth,
    # elevation, slot), into the free slots in increasing order
    cand = np.flatnonzero(valid & (assignment < 0))  # flat r * D + d
    z_c = np.asarray(order_key, dtype=np.float64).reshape(R * D, 3)[cand]
    cand = cand[np.lexsort((z_c[:, 2], z_c[:, 1], z_c[:, 0], cand // D))]  # stable
    cr, cd = np.divmod(cand, D)
    n_cand = np.bincount(cr, minlength=R)
    free = _Compact.of((new.status == TrackStatus.FREE) & ~deleted)
    n_new = np.minimum(n_cand, free.count)
    rank = np.arange(cand.size) - (np.cumsum(n_cand) - n_cand)[cr]
    keep = rank < n_new[cr]
    ri, di, ji = cr[keep], cd[keep], rank[keep]
    si = free.col[free.start[ri] + ji]
    initiated = np.full(valid.shape, -1, dtype=np.int64)
    initiated[ri, di] = si

    vj = vd.index_of(ri, di)  # compact index of each initiating detection
    x0 = np.zeros((ri.size, 6))
    x0[:, :3] = _take(y_v, vj).T
    P0 = np.zeros((ri.size, 6, 6))
    P0[:, :3, :3] = _take(Rc_v, vj).transpose(2, 0, 1)
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
    new.friend[ri, si] = np.asarray(iff_friend, dtype=bool)[ri, di]
    if imm:
        new.mode_x[ri, si], new.mode_P[ri, si], new.mode_prob[ri, si] = imm_init(x0, P0)
    new.last_seen_s[ri, si] = -np.inf
    new.last_seen_s[ri, si, sensor] = t
    new.position_std_m[ri, si] = np.sqrt(np.maximum(np.trace(P0[:, :3, :3], axis1=1, axis2=2), 0.0))

    # 8. M-of-N confirmation
    newly_confirmed = (new.status == TrackStatus.TENTATIVE) & (new.hits >= params.confirm_m)
    rc, kc = np.nonzero(newly_confirmed)
    new.status[rc, kc] = TrackStatus.CONFIRMED
    new.t_confirmed[rc, kc] = t

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
    R, K = tracks.shape
    li = np.flatnonzero(tracks.live)
    x = np.array(tracks.x, dtype=np.float64, order="C")
    P = np.array(tracks.P, dtype=np.float64, order="C")
    x_l, P_l = predict_cm(
        np.ascontiguousarray(x.reshape(R * K, 6)[li].T),
        np.ascontiguousarray(P.reshape(R * K, 36)[li].T).reshape(6, 6, li.size),
        np.maximum(t - tracks.t_state.reshape(-1)[li], 0.0),
        params.accel_noise_mps2,
    )
    x.reshape(R * K, 6)[li] = x_l.T
    P.reshape(R * K, 36)[li] = P_l.reshape(36, li.size).T
    return x, P


@dataclass(frozen=True)
class _Compact:
    """The True entries of an (R, n) mask as a list, in row-major order.

    Attributes
    ----------
    flat : ndarray of intp, shape (N,)
        Flat index ``r * n + j`` of each entry.
    row, col : ndarray of intp, shape (N,)
        Its replication ``r`` and slot ``j``.
    pos : ndarray of intp, shape (N,)
        Its rank among the entries of its replication.
    count : ndarray of intp, shape (R,)
        Number of entries of each replication.
    start : ndarray of intp, shape (R,)
        List index of the first entry of each replication (``flat`` is sorted by row), so the
        entry of rank ``p`` in replication ``r`` is ``start[r] + p``.
    width : int
        Largest number of entries in a replication (at least 1).
    n : int
        Row length of the mask.
    """

    flat: NDArray[np.intp]
    row: NDArray[np.intp]
    col: NDArray[np.intp]
    pos: NDArray[np.intp]
    count: NDArray[np.intp]
    start: NDArray[np.intp]
    width: int
    n: int

    @classmethod
    def of(cls, mask: NDArray[np.bool_]) -> _Compact:
        """List the True entries of ``mask``, shape (R, n)."""
        R, n = mask.shape
        flat = np.flatnonzero(mask)
        row, col = np.divmod(flat, n)
        count = np.count_nonzero(mask, axis=1)
        start = np.cumsum(count) - count
        pos = np.arange(flat.size) - start[row]
        width = max(1, int(count.max())) if R else 1
        return cls(flat, row, col, pos, count, start, width, n)

    def padded(self, values: NDArray[np.float64], fill: NDArray[np.float64]) -> NDArray[np.float64]:
        """Entries laid out as (m, R, width) with their rank as last index.

        Parameters
        ----------
        values : ndarray, shape (m, N)
        fill : ndarray, shape (m,)
            Padding value of each of the m rows.
        """
        R = self.start.size
        out = np.empty((values.shape[0], R * self.width))
        out[:] = fill[:, None]
        out[:, self.row * self.width + self.pos] = values
        return out.reshape(values.shape[0], R, self.width)

    def index_of(self, row: NDArray[np.intp], col: NDArray[np.intp]) -> NDArray[np.intp]:
        """List index of the (True) entries ``(row, col)``."""
        return np.searchsorted(self.flat, row * self.n + col)


def _gate_pairs(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    fresh: NDArray[np.bool_],
    elapsed: NDArray[np.float64],
    tracks: _Compact,
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    dets: _Compact,
    params: TrackerParams,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
    """Gated track/detection pairs of each replication and their GNN cost.

    Chi-square gate on the Mahalanobis distance for tracks with a velocity estimate; for
    ``fresh`` tracks (a single detection) a maximum-speed gate (:func:`_speed_gate`); in both
    cases ``S`` must be positive definite (and the cost finite). Cost is
    ``0.5 (d2 + ln det S)``.

    Only candidate pairs are evaluated exactly. A pair can pass either gate only if the
    east-coordinate intervals ``x_e +- rho_track`` and ``y_e +- rho_det`` overlap, with
    ``rho_track = sqrt(c trace(P_pos))`` (chi-square: ``d2 >= |nu|^2 / trace(S)``, see
    :func:`triumf.track.gating.trace_bound_candidates`, ``c`` = gate times its margin) or
    ``max_speed e + 3 sqrt(trace(R0))`` (speed gate), and ``rho_det =
    max(sqrt(c), 3) sqrt(trace(R))``, using ``sqrt(a + b) <= sqrt(a) + sqrt(b)``. That test
    costs three comparisons per (replication, track, detection) on arrays padded to the
    largest counts, and leaves a few percent of the pairs.

    Parameters
    ----------
    x : ndarray, shape (6, N)
        Predicted live tracks (component-major).
    P : ndarray, shape (6, 6, N)
    fresh : ndarray of bool, shape (N,)
        Tracks with a single detection.
    elapsed : ndarray, shape (N,), seconds
        Time since each track's last detection.
    tracks : _Compact
        Where the N tracks sit in the (R, K) table.
    y : ndarray, shape (3, M), metres
        Valid detections in engine ENU.
    Rc : ndarray, shape (3, 3, M), m^2
    dets : _Compact
        Where the M detections sit in the (R, D) table.
    params : TrackerParams

    Returns
    -------
    rep, rank_track, rank_det : ndarray of intp, shape (Q,)
        Gated pairs: replication and the ranks of the track and the detection among the
        live tracks and valid detections of that replication; sorted by replication.
    cost : ndarray, shape (Q,)
        ``0.5 (d2 + ln det S)``, finite.
    """
    gate = gate_threshold(params.gate_probability, 3)
    c = TRACE_BOUND_MARGIN * gate
    tr_pos = P[0, 0] + P[1, 1] + P[2, 2]
    tr_det = Rc[0, 0] + Rc[1, 1] + Rc[2, 2]
    e = elapsed
    v0 = params.initial_velocity_std_mps
    qn = params.accel_noise_mps2
    # single-detection tracks: trace of the initiating measurement covariance (_speed_gate)
    fi = np.flatnonzero(fresh)
    ef = e[fi]
    tr_r0 = np.zeros_like(tr_pos)
    tr_r0[fi] = np.maximum(tr_pos[fi] - 3.0 * (v0 * v0 * ef * ef + qn * qn * ef**3 / 3.0), 0.0)
    rho_t = np.sqrt(c * np.maximum(tr_pos, 0.0))
    rho_t[fi] = params.max_speed_mps * ef + _SPEED_GATE_SIGMAS * np.sqrt(tr_r0[fi])
    rho_d = max(np.sqrt(c), _SPEED_GATE_SIGMAS) * np.sqrt(np.maximum(tr_det, 0.0))
    slack = 1.0 + 1e-9  # rounding in the bounds themselves
    empty = np.array([np.inf, -np.inf])  # padding never overlaps
    rho_t *= slack
    rho_d *= slack
    t_lo, t_hi = tracks.padded(np.stack([x[0] - rho_t, x[0] + rho_t]), empty)  # (R, Kw)
    d_lo, d_hi = dets.padded(np.stack([y[0] - rho_d, y[0] + rho_d]), empty)  # (R, Dw)
    overlap = d_lo[:, None, :] <= t_hi[:, :, None]
    overlap &= d_hi[:, None, :] >= t_lo[:, :, None]
    rep, pd = np.divmod(np.flatnonzero(overlap), dets.width)
    rep, pk = np.divmod(rep, tracks.width)
    ti = tracks.start[rep] + pk
    di = dets.start[rep] + pd

    nu = _take(y, di) - _take(x[:3], ti)
    P_pos = np.take(P.reshape(36, -1)[_POS_BLOCK], ti, axis=1).reshape(3, 3, ti.size)
    d2, logdet = pair_distance(P_pos, _take(Rc, di), nu)
    allowed = d2 <= gate
    if fi.size:
        f = np.flatnonzero(fresh[ti])
        tf, df = ti[f], di[f]
        allowed[f] = _speed_gate(_take(nu, f), tr_r0[tf], tr_det[df], e[tf], params)
    allowed &= np.isfinite(d2)
    g = np.flatnonzero(allowed)
    cost = 0.5 * (d2[g] + logdet[g])
    finite = np.isfinite(cost)
    g = g[finite]
    return rep[g], pk[g], pd[g], cost[finite]


def _confirmed_first(
    rep: NDArray[np.intp],
    rank_t: NDArray[np.intp],
    rank_d: NDArray[np.intp],
    cost: NDArray[np.float64],
    status_l: NDArray[np.int8],
    tracks: _Compact,
    dets: _Compact,
) -> NDArray[np.bool_]:
    """GNN in two rounds: confirmed tracks first, then the others on the detections left.

    Parameters
    ----------
    rep, rank_t, rank_d : ndarray of intp, shape (Q,)
        Gated pairs, sorted by replication (as from :func:`_gate_pairs`).
    cost : ndarray, shape (Q,)
    status_l : ndarray of int8, shape (N,)
        :class:`TrackStatus` of each live track (compact order).
    tracks, dets : _Compact
        Where the live tracks and valid detections sit.

    Returns
    -------
    ndarray of bool, shape (Q,)
        Pairs in the assignment.
    """
    first = status_l[tracks.start[rep] + rank_t] == TrackStatus.CONFIRMED
    chosen = np.zeros(rep.size, dtype=bool)
    i1 = np.flatnonzero(first)
    chosen[i1] = gnn_select(rep[i1], rank_t[i1], rank_d[i1], cost[i1])
    taken = np.zeros(dets.flat.size, dtype=bool)
    taken[dets.start[rep[chosen]] + rank_d[chosen]] = True
    i2 = np.flatnonzero(~first & ~taken[dets.start[rep] + rank_d])
    chosen[i2] = gnn_select(rep[i2], rank_t[i2], rank_d[i2], cost[i2])
    return chosen


def _jpda_update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    tracks: _Compact,
    dets: _Compact,
    rep: NDArray[np.intp],
    rank_t: NDArray[np.intp],
    rank_d: NDArray[np.intp],
    cost: NDArray[np.float64],
    params: TrackerParams,
) -> NDArray[np.intp]:
    """JPDA/PDA update, in place, of the compact tracks that have gated detections.

    Association probabilities from :func:`triumf.track.jpda.jpda_probabilities` on the
    likelihoods ``-cost - 1.5 ln 2 pi`` of the gated pairs; each pair's Kalman update, then
    the moment-matched mixture (:func:`triumf.track.jpda.pda_update`).

    Returns
    -------
    ndarray of intp
        Compact indices of the tracks updated.
    """
    if rep.size == 0:
        return np.zeros(0, dtype=np.intp)
    R = tracks.count.size
    Kw, Dw = tracks.width, dets.width
    loglik = np.full((R, Kw, Dw), -np.inf)
    loglik[rep, rank_t, rank_d] = -cost - 1.5 * np.log(2.0 * np.pi)
    beta, beta_miss = jpda_probabilities(
        loglik, np.isfinite(loglik), params.jpda_pd, params.jpda_clutter_density_m3
    )
    ti = tracks.start[rep] + rank_t
    di = dets.start[rep] + rank_d
    x_j, P_j = update_cm(_take(x, ti), _take(P, ti), _take(y, di), _take(Rc, di))
    b = beta[rep, rank_t, rank_d]
    upd = np.unique(ti)
    b0 = np.zeros(x.shape[1])
    b0[upd] = beta_miss[tracks.row[upd], tracks.pos[upd]]
    # x = b0 x_pred + sum_j b_j x_j ; P = sum_h b_h (P_h + dx_h dx_h^T)
    xm = x[:, upd] * b0[upd]
    acc = np.zeros((6, x.shape[1]))
    np.add.at(acc.T, ti, (x_j * b).T)
    xm += acc[:, upd]
    xfull = np.zeros_like(x)
    xfull[:, upd] = xm
    d0 = x[:, upd] - xm
    Pm = b0[upd] * (P[:, :, upd] + d0[:, None] * d0[None, :])
    dj = x_j - xfull[:, ti]
    terms = b * (P_j + dj[:, None] * dj[None, :])
    accP = np.zeros((36, x.shape[1]))
    np.add.at(accP.T, ti, terms.reshape(36, -1).T)
    Pm += accP.reshape(6, 6, -1)[:, :, upd]
    x[:, upd] = xm
    P[:, :, upd] = 0.5 * (Pm + Pm.swapaxes(0, 1))
    return upd


def _speed_gate(
    nu: NDArray[np.float64],
    tr_r0: NDArray[np.float64],
    tr_det: NDArray[np.float64],
    elapsed: NDArray[np.float64],
    params: TrackerParams,
) -> NDArray[np.bool_]:
    """Maximum-speed gate of single-detection tracks, pair by pair.

    A track started at ``t0`` from a measurement with covariance ``R0`` (velocity 0, std
    ``v0``) and predicted over ``e = t - t0`` has position covariance
    ``R0 + (v0^2 e^2 + q^2 e^3 / 3) I`` (the CWNA discretisation composes exactly), which gives
    ``trace(R0)`` back. The pair passes if
    ``|y - x_pos| <= max_speed * e + k sqrt(trace(R0) + trace(R_det))``, ``k = 3``.

    Parameters
    ----------
    nu : ndarray, shape (3, Q), metres
        ``y - x_pos`` of each pair.
    tr_r0 : ndarray, shape (Q,), m^2
        ``trace(R0)`` of the pair's track.
    tr_det : ndarray, shape (Q,), m^2
        ``trace(R_det)`` of the pair's detection.
    elapsed : ndarray, shape (Q,), seconds
        Time since the track's only detection.
    params : TrackerParams

    Returns
    -------
    ndarray of bool, shape (Q,)
    """
    dist2 = nu[0] * nu[0] + nu[1] * nu[1] + nu[2] * nu[2]
    reach = params.max_speed_mps * elapsed + _SPEED_GATE_SIGMAS * np.sqrt(tr_r0 + tr_det)
    return np.asarray(dist2 <= reach * reach)


def _take(a: NDArray[np.float64], index: NDArray[np.intp]) -> NDArray[np.float64]:
    """Component-major ``a[..., index]`` as a C-contiguous array.

    Plain fancy indexing of the last axis returns an object-major memory layout, which makes
    the block algebra that follows several times slower.
    """
    lead = a.shape[:-1]
    flat = np.ascontiguousarray(a).reshape(math.prod(lead), a.shape[-1])
    return np.take(flat, index, axis=1).reshape(*lead, index.size)


def _clear(tracks: Tracks, mask: NDArray[np.bool_]) -> None:
    """Reset the slots in ``mask`` to FREE, in place (only on arrays this module owns)."""
    r, k = np.nonzero(mask)
    tracks.x[r, k] = 0.0
    tracks.P[r, k] = 0.0
    tracks.status[r, k] = TrackStatus.FREE
    tracks.track_id[r, k] = 0
    tracks.t_update[r, k] = 0.0
    tracks.t_state[r, k] = 0.0
    tracks.t_confirmed[r, k] = np.nan
    tracks.hits[r, k] = 0
    tracks.opportunities[r, k] = 0
    tracks.misses[r, k] = 0
    tracks.friend[r, k] = False
    tracks.last_seen_s[r, k] = -np.inf
    tracks.position_std_m[r, k] = 0.0
    tracks.mode_x[r, k] = 0.0
    tracks.mode_P[r, k] = 0.0
    tracks.mode_prob[r, k] = 0.0


__all__ = ["ScanResult", "drop_tracks", "extrapolate", "process_positions", "process_scan"]

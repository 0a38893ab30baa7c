"""The optimised tracker equals a plain dense reference implementation, scan by scan.

The reference below is the tracker's specification written the straightforward way: every
(replication, track, detection) triple is gated with ``numpy.linalg``, the filter uses full 6x6
matrices (``F P F^T + Q``, textbook Kalman gain, Joseph form) and association is
:func:`triumf.track.association.gnn_assign_loop` (one exact assignment per replication). The
optimised :func:`triumf.track.manager.process_scan` (compacted live tracks, component-major
block algebra, candidate pairs only) must make the same decisions and agree to rounding.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy.spatial.transform import Rotation
from scipy.stats import chi2

from triumf.sense.base import Detections
from triumf.track.association import gnn_assign_loop
from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.kalman import predict
from triumf.track.manager import ScanResult, extrapolate, process_scan
from triumf.track.models import cv_process_noise, cv_transition

_FIELDS = tuple(f.name for f in dataclasses.fields(Tracks))


def _reference_scan(
    tracks: Tracks, det: Detections, t: float, params: TrackerParams, could_see: np.ndarray
) -> ScanResult:
    """process_scan written plainly: dense pairs, 6x6 algebra, per-replication assignment."""
    R, K = tracks.shape
    D = det.valid.shape[1]
    H = np.hstack([np.eye(3), np.zeros((3, 3))])
    live = tracks.status != TrackStatus.FREE
    valid = det.valid
    x, P = tracks.x.copy(), tracks.P.copy()
    for r, k in zip(*np.nonzero(live), strict=True):
        dt = max(t - tracks.t_state[r, k], 0.0)
        F = cv_transition(dt)
        x[r, k] = F @ x[r, k]
        P[r, k] = F @ P[r, k] @ F.T + cv_process_noise(dt, params.accel_noise_mps2)
        P[r, k] = 0.5 * (P[r, k] + P[r, k].T)
    t_state = np.where(live, t, tracks.t_state)

    # converted measurements: p = r [cos el sin az, cos el cos az, sin el], R = M S M^T
    rng_m, az, el = det.z[..., 0], det.z[..., 1], det.z[..., 2]
    p_local = np.stack([rng_m * np.cos(el) * np.sin(az), rng_m * np.cos(el) * np.cos(az),
                        rng_m * np.sin(el)], axis=-1)
    y = det.sensor_pos + p_local @ det.sensor_rot.T
    Rc = np.zeros((R, D, 3, 3))
    for r, d in zip(*np.nonzero(valid), strict=True):
        rr, a, e = det.z[r, d]
        J = np.array([
            [np.cos(e) * np.sin(a), rr * np.cos(e) * np.cos(a), -rr * np.sin(e) * np.sin(a)],
            [np.cos(e) * np.cos(a), -rr * np.cos(e) * np.sin(a), -rr * np.sin(e) * np.cos(a)],
            [np.sin(e), 0.0, rr * np.cos(e)],
        ])
        M = det.sensor_rot @ J
        Rc[r, d] = M @ np.diag(det.sigma[r, d] ** 2) @ M.T

    # gating: chi-square on d2, or the maximum-speed gate for single-detection tracks
    gate = chi2.ppf(params.gate_probability, 3)
    v0, q = params.initial_velocity_std_mps, params.accel_noise_mps2
    allowed = np.zeros((R, K, D), dtype=bool)
    cost = np.full((R, K, D), np.inf)
    for r, k, d in zip(*np.nonzero(live[:, :, None] & valid[:, None, :]), strict=True):
        S = H @ P[r, k] @ H.T + Rc[r, d]
        nu = y[r, d] - x[r, k, :3]
        d2 = nu @ np.linalg.solve(S, nu)
        if tracks.hits[r, k] == 1:
            e = max(t - tracks.t_update[r, k], 0.0)
            tr_r0 = max(np.trace(P[r, k, :3, :3]) - 3.0 * (v0**2 * e**2 + q**2 * e**3 / 3.0), 0)
            reach = params.max_speed_mps * e + 3.0 * np.sqrt(tr_r0 + np.trace(Rc[r, d]))
            ok = nu @ nu <= reach**2
        else:
            ok = d2 <= gate
        if ok:
            allowed[r, k, d] = True
            cost[r, k, d] = 0.5 * (d2 + np.linalg.slogdet(S)[1])
    assignment = gnn_assign_loop(cost, allowed)

    # update (textbook gain, Joseph form)
    upd = np.zeros((R, K), dtype=bool)
    iff = np.zeros((R, K), dtype=bool)
    for r, d in zip(*np.nonzero(assignment >= 0), strict=True):
        k = assignment[r, d]
        S = H @ P[r, k] @ H.T + Rc[r, d]
        G = P[r, k] @ H.T @ np.linalg.inv(S)
        x[r, k] = x[r, k] + G @ (y[r, d] - H @ x[r, k])
        IKH = np.eye(6) - G @ H
        P[r, k] = IKH @ P[r, k] @ IKH.T + G @ Rc[r, d] @ G.T
        P[r, k] = 0.5 * (P[r, k] + P[r, k].T)
        upd[r, k] = True
        iff[r, k] = det.iff_friend[r, d]

    # bookkeeping and deletion
    seen = live & (upd | could_see)
    opportunities = tracks.opportunities + seen
    hits = tracks.hits + upd
    misses = np.where(upd, 0, tracks.misses + (seen & ~upd))
    t_update = np.where(upd, t, tracks.t_update)
    pos_std = np.sqrt(np.maximum(np.trace(P[..., :3, :3], axis1=-2, axis2=-1), 0.0))
    tentative = tracks.status == TrackStatus.TENTATIVE
    confirmed = tracks.status == TrackStatus.CONFIRMED
    deleted = (
        tentative
        & (
            (hits + np.maximum(params.confirm_n - opportunities, 0) < params.confirm_m)
            | (t - t_update > params.tentative_max_age_s)
        )
    ) | (confirmed & ((misses >= params.delete_misses) | (pos_std > params.max_position_std_m)))
    last_seen = tracks.last_seen_s.copy()
    last_seen[upd, 0] = t
    new = Tracks(x, P, tracks.status.copy(), tracks.track_id.copy(), tracks.next_id.copy(),
                 t_update, t_state, tracks.t_confirmed.copy(), hits, opportunities, misses,
                 tracks.friend | iff, last_seen, np.where(live, pos_std, 0.0),
                 tracks.mode_x.copy(), tracks.mode_P.copy(), tracks.mode_prob.copy())
    fresh_table = Tracks.empty(R, K)
    for name in _FIELDS:
        if name != "next_id":
            getattr(new, name)[deleted] = getattr(fresh_table, name)[deleted]

    # initiation: nearest range first into the lowest free slots
    initiated = np.full((R, D), -1, dtype=np.int64)
    n_dropped = np.zeros(R, dtype=np.int64)
    for r in range(R):
        cand = [d for d in range(D) if valid[r, d] and assignment[r, d] < 0]
        cand.sort(key=lambda d: (det.z[r, d, 0], det.z[r, d, 1], det.z[r, d, 2], d))
        free = [k for k in range(K) if new.status[r, k] == TrackStatus.FREE and not deleted[r, k]]
        n_dropped[r] = max(len(cand) - len(free), 0)
        for j, (d, k) in enumerate(zip(cand, free, strict=False)):
            initiated[r, d] = k
            new.x[r, k] = np.r_[y[r, d], 0.0, 0.0, 0.0]
            new.P[r, k] = np.zeros((6, 6))
            new.P[r, k, :3, :3] = Rc[r, d]
            new.P[r, k, 3:, 3:] = v0**2 * np.eye(3)
            new.status[r, k] = TrackStatus.TENTATIVE
            new.track_id[r, k] = new.next_id[r] + j
            new.t_update[r, k] = new.t_state[r, k] = t
            new.t_confirmed[r, k] = np.nan
            new.hits[r, k] = new.opportunities[r, k] = 1
            new.misses[r, k] = 0
            new.friend[r, k] = det.iff_friend[r, d]
            new.last_seen_s[r, k] = -np.inf
            new.last_seen_s[r, k, 0] = t
            new.position_std_m[r, k] = np.sqrt(np.trace(new.P[r, k, :3, :3]))
        new.next_id[r] += min(len(cand), len(free))
    newly_confirmed = (new.status == TrackStatus.TENTATIVE) & (new.hits >= params.confirm_m)
    new.status[newly_confirmed] = TrackStatus.CONFIRMED
    new.t_confirmed[newly_confirmed] = t
    return ScanResult(new, assignment, newly_confirmed, deleted, initiated, n_dropped)


def _radar_scan(
    rng: np.random.Generator,
    truth: np.ndarray,
    t: float,
    radar_pos: np.ndarray,
    rot: np.ndarray,
    D: int,
    p_detect: float,
) -> Detections:
    """Range/azimuth/elevation detections of truth (R, T, 3) plus clutter, in shuffled slots."""
    R, T, _ = truth.shape
    local = (truth - radar_pos) @ rot  # engine ENU -> radar local ENU (rot^-1 = rot^T)
    rng_m = np.linalg.norm(local, axis=-1)
    sigma = np.array([40.0, 2e-3, 2e-3])
    z = np.stack(
        [rng_m, np.arctan2(local[..., 0], local[..., 1]), np.arcsin(local[..., 2] / rng_m)], -1
    )
    z = z + rng.normal(size=z.shape) * sigma
    n_clutter = D - T
    clutter = np.stack(
        [
            rng.uniform(2e4, 1.2e5, (R, n_clutter)),
            rng.uniform(0.0, 2.0 * np.pi, (R, n_clutter)),
            rng.uniform(0.0, 0.2, (R, n_clutter)),
        ],
        -1,
    )
    z_all = np.concatenate([z, clutter], axis=1)
    valid = np.concatenate(
        [rng.random((R, T)) < p_detect, rng.random((R, n_clutter)) < 0.3], axis=1
    )
    perm = np.argsort(rng.random((R, D)), axis=1)
    rows = np.arange(R)[:, None]
    return Detections(
        time_s=t,
        sensor_index=0,
        sensor_pos=radar_pos,
        sensor_rot=rot,
        z=z_all[rows, perm],
        sigma=np.broadcast_to(sigma, (R, D, 3)).copy(),
        valid=valid[rows, perm],
        iff_friend=rng.random((R, D)) < 0.05,
    )


def _assert_same(opt: ScanResult, ref: ScanResult) -> None:
    for name in ("assignment", "newly_confirmed", "deleted", "initiated", "n_dropped"):
        np.testing.assert_array_equal(getattr(opt, name), getattr(ref, name), err_msg=name)
    for name in _FIELDS:
        a, b = getattr(opt.tracks, name), getattr(ref.tracks, name)
        if a.dtype.kind == "f":
            scale = np.max(np.abs(b[np.isfinite(b)])) if np.isfinite(b).any() else 1.0
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12 * scale, err_msg=name)
        else:
            np.testing.assert_array_equal(a, b, err_msg=name)


def test_optimised_scan_equals_dense_reference() -> None:
    """Over a cluttered two-radar run every scan equals the dense reference on the same input."""
    rng = np.random.default_rng(21)
    R, K, D, T = 24, 12, 10, 5
    params = TrackerParams(capacity=K, delete_misses=2, tentative_max_age_s=8.0)
    radars = [
        (np.array([0.0, 0.0, 20.0]), np.eye(3)),
        (np.array([2e4, -1e4, 30.0]), Rotation.from_euler("zyx", [0.3, 0.01, -0.02]).as_matrix()),
    ]
    p0 = rng.uniform([-6e4, 4e4, 1e3], [6e4, 9e4, 8e3], size=(R, T, 3))
    v = rng.uniform([-300.0, -900.0, -20.0], [300.0, -100.0, 20.0], size=(R, T, 3))
    p0[:, 1] = p0[:, 0] + [1500.0, 0.0, 0.0]  # a close pair: association conflicts
    v[:, 1] = v[:, 0]
    tracks = Tracks.empty(R, K)
    kinds: set[str] = set()
    for k in range(30):
        t = 2.0 * k
        pos, rot = radars[k % 2]
        det = _radar_scan(rng, p0 + v * t, t, pos, rot, D, p_detect=0.8 if k < 20 else 0.3)
        could_see = tracks.live & (rng.random((R, K)) < 0.9)
        opt = process_scan(tracks, det, t, params, could_see)
        ref = _reference_scan(tracks, det, t, params, could_see)
        _assert_same(opt, ref)
        kinds |= {n for n in ("newly_confirmed", "deleted") if getattr(opt, n).any()}
        if (opt.n_dropped > 0).any():
            kinds.add("dropped")
        tracks = opt.tracks
    assert kinds == {"newly_confirmed", "deleted", "dropped"}


def test_empty_scans_and_empty_table() -> None:
    """Empty table and/or empty scan (no valid detection anywhere) equal the reference too."""
    rng = np.random.default_rng(22)
    R, K, D = 3, 4, 5
    params = TrackerParams(capacity=K)
    truth = np.full((R, 2, 3), 5e4)
    full = _radar_scan(rng, truth, 0.0, np.zeros(3), np.eye(3), D, 1.0)
    none = Detections(**{**full.__dict__, "valid": np.zeros((R, D), dtype=bool)})
    empty = Tracks.empty(R, K)
    res = process_scan(empty, none, 0.0, params)
    _assert_same(res, _reference_scan(empty, none, 0.0, params, empty.live))
    assert not res.tracks.live.any() and (res.assignment == -1).all()
    started = process_scan(empty, full, 0.0, params).tracks
    assert started.live.any()
    res = process_scan(started, none, 2.0, params)  # live tracks, no detection at all
    _assert_same(res, _reference_scan(started, none, 2.0, params, started.live))


def test_extrapolate_equals_predict_of_every_slot() -> None:
    """extrapolate predicts live slots like kalman.predict and returns free slots unchanged."""
    rng = np.random.default_rng(23)
    R, K = 4, 6
    tracks = Tracks.empty(R, K)
    live = rng.random((R, K)) < 0.6
    tracks.status[live] = TrackStatus.CONFIRMED
    A = rng.normal(size=(R, K, 6, 6))
    tracks.x[live] = rng.normal(scale=1e4, size=(R, K, 6))[live]
    tracks.P[live] = (A @ np.swapaxes(A, -1, -2) * 1e3)[live]
    tracks.t_state[live] = rng.uniform(0.0, 5.0, size=(R, K))[live]
    params = TrackerParams(capacity=K)
    x, P = extrapolate(tracks, 7.0, params)
    dt = np.where(live, 7.0 - tracks.t_state, 0.0)
    x_ref, P_ref = predict(tracks.x, tracks.P, dt, params.accel_noise_mps2)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(P, P_ref)
    np.testing.assert_array_equal(x[~live], tracks.x[~live])

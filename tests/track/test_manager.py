"""Tests of the track life-cycle against truth constructed here (never through the engine)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pymap3d
from scipy.stats import chi2

from triumf.sense.base import Detections
from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.manager import drop_tracks, process_scan
from triumf.track.models import cv_process_noise, cv_transition

SIGMA = np.array([20.0, 2e-3, 2e-3])  # range m, azimuth rad, elevation rad


def _scan(
    truth: np.ndarray,
    t: float,
    rng: np.random.Generator,
    valid: np.ndarray | None = None,
    iff: np.ndarray | None = None,
    sensor_pos: np.ndarray | None = None,
) -> Detections:
    """Noisy range/az/el detections of truth positions (R, D, 3) by a radar, via pymap3d."""
    pos = np.zeros(3) if sensor_pos is None else sensor_pos
    rel = truth - pos
    az, el, srange = pymap3d.enu2aer(rel[..., 0], rel[..., 1], rel[..., 2], deg=False)
    z = np.stack([srange, az, el], axis=-1) + rng.normal(size=truth.shape) * SIGMA
    R, D, _ = truth.shape
    return Detections(
        time_s=t,
        sensor_index=0,
        sensor_pos=pos,
        sensor_rot=np.eye(3),
        z=z,
        sigma=np.broadcast_to(SIGMA, z.shape).copy(),
        valid=np.ones((R, D), bool) if valid is None else valid,
        iff_friend=np.zeros((R, D), bool) if iff is None else iff,
    )


def _straight(p0: np.ndarray, v: np.ndarray, t: float) -> np.ndarray:
    return p0 + v * t


def _slot_of_detection(res, d: int) -> np.ndarray:
    """Slot that detection d went to (update or initiation), shape (R,)."""
    return np.maximum(res.assignment[:, d], res.initiated[:, d])


def test_confirmed_after_m_hits() -> None:
    """A steadily detected target is confirmed exactly at its M-th hit (M-of-N)."""
    rng = np.random.default_rng(1)
    for m, n in [(2, 3), (3, 4)]:
        params = TrackerParams(confirm_m=m, confirm_n=n, capacity=4)
        tracks = Tracks.empty(10, params.capacity)
        for k in range(5):
            t = 3.0 * k
            truth = np.broadcast_to(
                _straight(np.array([3e4, 4e4, 5e3]), np.array([-200.0, -100.0, 0.0]), t),
                (10, 1, 3),
            )
            res = process_scan(tracks, _scan(truth, t, rng), t, params)
            tracks = res.tracks
            assert res.newly_confirmed.any(axis=1).all() == (k == m - 1)
            if k >= m - 1:
                assert (tracks.status == TrackStatus.CONFIRMED).sum(axis=1).tolist() == [1] * 10


def test_nees_is_chi_square_consistent() -> None:
    """Average NEES of a CWNA target over many replications lies in its chi-square(6R) bounds."""
    rng = np.random.default_rng(2)
    R, dt, q = 400, 2.0, 30.0
    params = TrackerParams(accel_noise_mps2=q, capacity=4)
    F = cv_transition(dt)
    L = np.linalg.cholesky(cv_process_noise(dt, q))
    x_true = np.zeros((R, 6))
    x_true[:, :3] = np.array([3e4, 4e4, 6e3]) + rng.normal(scale=1e3, size=(R, 3))
    x_true[:, 3:] = np.array([-250.0, -150.0, 0.0]) + rng.normal(scale=30.0, size=(R, 3))
    tracks = Tracks.empty(R, params.capacity)
    lo, hi = chi2.ppf([0.0005, 0.9995], 6 * R) / R
    checked = 0
    for k in range(25):
        t = dt * k
        if k > 0:
            x_true = x_true @ F.T + rng.normal(size=(R, 6)) @ L.T
        res = process_scan(tracks, _scan(x_true[:, None, :3], t, rng), t, params)
        tracks = res.tracks
        if k in (5, 12, 24):
            slot = res.assignment[:, 0]
            assert (slot >= 0).all()
            e = x_true - tracks.x[np.arange(R), slot]
            nees = np.einsum(
                "ri,ri->r", e, np.linalg.solve(tracks.P[np.arange(R), slot], e[..., None])[..., 0]
            )
            assert lo < nees.mean() < hi, (k, nees.mean(), lo, hi)
            checked += 1
    assert checked == 3


def test_two_separated_targets_keep_their_ids() -> None:
    """Two well separated targets keep their own track numbers over 50 scans."""
    rng = np.random.default_rng(3)
    R = 20
    params = TrackerParams(capacity=6)
    tracks = Tracks.empty(R, params.capacity)
    p0 = np.array([[2e4, 3e4, 3e3], [2e4, 5e4, 3e3]])
    v = np.array([[250.0, 0.0, 0.0], [200.0, -20.0, 0.0]])
    ids = []
    for k in range(50):
        t = 4.0 * k
        truth = np.broadcast_to(p0 + v * t, (R, 2, 3))
        res = process_scan(tracks, _scan(truth, t, rng), t, params)
        tracks = res.tracks
        ids.append([tracks.track_id[np.arange(R), _slot_of_detection(res, d)] for d in range(2)])
    ids_arr = np.array(ids)  # (scans, 2, R)
    assert (ids_arr == ids_arr[:1]).all()
    assert (ids_arr[0, 0] != ids_arr[0, 1]).all()
    assert (tracks.next_id == 3).all()


def test_lost_target_deleted_after_delete_misses() -> None:
    """A confirmed track is deleted at its delete_misses-th consecutive miss."""
    rng = np.random.default_rng(4)
    R = 5
    params = TrackerParams(delete_misses=3, capacity=3)
    tracks = Tracks.empty(R, params.capacity)
    for k in range(12):
        t = 5.0 * k
        truth = np.broadcast_to(np.array([5e4, 1e4, 8e3]) + np.array([0, 200.0, 0]) * t, (R, 1, 3))
        valid = np.full((R, 1), k < 5)
        res = process_scan(tracks, _scan(truth, t, rng, valid=valid), t, params)
        tracks = res.tracks
        assert res.deleted.any(axis=1).all() == (k == 4 + params.delete_misses)
        assert tracks.live.any(axis=1).all() == (k < 4 + params.delete_misses)


def test_tentative_track_deleted_when_it_cannot_reach_m() -> None:
    """A single detection never seen again is deleted once M hits in N are out of reach."""
    rng = np.random.default_rng(5)
    params = TrackerParams(confirm_m=2, confirm_n=4, capacity=2)
    tracks = Tracks.empty(1, 2)
    truth = np.array([[[4e4, 0.0, 2e3]]])
    for k in range(5):
        res = process_scan(
            tracks, _scan(truth, 2.0 * k, rng, valid=np.full((1, 1), k == 0)), 2.0 * k, params
        )
        tracks = res.tracks
        # opportunities 1 (hit), 2, 3, 4: M=2 is out of reach after the 4th opportunity
        assert bool(res.deleted.any()) == (k == 3)


def test_missed_scans_out_of_coverage_are_not_counted() -> None:
    """Scans that could not see a track count neither an opportunity nor a miss."""
    rng = np.random.default_rng(6)
    params = TrackerParams(capacity=2)
    tracks = Tracks.empty(1, 2)
    for k in range(8):
        t = 2.0 * k
        truth = np.array([[[4e4 + 100.0 * t, 0.0, 2e3]]])
        res = process_scan(
            tracks,
            _scan(truth, t, rng, valid=np.full((1, 1), k < 3)),
            t,
            params,
            could_see=np.full((1, 2), k < 3),
        )
        tracks = res.tracks
    assert tracks.status[0, 0] == TrackStatus.CONFIRMED
    assert tracks.opportunities[0, 0] == 3 and tracks.misses[0, 0] == 0


def _cluttered_run(R: int, seed: int, shuffle: bool):
    """Two crossing targets plus clutter near them; returns per-scan results."""
    rng = np.random.default_rng(seed)
    perm_rng = np.random.default_rng(seed + 1000)
    params = TrackerParams(capacity=10)
    tracks = Tracks.empty(R, params.capacity)
    p0 = np.array([[3e4, 3e4, 4e3], [3e4, 3.6e4, 4e3]])
    v = np.array([[0.0, 300.0, 0.0], [0.0, -300.0, 0.0]])
    out = []
    for k in range(20):
        t = 2.0 * k
        targets = np.broadcast_to(p0 + v * t, (R, 2, 3))
        clutter = targets[:, :1] + rng.normal(scale=3e3, size=(R, 4, 3))
        truth = np.concatenate([targets, clutter], axis=1)
        valid = rng.random((R, 6)) < 0.85
        iff = rng.random((R, 6)) < 0.05
        det = _scan(truth, t, rng, valid=valid, iff=iff)
        perm = np.tile(np.arange(6), (R, 1))
        if shuffle:
            perm = np.argsort(perm_rng.random((R, 6)), axis=1)
            rows = np.arange(R)[:, None]
            det = Detections(
                time_s=t,
                sensor_index=0,
                sensor_pos=det.sensor_pos,
                sensor_rot=det.sensor_rot,
                z=det.z[rows, perm],
                sigma=det.sigma[rows, perm],
                valid=det.valid[rows, perm],
                iff_friend=det.iff_friend[rows, perm],
            )
        res = process_scan(tracks, det, t, params)
        tracks = res.tracks
        out.append((res, perm))
    return out


_FIELDS = tuple(f.name for f in dataclasses.fields(Tracks))


def _assert_tracks_equal(a: Tracks, b: Tracks) -> None:
    for name in _FIELDS:
        np.testing.assert_allclose(
            getattr(a, name), getattr(b, name), rtol=1e-9, atol=1e-9, err_msg=name
        )


def test_batch_equals_one_replication_at_a_time() -> None:
    """R replications processed together equal the same replications processed one by one."""
    R = 6
    batch = _cluttered_run(R, seed=7, shuffle=False)
    # rebuild the same detections per replication by slicing the batched ones
    rng = np.random.default_rng(7)
    params = TrackerParams(capacity=10)
    singles = [Tracks.empty(1, params.capacity) for _ in range(R)]
    p0 = np.array([[3e4, 3e4, 4e3], [3e4, 3.6e4, 4e3]])
    v = np.array([[0.0, 300.0, 0.0], [0.0, -300.0, 0.0]])
    for k in range(20):
        t = 2.0 * k
        targets = np.broadcast_to(p0 + v * t, (R, 2, 3))
        clutter = targets[:, :1] + rng.normal(scale=3e3, size=(R, 4, 3))
        valid = rng.random((R, 6)) < 0.85
        iff = rng.random((R, 6)) < 0.05
        det = _scan(np.concatenate([targets, clutter], axis=1), t, rng, valid=valid, iff=iff)
        res_b = batch[k][0]
        for r in range(R):
            sl = slice(r, r + 1)
            det_r = Detections(
                time_s=t,
                sensor_index=0,
                sensor_pos=det.sensor_pos,
                sensor_rot=det.sensor_rot,
                z=det.z[sl],
                sigma=det.sigma[sl],
                valid=det.valid[sl],
                iff_friend=det.iff_friend[sl],
            )
            res = process_scan(singles[r], det_r, t, params)
            singles[r] = res.tracks
            np.testing.assert_array_equal(res.assignment[0], res_b.assignment[r])
            np.testing.assert_array_equal(res.initiated[0], res_b.initiated[r])
            _assert_tracks_equal(res.tracks, res_b.tracks.take(sl))
    assert any((b[0].tracks.status == TrackStatus.CONFIRMED).sum() >= 2 * R for b in batch)


def test_detection_slot_shuffle_does_not_change_tracks() -> None:
    """Permuting detection slots permutes the assignment and leaves the track table unchanged."""
    R = 8
    plain = _cluttered_run(R, seed=9, shuffle=False)
    shuffled = _cluttered_run(R, seed=9, shuffle=True)
    rows = np.arange(R)[:, None]
    for (res_a, _), (res_b, perm) in zip(plain, shuffled, strict=True):
        _assert_tracks_equal(res_a.tracks, res_b.tracks)
        np.testing.assert_array_equal(res_b.assignment, res_a.assignment[rows, perm])
        np.testing.assert_array_equal(res_b.initiated, res_a.initiated[rows, perm])


def test_full_table_drops_and_counts_farthest_detections() -> None:
    """With no free slot left, the farthest unassociated detections are dropped and counted."""
    rng = np.random.default_rng(10)
    params = TrackerParams(capacity=2)
    truth = np.array([[[9e4, 0, 1e3], [3e4, 0, 1e3], [6e4, 0, 1e3]]])
    res = process_scan(Tracks.empty(1, 2), _scan(truth, 0.0, rng), 0.0, params)
    assert res.n_dropped.tolist() == [1]
    assert res.initiated[0].tolist() == [-1, 0, 1]
    assert res.tracks.track_id[0].tolist() == [1, 2]


def test_friendly_iff_reply_marks_the_track() -> None:
    """A detection with a friendly IFF reply marks its track as friend, and only that one."""
    rng = np.random.default_rng(11)
    params = TrackerParams(capacity=4)
    truth = np.array([[[4e4, 0, 1e3], [0, 6e4, 1e3]]])
    iff = np.array([[False, True]])
    res = process_scan(Tracks.empty(1, 4), _scan(truth, 0.0, rng, iff=iff), 0.0, params)
    friend = res.tracks.friend[0, res.initiated[0]]
    assert friend.tolist() == [False, True]


def test_dropped_track_number_is_not_reused() -> None:
    """drop_tracks frees the slot; the re-detected target gets a new, larger track number."""
    rng = np.random.default_rng(12)
    params = TrackerParams(capacity=2)
    tracks = Tracks.empty(1, 2)
    truth = np.array([[[4e4, 0, 1e3]]])
    tracks = process_scan(tracks, _scan(truth, 0.0, rng), 0.0, params).tracks
    first_id = tracks.track_id[0, 0]
    tracks = drop_tracks(tracks, np.array([[True, False]]))
    assert not tracks.live.any()
    res = process_scan(tracks, _scan(truth, 1.0, rng), 1.0, params)
    assert res.tracks.track_id[0, res.initiated[0, 0]] > first_id

"""Range rate in detections: used by the IMM tracker, harmless when absent."""

from __future__ import annotations

import numpy as np

from triumf.sense.base import Detections
from triumf.track.base import TrackerParams, Tracks
from triumf.track.ekf import position_rangerate_model
from triumf.track.manager import process_scan

RADAR = np.array([1000.0, -2000.0, 20.0])


def _det(truth: np.ndarray, rng: np.random.Generator, rr: bool, t: float) -> Detections:
    local = truth[..., :3] - RADAR
    r = np.linalg.norm(local, axis=-1)
    z = np.stack([r, np.arctan2(local[..., 0], local[..., 1]), np.arcsin(local[..., 2] / r)],
                 -1) + rng.normal(size=(*r.shape, 3)) * [30.0, 1e-3, 1e-3]
    rdot = position_rangerate_model(truth, RADAR)[0][..., 3] + rng.normal(size=r.shape)
    z4 = np.concatenate([z, (rdot if rr else np.full_like(r, np.nan))[..., None]], -1)
    return Detections(time_s=t, sensor_index=0, sensor_pos=RADAR, sensor_rot=np.eye(3), z=z4,
                      sigma=np.broadcast_to([30.0, 1e-3, 1e-3, 1.0], z4.shape).copy(),
                      valid=np.ones(r.shape, bool), iff_friend=np.zeros(r.shape, bool))


def _run(rr: bool, four_columns: bool = True) -> Tracks:
    rng = np.random.default_rng(11)
    params = TrackerParams(capacity=4, motion_model="imm")
    tracks = Tracks.empty(3, 4, n_modes=2)
    x0 = np.array([[3e4, 4e4, 3e3, -200.0, -250.0, 0.0]] * 3)
    for k in range(6):
        truth = x0.copy()
        truth[:, :3] += k * x0[:, 3:]
        det = _det(truth[:, None], rng, rr, float(k))
        if not four_columns:
            det = Detections(det.time_s, det.sensor_index, det.sensor_pos, det.sensor_rot,
                             det.z[..., :3], det.sigma[..., :3], det.valid, det.iff_friend)
        tracks = process_scan(tracks, det, float(k), params).tracks
    return tracks


def test_nan_range_rate_equals_no_range_rate() -> None:
    """A fourth column of NaN range rates gives exactly the three-column result."""
    a, b = _run(rr=False), _run(rr=False, four_columns=False)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.P, b.P)


def test_range_rate_shrinks_the_velocity_covariance() -> None:
    """With range rate the IMM's velocity variance is smaller than without (more information)."""
    with_rr, without = _run(rr=True), _run(rr=False)
    live = with_rr.live
    assert (np.trace(with_rr.P[live][:, 3:, 3:], axis1=1, axis2=2)
            < np.trace(without.P[live][:, 3:, 3:], axis1=1, axis2=2)).all()

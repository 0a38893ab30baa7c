"""Measurement-level fusion of three radars: one track per threat, and last_seen_s per radar."""

from __future__ import annotations

import numpy as np

from triumf.sense.base import Detections
from triumf.track.base import TrackerParams, Tracks
from triumf.track.manager import process_scan

RADARS = (np.array([0.0, 0.0, 20.0]), np.array([25e3, -10e3, 30.0]), np.array([-20e3, 8e3, 25.0]))
SIGMA = np.array([40.0, 2e-3, 2e-3])  # range m, azimuth rad, elevation rad


def _detect(rng: np.random.Generator, truth: np.ndarray, s: int, t: float) -> Detections:
    """Range/azimuth/elevation detections (Pd 0.9, no clutter) of truth (R, T, 3) by radar s."""
    R, T, _ = truth.shape
    local = truth - RADARS[s]
    rng_m = np.linalg.norm(local, axis=-1)
    z = np.stack([rng_m, np.arctan2(local[..., 0], local[..., 1]),
                  np.arcsin(local[..., 2] / rng_m)], -1)
    z += rng.normal(size=z.shape) * SIGMA
    return Detections(time_s=t, sensor_index=s, sensor_pos=RADARS[s], sensor_rot=np.eye(3),
                      z=z, sigma=np.broadcast_to(SIGMA, (R, T, 3)).copy(),
                      valid=rng.random((R, T)) < 0.9, iff_friend=np.zeros((R, T), bool))


def test_three_radars_give_one_confirmed_track_per_target() -> None:
    """Three radars scanning the same six targets in turn: confirmed tracks = targets."""
    rng = np.random.default_rng(5)
    R, T = 4, 6
    p0 = np.stack([np.linspace(-50e3, 50e3, T), np.full(T, 60e3), np.full(T, 5e3)], -1)
    v = np.stack([np.zeros(T), rng.uniform(-300.0, -200.0, T), np.zeros(T)], -1)
    tracks = Tracks.empty(R, 32, n_sensors=3)
    params = TrackerParams(capacity=32, delete_misses=6)  # 3 misses at Pd 0.9 do happen
    for k in range(90):
        t, s = 1.0 * k, k % 3
        truth = np.broadcast_to(p0 + v * t, (R, T, 3))
        tracks = process_scan(tracks, _detect(rng, truth, s, t), t, params, sensor=s).tracks
        if t >= 20.0:
            np.testing.assert_array_equal(tracks.confirmed.sum(axis=1), T)
    # every radar has updated every confirmed track recently; free slots never seen
    seen = tracks.last_seen_s[tracks.confirmed]
    assert (seen > 89.0 - 15.0).all()
    assert np.isneginf(tracks.last_seen_s[~tracks.live]).all()

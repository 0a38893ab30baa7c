"""The tracker with motion_model='imm' keeps a turning target that the CV tracker loses."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.track.base import TrackerParams, Tracks
from triumf.track.manager import process_positions
from triumf.track.models import ct_predict


def _run(motion_model: str) -> list[list[list[int]]]:
    """A 250 m/s target, 2.5 g turn from 20 s to 60 s, 1 s scans, sigma 50 m, Pd 1."""
    rng = np.random.default_rng(7)
    params = TrackerParams(capacity=8, motion_model=motion_model, accel_noise_mps2=1.0,
                           delete_misses=3, initial_velocity_std_mps=300.0)
    tracks = Tracks.empty(2, 8, n_modes=2 if motion_model == "imm" else 0)
    x = np.array([0.0, 0.0, 3000.0, 250.0, 0.0, 0.0, 0.0])
    ids = []
    for k in range(90):
        x[6] = 0.1 if 20 <= k < 60 else 0.0
        y = np.broadcast_to(x[:3], (2, 1, 3)) + rng.normal(0.0, 50.0, (2, 1, 3))
        tracks = process_positions(tracks, y, np.eye(3) * 2500.0, np.ones((2, 1), bool),
                                   float(k), params).tracks
        if k >= 5:
            ids.append(np.where(tracks.confirmed, tracks.track_id, 0).tolist())
        x, _ = ct_predict(x, 1.0)
    return ids


def test_imm_tracker_keeps_one_track_through_the_turn() -> None:
    """IMM: the same two confirmed track numbers (one per replication) from 5 s to the end."""
    ids = _run("imm")
    assert all(s == ids[0] for s in ids)
    assert all(sum(i > 0 for i in rep) == 1 for rep in ids[0])


def test_cv_tracker_with_same_noise_loses_the_turning_target() -> None:
    """CV with the IMM's CV-mode noise: the track numbers change during the turn."""
    ids = _run("cv")
    assert any(s != ids[0] for s in ids)


def test_imm_needs_mode_slots() -> None:
    """A track table without IMM mode slots is refused with a clear message."""
    params = TrackerParams(capacity=2, motion_model="imm")
    with pytest.raises(ValueError, match="n_modes=2"):
        process_positions(Tracks.empty(1, 2), np.zeros((1, 1, 3)), np.eye(3),
                          np.ones((1, 1), bool), 0.0, params)

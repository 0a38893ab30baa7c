"""Run-time track scoring: GOSPA, continuity and false tracks on hand-made pictures."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.sim.track_scoring import GOSPA_C_M, TrackScore


def test_sample_scores_a_hand_made_picture() -> None:
    """One track 30 m off a threat, one false track, one threat missed: GOSPA in closed form."""
    score = TrackScore.empty(1, 3, 2)
    track_pos = np.array([[[30.0, 0.0, 0.0], [9e4, 0.0, 0.0], [0.0, 0.0, 0.0]]])
    truth_pos = np.array([[[0.0, 0.0, 0.0], [5e4, 0.0, 0.0]]])
    score.sample(track_pos, np.array([[True, True, False]]), np.array([[1, 2, 0]]),
                 np.array([[0, -1, -1]]), truth_pos, np.array([[True, True]]))
    # p = 1, alpha = 2: 30 m + c/2 (missed threat) + c/2 (false track)
    assert score.mean_gospa_m[0] == pytest.approx(30.0 + GOSPA_C_M)
    assert score.false_track_samples.tolist() == [1]
    assert score.confirmed_track_samples.tolist() == [2]


def test_renumbered_track_on_the_same_threat_is_a_break() -> None:
    """A threat followed by track 1, then by track 5: one break, no swap."""
    score = TrackScore.empty(1, 2, 1)
    pos = np.zeros((1, 2, 3))
    truth = np.zeros((1, 1, 3))
    score.sample(pos, np.array([[True, False]]), np.array([[1, 0]]), np.array([[0, -1]]),
                 truth, np.array([[True]]))
    score.sample(pos, np.array([[False, True]]), np.array([[0, 5]]), np.array([[-1, 0]]),
                 truth, np.array([[True]]))
    assert score.breaks.tolist() == [1] and score.swaps.tolist() == [0]

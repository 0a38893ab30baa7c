"""Association order (confirmed tracks first) and coasting with radars of different revisits.

Truth is built here: hand-placed tracks and detections, and a constant-velocity target that a
slow radar detects on every look, which must keep one unbroken track.
"""

from __future__ import annotations

import numpy as np

from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.manager import process_positions

COV = 50.0**2 * np.eye(3)  # measurement covariance, m^2


def _two_tracks() -> Tracks:
    """A confirmed track at the origin and a tentative one 20 m east (both at rest, t = 0)."""
    tracks = Tracks.empty(1, 4)
    for slot, east, status in ((0, 0.0, TrackStatus.CONFIRMED), (1, 20.0, TrackStatus.TENTATIVE)):
        tracks.x[0, slot] = [east, 0.0, 0.0, 0.0, 0.0, 0.0]
        tracks.P[0, slot] = np.diag([100.0**2] * 3 + [10.0**2] * 3)
        tracks.status[0, slot] = status
        tracks.track_id[0, slot] = slot + 1
        tracks.hits[0, slot] = 2  # not a single-detection track: chi-square gate
        tracks.opportunities[0, slot] = 2
    tracks.next_id[0] = 3
    return tracks


def _one_detection(east: float) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((1, 1, 3))
    y[0, 0, 0] = east
    return y, np.ones((1, 1), bool)


def test_confirmed_first_gives_the_detection_to_the_confirmed_track() -> None:
    """With confirmed_first, a detection both tracks gate goes to the confirmed track."""
    y, valid = _one_detection(20.0)
    params = TrackerParams(confirmed_first=True, capacity=4)
    res = process_positions(_two_tracks(), y, COV, valid, 1.0, params)
    assert res.assignment[0, 0] == 0


def test_joint_assignment_gives_the_detection_to_the_nearest_track() -> None:
    """Without it, one joint GNN gives the detection to the track it fits best (the tentative)."""
    y, valid = _one_detection(20.0)
    params = TrackerParams(confirmed_first=False, capacity=4)
    res = process_positions(_two_tracks(), y, COV, valid, 1.0, params)
    assert res.assignment[0, 0] == 1


def test_tentative_track_takes_a_detection_the_confirmed_track_cannot_gate() -> None:
    """confirmed_first leaves the second round the detections no confirmed track took."""
    y, valid = _one_detection(900.0)  # beyond the confirmed track's gate at the origin
    tracks = _two_tracks()
    tracks.x[0, 1, 0] = 900.0
    res = process_positions(tracks, y, COV, valid, 1.0, TrackerParams(confirmed_first=True))
    assert res.assignment[0, 0] == 1


def _fly(params: TrackerParams, t_end: float) -> list[int]:
    """Target at 250 m/s seen by two radars: slow (6 s, always detects) and fast (1 s).

    The fast radar detects the target for the first 12 s, then can still see it but no
    longer detects it (e.g. its Pd on a small target at long range). Returns the confirmed
    track numbers present after each second.
    """
    tracks = Tracks.empty(1, params.capacity, n_sensors=2)
    vel = np.array([250.0, 0.0, 0.0])
    p0 = np.array([-40e3, 10e3, 1e3])
    held = []
    for step in range(1, int(t_end) + 1):
        t = float(step)
        for sensor, period, detects in ((0, 6.0, True), (1, 1.0, t <= 12.0)):
            if step % int(period):
                continue
            y = (p0 + vel * t)[None, None, :]
            valid = np.array([[detects]])
            could_see = tracks.live.copy()
            tracks = process_positions(tracks, y, COV, valid, t, params, could_see,
                                       sensor=sensor).tracks
        held.append(sorted(int(i) for i in tracks.track_id[0, tracks.confirmed[0]]))
    return held


def test_slow_radar_keeps_its_track_when_a_fast_radar_stops_detecting() -> None:
    """A target detected on every look of the 6 s radar keeps one track number throughout."""
    params = TrackerParams(accel_noise_mps2=5.0, delete_coast_s=6.0, capacity=8)
    held = _fly(params, 60.0)
    first = next(i for i, h in enumerate(held) if h)
    assert all(h == held[first] and len(h) == 1 for h in held[first:])


def test_without_coast_time_the_fast_radar_misses_delete_the_track() -> None:
    """delete_coast_s = 0: three misses of the 1 s radar delete the track (the old rule)."""
    params = TrackerParams(accel_noise_mps2=5.0, delete_coast_s=0.0, capacity=8)
    held = _fly(params, 60.0)
    ids = {i for h in held for i in h}
    assert len(ids) > 1 or any(not h for h in held[12:])

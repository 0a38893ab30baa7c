"""Route flight: constant speed along waypoints at the given altitudes."""

import numpy as np

from triumf.core.earth import altitude_m, ground_range_m, map_to_enu
from triumf.threat.route import route_lengths, route_state


def _route():
    # 30 km east at 100 m, then 40 km north descending to 0 (a dive)
    return np.array([[0.0, 0.0, 100.0], [30_000.0, 0.0, 100.0], [30_000.0, 40_000.0, 0.0]])


def test_position_follows_constant_speed_closed_form():
    """After t seconds at v the body is v*t along the polyline, at the interpolated height."""
    pts = _route()
    cum = route_lengths(pts)
    v = 250.0
    t = np.array([0.0, 60.0, 120.0, 200.0])
    pos, vel, arrived = route_state(pts, cum, np.full(4, v), t, np.zeros(4, bool))
    s = v * t
    # on the first leg: ground distance from the start = s, altitude 100 m
    p0 = map_to_enu(0.0, 0.0, 0.0)
    np.testing.assert_allclose(ground_range_m(p0, pos[:2]), s[:2], rtol=1e-6, atol=0.01)
    np.testing.assert_allclose(altitude_m(pos[:2]), 100.0, atol=1e-6)
    # on the second leg the height falls linearly with distance flown
    leg2 = np.hypot(40_000.0, 100.0)
    frac = (s[3] - 30_000.0) / leg2
    np.testing.assert_allclose(altitude_m(pos[3]), 100.0 * (1 - frac), atol=1e-3)
    np.testing.assert_allclose(np.linalg.norm(vel, axis=-1)[1:], v, rtol=2e-3)
    assert not arrived.any()


def test_arrival_after_route_length_over_speed():
    """A non-looping body arrives exactly when it has flown the route length."""
    pts = _route()
    cum = route_lengths(pts)
    total = 30_000.0 + np.hypot(40_000.0, 100.0)
    v = 200.0
    t = np.array([total / v - 0.01, total / v + 0.01])
    _, vel, arrived = route_state(pts, cum, np.full(2, v), t, np.zeros(2, bool))
    assert arrived.tolist() == [False, True]
    assert np.all(vel[1] == 0)


def test_loop_never_arrives_and_returns_to_start():
    """A closed patrol route brings the aircraft back to its start after one lap."""
    pts = np.array([[0.0, 0.0, 8000.0], [50_000.0, 0.0, 8000.0], [0.0, 0.0, 8000.0]])
    cum = route_lengths(pts)
    v = 220.0
    lap = 100_000.0 / v
    pos, _, arrived = route_state(pts, cum, np.full(2, v), np.array([0.0, 3 * lap]),
                                  np.ones(2, bool))
    np.testing.assert_allclose(pos[0], pos[1], atol=1e-6)
    assert not arrived.any()


def test_waits_at_launch_point_before_launch():
    """Before launch the body sits at the first waypoint with zero velocity."""
    pts = _route()
    pos, vel, arrived = route_state(pts, route_lengths(pts), np.array([100.0]),
                                    np.array([-30.0]), np.zeros(1, bool))
    np.testing.assert_allclose(altitude_m(pos), [100.0], atol=1e-6)
    assert np.all(vel == 0) and not arrived.any()

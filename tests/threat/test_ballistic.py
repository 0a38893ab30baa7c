"""Tests of Keplerian free flight: range equation, propagation, time of flight."""

import numpy as np
import pytest

from triumf.core.earth import (
    EARTH_RADIUS_M,
    MU_EARTH_M3PS2,
    altitude_m,
    ground_range_m,
    map_to_enu,
)
from triumf.threat.ballistic import impact_time, launch_velocity, propagate, time_to_altitude

G_SURFACE = MU_EARTH_M3PS2 / EARTH_RADIUS_M**2


def energy(pos: np.ndarray, vel: np.ndarray) -> np.ndarray:
    r = np.linalg.norm(pos + [0.0, 0.0, EARTH_RADIUS_M], axis=-1)
    return 0.5 * np.sum(vel * vel, axis=-1) - MU_EARTH_M3PS2 / r


def test_short_shot_matches_flat_earth() -> None:
    """A 1 km, 45 deg shot needs v^2 = g X / sin 2a and flies 2 v sin a / g (to 1e-3)."""
    gamma = np.deg2rad(45.0)
    launch = np.zeros(3)
    aim = map_to_enu(1000.0, 0.0, 0.0)
    v = launch_velocity(launch, aim, gamma)
    speed = np.linalg.norm(v)
    assert speed == pytest.approx(np.sqrt(G_SURFACE * 1000.0 / np.sin(2 * gamma)), rel=1e-3)
    assert impact_time(launch, v) == pytest.approx(2 * speed * np.sin(gamma) / G_SURFACE, rel=1e-3)
    np.testing.assert_allclose(v / speed, [np.cos(gamma), 0.0, np.sin(gamma)], atol=1e-9)


def test_flat_earth_range_over_bearings_and_angles() -> None:
    """Short shots in any direction and at 30-60 deg obey the flat-Earth range formula."""
    bearings = np.deg2rad([0.0, 90.0, 200.0, 315.0])
    gammas = np.deg2rad([30.0, 45.0, 60.0, 50.0])
    launch = map_to_enu(5e3, -3e3, 0.0)
    launch = np.broadcast_to(launch, (4, 3))
    aim = map_to_enu(5e3 + 800.0 * np.sin(bearings), -3e3 + 800.0 * np.cos(bearings), 0.0)
    v = launch_velocity(launch, aim, gammas)
    x = ground_range_m(launch, aim)
    expected = np.sqrt(G_SURFACE * x / np.sin(2 * gammas))
    np.testing.assert_allclose(np.linalg.norm(v, axis=-1), expected, rtol=1e-3)


def test_300_km_shot_lands_on_aim() -> None:
    """A 300 km shot with launch_velocity, propagated for its flight time, lands within 50 m."""
    launch = map_to_enu(-20e3, 10e3, 0.0)
    aim = map_to_enu(250e3, 150e3, 0.0)
    v0 = launch_velocity(launch, aim, np.deg2rad(40.0))
    t_flight = impact_time(launch, v0)
    pos, _ = propagate(launch, v0, t_flight, n_substeps=400)
    assert np.linalg.norm(pos - aim) < 50.0
    assert abs(altitude_m(pos)) < 1.0


def test_300_km_shot_crosses_ground_at_aim_stepwise() -> None:
    """Stepping propagate at 1 s until the altitude turns negative finds the aim (50 m)."""
    launch = np.zeros(3)
    aim = map_to_enu(0.0, 300e3, 0.0)
    v = launch_velocity(launch, aim, np.deg2rad(45.0))
    pos = launch
    for _ in range(2000):
        new_pos, new_v = propagate(pos, v, 1.0)
        h0, h1 = altitude_m(pos), altitude_m(new_pos)
        if h1 < 0.0 < h0 + 1e-9 and np.linalg.norm(new_pos) > 1e3:
            landing = pos + h0 / (h0 - h1) * (new_pos - pos)
            break
        pos, v = new_pos, new_v
    else:
        pytest.fail("never landed")
    assert np.linalg.norm(landing - aim) < 50.0


def test_energy_and_momentum_conserved() -> None:
    """propagate keeps v^2/2 - mu/r to 1e-7 and the angular momentum to 1e-9 (relative)."""
    launch = np.zeros((3, 3))
    aim = map_to_enu(np.array([100e3, 300e3, 600e3]), 0.0, 0.0)
    v = launch_velocity(launch, aim, np.deg2rad(np.array([45.0, 40.0, 35.0])))
    e0 = energy(launch, v)
    h0 = np.cross(launch + [0, 0, EARTH_RADIUS_M], v)
    pos, vel = launch, v
    for _ in range(100):
        pos, vel = propagate(pos, vel, 5.0)
    np.testing.assert_allclose(energy(pos, vel), e0, rtol=1e-7)
    np.testing.assert_allclose(np.cross(pos + [0, 0, EARTH_RADIUS_M], vel), h0, rtol=1e-9)


def test_reaches_elevated_aim() -> None:
    """Aiming at a point 20 km up, the trajectory passes through it on the way down."""
    launch = np.zeros(3)
    aim = map_to_enu(150e3, 0.0, 20e3)
    v0 = launch_velocity(launch, aim, np.deg2rad(50.0))
    t = time_to_altitude(launch, v0, 20e3)
    pos, vel = propagate(launch, v0, t, n_substeps=300)
    assert np.linalg.norm(pos - aim) < 20.0
    assert vel[2] < 0.0


def test_unreachable_angle_is_nan() -> None:
    """A flight-path angle below the line to the aim point gives NaN."""
    v = launch_velocity(np.zeros(3), map_to_enu(100e3, 0.0, 0.0), np.deg2rad(-5.0))
    assert np.all(np.isnan(v))


def test_zero_dt_and_array_dt() -> None:
    """dt broadcasts per body; zero leaves that body in place."""
    pos = np.zeros((2, 3))
    vel = np.array([[100.0, 0.0, 100.0], [0.0, 100.0, 100.0]])
    p, v = propagate(pos, vel, np.array([0.0, 2.0]), n_substeps=2)
    np.testing.assert_array_equal(p[0], pos[0])
    np.testing.assert_array_equal(v[0], vel[0])
    # vertical motion over 2 s: z = v t - g t^2 / 2 to first order
    assert p[1, 2] == pytest.approx(200.0 - 0.5 * G_SURFACE * 4.0, rel=1e-4)

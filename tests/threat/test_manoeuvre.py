"""Tests of route manoeuvres against closed forms: turn radius, S-turn, climb limit, break."""

import numpy as np
import pytest

from triumf.threat.manoeuvre import (
    break_position,
    climb_limited_floor,
    fillet_routes,
    s_turn_offset,
    s_turn_wavelength_m,
    turn_radius_m,
)
from triumf.threat.route import route_lengths

G = 9.80665


def test_turn_radius_is_v2_over_g_tan_bank() -> None:
    """A 250 m/s turn at 45 deg bank has radius v^2 / g."""
    assert turn_radius_m(250.0, np.deg2rad(45.0), G) == pytest.approx(250.0**2 / G)


def test_fillet_arc_lies_on_the_turn_circle() -> None:
    """A right-angle corner becomes an arc of radius r about (-r, r), tangent to both legs."""
    r = 2000.0
    route = np.array([[-10e3, 0.0, 100.0], [0.0, 0.0, 100.0], [0.0, 10e3, 100.0]])
    out = fillet_routes(route, r)
    arc = out[1:-1]
    d = np.linalg.norm(arc[:, :2] - [-r, r], axis=1)
    np.testing.assert_allclose(d, r, rtol=1e-12)
    np.testing.assert_allclose(arc[0, :2], [-r, 0.0], atol=1e-9)
    np.testing.assert_allclose(arc[-1, :2], [0.0, r], atol=1e-9)
    np.testing.assert_allclose(out[:, 2], 100.0)


def test_filleted_turn_rate_is_g_tan_bank_over_v() -> None:
    """Flying the arc at v turns the heading 90 deg at the rate g tan(phi) / v (to 0.2%)."""
    v, bank = 200.0, np.deg2rad(30.0)
    r = float(turn_radius_m(v, bank, G))
    route = np.array([[-20e3, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 20e3, 0.0]])
    arc = fillet_routes(route, r)[1:-1]
    t_arc = route_lengths(arc)[-1] / v
    assert (np.pi / 2) / t_arc == pytest.approx(G * np.tan(bank) / v, rel=2e-3)


def test_fillet_without_radius_keeps_the_corners() -> None:
    """Radius 0 leaves the route's geometry (and length) unchanged."""
    route = np.array([[0.0, 0.0, 0.0], [5e3, 0.0, 0.0], [5e3, 5e3, 0.0], [9e3, 1e3, 0.0]])
    out = fillet_routes(route, 0.0)
    assert route_lengths(out)[-1] == pytest.approx(route_lengths(route)[-1])


def test_s_turn_stays_within_amplitude_and_lateral_limit() -> None:
    """Offsets never exceed A and v^2 |y''| never exceeds the acceleration limit."""
    v, amp, a_max = 700.0, 60.0, 8 * G
    for length in (20e3, 2e3):  # whole periods, and a weave shorter than one wavelength
        lam = float(s_turn_wavelength_m(v, 3.0, amp, a_max))
        s = np.linspace(30e3 - length - 500.0, 30e3, 200001)
        y = s_turn_offset(s, 30e3, length, lam, amp)
        assert np.max(np.abs(y)) <= amp + 1e-9
        ds = s[1] - s[0]
        acc = v * v * np.abs(np.diff(y, 2)) / ds**2
        assert np.max(acc) <= a_max * 1.001
        assert abs(y[0]) < 1e-9 and abs(y[-1]) < 1e-6


def test_s_turn_wavelength_meets_the_limit_exactly_when_stretched() -> None:
    """A too-short period is stretched to 2 pi v sqrt(3 A / a_max) (peak of v^2 (A sin^3)'')."""
    lam = s_turn_wavelength_m(700.0, 0.1, 60.0, 8 * G)
    assert lam == pytest.approx(2 * np.pi * 700.0 * np.sqrt(3 * 60.0 / (8 * G)))


def test_climb_limited_floor_clears_a_ridge_with_bounded_slope() -> None:
    """Over a 300 m ridge the profile stays above the floor with slopes <= tan(gamma)."""
    s = np.arange(0.0, 20e3, 50.0)
    floor = 30.0 + np.where(np.abs(s - 10e3) < 500.0, 300.0, 0.0)
    gamma = np.deg2rad(10.0)
    env = climb_limited_floor(s, floor, gamma)
    assert np.all(env >= floor)
    assert np.max(np.abs(np.diff(env))) / 50.0 <= np.tan(gamma) + 1e-12
    assert env[0] == pytest.approx(30.0) and env[-1] == pytest.approx(30.0)


def test_break_turn_is_a_circle_then_a_straight_line() -> None:
    """The break follows the circle of radius r and leaves on heading psi0 + turn at speed v."""
    r, v, turn = 800.0, 250.0, np.deg2rad(120.0)
    t = np.linspace(0.0, turn * r / v, 50)
    en, psi = break_position(np.zeros(2), 0.0, 1.0, r, turn, v, t)
    # heading north, turning right: the centre is r to the east
    np.testing.assert_allclose(np.linalg.norm(en - [r, 0.0], axis=1), r, rtol=1e-12)
    assert psi[-1] == pytest.approx(turn)
    later, _ = break_position(np.zeros(2), 0.0, 1.0, r, turn, v, t[-1] + 10.0)
    step = later - en[-1]
    np.testing.assert_allclose(step, 10.0 * v * np.array([np.sin(turn), np.cos(turn)]),
                               atol=1e-9)

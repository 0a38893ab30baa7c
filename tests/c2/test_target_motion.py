"""The command post's acceleration estimate: boost detection and drag-aware prediction."""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from triumf.c2.target_motion import (
    ACCEL_BASELINE_S,
    BOOST_ACCEL_MPS2,
    ballistic_accel,
    boosting,
    update_accel,
)
from triumf.core.earth import gravity_mps2

# a guided rocket after burnout (Fatah-1-like figures): mass 295 kg, 0.3 m body, C_D 0.3
_DRAG_K = 0.5 * 0.3 * np.pi * 0.15**2 / 295.0  # m^2/kg: D/m = K rho v^2
_SCALE_HEIGHT_M = 7200.0  # exponential atmosphere for the reference integration
_RHO0 = 1.225


def _dragged_ballistic(t_end: float, x0: np.ndarray, t_eval: np.ndarray) -> np.ndarray:
    """Reference: SciPy integration of gravity plus quadratic drag, states (n, 6)."""

    def rhs(_t: float, s: np.ndarray) -> np.ndarray:
        p, v = s[:3], s[3:]
        rho = _RHO0 * np.exp(-p[2] / _SCALE_HEIGHT_M)
        a = gravity_mps2(p) - _DRAG_K * rho * np.linalg.norm(v) * v
        return np.concatenate([v, a])

    sol = solve_ivp(rhs, (0.0, t_end), x0, t_eval=t_eval, rtol=1e-10, atol=1e-6)
    return np.asarray(sol.y.T)


def test_coasting_body_never_boosting():
    """A body under gravity alone is never taken as boosting, at any flight-path angle."""
    gamma = np.deg2rad(np.linspace(-89.0, 89.0, 37))
    vel = 1000.0 * np.stack([np.cos(gamma), np.zeros_like(gamma), np.sin(gamma)], axis=-1)
    pos = np.zeros_like(vel)
    assert not boosting(gravity_mps2(pos), pos, vel, np.ones(gamma.size, bool)).any()


def test_thrusting_body_is_boosting():
    """A body accelerated along its path by more than the threshold is boosting."""
    vel = np.array([[600.0, 0.0, 400.0]])
    pos = np.zeros((1, 3))
    a = gravity_mps2(pos) + 2.0 * BOOST_ACCEL_MPS2 * vel / np.linalg.norm(vel)
    assert boosting(a, pos, vel, np.array([True])).all()


def test_level_track_never_boosting():
    """A level track is not held, whatever its differenced acceleration (tracker noise)."""
    vel = np.array([[250.0, 0.0, 0.0]])
    a = np.array([[5.0 * BOOST_ACCEL_MPS2, 0.0, 0.0]])
    assert not boosting(a, np.zeros((1, 3)), vel, np.array([True])).any()


def test_unknown_acceleration_steep_climb_is_held():
    """Without an estimate, a steeply climbing track is held and a level one is not."""
    vel = np.array([[500.0, 0.0, 400.0], [250.0, 0.0, 0.0]])
    pos = np.zeros((2, 3))
    assert boosting(np.zeros((2, 3)), pos, vel, np.zeros(2, bool)).tolist() == [True, False]


def test_update_recovers_constant_acceleration():
    """Differencing the velocity of a constant-acceleration body returns that acceleration."""
    a_true = np.array([3.0, -2.0, -9.0])
    v0 = np.array([800.0, 100.0, 500.0])
    accel, ref_v, ref_t = np.zeros(3), np.zeros(3), np.array(-np.inf)
    count = np.array(0)
    for t in np.arange(0.0, 10.0, 1.0):
        accel, ref_v, ref_t, count = update_accel(accel, ref_v, ref_t, v0 + a_true * t, t,
                                                  count)
    assert count == int(9.0 // ACCEL_BASELINE_S)
    np.testing.assert_allclose(accel, a_true, rtol=1e-12)


def test_drag_clipped_to_slowing():
    """An estimate speeding the body along its path gives gravity only (drag never pushes)."""
    pos, vel = np.zeros(3), np.array([700.0, 0.0, -700.0])
    a = gravity_mps2(pos) + 5.0 * vel / np.linalg.norm(vel)
    np.testing.assert_allclose(ballistic_accel(pos, vel, a, True), gravity_mps2(pos))


def test_drag_aware_prediction_beats_gravity_only():
    """Extrapolated 30 s with the differenced drag, a re-entering rocket is a third closer."""
    x0 = np.array([0.0, 0.0, 22000.0, 800.0, 0.0, -300.0])
    t_eval = np.array([0.0, ACCEL_BASELINE_S, 2.0 * ACCEL_BASELINE_S, 34.0])
    s = _dragged_ballistic(34.0, x0, t_eval)
    # the command post sees the velocity at three instants (two differences)
    accel, ref_v, ref_t, count = np.zeros(3), np.zeros(3), np.array(-np.inf), np.array(0)
    for i in range(3):
        accel, ref_v, ref_t, count = update_accel(accel, ref_v, ref_t, s[i, 3:], t_eval[i],
                                                  count)
    p, v = s[2, :3], s[2, 3:]
    tau = t_eval[3] - t_eval[2]
    a_pred = ballistic_accel(p, v, accel, True)
    err_drag = np.linalg.norm(p + v * tau + 0.5 * a_pred * tau**2 - s[3, :3])
    g = gravity_mps2(p)
    err_grav = np.linalg.norm(p + v * tau + 0.5 * g * tau**2 - s[3, :3])
    assert err_drag < 0.67 * err_grav

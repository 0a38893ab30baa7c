"""Miss distance of a lagged proportional-navigation loop against Zarchan's closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from triumf.engage.dynamics import MissileKinematics, step
from triumf.engage.endgame import closest_approach
from triumf.engage.guidance import pn_acceleration
from triumf.engage.homing import lag_step

V_MISSILE = 3000.0
V_TARGET = 300.0
N_T = 1.0  # target step manoeuvre, m/s^2 (small: the engagement stays linear)
TAU = 1.0


def _kin() -> MissileKinematics:
    """A missile with no motor, no drag and a lateral limit far above the commands."""
    return MissileKinematics(
        launch_mass_kg=100.0, burnout_mass_kg=100.0, boost_thrust_n=0.0, boost_time_s=0.0,
        sustain_thrust_n=0.0, sustain_time_s=0.0, ref_area_m2=0.01, cd0=0.0,
        max_lateral_accel_mps2=1e6, cn_max=1e6, gas_dynamic=True, gas_dynamic_accel_mps2=1e6,
    )


def _planar_miss(t_final: np.ndarray, nav_gain: np.ndarray, tau: float, dt: float) -> np.ndarray:
    """Signed miss (target minus missile, across the initial line of sight) at closest
    approach, for a batch of flight times, flown with the project's PN, lag and RK4 step."""
    n = t_final.size
    vc = V_MISSILE + V_TARGET
    pm = np.zeros((n, 3))
    vm = np.tile([V_MISSILE, 0.0, 0.0], (n, 1))
    pt = np.zeros((n, 3))
    pt[:, 0] = vc * t_final
    vt = np.tile([-V_TARGET, 0.0, 0.0], (n, 1))
    at = np.array([0.0, N_T, 0.0])
    acc = np.zeros((n, 3))
    miss = np.full(n, np.nan)
    live = np.ones(n, bool)
    kin = _kin()
    t = 0.0
    while live.any():
        cmd = pn_acceleration(pt - pm, vt - vm, vm, nav_gain)
        acc, a_mean = lag_step(acc, cmd, tau, dt)
        pm_new, vm_new = step(pm, vm, 0.0, a_mean, dt, kin, include_gravity=False)
        pt_new = pt + vt * dt + 0.5 * at * dt * dt
        vt_new = vt + at * dt
        r0 = pt - pm
        v_rel = ((pt_new - pm_new) - r0) / dt
        t_star, _ = closest_approach(r0, v_rel, dt)
        done = live & (t_star < dt) & (np.sum(r0 * v_rel, axis=-1) < 0.0)
        rel = r0 + v_rel * t_star[:, None]
        miss[done] = rel[done, 1]
        live &= ~done
        pm, vm, pt, vt = pm_new, vm_new, pt_new, vt_new
        t += dt
    return miss


def _zarchan_normalised_miss(x: np.ndarray, nav_gain: int) -> np.ndarray:
    """Miss / (nT tau^2) for a step target manoeuvre, single-lag loop, at x = tF / tau:
    the inverse Laplace transform of (1/s^3) (s tau / (1 + s tau))^N' (Zarchan, ch. 6)."""
    num = np.zeros(nav_gain - 2)
    num[0] = 1.0  # s^(N'-3), tau = 1
    den = np.poly1d([1.0, 1.0]) ** nav_gain
    grid = np.linspace(0.0, 10.0, 10001)
    _, y = signal.impulse((num, den.coeffs), T=grid)
    return np.asarray(np.interp(x, grid, y))


def test_zarchan_closed_form_for_n3_matches_scipy_inverse_laplace() -> None:
    """The SciPy inverse transform reproduces Zarchan's N'=3 closed form 0.5 x^2 e^-x."""
    x = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    np.testing.assert_allclose(_zarchan_normalised_miss(x, 3), 0.5 * x**2 * np.exp(-x),
                               rtol=1e-6)


def test_step_manoeuvre_miss_with_first_order_lag_matches_zarchan() -> None:
    """Lagged PN miss for a step manoeuvre (N' = 3, 4, 5) is within 1 % of Zarchan's curve."""
    x = np.array([1.0, 2.0, 3.0, 4.5])
    gains = np.array([3, 4, 5])
    xx, gg = np.meshgrid(x, gains)
    miss = _planar_miss(xx.ravel() * TAU, gg.ravel().astype(float), TAU, dt=0.0005)
    miss = miss.reshape(xx.shape) / (N_T * TAU**2)
    for row, n in zip(miss, gains, strict=True):
        expected = _zarchan_normalised_miss(x, int(n))
        peak = np.max(np.abs(_zarchan_normalised_miss(np.linspace(0.1, 10.0, 100), int(n))))
        np.testing.assert_allclose(row, expected, atol=0.01 * peak)


def test_lag_step_matches_the_exact_exponential_response() -> None:
    """Repeated lag steps follow a_cmd (1 - exp(-t / tau)) exactly for a held command."""
    a = np.zeros(3)
    cmd = np.array([0.0, 10.0, 0.0])
    for _ in range(7):
        a, _ = lag_step(a, cmd, 0.3, 0.1)
    np.testing.assert_allclose(a[1], 10.0 * (1.0 - np.exp(-0.7 / 0.3)), rtol=1e-12)


def test_lag_step_mean_integrates_the_response() -> None:
    """The mean over a step equals the time average of the exact response (quadrature)."""
    tau, h, a0, c = 0.4, 0.25, 3.0, -2.0
    s = np.linspace(0.0, h, 20001)
    exact = np.trapezoid(c + (a0 - c) * np.exp(-s / tau), s) / h
    _, mean = lag_step(np.array([a0, 0, 0]), np.array([c, 0, 0]), tau, h)
    assert mean[0] == pytest.approx(exact, rel=1e-8)

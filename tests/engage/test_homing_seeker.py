"""Seeker geometry, line-of-sight noise and augmented proportional navigation."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.core import rng
from triumf.engage.dynamics import MissileKinematics, step
from triumf.engage.guidance import pn_acceleration
from triumf.engage.homing import (
    apn_acceleration,
    noisy_line_of_sight,
    off_boresight_rad,
    seeker_can_acquire,
)


def test_off_boresight_closed_form() -> None:
    """The angle between a velocity along x and a line of sight at 30 degrees is 30 degrees."""
    r = np.array([np.cos(np.pi / 6), np.sin(np.pi / 6), 0.0]) * 5000.0
    assert off_boresight_rad(r, [700.0, 0.0, 0.0]) == pytest.approx(np.pi / 6, rel=1e-12)


def test_seeker_needs_range_and_field_of_regard() -> None:
    """Acquisition needs the body inside both the range and the field of regard."""
    v = np.array([1000.0, 0.0, 0.0])

    def at(deg: float, dist: float) -> np.ndarray:
        a = np.deg2rad(deg)
        return dist * np.array([np.cos(a), np.sin(a), 0.0])

    r = np.stack([at(40, 10e3), at(50, 10e3), at(10, 30e3)])
    ok = seeker_can_acquire(r, v, 20e3, np.deg2rad(45.0))
    assert ok.tolist() == [True, False, False]


def test_line_of_sight_noise_keeps_range_and_has_the_set_spread() -> None:
    """Noisy lines of sight keep the range; their angle error has mean square 2 sigma^2."""
    n = 20000
    sigma = 1e-3
    r = np.tile([3000.0, 4000.0, 12000.0], (n, 1))
    draws = rng.normal(rng.replication_keys(3, range(1)), 0, (n, 2))[0]
    meas = noisy_line_of_sight(r, sigma, draws)
    np.testing.assert_allclose(np.linalg.norm(meas, axis=-1), 13000.0, rtol=1e-12)
    cosang = np.sum(meas * r, axis=-1) / 13000.0**2
    ang = np.arccos(np.clip(cosang, -1.0, 1.0))
    # two independent normal axes: the squared angle is sigma^2 chi-square(2), mean 2 sigma^2
    assert np.mean(ang**2) == pytest.approx(2.0 * sigma**2, rel=0.05)


def test_apn_without_target_acceleration_is_pn() -> None:
    """APN reduces to true PN when the target does not accelerate."""
    r = np.array([8000.0, 300.0, -200.0])
    v = np.array([-2500.0, 40.0, 10.0])
    vm = np.array([2000.0, 50.0, 30.0])
    np.testing.assert_allclose(apn_acceleration(r, v, vm, 4.0, np.zeros(3)),
                               pn_acceleration(r, v, vm, 4.0), atol=1e-12)


def test_apn_command_against_step_manoeuvre_matches_zarchan() -> None:
    """Zero-lag APN against a step manoeuvre commands (N'/2) nT (1 - t/tF)^(N'-2) (Zarchan)."""
    kin = MissileKinematics(
        launch_mass_kg=100.0, burnout_mass_kg=100.0, boost_thrust_n=0.0, boost_time_s=0.0,
        sustain_thrust_n=0.0, sustain_time_s=0.0, ref_area_m2=0.01, cd0=0.0,
        max_lateral_accel_mps2=1e6, cn_max=1e6, gas_dynamic=True, gas_dynamic_accel_mps2=1e6,
    )
    nav, n_t, dt = 4.0, 1.0, 0.001
    pm, vm = np.zeros(3), np.array([3000.0, 0.0, 0.0])
    pt, vt = np.array([33000.0, 0.0, 0.0]), np.array([-300.0, 0.0, 0.0])
    at = np.array([0.0, n_t, 0.0])
    cmds = []
    for _ in range(5000):  # 5 s of a 10 s flight
        cmd = apn_acceleration(pt - pm, vt - vm, vm, nav, at)
        cmds.append(cmd[1])
        pm, vm = step(pm, vm, 0.0, cmd, dt, kin, include_gravity=False)
        pt, vt = pt + vt * dt + 0.5 * at * dt * dt, vt + at * dt
    t = np.arange(5000) * dt
    expected = 0.5 * nav * n_t * (1.0 - t / 10.0) ** (nav - 2.0)
    np.testing.assert_allclose(cmds, expected, rtol=0.01)

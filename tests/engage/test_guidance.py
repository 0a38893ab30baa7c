"""Tests of the guidance laws: PN against Zarchan's linear homing loop, limits and lofting."""

import numpy as np
import pytest

from triumf.core.earth import EARTH_RADIUS_M, ground_range_m, map_to_enu, up_unit
from triumf.engage.guidance import (
    intercept_command,
    limit_acceleration,
    loft_aim_point,
    pn_acceleration,
    turn_acceleration,
)

# Zarchan's standard example (references.md section 3.1), feet and seconds.
VM_FPS, VC_FPS, TF_S = 3000.0, 4000.0, 10.0
HE_RAD = np.deg2rad(-20.0)
GAINS = np.array([3.0, 4.0, 5.0])
# The linear loop is linear in its inputs: fly it at a tiny amplitude, where PN's geometry is
# exactly linear, and scale back up. At full amplitude the LOS angle reaches 0.13 rad and the
# exact PN of a real geometry departs from the linearised law by several per cent.
AMPLITUDE = 1e-4
DT_S = 5e-3


def linear_homing_loop(
    nav_gain: np.ndarray, heading_error_rad: np.ndarray, target_accel: np.ndarray
):
    """RK4 of y'' = n_T - n_c with n_c from pn_acceleration in the linear geometry.

    Returns n_c at t = 0, 5, 9 s and y, y' at t_F - DT_S, all divided by AMPLITUDE.
    """
    y = np.zeros_like(nav_gain)
    yd = np.full_like(nav_gain, -VM_FPS * heading_error_rad * AMPLITUDE)
    nt = target_accel * AMPLITUDE
    vm = np.tile([VM_FPS, 0.0, 0.0], (nav_gain.size, 1))

    def n_c(t: float, y: np.ndarray, yd: np.ndarray) -> np.ndarray:
        t_go = TF_S - t
        zero = np.zeros_like(y)
        r = np.stack([np.full_like(y, VC_FPS * t_go), y, zero], axis=-1)
        v = np.stack([np.full_like(y, -VC_FPS), yd, zero], axis=-1)
        return pn_acceleration(r, v, vm, nav_gain)[:, 1]

    def f(t: float, y: np.ndarray, yd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return yd, nt - n_c(t, y, yd)

    recorded = {0: n_c(0.0, y, yd)}
    n_steps = int(round((TF_S - DT_S) / DT_S))
    for k in range(n_steps):
        t = k * DT_S
        k1 = f(t, y, yd)
        k2 = f(t + DT_S / 2, y + DT_S / 2 * k1[0], yd + DT_S / 2 * k1[1])
        k3 = f(t + DT_S / 2, y + DT_S / 2 * k2[0], yd + DT_S / 2 * k2[1])
        k4 = f(t + DT_S, y + DT_S * k3[0], yd + DT_S * k3[1])
        y = y + DT_S / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        yd = yd + DT_S / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        step_index = k + 1
        if step_index in (int(round(5.0 / DT_S)), int(round(9.0 / DT_S))):
            recorded[int(round(step_index * DT_S))] = n_c(step_index * DT_S, y, yd)
    return {key: val / AMPLITUDE for key, val in recorded.items()}, y / AMPLITUDE, yd / AMPLITUDE


@pytest.fixture(scope="module")
def both_runs():
    """Heading-error cases (N' = 3, 4, 5) and unit step-manoeuvre cases, in one batch."""
    gains = np.concatenate([GAINS, GAINS])
    he = np.array([HE_RAD] * 3 + [0.0] * 3)
    nt = np.array([0.0] * 3 + [1.0] * 3)
    n_c, y, yd = linear_homing_loop(gains, he, nt)
    return (
        ({t: v[:3] for t, v in n_c.items()}, y[:3], yd[:3]),
        ({t: v[3:] for t, v in n_c.items()}, y[3:], yd[3:]),
    )


@pytest.fixture(scope="module")
def heading_error_run(both_runs):
    return both_runs[0]


@pytest.fixture(scope="module")
def step_manoeuvre_run(both_runs):
    return both_runs[1]


def test_pn_heading_error_table(heading_error_run) -> None:
    """Heading-error n_c at t = 0, 5, 9 s matches Zarchan's table for N' = 3, 4, 5 to 1 %."""
    n_c, _, _ = heading_error_run
    table = {
        0: [314.16, 418.88, 523.60],
        5: [157.08, 104.72, 65.45],
        9: [31.42, 4.19, 0.52],
    }
    for t, expected in table.items():
        np.testing.assert_allclose(n_c[t], expected, rtol=1e-2)


def test_pn_heading_error_closed_form(heading_error_run) -> None:
    """Heading-error n_c follows -(V_M HE N'/t_F)(1 - t/t_F)^(N'-2) to 1e-4."""
    n_c, _, _ = heading_error_run
    for t in (0, 5, 9):
        expected = -(VM_FPS * HE_RAD * GAINS / TF_S) * (1 - t / TF_S) ** (GAINS - 2)
        np.testing.assert_allclose(n_c[t], expected, rtol=1e-4)


def test_pn_step_manoeuvre_table(step_manoeuvre_run) -> None:
    """Step-manoeuvre n_c/n_T at t = 5, 9 s matches Zarchan's table to 1 %."""
    n_c, _, _ = step_manoeuvre_run
    np.testing.assert_allclose(n_c[5], [1.500, 1.500, 1.458], rtol=1e-2)
    np.testing.assert_allclose(n_c[9], [2.700, 1.980, 1.665], rtol=1e-2)


def test_pn_zero_miss(heading_error_run, step_manoeuvre_run) -> None:
    """Zero-lag PN leaves no miss: the zero-effort miss y + y' t_go vanishes near t_F."""
    for _, y, yd in (heading_error_run, step_manoeuvre_run):
        zem = y + yd * DT_S
        # a heading error of 20 deg would miss by V_M HE t_F = 10 472 ft without guidance
        assert np.all(np.abs(zem) < 1e-3)


def test_pn_heading_error_separation(heading_error_run) -> None:
    """y(t) = t_go V_M HE ((t_go/t_F)^(N'-1) - 1)/(N'-1), closing to 0 at t_F (closed form)."""
    _, y, _ = heading_error_run
    t_go = DT_S
    expected = t_go * VM_FPS * HE_RAD * ((t_go / TF_S) ** (GAINS - 1) - 1) / (GAINS - 1)
    np.testing.assert_allclose(y, expected, rtol=1e-3)


def test_pn_perpendicular_to_missile_velocity() -> None:
    """PN output has no component along the missile velocity, for random 3-D geometries."""
    rng = np.random.default_rng(3)
    r = rng.normal(size=(200, 3)) * 1e4
    v = rng.normal(size=(200, 3)) * 500
    vm = rng.normal(size=(200, 3)) * 800
    a = pn_acceleration(r, v, vm, 4.0)
    cos = np.sum(a * vm, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(vm, axis=-1))
    assert np.max(np.abs(cos)) < 1e-12


def test_pn_matches_cross_product_form() -> None:
    """Where v_missile is along the LOS, PN equals N' Vc (Omega x u) written with cross products."""
    rng = np.random.default_rng(4)
    r = rng.normal(size=(50, 3)) * 1e4
    v = rng.normal(size=(50, 3)) * 500
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    omega = np.cross(r, v) / rn**2
    vc = -np.sum(r * v, axis=-1, keepdims=True) / rn
    expected = 3.0 * vc * np.cross(omega, r / rn)
    np.testing.assert_allclose(pn_acceleration(r, v, r, 3.0), expected, rtol=1e-10, atol=1e-12)


def test_limit_acceleration() -> None:
    """Vectors above the limit are scaled to it with their direction kept; others unchanged."""
    a = np.array([[30.0, 40.0, 0.0], [1.0, 2.0, 2.0], [0.0, 0.0, 0.0]])
    out = limit_acceleration(a, np.array([10.0, 10.0, 10.0]))
    np.testing.assert_allclose(out[0], [6.0, 8.0, 0.0])
    np.testing.assert_allclose(out[1:], a[1:])


def test_loft_aim_point() -> None:
    """The aim point is raised along the local vertical by loft_factor x (range - hand-over)."""
    missile = np.zeros(3)
    target = map_to_enu(150e3, 0.0, 10e3)
    aim = loft_aim_point(missile, target, 0.2, 50e3, handover_range_m=20e3)
    loft = 0.2 * (150e3 - 20e3)
    np.testing.assert_allclose(aim, target + loft * up_unit(target), atol=1e-6)
    assert ground_range_m(aim, target) < 1e-6


def test_loft_clamped_and_zero_inside_handover() -> None:
    """Loft is capped at max_loft_m far out and is zero inside the hand-over range."""
    missile = np.zeros((2, 3))
    target = map_to_enu(np.array([400e3, 15e3]), 0.0, 5e3)
    aim = loft_aim_point(missile, target, 0.3, 25e3, handover_range_m=20e3)
    radial = np.linalg.norm(aim + [0, 0, EARTH_RADIUS_M], axis=-1)
    np.testing.assert_allclose(radial - EARTH_RADIUS_M, [30e3, 5e3], atol=1e-6)


def test_turn_acceleration_direction_and_size() -> None:
    """A vertical missile with the LOS horizontal turns toward it at K v (theta - theta0)."""
    a = turn_acceleration([1e4, 0.0, 0.0], [0.0, 0.0, 100.0], 2.0, np.deg2rad(30.0))
    np.testing.assert_allclose(a, [2.0 * 100.0 * np.deg2rad(60.0), 0.0, 0.0])
    assert np.all(turn_acceleration([1e4, 0.0, 1e4], [0.0, 0.0, 100.0], 2.0, np.pi / 3) == 0.0)


def test_intercept_command_perpendicular() -> None:
    """The full command is perpendicular to the missile velocity."""
    rng = np.random.default_rng(5)
    pos = rng.normal(size=(100, 3)) * 1e3
    vel = rng.normal(size=(100, 3)) * 500
    tgt = rng.normal(size=(100, 3)) * 1e5
    a = intercept_command(pos, vel, tgt, np.zeros((100, 3)), 4.0, 0.2, 30e3)
    assert np.max(np.abs(np.sum(a * vel, axis=-1))) < 1e-6 * np.max(np.abs(a)) * 1e3

"""Tests of the 3-DOF point-mass interceptor dynamics against closed forms."""

import numpy as np
import pytest
from missile_kinematics import kinematics
from scipy.optimize import brentq

from triumf.core.atmosphere import isa
from triumf.core.earth import EARTH_RADIUS_M, MU_EARTH_M3PS2
from triumf.engage.dynamics import (
    drag_coefficient,
    lateral_limit_mps2,
    step,
    thrust_and_mass,
)


def fly(pos, vel, kin, t_end, dt, accel_cmd=None, include_gravity=True):
    pos = np.asarray(pos, float)
    vel = np.asarray(vel, float)
    cmd = np.zeros_like(pos) if accel_cmd is None else np.asarray(accel_cmd, float)
    n = int(round(t_end / dt))
    t = np.zeros(pos.shape[:-1])
    for _ in range(n):
        pos, vel = step(pos, vel, t, cmd, dt, kin, include_gravity=include_gravity)
        t = t + dt
    return pos, vel


def test_radial_free_fall_closed_form() -> None:
    """A drop from rest at 100 km in vacuum follows the radial Kepler fall time t(r)."""
    r0 = EARTH_RADIUS_M + 100e3
    t_end = 120.0
    pos, _ = fly([0.0, 0.0, 100e3], [0.0, 0.0, 0.0], kinematics(), t_end, 0.5)

    def fall_time(r: float) -> float:
        x = r / r0
        scale = np.sqrt(r0**3 / (2 * MU_EARTH_M3PS2))
        return scale * (np.sqrt(x * (1 - x)) + np.arccos(np.sqrt(x)))

    r_true = brentq(lambda r: fall_time(r) - t_end, EARTH_RADIUS_M, r0 * (1 - 1e-12))
    r_sim = np.linalg.norm(pos + [0.0, 0.0, EARTH_RADIUS_M])
    assert r_sim == pytest.approx(r_true, abs=1e-3)
    assert abs(pos[0]) < 1e-9 and abs(pos[1]) < 1e-9


def test_circular_orbit_closed_form() -> None:
    """A body at circular speed at 200 km turns through the angle n t about the Earth's centre."""
    r = EARTH_RADIUS_M + 200e3
    v = np.sqrt(MU_EARTH_M3PS2 / r)
    t_end = 300.0
    pos, vel = fly([0.0, 0.0, 200e3], [v, 0.0, 0.0], kinematics(), t_end, 1.0)
    theta = v / r * t_end
    expected = [r * np.sin(theta), 0.0, r * np.cos(theta) - EARTH_RADIUS_M]
    np.testing.assert_allclose(pos, expected, atol=1e-2)
    assert np.linalg.norm(vel) == pytest.approx(v, rel=1e-10)


def test_rocket_equation() -> None:
    """Without drag or gravity the speed gain is c ln(m0 / mf), with and without a sustainer."""
    kin = kinematics(
        boost_thrust_n=np.array([60e3, 80e3]),
        boost_time_s=np.array([10.0, 4.0]),
        sustain_thrust_n=np.array([0.0, 20e3]),
        sustain_time_s=np.array([0.0, 8.0]),
    )
    v0 = 50.0
    pos = np.zeros((2, 3))
    vel = np.tile([v0, 0.0, 0.0], (2, 1))
    _, vel = fly(pos, vel, kin, 12.0, 0.05, include_gravity=False)
    c = (kin.boost_thrust_n * kin.boost_time_s + kin.sustain_thrust_n * kin.sustain_time_s) / 400.0
    expected = v0 + c * np.log(1000.0 / 600.0)
    np.testing.assert_allclose(np.linalg.norm(vel, axis=-1), expected, rtol=1e-4)


def test_drag_coasting_closed_form() -> None:
    """A coasting body at constant density slows as v0 / (1 + k v0 t) and travels ln(1+k v0 t)/k."""
    mass, area, cd0, v0, t_end = 50.0, 0.05, 0.3, 250.0, 0.5  # Mach 0.73: flat drag shape
    kin = kinematics(launch_mass_kg=mass, burnout_mass_kg=mass, ref_area_m2=area, cd0=cd0)
    pos, vel = fly([0.0, 0.0, 0.0], [v0, 0.0, 0.0], kin, t_end, 0.01, include_gravity=False)
    k = 1.225 * area * cd0 / (2 * mass)
    assert np.linalg.norm(vel) == pytest.approx(v0 / (1 + k * v0 * t_end), rel=1e-6)
    assert pos[0] == pytest.approx(np.log1p(k * v0 * t_end) / k, rel=1e-6)


def test_drag_shape_transonic() -> None:
    """The drag coefficient is cd0 subsonic, 2 cd0 at Mach 1.1 and back to cd0 at Mach 6."""
    cd = drag_coefficient([0.3, 1.1, 6.0, 20.0], 0.25)
    np.testing.assert_allclose(cd, [0.25, 0.5, 0.25, 0.25])


def test_thrust_and_mass_profile() -> None:
    """Mass falls linearly in each burn at a shared exhaust velocity and is constant outside."""
    kin = kinematics(
        boost_thrust_n=30e3, boost_time_s=5.0, sustain_thrust_n=10e3, sustain_time_s=5.0
    )
    t = np.array([-1.0, 0.0, 2.5, 5.0, 7.5, 10.0, 20.0])
    thrust, mass = thrust_and_mass(t, kin)
    # total impulse 200 kN s for 400 kg of propellant: 0.002 kg per N s
    np.testing.assert_allclose(thrust, [0, 30e3, 30e3, 10e3, 10e3, 0, 0])
    np.testing.assert_allclose(mass, [1000, 1000, 850, 700, 650, 600, 600])


def test_lateral_limit_aero_structural_gas() -> None:
    """The limit is q S cn / m when low, the structural cap when high, the gas floor at low q."""
    kin = kinematics(
        max_lateral_accel_mps2=np.array([300.0, 300.0, 300.0]),
        gas_dynamic=np.array([False, False, True]),
        gas_dynamic_accel_mps2=np.array([0.0, 0.0, 150.0]),
    )
    pos = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 40e3]])
    vel = np.array([[50.0, 0.0, 0.0], [1000.0, 0.0, 0.0], [200.0, 0.0, 0.0]])
    lim = lateral_limit_mps2(pos, vel, np.full(3, 1000.0), kin)
    q0 = 0.5 * 1.225 * 50.0**2
    assert lim[0] == pytest.approx(q0 * 0.1 * 10.0 / 1000.0, rel=1e-4)
    assert lim[1] == pytest.approx(300.0)
    assert lim[2] == pytest.approx(150.0)


def test_lateral_command_uniform_circle() -> None:
    """A constant lateral command in free space turns the velocity on a circle of radius v^2/a."""
    kin = kinematics(max_lateral_accel_mps2=1e4, gas_dynamic=True, gas_dynamic_accel_mps2=1e4)
    v, a = 800.0, 200.0
    start = np.array([0.0, 0.0, 200e3])  # thin air, cd0 = 0
    pos, vel = start.copy(), np.array([v, 0.0, 0.0])
    t, dt = 0.0, 0.01
    for _ in range(400):
        # command toward the centre of the circle, re-aimed each step
        cmd = a * np.cross([0.0, 1.0, 0.0], vel) / v
        pos, vel = step(pos, vel, t, cmd, dt, kin, include_gravity=False)
        t += dt
    radius = v**2 / a
    omega = a / v
    expected = start + radius * np.array([np.sin(omega * t), 0.0, np.cos(omega * t) - 1.0])
    assert np.linalg.norm(vel) == pytest.approx(v, rel=1e-6)
    np.testing.assert_allclose(pos, expected, atol=0.5)


def test_command_clipped_to_limit() -> None:
    """A command above the structural limit accelerates laterally at the limit only."""
    kin = kinematics(max_lateral_accel_mps2=100.0, cn_max=1e6)
    _, vel = step(
        [0.0, 0.0, 0.0], [500.0, 0.0, 0.0], 0.0, [0.0, 1e4, 0.0], 1e-3, kin, include_gravity=False
    )
    assert vel[1] == pytest.approx(100.0 * 1e-3, rel=1e-6)


def test_zero_dt_and_batch_shapes() -> None:
    """dt broadcasts per missile; dt = 0 leaves that missile unchanged."""
    kin = kinematics(cd0=0.3)
    pos = np.zeros((2, 3, 3))
    vel = np.full((2, 3, 3), 300.0)
    dt = np.array([[0.0, 0.1, 0.2], [0.0, 0.0, 0.1]])
    p1, v1 = step(pos, vel, np.zeros((2, 3)), np.zeros((2, 3, 3)), dt, kin)
    assert p1.shape == (2, 3, 3)
    np.testing.assert_array_equal(p1[dt == 0.0], pos[dt == 0.0])
    np.testing.assert_array_equal(v1[dt == 0.0], vel[dt == 0.0])
    assert np.all(p1[dt > 0.0] != 0.0)


def test_isa_sound_speed_used_for_mach() -> None:
    """At Mach 1.1 (sound speed from ISA at 11 km) the deceleration uses twice cd0."""
    _, _, rho, a = isa(11_000.0)
    v = 1.1 * a
    kin = kinematics(launch_mass_kg=100.0, burnout_mass_kg=100.0, cd0=0.2, ref_area_m2=0.02)
    dt = 1e-4
    _, vel = step(
        [0.0, 0.0, 11_000.0], [v, 0.0, 0.0], 0.0, np.zeros(3), dt, kin, include_gravity=False
    )
    decel = (v - np.linalg.norm(vel)) / dt
    assert decel == pytest.approx(0.5 * rho * v**2 * 0.02 * 0.4 / 100.0, rel=1e-3)


def test_coasting_acceleration_is_core_gravity() -> None:
    """Without thrust, drag or command, the acceleration equals core.earth.gravity_mps2."""
    from triumf.core.earth import gravity_mps2
    from triumf.engage.dynamics import acceleration

    rng = np.random.default_rng(7)
    pos = rng.uniform(-300e3, 300e3, size=(50, 3))
    vel = rng.normal(size=(50, 3)) * 1e3
    acc = acceleration(pos, vel, np.full(50, 100.0), np.zeros((50, 3)), kinematics())
    np.testing.assert_allclose(acc, gravity_mps2(pos), rtol=1e-12)


def test_take_selects_types() -> None:
    """take maps per-type parameters (Nt,) onto per-missile indices (R, M)."""
    kin = kinematics(launch_mass_kg=np.array([1000.0, 2000.0]), cd0=np.array([0.1, 0.2]))
    sel = kin.take(np.array([[1, 0, 1]]))
    assert sel.shape == (1, 3)
    np.testing.assert_array_equal(sel.launch_mass_kg, [[2000.0, 1000.0, 2000.0]])
    np.testing.assert_array_equal(sel.burnout_mass_kg, np.full((1, 3), 600.0))

"""Tests of the fly-out table builder against closed forms and invariants."""

import numpy as np
import pytest
from missile_kinematics import kinematics as shared_kinematics
from scipy.optimize import brentq

from triumf.core.earth import EARTH_RADIUS_M, map_to_enu
from triumf.engage.dynamics import MissileKinematics
from triumf.engage.flyout import build_flyout_table

G0 = 9.80665


def kinematics(**overrides: object) -> MissileKinematics:
    """The shared test missile, made gas-dynamic (200 m/s^2 either way) with a 500 kg burnout."""
    base: dict[str, object] = dict(burnout_mass_kg=500.0, max_lateral_accel_mps2=200.0,
                                   gas_dynamic=True, gas_dynamic_accel_mps2=200.0)
    base.update(overrides)
    return shared_kinematics(**base)


def distances(ranges: np.ndarray, alts: np.ndarray) -> np.ndarray:
    rr, aa = np.meshgrid(ranges, alts, indexing="ij")
    return np.linalg.norm(map_to_enu(rr, np.zeros_like(rr), aa), axis=-1)


def test_constant_speed_tof_is_distance_over_speed() -> None:
    """Without thrust, drag or gravity, tof = distance / speed (exactly straight up)."""
    speed = 1000.0
    ranges = np.array([0.0, 20e3, 40e3, 60e3])
    alts = np.array([5e3, 10e3, 20e3])
    agile = kinematics(max_lateral_accel_mps2=2000.0, gas_dynamic_accel_mps2=2000.0)
    table = build_flyout_table(
        agile,
        4.0,
        0.0,
        0.0,
        ranges,
        alts,
        200.0,
        0.0,
        launch_speed_mps=speed,
        vertical_phase_s=0.0,
        include_gravity=False,
    )
    ideal = distances(ranges, alts) / speed
    tof = table.time_s.values
    assert np.all(np.isfinite(tof))
    np.testing.assert_allclose(tof[0], ideal[0], rtol=1e-9)
    # pitch-over (turn radius v^2/a = 500 m) and PN's curved path add a few per cent
    assert np.all(tof >= ideal * (1 - 1e-9))
    np.testing.assert_allclose(tof, ideal, rtol=0.05)
    # lateral acceleration turns the velocity without changing the speed (up to RK4 error)
    np.testing.assert_allclose(table.speed_mps.values, speed, rtol=1e-3)


def test_out_of_time_is_nan() -> None:
    """At constant speed, points farther than speed x max_flight_time are NaN."""
    speed = 1000.0
    ranges = np.array([10e3, 30e3, 50e3])
    alts = np.array([5e3, 10e3])
    table = build_flyout_table(
        kinematics(),
        4.0,
        0.0,
        0.0,
        ranges,
        alts,
        40.0,
        0.0,
        launch_speed_mps=speed,
        vertical_phase_s=0.0,
        include_gravity=False,
    )
    d = distances(ranges, alts)
    assert np.all(np.isnan(table.time_s.values[d > speed * 40.0]))
    assert np.all(np.isfinite(table.time_s.values[d < 0.9 * speed * 40.0]))


def burn_distance(t: float, v0: float, c: float, m0: float, mdot: float) -> float:
    """Distance flown in a straight line while burning, no drag or gravity (closed form).

    s(t) = v0 t + (c m0 / mdot)(1 - u + u ln u), u = m(t) / m0.
    """
    u = (m0 - mdot * t) / m0
    return v0 * t + c * m0 / mdot * (1.0 - u + u * np.log(u))


def test_fuel_limit_and_burn_kinematics() -> None:
    """With min speed above burnout speed, only points inside the burn distance are reachable.

    Straight up, the time of flight inverts the rocket's closed-form distance s(t).
    """
    m0, mf, thrust, tb, v0 = 1000.0, 500.0, 100e3, 10.0, 30.0
    c = thrust * tb / (m0 - mf)
    mdot = (m0 - mf) / tb
    v_burnout = v0 + c * np.log(m0 / mf)
    s_burn = burn_distance(tb, v0, c, m0, mdot)  # 7.29 km
    kin = kinematics(boost_thrust_n=thrust, boost_time_s=tb)
    ranges = np.array([0.0, 3e3, 6e3, 9e3])
    alts = np.array([1e3, 4e3, 7e3, 8e3, 12e3])
    table = build_flyout_table(
        kin,
        4.0,
        0.0,
        0.0,
        ranges,
        alts,
        100.0,
        v_burnout + 1.0,
        launch_speed_mps=v0,
        vertical_phase_s=0.0,
        include_gravity=False,
        dt=0.01,
    )
    tof = table.time_s.values
    d = distances(ranges, alts)
    assert np.all(np.isnan(tof[d > s_burn]))
    for j, h in enumerate(alts):
        if h < s_burn:
            expected = brentq(lambda t, h=h: burn_distance(t, v0, c, m0, mdot) - h, 0.0, tb)
            assert tof[0, j] == pytest.approx(expected, rel=1e-6)
            assert table.speed_mps.values[0, j] == pytest.approx(
                v0 + c * np.log(m0 / (m0 - mdot * expected)), rel=1e-6
            )


@pytest.fixture(scope="module")
def realistic_table():
    """A 9M96-class missile (estimates [E]): 330 kg, 0.24 m, ~1000 m/s, 20 g, gas-dynamic."""
    kin = MissileKinematics(
        launch_mass_kg=330.0,
        burnout_mass_kg=180.0,
        boost_thrust_n=150.0 * 2300.0 / 8.0,
        boost_time_s=8.0,
        sustain_thrust_n=0.0,
        sustain_time_s=0.0,
        ref_area_m2=np.pi / 4 * 0.24**2,
        cd0=0.3,
        max_lateral_accel_mps2=20 * G0,
        cn_max=6.0,
        gas_dynamic=True,
        gas_dynamic_accel_mps2=20 * G0,
    )
    ranges = np.linspace(2e3, 150e3, 16)
    alts = np.array([100.0, 3e3, 10e3, 20e3])
    return ranges, alts, build_flyout_table(kin, 4.0, 0.1, 10e3, ranges, alts, 200.0, 250.0)


def test_tof_grows_with_range(realistic_table) -> None:
    """With drag and gravity, time of flight increases with ground range at every altitude."""
    _, _, table = realistic_table
    tof = table.time_s.values
    for j in range(tof.shape[1]):
        col = tof[:, j][np.isfinite(tof[:, j])]
        assert col.size >= 3
        assert np.all(np.diff(col) > 0.0)


def test_finite_reach(realistic_table) -> None:
    """The table is finite near the launcher and NaN beyond the reach of the fuel."""
    ranges, _, table = realistic_table
    tof = table.time_s.values
    assert np.all(np.isfinite(tof[ranges < 20e3]))
    assert np.all(np.isnan(tof[ranges > 120e3]))
    # along each altitude the reachable ranges form one block: no holes inside the envelope
    for j in range(tof.shape[1]):
        idx = np.nonzero(np.isfinite(tof[:, j]))[0]
        assert np.all(np.diff(idx) == 1)


def test_speed_below_burnout_bound(realistic_table) -> None:
    """Speed at the point never exceeds the vacuum, gravity-free rocket-equation bound."""
    _, _, table = realistic_table
    bound = 30.0 + 2300.0 * np.log(330.0 / 180.0)
    speeds = table.speed_mps.values
    assert np.nanmax(speeds) < bound
    assert np.all(np.isnan(speeds) == np.isnan(table.time_s.values))


def test_geometry_is_on_the_sphere() -> None:
    """Grid points are east of the launcher at the stated great-circle range and altitude."""
    p = map_to_enu(100e3, 0.0, 10e3)
    r = p + [0.0, 0.0, EARTH_RADIUS_M]
    assert np.linalg.norm(r) - EARTH_RADIUS_M == pytest.approx(10e3)
    assert EARTH_RADIUS_M * np.arctan2(r[0], r[2]) == pytest.approx(100e3)

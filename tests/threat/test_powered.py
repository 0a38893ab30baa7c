"""Tests of powered ballistic flight against closed forms: Kepler, Tsiolkovsky, terminal speed."""

import numpy as np
import pytest

from triumf.core.atmosphere import isa
from triumf.core.earth import (
    EARTH_RADIUS_M,
    MU_EARTH_M3PS2,
    STANDARD_GRAVITY_MPS2,
    altitude_m,
    gravity_mps2,
    map_to_enu,
)
from triumf.threat.ballistic import impact_time, launch_velocity
from triumf.threat.powered import (
    BallisticBody,
    acceleration,
    drag_coefficient,
    elevation_for_range,
    lateral_limit_mps2,
    launch_direction,
    rk4_step,
)

CENTRE = np.array([0.0, 0.0, EARTH_RADIUS_M])


def body(**kw: float) -> BallisticBody:
    """A body with every figure off unless given."""
    figs = dict(launch_mass_kg=1.0, burnout_mass_kg=1.0, thrust_n=0.0, burn_time_s=1.0,
                ref_area_m2=0.0, cd_subsonic=0.0, cd_peak=0.0, cd_hypersonic=0.0, cn_max=0.0,
                max_lateral_accel_mps2=0.0, rail_speed_mps=0.0)
    figs.update(kw)
    return BallisticBody(**{k: np.asarray(v, dtype=float) for k, v in figs.items()})


def fly(pos, vel, b, t_end, h, thrust_dir=None):
    """Integrate with rk4_step at a fixed step up to t_end."""
    n = int(round(t_end / h))
    u = np.zeros(3) if thrust_dir is None else thrust_dir
    tau = 0.0
    for _ in range(n):
        pos, vel = rk4_step(pos, vel, np.asarray(tau), h, b, u)
        tau += h
    return pos, vel


def test_drag_free_flight_lands_on_kepler_aim_point() -> None:
    """Without thrust or drag, a 600 km shot flown for its Kepler time lands on the aim (30 m)."""
    launch = np.zeros(3)
    aim = map_to_enu(0.0, 600e3, 0.0)
    v0 = launch_velocity(launch, aim, np.deg2rad(40.0))
    t_flight = float(impact_time(launch, v0))
    h = t_flight / 600
    pos, _ = fly(launch, v0, body(), t_flight, h)
    assert np.linalg.norm(pos - aim) < 30.0


def test_drag_free_flight_conserves_energy_and_angular_momentum() -> None:
    """Energy v^2/2 - mu/r and angular momentum r x v are conserved to 1e-9 (relative)."""
    launch = np.zeros(3)
    v0 = launch_velocity(launch, map_to_enu(0.0, 600e3, 0.0), np.deg2rad(40.0))
    pos, vel = fly(launch, v0, body(), 300.0, 0.5)

    def invariants(p, v):
        r = p + CENTRE
        return 0.5 * v @ v - MU_EARTH_M3PS2 / np.linalg.norm(r), np.cross(r, v)

    e0, h0 = invariants(launch, v0)
    e1, h1 = invariants(pos, vel)
    assert abs(e1 - e0) / abs(e0) < 1e-9
    assert np.linalg.norm(h1 - h0) / np.linalg.norm(h0) < 1e-9


def test_short_vacuum_shot_obeys_flat_earth_range() -> None:
    """A 45 deg, 100 m/s shot in vacuum lands at v^2 / g (flat Earth, to 1e-3)."""
    v = 100.0
    v0 = launch_direction(np.zeros(3), map_to_enu(0.0, 1.0, 0.0), np.deg2rad(45.0)) * v
    g = MU_EARTH_M3PS2 / EARTH_RADIUS_M**2
    t_flight = 2 * v * np.sin(np.deg2rad(45.0)) / g
    pos, _ = fly(np.zeros(3), v0, body(), t_flight, t_flight / 200)
    assert pos[1] == pytest.approx(v * v / g, rel=1e-3)
    # the Kepler flight time over the round Earth differs slightly from the flat one
    assert abs(float(altitude_m(pos))) < 0.5


def test_vertical_boost_matches_rocket_equation() -> None:
    """Vertical burn in vacuum: v_b = Isp g0 ln(m0/mb) - g tb (gravity loss), to 2e-3."""
    m0, mb, tb, isp = 1000.0, 400.0, 20.0, 250.0
    thrust = (m0 - mb) / tb * isp * STANDARD_GRAVITY_MPS2
    b = body(launch_mass_kg=m0, burnout_mass_kg=mb, thrust_n=thrust, burn_time_s=tb)
    up = np.array([0.0, 0.0, 1.0])
    _, vel = fly(np.zeros(3), np.zeros(3), b, tb, 0.05, thrust_dir=up)
    g = MU_EARTH_M3PS2 / EARTH_RADIUS_M**2
    expected = isp * STANDARD_GRAVITY_MPS2 * np.log(m0 / mb) - g * tb
    # gravity weakens with height: the body is a little faster than with surface gravity
    assert vel[2] == pytest.approx(expected, rel=2e-3)
    assert vel[2] >= expected


def test_dragged_body_falls_at_terminal_velocity() -> None:
    """A dropped body reaches sqrt(2 m g / (rho Cd A)) at its altitude (to 1e-3)."""
    b = body(launch_mass_kg=1.0, burnout_mass_kg=1.0, ref_area_m2=0.1, cd_subsonic=1.0,
             cd_peak=1.0, cd_hypersonic=1.0)
    pos, vel = fly(np.array([0.0, 0.0, 2000.0]), np.zeros(3), b, 60.0, 0.05)
    h = float(altitude_m(pos))
    assert h > 500.0  # still falling
    rho = float(isa(h)[2])
    g = float(np.linalg.norm(gravity_mps2(pos)))
    v_t = np.sqrt(2.0 * 1.0 * g / (rho * 1.0 * 0.1))
    assert np.linalg.norm(vel) == pytest.approx(v_t, rel=1e-3)


def test_halving_the_step_moves_the_impact_point_less_than_a_metre() -> None:
    """Boost, drag and re-entry at 0.25 s and 0.125 s steps land within 1 m of each other."""
    b = body(launch_mass_kg=600.0, burnout_mass_kg=300.0, thrust_n=47000.0, burn_time_s=15.0,
             ref_area_m2=0.0707, cd_subsonic=0.2, cd_peak=0.4, cd_hypersonic=0.25,
             rail_speed_mps=30.0)
    u = launch_direction(np.zeros(3), map_to_enu(0.0, 1.0, 0.0), np.deg2rad(45.0))
    impacts = []
    for h in (0.25, 0.125):
        pos, vel, tau = np.zeros(3), u * 30.0, 0.0
        while True:
            p_new, v_new = rk4_step(pos, vel, np.asarray(tau), h, b, u)
            if altitude_m(p_new) <= 0.0 and tau > 1.0:
                h0, h1 = altitude_m(pos), altitude_m(p_new)
                impacts.append(pos + h0 / (h0 - h1) * (p_new - pos))
                break
            pos, vel, tau = p_new, v_new, tau + h
    assert np.linalg.norm(impacts[0] - impacts[1]) < 1.0


def test_drag_coefficient_passes_through_its_nodes() -> None:
    """C_D is cd_sub up to Mach 0.8, cd_peak at 1.1, cd_hyp from Mach 4 on."""
    cd = drag_coefficient(np.array([0.0, 0.8, 1.1, 4.0, 8.0]), 0.2, 0.5, 0.3)
    np.testing.assert_allclose(cd, [0.2, 0.2, 0.5, 0.3, 0.3])


def test_lateral_limit_is_dynamic_pressure_or_structure() -> None:
    """The lateral limit is min(a_max, q A cN / m)."""
    lim = lateral_limit_mps2(np.array([1e3, 1e6]), 0.1, 2.0, 100.0, 50.0)
    np.testing.assert_allclose(lim, [2.0, 50.0])


def test_lateral_command_is_capped_and_horizontal() -> None:
    """A huge lateral command gives exactly the limit, horizontal and normal to the velocity."""
    b = body(launch_mass_kg=100.0, burnout_mass_kg=100.0, ref_area_m2=0.1, cn_max=2.0,
             max_lateral_accel_mps2=1000.0)
    pos, vel = np.array([0.0, 0.0, 5000.0]), np.array([0.0, 800.0, -200.0])
    a0 = acceleration(pos, vel, np.asarray(10.0), b, np.zeros(3))
    a1 = acceleration(pos, vel, np.asarray(10.0), b, np.zeros(3), 1e6)
    q = 0.5 * isa(5000.0)[2] * (vel @ vel)
    np.testing.assert_allclose(a1 - a0, [-q * 0.1 * 2.0 / 100.0, 0.0, 0.0], rtol=1e-6)


def test_elevation_for_range_inverts_both_branches() -> None:
    """On R = Rmax sin 2g, the depressed and lofted elevations are asin(R/Rmax)/2 and its mirror."""
    el = np.deg2rad(np.arange(3.0, 88.0, 1.0))
    table = 1e5 * np.sin(2 * el)
    want = np.array([30e3, 70e3, 95e3])
    low = elevation_for_range(el, table, want, False)
    high = elevation_for_range(el, table, want, True)
    exact = 0.5 * np.arcsin(want / 1e5)
    np.testing.assert_allclose(low, exact, atol=2e-3)
    np.testing.assert_allclose(high, np.pi / 2 - exact, atol=2e-3)

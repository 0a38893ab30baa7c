"""Earth rotation terms, induced drag and the adequacy of the fixed integration step."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.core.earth import up_unit
from triumf.engage.dynamics import (
    EARTH_ROTATION_RATE_RADPS,
    MissileKinematics,
    acceleration,
    earth_rate_enu,
    step,
)
from triumf.equipment.database import load_database
from triumf.scenario.compile import _missiles
from triumf.sim.params import SimParams


def _inert(**kw: float) -> MissileKinematics:
    """A motorless, drag-free point mass (overrides in ``kw``)."""
    base = dict(
        launch_mass_kg=100.0, burnout_mass_kg=100.0, boost_thrust_n=0.0, boost_time_s=0.0,
        sustain_thrust_n=0.0, sustain_time_s=0.0, ref_area_m2=0.01, cd0=0.0,
        max_lateral_accel_mps2=1e6, cn_max=1e6, gas_dynamic=False, gas_dynamic_accel_mps2=0.0,
    )
    base.update(kw)
    return MissileKinematics(**base)  # type: ignore[arg-type]


def test_coriolis_deflection_of_a_long_flight_at_the_pole() -> None:
    """Flying north for 200 s at 2 km/s at the pole deflects east by w v t^2 (about 5.8 km)."""
    v, t_end, dt = 2000.0, 200.0, 0.5
    pos, vel = np.zeros(3), np.array([0.0, v, 0.0])
    w = earth_rate_enu(np.pi / 2.0)
    for _ in range(int(t_end / dt)):
        pos, vel = step(pos, vel, 100.0, np.zeros(3), dt, _inert(), include_gravity=False,
                        earth_rate=w)
    expected = EARTH_ROTATION_RATE_RADPS * v * t_end**2
    assert expected > 5000.0
    assert pos[0] == pytest.approx(expected, rel=0.01)


def test_earth_rate_vector_at_the_equator_points_north() -> None:
    """At the equator the rotation vector is horizontal, pointing north."""
    np.testing.assert_allclose(earth_rate_enu(0.0), [0.0, EARTH_ROTATION_RATE_RADPS, 0.0],
                               atol=1e-20)


def test_induced_drag_closed_form() -> None:
    """A lateral pull adds the deceleration k m a^2 / (q S) along the velocity."""
    k, a_lat, m, s_ref = 0.07, 50.0, 500.0, 0.2
    kin = _inert(launch_mass_kg=m, burnout_mass_kg=m, ref_area_m2=s_ref, cn_max=50.0,
                 induced_drag_factor=k)
    pos = np.array([0.0, 0.0, 0.0])
    vel = np.array([800.0, 0.0, 0.0])
    acc = acceleration(pos, vel, np.array(100.0), np.array([0.0, a_lat, 0.0]), kin,
                       include_gravity=False)
    q = 0.5 * 1.225 * 800.0**2  # sea-level ISA density (1976 standard: 1.225 kg/m^3)
    assert acc[0] == pytest.approx(-k * m * a_lat**2 / (q * s_ref), rel=1e-3)
    assert acc[1] == pytest.approx(a_lat, rel=1e-12)


def test_engine_substep_is_adequate_against_a_halved_step() -> None:
    """A 48N6E3 boost and 100 s coast (about 100 km) with the engine's sub-step ends within
    5 m of the same flight at half the step: a quarter of the 20 m lethal radius, and the
    guidance corrects such drift before the endgame."""
    types = _missiles(["48N6E3"], load_database())
    kin = types.kin.take(0)
    dt = SimParams.engage_substep_s

    def fly(h: float) -> np.ndarray:
        pos = np.zeros(3)
        vel = 30.0 * (up_unit(pos) + np.array([1.0, 0.0, 0.0])) / np.sqrt(2.0)
        t = 0.0
        for _ in range(int(round(100.0 / h))):
            pos, vel = step(pos, vel, t, np.zeros(3), h, kin)
            t += h
        return pos

    gap = np.linalg.norm(fly(dt) - fly(dt / 2.0))
    assert gap < 5.0

"""Compiling scenarios into engine arrays: positions, heights, loads."""

import numpy as np

from triumf.core.earth import altitude_m, ground_range_m
from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario, to_enu
from triumf.scenario.load import load_scenario
from triumf.scenario.schema import GeodeticPosition, LocalPosition, Origin

ORIGIN = Origin(latitude_deg=30.0, longitude_deg=75.0, altitude_m=200.0)


def test_local_position_is_ground_distance_and_height():
    """{east_m, north_m, up_m} is a ground distance from the origin and a height above ground."""
    p = to_enu(LocalPosition(east_m=150_000.0, north_m=-80_000.0, up_m=30.0), ORIGIN)
    assert np.isclose(ground_range_m(np.zeros(3), p), np.hypot(150_000.0, 80_000.0), rtol=1e-9)
    assert np.isclose(altitude_m(p), 30.0, atol=1e-6)


def test_geodetic_position_keeps_height_above_origin_ground():
    """A geodetic point 300 km away at 9 km keeps 9 km minus the origin's height."""
    p = to_enu(GeodeticPosition(latitude_deg=30.0, longitude_deg=71.9, altitude_m=9000.0), ORIGIN)
    assert np.isclose(altitude_m(p), 8800.0, atol=0.01)
    assert 290e3 < ground_range_m(np.zeros(3), p) < 310e3


def test_demo_compiles_with_mast_height_and_loads():
    """The demo's 96L6E sits on its mast and every loaded missile is counted once."""
    scn, _ = load_scenario("demo")
    db = load_database()
    params = compile_scenario(scn, db)
    mast = db.get("96L6E").value("mast_height_m")
    low = next(r for r in params.radars if r.type_name == "96L6E")
    assert np.isclose(altitude_m(low.pos), mast, atol=1e-6)
    loaded = sum(sum(fu.missiles.values()) for b in scn.battalions for fu in b.fire_units)
    assert params.loaded.sum() == loaded
    assert params.threats.hostile.sum() == sum(r.count for r in scn.raids)

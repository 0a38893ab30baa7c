"""The report's coverage ring uses the antenna height above the sphere, not the flat-frame z."""

import dataclasses

import numpy as np
import pytest

from triumf.core.earth import EARTH_RADIUS_M, altitude_m, map_to_enu
from triumf.equipment.database import load_database
from triumf.report.html_data import coverage_ranges_m
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario

DB = load_database()


def test_ring_of_a_radar_60_km_out_is_the_closed_form_horizon():
    """Horizon-bound ring equals sqrt(2 k a h1) + sqrt(2 k a h2) with h1 = 30 m above ground."""
    scn, _ = load_scenario("demo", db=DB)
    params = compile_scenario(scn, DB)
    h1 = 30.0
    far = dataclasses.replace(params.radars[0], pos=map_to_enu(60_000.0, 0.0, h1),
                              peak_power_w=1e12, max_range_m=1e8)
    assert float(altitude_m(far.pos)) == pytest.approx(h1)
    assert far.pos[2] < 0.0          # the flat frame's z is below the origin's plane there
    params = dataclasses.replace(params, radars=(far,) + tuple(params.radars[1:]))
    ranges, _, _, h2 = coverage_ranges_m(params)
    ka = params.effective_earth_factor * EARTH_RADIUS_M
    assert ranges[0] == pytest.approx(np.sqrt(2 * ka * h1) + np.sqrt(2 * ka * h2), rel=1e-9)

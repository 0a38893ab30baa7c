"""Compiling the terrain block: the grid, sites standing on it, and the k-factor."""

import numpy as np

from scenario_texts import ORIGIN, battalion_b
from triumf.core.earth import altitude_m
from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario_text


def compile_yaml(text: str):
    scn, _ = load_scenario_text(text, file="test.yaml")
    return compile_scenario(scn, load_database())

BASE = (
    "\nname: t\nduration_s: 10\n" + ORIGIN + "TERRAIN\n"
    + "assets: [{name: A, position: {east_m: 5000, north_m: 0}, value: 1, radius_m: 100}]\n"
    + battalion_b("{name: L1, launcher: 5P85SE2, position: {east_m: 0, north_m: 2000}, "
                  "missiles: {48N6E2: 4}}")
    + "raids: []\n"
)
HILL = """
terrain:
  extent_m: 20000
  spacing_m: 250
  synthetic:
    hills: [{position: {east_m: 0, north_m: 0}, height_m: 300, radius_m: 2000}]
"""


def _hill(d):
    return 300.0 * np.exp(-0.5 * (d / 2000.0) ** 2)


def test_sites_stand_on_the_terrain():
    """Radar antenna = hill height + antenna height; launcher and asset on the hill's flank."""
    p = compile_yaml(BASE.replace("TERRAIN", HILL))
    assert p.terrain is not None
    antenna = 6.0  # 92N6E antenna_height_m
    assert np.isclose(altitude_m(p.radars[0].pos), _hill(0.0) + antenna, atol=1e-6)
    assert np.isclose(altitude_m(p.c2.launcher_pos[0]), _hill(2000.0), rtol=2e-3)
    assert np.isclose(altitude_m(p.c2.asset_pos[0]), _hill(5000.0), rtol=2e-2)


def test_without_terrain_sites_are_on_the_sphere():
    """No terrain block: sites on the sphere, SimParams.terrain None, k = 4/3."""
    p = compile_yaml(BASE.replace("TERRAIN", ""))
    assert p.terrain is None
    assert np.isclose(altitude_m(p.radars[0].pos), 6.0)
    assert p.effective_earth_factor == 4.0 / 3.0


def test_effective_earth_factor_reaches_the_engine():
    """effective_earth_factor in the file is the k the engine gets."""
    p = compile_yaml(BASE.replace("TERRAIN", "effective_earth_factor: 1.0"))
    assert p.effective_earth_factor == 1.0


def test_synthetic_grid_covers_the_extent():
    """The grid spans -extent..+extent every spacing_m."""
    p = compile_yaml(BASE.replace("TERRAIN", HILL))
    t = p.terrain
    assert t.shape == (161, 161)
    assert (t.east0_m, t.north0_m, t.spacing_m) == (-20000.0, -20000.0, 250.0)

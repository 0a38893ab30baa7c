"""Threat profile figures reach the engine; raid overrides and their errors."""

import numpy as np
import pytest
import yaml

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import example_path, load_scenario, load_scenario_text

DB = load_database()


def demo_text() -> str:
    return example_path("demo").read_text(encoding="utf-8")


def compiled(text: str):
    scn, _ = load_scenario_text(text, file="inline", db=DB)
    return compile_scenario(scn, DB)


def test_drone_dive_follows_the_equipment_dive_angle() -> None:
    """The last leg of a Shahed route descends at its terminal_dive_angle_deg."""
    scn, _ = load_scenario("demo", db=DB)
    p = compile_scenario(scn, DB)
    padded = p.threats.route[np.flatnonzero(slots_of(p.threats, "shahed"))[0]]
    route = padded[np.r_[True, np.any(np.diff(padded, axis=0) != 0, axis=1)]]  # unpadded
    drop = route[-2, 2] - route[-1, 2]
    run = np.linalg.norm(route[-1, :2] - route[-2, :2])
    assert np.rad2deg(np.arctan2(drop, run)) == pytest.approx(
        DB.get("shahed").value("terminal_dive_angle_deg"))


def test_equipment_figures_give_each_type_its_profile() -> None:
    """BrahMos weaves, Fatah-1 is boosted, Babur follows terrain, Shahed turns at its bank."""
    p = compiled(demo_text()).threats
    b = DB.get("brahmos")
    np.testing.assert_allclose(p.s_turn_amplitude_m[slots_of(p, "brahmos")],
                               b.value("s_turn_amplitude_m"))
    assert np.all(p.powered == slots_of(p, "fatah-1"))
    assert np.all(p.terrain_following[slots_of(p, "babur")])
    v = p.speed_mps[slots_of(p, "shahed")]
    r = v**2 / (9.80665 * np.tan(np.deg2rad(DB.get("shahed").value("max_bank_deg"))))
    np.testing.assert_allclose(p.turn_radius_m[slots_of(p, "shahed")], r)


def slots_of(p, type_name: str) -> np.ndarray:
    return np.array([n == type_name for n in p.type_name])


def test_raid_can_switch_the_s_turn_off() -> None:
    """terminal_manoeuvre: none leaves the sea-skimmers without an S-turn."""
    data = yaml.safe_load(demo_text())
    data["raids"][2]["profile"]["terminal_manoeuvre"] = "none"
    p = compiled(yaml.safe_dump(data)).threats
    assert np.all(p.s_turn_amplitude_m == 0.0)


def test_manoeuvre_without_figures_is_a_clear_error() -> None:
    """A weave asked of a cruise missile names the field and the missing figure."""
    data = yaml.safe_load(demo_text())
    data["raids"][2]["profile"]["terminal_manoeuvre"] = "weave"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data), file="inline", db=DB)
    (issue,) = info.value.issues
    assert issue.field_path == "raids[2].profile.terminal_manoeuvre"
    assert "terminal_weave_g" in issue.format()


def test_unknown_manoeuvre_lists_the_valid_ones() -> None:
    """An unknown terminal_manoeuvre is rejected with the valid choices."""
    data = yaml.safe_load(demo_text())
    data["raids"][2]["profile"]["terminal_manoeuvre"] = "barrel-roll"
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(yaml.safe_dump(data), file="inline", db=DB)
    text = info.value.format()
    assert "s-turn" in text and "weave" in text

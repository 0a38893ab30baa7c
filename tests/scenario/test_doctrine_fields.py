"""Scenario doctrine fields of the command post: loaded, compiled, and checked."""

from __future__ import annotations

import numpy as np
import pytest

from scenario_texts import ASSET_A, ORIGIN, battalion_b
from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario_text

BASE = (
    "name: doc\nduration_s: 100\n" + ORIGIN
    + "assets:\n" + ASSET_A
    + battalion_b("{name: L, launcher: 5P85TE2, position: {east_m: 0, north_m: 0}, "
                  "missiles: {9M96E2: 16}, reloads: 2}")
    + """\
raids: []
doctrine:
  wta_method: heuristic
  engagement_zones: {%s: [0, 20000]}
  reserve_rounds: {9M96E2: 4}
  reserve_release_s: 25
  friendly_corridors:
    - name: west lane
      start: {east_m: -50000, north_m: 0}
      end: {east_m: 50000, north_m: 0}
      half_width_m: 2000
"""
)


def test_doctrine_fields_reach_the_command_post() -> None:
    """Zones, reserve, corridors, reloads and the WTA method compile into C2Params."""
    scn, _ = load_scenario_text(BASE % "9M96E2", file="doc.yaml")
    c2 = compile_scenario(scn, load_database()).c2
    assert c2.wta_method == "heuristic" and c2.reserve_release_s == 25.0
    assert c2.zone_max_m is not None and c2.zone_max_m.tolist() == [20000.0]
    assert c2.reserve_rounds is not None and c2.reserve_rounds.tolist() == [4]
    assert c2.corridors is not None and c2.corridors.half_width_m.tolist() == [2000.0]
    assert c2.reloads is not None and c2.reloads.tolist() == [2]
    assert c2.reload_time_s is not None and np.all(c2.reload_time_s > 0)


def test_unknown_missile_in_engagement_zones_names_the_field() -> None:
    """A missile type that does not exist is reported with its field, line and valid types."""
    with pytest.raises(ScenarioError) as exc:
        load_scenario_text(BASE % "9M96X", file="doc.yaml")
    msg = str(exc.value)
    assert "doctrine.engagement_zones.9M96X" in msg and "doc.yaml:" in msg and "9M96E2" in msg


def test_engagement_zone_must_be_ordered() -> None:
    """A zone [min, max] with min >= max is rejected."""
    with pytest.raises(ScenarioError, match="min < max"):
        load_scenario_text((BASE % "9M96E2").replace("[0, 20000]", "[30000, 20000]"),
                           file="doc.yaml")

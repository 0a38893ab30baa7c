"""Scenario jammers and environment: clear errors for bad fields, compiled records."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenario_texts import BASE_ASSET, BATTALION_BN, ORIGIN
from triumf.equipment.database import load_database
from triumf.scenario.compile_sense import compile_jammers, compile_surface
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario

BASE = (
    "name: jam\nduration_s: 600\n" + ORIGIN + "assets:\n" + BASE_ASSET + BATTALION_BN
    + """\
raids:
  - name: jets
    threat: su-30mki
    count: 3
    launch_area:
      center: {east_m: 200000, north_m: 0}
      radius_m: 1000
    launch_window_s: [0, 30]
    target: base
"""
)


@pytest.fixture(scope="module")
def db():
    return load_database()


def _load(text: str, tmp_path: Path, db):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path, db=db)


def _issues(text: str, tmp_path: Path, db):
    with pytest.raises(ScenarioError) as info:
        _load(text, tmp_path, db)
    return info.value.issues


def test_jammers_compile_stand_off_and_self_screening(tmp_path, db):
    """One stand-off route jammer and one self-screening jammer per threat of the raid."""
    text = BASE + """\
jammers:
  - name: escort
    type: Stand-off-jammer
    route:
      - {east_m: 150000, north_m: 50000, up_m: 9000}
      - {east_m: 150000, north_m: -50000, up_m: 9000}
    speed_mps: 200
  - name: pods
    type: Self-protection-jammer
    carried_by: jets
environment: {surface: Sea}
"""
    text = text.replace("su-30mki", "fighter")
    scn, _ = _load(text, tmp_path, db)
    from triumf.scenario.compile import _threats, to_enu  # the compiler's own helpers
    threats = _threats(scn, db, np.zeros((1, 3)))
    jam = compile_jammers(scn, db, threats, to_enu)
    assert jam.count == 1 + 3
    assert list(jam.carrier) == [-1, 0, 1, 2]
    assert jam.route_time_s[0, 1] == pytest.approx(100e3 / 200, rel=3e-3)
    assert compile_surface(scn, db).kind == "sea"


def test_jammer_needs_exactly_one_placement(tmp_path, db):
    """A jammer with both carried_by and position is refused, naming the choices."""
    text = BASE + """\
jammers:
  - name: j
    type: Stand-off-jammer
    carried_by: jets
    position: {east_m: 1, north_m: 2}
"""
    (issue,) = _issues(text.replace("su-30mki", "fighter"), tmp_path, db)
    assert "exactly one of carried_by" in issue.message


def test_jammer_carrier_must_be_a_raid(tmp_path, db):
    """carried_by must name a raid; the raids are listed."""
    text = BASE + """\
jammers:
  - name: j
    type: Self-protection-jammer
    carried_by: jest
"""
    (issue,) = _issues(text.replace("su-30mki", "fighter"), tmp_path, db)
    assert issue.field_path == "jammers[0].carried_by"
    assert "jets" in issue.message


def test_jammer_type_must_be_a_jammer(tmp_path, db):
    """A radar given as a jammer type is named as the wrong kind."""
    text = BASE + """\
jammers:
  - name: j
    type: 91N6E
    position: {east_m: 1, north_m: 2}
"""
    (issue,) = _issues(text.replace("su-30mki", "fighter"), tmp_path, db)
    assert "not a jammer" in issue.message


def test_route_needs_speed(tmp_path, db):
    """A stand-off route without speed_mps is refused."""
    text = BASE + """\
jammers:
  - name: j
    type: Stand-off-jammer
    route: [{east_m: 1, north_m: 2}, {east_m: 3, north_m: 4}]
"""
    (issue,) = _issues(text.replace("su-30mki", "fighter"), tmp_path, db)
    assert "speed_mps" in issue.message

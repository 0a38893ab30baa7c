"""Shared fixtures: a small scenario (two raids of two threats, 60 s) that runs in seconds."""

from functools import lru_cache

import pytest
import yaml

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import dump_resolved, load_scenario, load_scenario_text


@lru_cache(maxsize=1)
def small_scenario():
    """The demo's first two raids, two threats each, cut at 60 s."""
    scn, _ = load_scenario("demo")
    data = yaml.safe_load(dump_resolved(scn))
    data["raids"] = data["raids"][:2]
    for raid in data["raids"]:
        raid["count"] = 2
    data["duration_s"] = 60.0
    data["name"] = "small"
    small, _ = load_scenario_text(yaml.safe_dump(data, sort_keys=False))
    return small


@lru_cache(maxsize=1)
def small_params():
    return compile_scenario(small_scenario(), load_database())


@pytest.fixture(scope="session")
def small():
    """(scenario, compiled params, resolved YAML) of the small scenario."""
    scn = small_scenario()
    return scn, small_params(), dump_resolved(scn)


@pytest.fixture(scope="session")
def small_file(tmp_path_factory):
    """The small scenario written to a YAML file (for the CLI)."""
    path = tmp_path_factory.mktemp("scn") / "small.yaml"
    path.write_text(dump_resolved(small_scenario()), encoding="utf-8")
    return path

"""Compiled scenarios for the engine tests (a module of its own: ``conftest`` is not unique)."""

from functools import lru_cache

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario, load_scenario_text


@lru_cache(maxsize=8)
def compiled(name: str):
    """A shipped scenario, compiled once per test session."""
    scn, _ = load_scenario(name)
    return compile_scenario(scn, load_database())


def compile_text(text: str):
    """A scenario given as YAML text, compiled."""
    scn, _ = load_scenario_text(text, file="test.yaml")
    return compile_scenario(scn, load_database())

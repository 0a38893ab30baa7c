"""Shared fixtures: compiled shipped scenarios (compiled once per test session)."""

import dataclasses
from functools import lru_cache

import pytest

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario, load_scenario_text


@lru_cache(maxsize=8)
def compiled(name: str):
    scn, _ = load_scenario(name)
    return compile_scenario(scn, load_database())


def compile_text(text: str):
    scn, _ = load_scenario_text(text, file="test.yaml")
    return compile_scenario(scn, load_database())


@pytest.fixture(scope="session")
def demo_params():
    """The demo scenario cut at 800 s (drones, cruise missiles and rockets all in the air)."""
    return dataclasses.replace(compiled("demo"), duration_s=800.0)

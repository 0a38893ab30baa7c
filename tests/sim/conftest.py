"""Shared fixtures: compiled shipped scenarios (compiled once per test session)."""

import dataclasses

import pytest
from sim_scenarios import compiled


@pytest.fixture(scope="session")
def demo_params():
    """The demo scenario cut at 800 s (drones, cruise missiles and rockets all in the air)."""
    return dataclasses.replace(compiled("demo"), duration_s=800.0)

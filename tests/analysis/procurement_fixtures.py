"""A tiny procurement scenario (one short-range missile type, a few drones) for fast tests."""

from __future__ import annotations

from pathlib import Path

TINY = """
name: tiny-procurement
seed: 5
duration_s: 240
time_step_s: 1.0
origin: {latitude_deg: 30.0, longitude_deg: 75.0, altitude_m: 100}
assets:
  - {name: Base, position: {east_m: 0, north_m: 0}, value: 10, radius_m: 2000}
  - {name: Town, position: {east_m: 0, north_m: 20000}, value: 5, radius_m: 3000}
battalions:
  - name: T
    command_post: {type: 55K6E, position: {east_m: 0, north_m: 0}}
    radars:
      - {name: eng, type: 92N6E, position: {east_m: 0, north_m: 500}}
    engagement_radar: eng
    fire_units:
      - {name: L1, launcher: 5P85TE2, position: {east_m: 500, north_m: 0}, missiles: {9M96E2: 16}}
raids:
  - name: drones
    threat: shahed
    count: 2
    launch_area: {center: {east_m: -8000, north_m: 0}, radius_m: 500}
    launch_window_s: [0, 10]
    target: Base
    profile: {altitude_m: 100, speed_mps: 50, terminal: dive}
    aim_error_m: 20
doctrine: {salvo_size: 2, shoot_look_shoot: true, keep_out_m: 3000, max_rounds_per_target: 4}
procurement:
  candidate_sites:
    - {name: A, position: {east_m: 0, north_m: 0}}
    - {name: B, position: {east_m: 0, north_m: 20000}}
    - {name: C, position: {east_m: 200000, north_m: 0}, cost_usd: 1.0e+6}
  axes:
    - {name: west, origin: {east_m: -8000, north_m: 0}, threat: shahed, altitude_m: 100,
       speed_mps: 50}
  loadouts:
    - {name: small, missiles: {9M96E2: 8}}
    - {name: full, missiles: {9M96E2: 16}}
  max_units: 2
  raid_scales: [1.0]
"""


def write_tiny(directory: Path, text: str = TINY) -> Path:
    """Write the tiny scenario to ``directory/tiny.yaml`` and return its path."""
    path = directory / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path

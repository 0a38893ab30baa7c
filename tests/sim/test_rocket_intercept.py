"""Interceptors fired at guided rockets (boost, drag, re-entry) end close to them."""

import numpy as np
import pytest
from sim_scenarios import compile_text

from triumf.sim.engine import run
from triumf.sim.events import EventKind

_SCENARIO = """
name: rockets only
seed: 11
duration_s: 260
time_step_s: 0.5
origin: {latitude_deg: 30.0, longitude_deg: 75.0, altitude_m: 200}
assets:
  - name: Base
    position: {east_m: 12000, north_m: 8000}
    value: 10
    radius_m: 2500
battalions:
  - name: Ardent
    command_post:
      type: 55K6E
      position: {east_m: -6000, north_m: -4000}
    radars:
      - name: search
        type: 91N6E
        position: {east_m: -7500, north_m: -2500}
      - name: engagement
        type: 92N6E
        position: {east_m: -6000, north_m: -3000}
    engagement_radar: engagement
    fire_units:
      - name: L1
        launcher: 5P85SE2
        position: {east_m: -8000, north_m: -1500}
        missiles: {40N6E: 4}
      - name: L3
        launcher: 5P85SE2
        position: {east_m: -7500, north_m: -5500}
        missiles: {48N6E3: 4}
raids:
  - name: guided rockets
    threat: fatah-1
    count: 2
    launch_area:
      center: {east_m: -110000, north_m: -20000}
      radius_m: 2000
    launch_window_s: [10, 30]
    target: Base
    profile: {flight_path_angle_deg: 40}
    aim_error_m: 50
"""


@pytest.fixture(scope="module")
def rocket_events():
    """Raw event columns of two replications of two Fatah-1 rockets against one battalion."""
    params = compile_text(_SCENARIO)
    return params, run(params, range(2)).events.columns()


def test_rockets_are_engaged(rocket_events):
    """Every rocket draws fire: its intercept point is predictable after burnout."""
    _, ev = rocket_events
    fire = ev["kind"] == EventKind.FIRE_ORDER
    for rep in (0, 1):
        assert len(set(ev["threat"][fire & (ev["replication"] == rep)].tolist())) == 2


def test_endgame_misses_within_lethal_radius(rocket_events):
    """Interceptors that reach their endgame pass inside the missile's lethal radius, none
    of them g-limited (before the fix: a median miss of about 2 km, nearly all g-limited)."""
    params, ev = rocket_events
    ends = (ev["kind"] == EventKind.KILL) | (ev["kind"] == EventKind.MISS)
    assert ends.sum() >= 2
    assert (ev["kind"] == EventKind.G_LIMITED_MISS).sum() == 0
    lethal = params.missiles.lethal_radius_m[ev["missile"][ends]]
    assert np.all(ev["miss_m"][ends] <= lethal)

"""Two battalions against a guided rocket: the one under its path engages, listed first or not."""

import pytest
from sim_scenarios import compile_text

from triumf.sim.engine import run
from triumf.sim.events import EventKind


def _battalion(name: str, east_m: float, north_m: float) -> str:
    return f"""
  - name: {name}
    command_post:
      type: 55K6E
      position: {{east_m: {east_m}, north_m: {north_m}}}
    radars:
      - name: {name} low-level
        type: 96L6E
        position: {{east_m: {east_m - 1500}, north_m: {north_m + 500}}}
        on_mast: true
      - name: {name} engagement
        type: 92N6E
        position: {{east_m: {east_m}, north_m: {north_m + 1000}}}
    engagement_radar: {name} engagement
    fire_units:
      - name: {name} L1
        launcher: 5P85TE2
        position: {{east_m: {east_m - 1500}, north_m: {north_m + 2000}}}
        missiles: {{48N6E3: 4}}
      - name: {name} L2
        launcher: 5P85TE2
        position: {{east_m: {east_m + 1500}, north_m: {north_m + 2000}}}
        missiles: {{9M96E2: 16}}
"""


# the procurement scenario's geometry: a Fatah-1 from the north-west at the air base; "Near"
# stands 18 km off the rocket's ground track, "Far" 63 km off it (both can reach it)
_HEAD = """
name: two battalions and a rocket
seed: 23
duration_s: 240
time_step_s: 1.0
origin: {latitude_deg: 30.5, longitude_deg: 75.5, altitude_m: 100}
assets:
  - name: Velmar Air Base
    position: {east_m: 20000, north_m: 10000}
    value: 10
    radius_m: 2500
battalions:
"""
_RAID = """
raids:
  - name: guided rockets
    threat: fatah-1
    count: 1
    launch_area:
      center: {east_m: -90000, north_m: 60000}
      radius_m: 2000
    launch_window_s: [100, 120]
    target: Velmar Air Base
    profile: {flight_path_angle_deg: 40}
    aim_error_m: 50
doctrine:
  salvo_size: 3
  shoot_look_shoot: true
  weapons_control: free
  keep_out_m: 5000
  max_rounds_per_target: 4
"""


@pytest.fixture(scope="module")
def launches():
    """Units that launched interceptors (names), far battalion listed first, one replication."""
    params = compile_text(_HEAD + _battalion("Far", -10000, -45000)
                          + _battalion("Near", 10000, -5000) + _RAID)
    ev = run(params, range(1)).events.columns()
    unit = ev["unit"][ev["kind"] == EventKind.INTERCEPTOR_LAUNCH]
    return [params.unit_names[int(u)] for u in unit]


def test_battalion_under_the_path_engages_the_rocket(launches):
    """Every interceptor at the rocket comes from the battalion under its path, although the
    far battalion is listed first and can reach it (it used to take it, and miss)."""
    assert launches and all(name.startswith("Near") for name in launches)

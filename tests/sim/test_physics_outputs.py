"""The physics shows in the outputs: horizon-limited detection, saturation, long range."""

import numpy as np
import pyarrow.compute as pc
from sim_scenarios import compile_text, compiled

from triumf.core.earth import EARTH_RADIUS_M
from triumf.montecarlo.batch import events_table
from triumf.sim.engine import REASON_NAMES, run

STRAIGHT_IN = """
name: straight-in
seed: 1
duration_s: 700
origin: {latitude_deg: 30.0, longitude_deg: 75.0}
assets:
  - {name: Base, position: {east_m: 0, north_m: 0}, value: 1, radius_m: 2000}
battalions:
  - name: B
    command_post: {type: 55K6E, position: {east_m: 0, north_m: 0}}
    radars:
      - {name: low, type: 96L6E, position: {east_m: 0, north_m: 0}, on_mast: true}
      - {name: fc, type: 92N6E, position: {east_m: 0, north_m: 0}}
    engagement_radar: fc
    fire_units:
      - {name: L1, launcher: 5P85SE2, position: {east_m: 0, north_m: 0}, missiles: {48N6E2: 4}}
raids:
  - name: cm
    threat: babur
    count: 1
    launch_area: {center: {east_m: 150000, north_m: 0}, radius_m: 0}
    launch_window_s: [0, 0]
    target: Base
    profile: {altitude_m: 30, speed_mps: 250, terminal: none}
"""


def test_low_cruise_missile_first_seen_near_radar_horizon():
    """A 30 m cruise missile is first detected just inside the 4/3-Earth horizon of the mast
    radar (sqrt(2kah1) + sqrt(2kah2)), far short of the radar's instrumented range."""
    params = compile_text(STRAIGHT_IN)
    res = run(params, range(8))
    radar = params.radars[0]
    h_mast = radar.pos[2]
    ka = 4.0 / 3.0 * EARTH_RADIUS_M
    horizon = np.sqrt(2 * ka * h_mast) + np.sqrt(2 * ka * 30.0)
    t_det = res.outcomes.t_first_detect[:, 0]
    assert np.all(np.isfinite(t_det))
    dist = 150_000.0 - 250.0 * t_det
    assert np.all(dist <= horizon * 1.002)
    # detected within two revisits (and a little margin for the 0.05 m2 target) of the horizon
    assert np.all(dist >= horizon - 2 * 250.0 * radar.revisit_s - 3000.0)
    assert horizon < 0.5 * radar.max_range_m


def test_saturation_leaks_because_channels_are_full():
    """More simultaneous threats than fire channels (but enough missiles): threats leak, the
    log shows channel refusals, and leakers are blamed on the channels."""
    params = compiled("saturation")
    res = run(params, range(4))
    assert res.leaked.sum() > 0
    assert params.loaded.sum() >= params.c2.salvo_size * params.threats.hostile.sum()
    ev = events_table(params, res)
    no_fire = ev.filter(pc.equal(ev["kind"].cast("string"), "no_fire"))
    reasons = set(no_fire["reason"].cast("string").to_pylist())
    channel = {"no_target_channel", "no_missile_channel"}
    assert channel & reasons
    causes = res.outcomes.leak_cause(res.leaked, REASON_NAMES)[res.leaked]
    assert any(c.removeprefix("not engaged: ") in channel for c in causes)


def test_long_range_engages_with_40n6e():
    """A large aircraft 300 km out is engaged first by a 40N6E, the only missile that reaches
    beyond 250 km, while it is still beyond the 48N6E3's published 250 km."""
    params = compiled("long-range")
    res = run(params, range(3))
    ev = events_table(params, res)
    launches = ev.filter(pc.equal(ev["kind"].cast("string"), "interceptor_launch"))
    reps = launches["replication"].to_pylist()
    missiles = launches["missile"].cast("string").to_pylist()
    first = {r: m for r, m in reversed(list(zip(reps, missiles, strict=True)))}
    assert sorted(first) == [0, 1, 2]
    assert set(first.values()) == {"40N6E"}
    # the 48N6E3's range from its own equipment file: the first shot is beyond it
    r48 = params.missiles.max_range_m[params.missiles.names.index("48N6E3")]
    t_fire = res.outcomes.t_first_fire[:, 0]
    dist = _aircraft_distance(params, res, t_fire)
    assert np.all(dist > r48)


def _aircraft_distance(params, res, t):
    """Ground range from the first launcher to the aircraft at times t (R,), from truth."""
    from triumf.core import rng
    from triumf.core.earth import ground_range_m
    from triumf.threat.raid import advance, init_truth

    keys = rng.stage_keys(rng.replication_keys(params.seed, res.replications), rng.Stage.THREAT)
    out = []
    for i, ti in enumerate(t):
        truth = init_truth(params.threats, keys[i:i + 1])
        advance(truth, params.threats, 0.0, float(ti))
        out.append(ground_range_m(params.c2.launcher_pos[0], truth.pos[0, 0]))
    return np.array(out)

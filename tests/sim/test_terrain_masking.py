"""Terrain and refraction show in the outputs: a ridge delays detection, k moves the horizon."""

import dataclasses

import numpy as np
from sim_scenarios import compile_text
from test_physics_outputs import STRAIGHT_IN

from triumf.core import rng
from triumf.core.earth import EARTH_RADIUS_M
from triumf.scenario.load import example_path
from triumf.sense.visibility import los_ray_march
from triumf.sim.engine import run
from triumf.threat.raid import advance, init_truth

# the shipped ridge scenario, launched 60 km closer (still in the ridge's shadow) on a 1 s
# tick, its terrain grid cut to the ridge's surroundings, and cut in time shortly after the
# first detection: the same geometry, a fraction of the run time
_RIDGE = (example_path("ridge").read_text()
          .replace("center: {east_m: 150000, north_m: 20000}", "center: {east_m: 90000, "
                   "north_m: -10000}")
          .replace("time_step_s: 0.5", "time_step_s: 1.0")
          .replace("extent_m: 80000", "extent_m: 40000")
          .replace("spacing_m: 200", "spacing_m: 250"))
_CUT_S = 290.0


def _line_of_sight_clears_s(params, step_s=1.0):
    """First time any radar's straight ray to the missile clears the ground (brute force)."""
    keys = rng.stage_keys(rng.replication_keys(params.seed, range(1)), rng.Stage.THREAT)
    truth = init_truth(params.threats, keys)
    times = np.arange(step_s, _CUT_S, step_s)
    pos = np.empty((times.size, 3))
    t_prev = 0.0
    for i, t in enumerate(times):
        advance(truth, params.threats, t_prev, float(t))
        t_prev = float(t)
        pos[i] = truth.pos[0, 0]
    clear = np.zeros(times.size, bool)
    for radar in params.radars:
        clear |= los_ray_march(radar.pos, pos, params.terrain, params.effective_earth_factor,
                               n_samples=1000)
    return float(times[np.argmax(clear)]) if clear.any() else np.inf


def test_ridge_delays_first_detection_until_line_of_sight_clears():
    """Behind the ridge the cruise missile is first detected later than over flat ground, and
    not before its line of sight clears the ridge (found by an independent ray march)."""
    params = dataclasses.replace(compile_text(_RIDGE), duration_s=_CUT_S)
    flat = dataclasses.replace(params, terrain=None, duration_s=240.0)
    t_ridge = run(params, range(1)).outcomes.t_first_detect[:, 0]
    t_flat = run(flat, range(1)).outcomes.t_first_detect[:, 0]
    t_clear = _line_of_sight_clears_s(params)
    assert np.all(np.isfinite(t_ridge))
    assert np.all(np.isfinite(t_flat))
    assert np.all(t_ridge > t_flat + 30.0)
    assert np.all(t_ridge >= t_clear - 1.0)  # 1 s: the brute-force time step
    # and soon after: within two revisits of the slowest radar
    assert np.all(t_ridge <= t_clear + 2.0 * max(r.revisit_s for r in params.radars) + 1.0)


def test_effective_earth_factor_sets_the_horizon():
    """With k = 1 (no refraction) the sea-skimmer is first detected near sqrt(2 a h1) +
    sqrt(2 a h2), inside the 4/3-Earth horizon."""
    params = compile_text(STRAIGHT_IN.replace("seed: 1", "seed: 1\neffective_earth_factor: 1.0"))
    assert params.effective_earth_factor == 1.0
    # cut after the k = 1 horizon (~ 53 km, about 390 s after launch)
    res = run(dataclasses.replace(params, duration_s=470.0), range(2))
    radar = params.radars[0]
    h_mast = radar.pos[2]

    def horizon(k):
        ka = k * EARTH_RADIUS_M
        return np.sqrt(2 * ka * h_mast) + np.sqrt(2 * ka * 30.0)

    t_det = res.outcomes.t_first_detect[:, 0]
    assert np.all(np.isfinite(t_det))
    dist = 150_000.0 - 250.0 * t_det
    assert np.all(dist <= horizon(1.0) * 1.002)
    assert np.all(dist >= horizon(1.0) - 2 * 250.0 * radar.revisit_s - 3000.0)
    assert horizon(1.0) < horizon(4.0 / 3.0) - 5000.0

"""The demo's intercepts are physically plausible: inside each missile's reach and lethality."""

import numpy as np
import pytest

from triumf.core import rng
from triumf.core.earth import altitude_m, ground_range_m
from triumf.engage.flight import FUZE_LETHAL_RADII
from triumf.montecarlo.batch import events_table
from triumf.sim.engine import run
from triumf.threat.raid import advance, init_truth


@pytest.fixture(scope="module")
def demo_kills(demo_params):
    """Kills of two demo replications with the missile, time of flight and the threat's
    ground range from the launcher and altitude at the kill (threat truth re-flown)."""
    res = run(demo_params, range(2))
    ev = events_table(demo_params, res).to_pandas()
    ev["kind"] = ev["kind"].astype(str)
    ev["missile"] = ev["missile"].astype(str)
    launch = ev[ev.kind == "interceptor_launch"].set_index(["replication", "interceptor"])
    kills = ev[ev.kind == "kill"].sort_values("time_s").reset_index(drop=True)
    kills["tof_s"] = kills.time_s.to_numpy() - launch.loc[
        list(zip(kills.replication, kills.interceptor, strict=True)), "time_s"].to_numpy()
    keys = rng.stage_keys(rng.replication_keys(demo_params.seed, res.replications),
                          rng.Stage.THREAT)
    unit_index = {n: i for i, n in enumerate(demo_params.unit_names)}
    rng_m, alt_m = [], []
    for _, k in kills.iterrows():
        rep = int(k.replication)
        truth = init_truth(demo_params.threats, keys[rep:rep + 1])
        advance(truth, demo_params.threats, 0.0, float(k.time_s))
        pos = truth.pos[0, int(k.threat)]
        launcher = demo_params.c2.launcher_pos[unit_index[k.unit]]
        rng_m.append(float(ground_range_m(launcher, pos)))
        alt_m.append(float(altitude_m(pos)))
    kills["range_m"] = rng_m
    kills["alt_m"] = alt_m
    return kills


def _per_kill(params, kills, field):
    """A MissileTypes field looked up for each kill's missile."""
    names = list(params.missiles.names)
    return np.array([getattr(params.missiles, field)[names.index(m)] for m in kills.missile])


def test_no_kill_beyond_a_missiles_reach(demo_params, demo_kills):
    """No kill lies beyond 1.05 x the missile's published maximum range (its computed
    envelope reaches that range within 5 %) or after its maximum flight time."""
    assert len(demo_kills) > 10
    assert np.all(demo_kills.range_m <= 1.05 * _per_kill(demo_params, demo_kills, "max_range_m"))
    assert np.all(demo_kills.tof_s <= _per_kill(demo_params, demo_kills, "max_flight_time_s"))


def test_no_kill_below_a_missiles_minimum_altitude(demo_params, demo_kills):
    """No kill is below the missile's minimum engagement altitude."""
    assert np.all(demo_kills.alt_m >= _per_kill(demo_params, demo_kills, "min_altitude_m"))


def test_kill_miss_distances_are_inside_the_lethal_radius(demo_params, demo_kills):
    """Kills happen within the fuze's reach (5 lethal radii), and most within one."""
    lethal = _per_kill(demo_params, demo_kills, "lethal_radius_m")
    assert np.all(demo_kills.miss_m <= FUZE_LETHAL_RADII * lethal)
    assert np.median(demo_kills.miss_m / lethal) < 1.0

"""The demo's intercepts are physically plausible: inside each missile's reach and lethality."""

from types import SimpleNamespace

import numpy as np
import pytest

from triumf.core import rng
from triumf.core.earth import altitude_m, ground_range_m
from triumf.sim.engine import run
from triumf.sim.events import EventKind
from triumf.threat.raid import advance, init_truth


@pytest.fixture(scope="module")
def demo_kills(demo_params):
    """Kills of two demo replications with the missile, time of flight and the threat's
    ground range from the launcher and altitude at the kill (threat truth re-flown)."""
    res = run(demo_params, range(2))
    ev = res.events.columns()
    launch = ev["kind"] == EventKind.INTERCEPTOR_LAUNCH
    launch_time = {(int(r), int(i)): float(t) for r, i, t in zip(
        ev["replication"][launch], ev["interceptor"][launch], ev["time_s"][launch], strict=True)}
    kill = np.flatnonzero(ev["kind"] == EventKind.KILL)
    kill = kill[np.argsort(ev["time_s"][kill], kind="stable")]
    keys = rng.stage_keys(rng.replication_keys(demo_params.seed, res.replications),
                          rng.Stage.THREAT)
    rows = []
    for e in kill:
        rep, t = int(ev["replication"][e]), float(ev["time_s"][e])
        row = list(res.replications).index(rep)
        truth = init_truth(demo_params.threats, keys[row:row + 1])
        advance(truth, demo_params.threats, 0.0, t)
        pos = truth.pos[0, int(ev["threat"][e])]
        launcher = demo_params.c2.launcher_pos[int(ev["unit"][e])]
        rows.append((demo_params.missiles.names[int(ev["missile"][e])],
                     t - launch_time[(rep, int(ev["interceptor"][e]))],
                     float(ground_range_m(launcher, pos)), float(altitude_m(pos)),
                     float(ev["miss_m"][e])))
    missile, tof, rng_m, alt, miss = zip(*rows, strict=True)
    return SimpleNamespace(missile=list(missile), tof_s=np.array(tof), range_m=np.array(rng_m),
                           alt_m=np.array(alt), miss_m=np.array(miss))


def _per_kill(params, kills, field):
    """A MissileTypes field looked up for each kill's missile."""
    names = list(params.missiles.names)
    return np.array([getattr(params.missiles, field)[names.index(m)] for m in kills.missile])


def test_no_kill_beyond_a_missiles_reach(demo_params, demo_kills):
    """No kill lies beyond 1.05 x the missile's published maximum range (its computed
    envelope reaches that range within 5 %) or after its maximum flight time."""
    assert len(demo_kills.missile) > 10
    assert np.all(demo_kills.range_m <= 1.05 * _per_kill(demo_params, demo_kills, "max_range_m"))
    assert np.all(demo_kills.tof_s <= _per_kill(demo_params, demo_kills, "max_flight_time_s"))


def test_no_kill_below_a_missiles_minimum_altitude(demo_params, demo_kills):
    """No kill is below the missile's minimum engagement altitude."""
    assert np.all(demo_kills.alt_m >= _per_kill(demo_params, demo_kills, "min_altitude_m"))


def test_kill_miss_distances_are_inside_the_lethal_radius(demo_params, demo_kills):
    """Most kills happen within one lethal radius (the guidance, not the fuze's reach of 5
    lethal radii, decides the miss)."""
    lethal = _per_kill(demo_params, demo_kills, "lethal_radius_m")
    assert np.median(demo_kills.miss_m / lethal) < 1.0

"""Degenerate scenarios run to the end with every numerical invariant holding at every tick.

The invariants (finite state, interceptor speed and lateral acceleration within the airframe's
limits, symmetric positive definite track covariances, kills only between launch and impact)
are in invariant_checks.py; each case here adds the behaviour the geometry implies.
"""

from functools import lru_cache

import numpy as np
from invariant_checks import checked_run
from invariant_scenarios import RaidSpec, Spec, compile_spec


@lru_cache(maxsize=16)
def _run(spec_key: str, replications: int = 2):
    spec = CASES[spec_key]
    params = compile_spec(spec)
    res, rec = checked_run(params, replications)
    return params, res, rec


CASES = {
    "zero-threats": Spec(raids=[], duration_s=30.0),
    "on-radar": Spec(raids=[RaidSpec(east_m=-3000.0, north_m=300.0, window_s=(0.0, 0.0))],
                     duration_s=30.0),
    "zero-length-route": Spec(raids=[RaidSpec(east_m=0.0, north_m=0.0, radius_m=0.0,
                                              window_s=(0.0, 0.0))], duration_s=20.0),
    "empty-magazines": Spec(loads=({"48N6E2": 0}, {"9M96E2": 0}), duration_s=60.0),
    "radar-buried": Spec(radar_buried=True, duration_s=40.0),
    "terrain-wall": Spec(ridge_east_m=-8000.0, duration_s=40.0),
    "step-equals-duration": Spec(duration_s=2.0, time_step_s=2.0),
    "engagement": Spec(duration_s=60.0),
}


def _clean(key: str, replications: int = 2):
    params, res, rec = _run(key, replications)
    assert rec.violations == [], rec.violations
    return params, res, rec


def test_zero_threats_runs_clean():
    """No threats: the run ends with empty (R, 0) outcomes and no interceptor fired."""
    params, res, _ = _clean("zero-threats")
    assert params.threats.count == 0
    assert res.killed.shape == (2, 0) and res.leaked.shape == (2, 0)
    assert res.spent.sum() == 0


def test_threat_launched_on_a_radar_runs_clean():
    """A threat launched on top of the search radar keeps every state finite."""
    _, res, rec = _clean("on-radar")
    assert rec.ticks == 60
    assert np.isfinite(res.outcomes.t_launch).all()


def test_zero_length_route_arrives_at_once():
    """A threat launched at its aim point (no ground distance to fly) leaks, state finite."""
    _, res, _ = _clean("zero-length-route")
    assert res.leaked.all()
    assert np.isfinite(res.outcomes.t_leak).all()


def test_all_magazines_empty_fires_nothing():
    """With every launcher empty the battalion still tracks but launches no interceptor."""
    _, res, rec = _clean("empty-magazines")
    assert res.spent.size == 0 or res.spent.sum() == 0
    assert rec.flying_seen == 0
    assert rec.tracks_seen > 0


def test_buried_radars_detect_nothing():
    """Radars inside a 3 km hill have no line of sight: the threat is never detected."""
    _, res, _ = _clean("radar-buried")
    assert np.isnan(res.outcomes.t_first_detect).all()


def test_terrain_wall_hides_the_threat():
    """A 2 km ridge between the radars and a low drone that never crosses it hides it."""
    _, res, _ = _clean("terrain-wall")
    assert np.isnan(res.outcomes.t_first_detect).all()


def test_time_step_equal_to_duration_is_one_tick():
    """A time step equal to the duration is exactly one tick, and it runs clean."""
    params, _, rec = _clean("step-equals-duration")
    assert params.n_steps == 1 and rec.ticks == 1


def test_engagement_exercises_every_check():
    """A drone inside the battalion's reach is tracked, shot at, and the checks see it."""
    _, res, rec = _clean("engagement")
    assert rec.tracks_seen > 0 and rec.flying_seen > 0 and rec.lateral_checked > 0
    assert res.spent.sum() > 0


def test_single_replication_matches_its_batch():
    """Replication 0 run alone gives the batch's replication 0 (no cross-talk across R)."""
    _, batch, _ = _clean("engagement")
    _, alone, _ = _clean("engagement", 1)
    for name in ("t_launch", "t_kill", "t_leak", "t_first_detect", "min_miss_m"):
        a, b = getattr(alone.outcomes, name)[0], getattr(batch.outcomes, name)[0]
        assert np.array_equal(a, b, equal_nan=True), name
    assert np.array_equal(alone.spent[0], batch.spent[0])

"""The engine end to end: reproducibility, batching, invariants, IFF."""

import numpy as np
import pyarrow.compute as pc

from triumf.montecarlo.batch import events_table
from triumf.sim.engine import run


def _same(a, b):
    np.testing.assert_array_equal(np.nan_to_num(a, nan=-1.0), np.nan_to_num(b, nan=-1.0))


def test_same_seed_gives_identical_outcomes(demo_params):
    """Two runs of the same scenario and seed agree bit for bit."""
    a = run(demo_params, [0, 1])
    b = run(demo_params, [0, 1])
    for f in a.outcomes.__dataclass_fields__:
        _same(getattr(a.outcomes, f), getattr(b.outcomes, f))
    assert events_table(demo_params, a).equals(events_table(demo_params, b))


def test_batch_equals_separate_runs(demo_params):
    """Replications run in one batch equal the same replications run one at a time, bit for
    bit: the same events in the same order, the same times and miss distances."""
    batch = run(demo_params, [3, 4])
    ev_b = events_table(demo_params, batch)
    for i, r in enumerate([3, 4]):
        alone = run(demo_params, [r])
        for f in batch.outcomes.__dataclass_fields__:
            np.testing.assert_array_equal(getattr(batch.outcomes, f)[i],
                                          getattr(alone.outcomes, f)[0], err_msg=f)
        one = ev_b.filter(pc.equal(ev_b["replication"], r))
        ev_a = events_table(demo_params, alone)
        for col in ("kind", "threat", "track", "unit", "interceptor", "missile", "reason"):
            assert one[col].to_pylist() == ev_a[col].to_pylist(), col
        np.testing.assert_array_equal(one["time_s"].to_numpy(), ev_a["time_s"].to_numpy())
        np.testing.assert_array_equal(one["miss_m"].to_numpy(zero_copy_only=False),
                                      ev_a["miss_m"].to_numpy(zero_copy_only=False))


def test_invariants_and_iff(demo_params):
    """No kill before launch, no kill of a leaker, no fire order at a friendly track."""
    res = run(demo_params, range(8))
    o = res.outcomes
    killed = ~np.isnan(o.t_kill)
    assert np.all(o.t_kill[killed] >= o.t_launch[killed])
    assert not np.any(killed & res.leaked)
    assert res.fired_at_friendly.sum() == 0
    assert not res.killed[:, ~demo_params.threats.hostile].any(), "no friendly aircraft lost"
    assert res.spent.sum() > 0, "the battalion fired at the raid"
    # every leaker is hostile and was launched
    assert np.all(~np.isnan(o.t_launch[res.leaked]))

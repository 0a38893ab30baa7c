"""A replication's whole state is the same bit for bit alone or in a batch with others.

This is what makes a campaign's results independent of its chunk size and of the number of
workers. Outcome tables can agree while the state underneath differs at rounding level (a
kernel whose step size, padding or summation order depends on the rest of the batch), and a
difference at 1e-9 m can later flip a draw; so the check is on every state array, every tick.
"""

import dataclasses

import numpy as np
import pytest
from sim_scenarios import compiled

from triumf.sim.engine import run

# (object, field) of the world read at every tick
STATE = [("truth", "pos"), ("truth", "vel"), ("truth", "active"), ("tracks", "x"),
         ("tracks", "P"), ("tracks", "status"), ("tracks", "track_id"), ("icp", "pos"),
         ("icp", "vel"), ("icp", "accel"), ("icp", "status"), ("icp", "aim")]


def _states(params, replications, row):
    """Copies of the STATE arrays of batch row ``row`` at every tick."""
    ticks = []

    def hook(t, w):
        ticks.append((t, [getattr(getattr(w, a), b)[row].copy() for a, b in STATE]))

    res = run(params, np.array(replications), on_tick=hook)
    return ticks, res


@pytest.mark.parametrize(("name", "duration_s"), [("saturation", 60.0), ("demo", 400.0)])
def test_replication_alone_equals_it_in_a_batch(name, duration_s):
    """Replication 2 run alone vs as row 2 of a batch of four: every array, every tick.

    Saturation's guided rockets launch at staggered times, so within one tick one replication
    has a rocket just launched (a short first step) while another's is in full flight: the
    case that once made the rocket's sub-steps depend on the batch.
    """
    params = dataclasses.replace(compiled(name), duration_s=duration_s)
    alone, res_a = _states(params, [2], 0)
    batch, res_b = _states(params, [0, 1, 2, 3], 2)
    assert len(alone) == len(batch) > 0
    for (t, a), (_, b) in zip(alone, batch, strict=True):
        for (obj, field), x, y in zip(STATE, a, b, strict=True):
            assert np.array_equal(x, y, equal_nan=True), f"{obj}.{field} differs at t = {t} s"
    np.testing.assert_array_equal(res_a.killed[0], res_b.killed[2])
    np.testing.assert_array_equal(res_a.leaked[0], res_b.leaked[2])
    # the check has something to compare: threats flew and the battalion fired
    assert res_b.spent[2].sum() > 0

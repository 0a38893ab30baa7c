"""Bootstrap resamples drawn in pieces (bounded memory) equal the one-block draw."""

import numpy as np

from triumf.core import rng
from triumf.montecarlo import bootstrap


def test_uniform_first_slot_continues_the_draw():
    """uniform(k, c, (a + b,))[a:] equals uniform(k, c, (b,), first_slot=a), exactly."""
    key = rng.stage_keys(rng.replication_keys(3, np.arange(2)), rng.Stage.ASSESS)
    whole = rng.uniform(key, 17, (10, 7))
    part = rng.uniform(key, 17, (4, 7), first_slot=6 * 7)
    assert np.array_equal(whole[:, 6:], part)


def test_pieces_give_the_same_interval(monkeypatch):
    """A tiny draw budget (one resample at a time) gives the same interval bit for bit."""
    x = np.arange(50, dtype=float) % 7
    ref = bootstrap.bootstrap_interval(x, n_resamples=200, seed=5, method="bca")
    monkeypatch.setattr(bootstrap, "_MAX_DRAWS", 1)
    got = bootstrap.bootstrap_interval(x, n_resamples=200, seed=5, method="bca")
    assert got == ref

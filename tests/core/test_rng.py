"""Counter-based random numbers: distribution, independence, batch invariance."""

import numpy as np
from scipy import stats

from triumf.core import rng


def test_uniform_passes_kolmogorov_smirnov():
    """200k uniforms are indistinguishable from U(0, 1) by a KS test."""
    keys = rng.stage_keys(rng.replication_keys(7, range(4)), rng.Stage.SENSE)
    u = rng.uniform(keys, 123, (50_000,)).ravel()
    assert 0.0 < u.min() and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3


def test_normal_passes_kolmogorov_smirnov():
    """Box-Muller normals match N(0, 1)."""
    keys = rng.stage_keys(rng.replication_keys(3, range(2)), rng.Stage.THREAT)
    z = rng.normal(keys, 9, (50_000,)).ravel()
    assert stats.kstest(z, "norm").pvalue > 1e-3


def test_replication_draws_do_not_depend_on_the_batch():
    """Replication 5 draws the same numbers alone or inside a batch of 10."""
    alone = rng.stage_keys(rng.replication_keys(11, [5]), rng.Stage.ENGAGE)
    batch = rng.stage_keys(rng.replication_keys(11, range(10)), rng.Stage.ENGAGE)
    np.testing.assert_array_equal(rng.uniform(alone, 42, (3, 4))[0],
                                  rng.uniform(batch, 42, (3, 4))[5])


def test_streams_counters_and_seeds_are_uncorrelated():
    """Different stages, counters and seeds give uncorrelated draws."""
    rk = rng.replication_keys(1, range(1))
    a = rng.uniform(rng.stage_keys(rk, rng.Stage.SENSE), 1, (20_000,)).ravel()
    b = rng.uniform(rng.stage_keys(rk, rng.Stage.TRACK), 1, (20_000,)).ravel()
    c = rng.uniform(rng.stage_keys(rk, rng.Stage.SENSE), 2, (20_000,)).ravel()
    d = rng.uniform(rng.stage_keys(rng.replication_keys(2, range(1)), rng.Stage.SENSE), 1,
                    (20_000,)).ravel()
    # |r| < 4.5 sigma of a zero correlation for n = 20000
    for other in (b, c, d):
        assert abs(np.corrcoef(a, other)[0, 1]) < 4.5 / np.sqrt(a.size)


def test_same_seed_same_numbers():
    """Keys and draws are a pure function of seed, replication, stage and counter."""
    k1 = rng.stage_keys(rng.replication_keys(99, range(3)), rng.Stage.C2)
    k2 = rng.stage_keys(rng.replication_keys(99, range(3)), rng.Stage.C2)
    np.testing.assert_array_equal(rng.normal(k1, 5, (7,)), rng.normal(k2, 5, (7,)))

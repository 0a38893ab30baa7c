"""Intervals cover the known true value at their nominal rate (synthetic Bernoulli and counts)."""

import numpy as np
import pytest
from scipy import stats

from triumf.core import rng
from triumf.core.stats import clopper_pearson, wilson_interval
from triumf.montecarlo.bootstrap import bootstrap_interval

EXPERIMENTS = 4000


def _bernoulli_counts(p, n, seed):
    """Successes in n Bernoulli(p) trials, for many independent experiments."""
    keys = rng.stage_keys(rng.replication_keys(seed, np.arange(EXPERIMENTS)), rng.Stage.ASSESS)
    return (rng.uniform(keys, 0, (n,)) < p).sum(axis=1)


@pytest.mark.parametrize("p", [0.1, 0.3])
def test_wilson_covers_at_nominal_rate(p):
    """95% Wilson intervals contain the true p in 95% of experiments (+- 3 sigma)."""
    k = _bernoulli_counts(p, 80, seed=1)
    low, high = wilson_interval(k, 80, 0.95)
    cover = np.mean((low <= p) & (p <= high))
    assert abs(cover - 0.95) < 3 * np.sqrt(0.95 * 0.05 / EXPERIMENTS) + 0.01


@pytest.mark.parametrize("p", [0.1, 0.3])
def test_clopper_pearson_covers_at_least_nominal(p):
    """95% Clopper-Pearson intervals contain the true p at least 95% of the time."""
    k = _bernoulli_counts(p, 80, seed=2)
    low, high = clopper_pearson(k, 80, 0.95)
    cover = np.mean((low <= p) & (p <= high))
    assert cover >= 0.95 - 3 * np.sqrt(0.95 * 0.05 / EXPERIMENTS)


def test_bootstrap_mean_covers_poisson_mean():
    """Seeded BCa bootstrap intervals of a Poisson mean cover it about 95% of the time."""
    n, lam, trials = 60, 3.0, 300
    keys = rng.stage_keys(rng.replication_keys(5, np.arange(trials)), rng.Stage.ASSESS)
    u = rng.uniform(keys, 0, (n,))
    counts = stats.poisson.ppf(u, lam)  # inverse-CDF draws, independent truth: mean lam
    hits = 0
    for i in range(trials):
        _, low, high = bootstrap_interval(counts[i], "mean", n_resamples=400, seed=i,
                                          method="bca")
        hits += low <= lam <= high
    assert 0.90 <= hits / trials <= 0.99


def test_bootstrap_is_reproducible_and_seed_dependent():
    """Same seed, same interval; another seed, another interval."""
    x = np.arange(50.0) % 7
    a = bootstrap_interval(x, "mean", seed=3)
    assert a == bootstrap_interval(x, "mean", seed=3)
    assert a != bootstrap_interval(x, "mean", seed=4)


def test_bootstrap_percentile_agrees_with_scipy():
    """The percentile interval of a mean agrees with scipy.stats.bootstrap to 0.05 sd."""
    x = stats.norm.ppf((np.arange(200) + 0.5) / 200)  # fixed sample, mean 0, sd 1
    _, low, high = bootstrap_interval(x, "mean", n_resamples=4000, seed=1)
    ref = stats.bootstrap((x,), np.mean, n_resamples=4000, method="percentile",
                          rng=np.random.default_rng(0)).confidence_interval
    assert abs(low - ref.low) < 0.05 * x.std() and abs(high - ref.high) < 0.05 * x.std()

"""The cluster-robust leak-probability interval covers the true p when threats are correlated."""

import numpy as np
import pytest

from triumf.core import rng
from triumf.core.stats import clustered_proportion, wilson_interval

EXPERIMENTS = 1500
R, M = 40, 20
TOL = 3 * np.sqrt(0.95 * 0.05 / EXPERIMENTS) + 0.015


def _uniforms(seed, shape):
    """Uniforms of shape (EXPERIMENTS, *shape) from the project's counter-based generator."""
    keys = rng.stage_keys(rng.replication_keys(seed, np.arange(EXPERIMENTS)), rng.Stage.ASSESS)
    return rng.uniform(keys, 0, shape)


def _coverage(hits, p):
    """Fraction of experiments whose clustered interval holds p, and the same for Wilson
    treating every threat as an independent trial."""
    ours = old = 0
    for h in hits:
        _, low, high, _ = clustered_proportion(h)
        ours += low <= p <= high
        wl, wh = wilson_interval(int(h.sum()), h.size)
        old += wl <= p <= wh
    return ours / len(hits), old / len(hits)


@pytest.mark.parametrize("p", [0.2, 0.5])
def test_fully_clustered_leaks_cover_p_at_nominal_rate(p):
    """All threats of a replication leak together with prob p: 95% coverage, Wilson fails."""
    u = _uniforms(11, (R,))
    hits = np.repeat((u < p)[:, :, None], M, axis=2)            # (E, R, M)
    ours, old = _coverage(hits, p)
    assert abs(ours - 0.95) < TOL
    assert old < 0.8


def test_independent_leaks_cover_p_at_nominal_rate():
    """Independent threats: the interval keeps its 95% coverage (design effect about 1)."""
    p = 0.3
    hits = _uniforms(12, (R, M)) < p
    ours, _ = _coverage(hits, p)
    assert abs(ours - 0.95) < TOL


def test_independent_leaks_match_plain_wilson_closely():
    """With independent threats the effective sample size is near R*M (Kish, deff ~ 1)."""
    hits = _uniforms(13, (R, M))[0] < 0.3
    _, _, _, n_eff = clustered_proportion(hits)
    assert 0.6 * R * M < n_eff <= R * M


def test_one_replication_has_no_interval():
    """One replication: the estimate exists, the interval is undefined (NaN)."""
    p, low, high, _ = clustered_proportion(np.array([[True, False, False, False]]))
    assert p == 0.25 and np.isnan(low) and np.isnan(high)


def test_no_leak_uses_replications_as_trials():
    """No leak at all: the upper bound is Wilson's with one trial per replication."""
    _, low, high, n_eff = clustered_proportion(np.zeros((R, M), bool))
    assert n_eff == R and low == 0.0
    assert high == pytest.approx(float(wilson_interval(0, R)[1]))

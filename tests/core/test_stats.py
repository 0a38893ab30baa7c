"""Confidence intervals against scipy.stats."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from triumf.core.stats import clopper_pearson, mean_interval, wilson_interval

CASES = [(0, 10), (1, 10), (5, 10), (10, 10), (37, 200), (199, 200), (1, 1)]


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_wilson_matches_scipy(confidence: float) -> None:
    """Wilson bounds equal scipy's binomtest(...).proportion_ci(method='wilson')."""
    for k, n in CASES:
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
        low, high = wilson_interval(k, n, confidence)
        assert low == pytest.approx(ref.low, abs=1e-12)
        assert high == pytest.approx(ref.high, abs=1e-12)


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_clopper_pearson_matches_scipy(confidence: float) -> None:
    """Clopper-Pearson bounds equal scipy's proportion_ci(method='exact')."""
    for k, n in CASES:
        ref = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
        low, high = clopper_pearson(k, n, confidence)
        assert low == pytest.approx(ref.low, abs=1e-10)
        assert high == pytest.approx(ref.high, abs=1e-10)


def test_intervals_are_vectorised() -> None:
    """Array inputs give element-wise the same bounds as scalar calls."""
    k = np.array([[0, 3], [7, 20]])
    n = np.array([20, 20])
    for fn in (wilson_interval, clopper_pearson):
        low, high = fn(k, n)
        assert low.shape == high.shape == (2, 2)
        for idx in np.ndindex(k.shape):
            lo1, hi1 = fn(int(k[idx]), int(n[idx[1]]))
            assert low[idx] == pytest.approx(float(lo1))
            assert high[idx] == pytest.approx(float(hi1))


def test_zero_trials_give_uninformative_interval() -> None:
    """With n = 0 both binomial intervals are [0, 1]."""
    for fn in (wilson_interval, clopper_pearson):
        low, high = fn(0, 0)
        assert (float(low), float(high)) == (0.0, 1.0)


def test_invalid_counts_raise() -> None:
    """More successes than trials is an error."""
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_mean_interval_matches_scipy_t() -> None:
    """Student-t interval equals scipy.stats.t.interval with the standard error."""
    rng = np.random.default_rng(1)
    a = rng.normal(3.0, 2.0, size=(4, 25))
    mean, low, high = mean_interval(a, confidence=0.9, axis=1)
    for r in range(4):
        ref = stats.t.interval(0.9, 24, loc=a[r].mean(), scale=stats.sem(a[r]))
        assert mean[r] == pytest.approx(a[r].mean())
        assert low[r] == pytest.approx(ref[0], rel=1e-12)
        assert high[r] == pytest.approx(ref[1], rel=1e-12)


def test_mean_interval_single_sample_has_nan_bounds() -> None:
    """One sample gives its value as the mean and NaN bounds."""
    mean, low, high = mean_interval([4.0])
    assert float(mean) == 4.0
    assert np.isnan(low) and np.isnan(high)

"""summary.json's leak probability per threat uses the cluster-robust interval (closed forms)."""

import numpy as np
import pytest

from triumf.core.stats import wilson_interval
from triumf.montecarlo.summary import _leak_rate


def test_replications_that_leak_all_or_nothing_count_as_r_trials():
    """Half of R replications leak every threat: p (1 - p) / var = R - 1, clipped to R trials
    (a design effect is at most the cluster size m), so the interval is Wilson's on R."""
    r, m = 20, 8
    hits = np.zeros((r, m), bool)
    hits[: r // 2] = True
    est = _leak_rate(hits)
    low, high = wilson_interval(r // 2, r)
    assert est["p"] == 0.5 and est["effective_trials"] == pytest.approx(r)
    assert (est["low"], est["high"]) == (pytest.approx(float(low)), pytest.approx(float(high)))


def test_one_replication_gives_no_interval():
    """With one replication the summary reports the estimate and null bounds."""
    est = _leak_rate(np.array([[True, False]]))
    assert est["p"] == 0.5 and est["low"] is None and est["clopper_pearson"] is None

"""False alarms: cell count, slot reserve and Poisson inversion."""

from __future__ import annotations

import numpy as np
from scipy import stats

from triumf.sense.false_alarms import false_alarm_counts, false_alarm_slots, resolution_cells


def test_resolution_cells_closed_form():
    """cells = (R_max / dR) (az / theta_az) (el / theta_el)."""
    got = resolution_cells(300e3, 150.0, 2 * np.pi, 0.5, 0.01, 0.02)
    assert abs(got - 2000 * (2 * np.pi / 0.01) * 25) < 1e-6


def test_slots_cover_the_poisson_tail():
    """The slot reserve exceeds the Poisson 1 - 1e-9 quantile."""
    for mean in (0.01, 1.0, 10.0, 300.0):
        assert false_alarm_slots(mean) >= stats.poisson.ppf(1 - 1e-9, mean)
    assert false_alarm_slots(0.0) == 0


def test_counts_are_poisson_quantiles():
    """Counts by inversion equal scipy.stats.poisson.ppf of the same uniforms."""
    u = np.random.default_rng(0).uniform(size=1000)
    np.testing.assert_array_equal(false_alarm_counts(u, 3.5, 100), stats.poisson.ppf(u, 3.5))

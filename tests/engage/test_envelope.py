"""Engagement envelopes: read from tables, and computed ranges against the public figures."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.core.tables import FlyoutTable, RegularGridTable
from triumf.engage.envelope import compute_envelope, envelope_from_table
from triumf.equipment.database import load_database
from triumf.scenario.compile import _missiles


def test_envelope_from_table_reads_the_reachable_band() -> None:
    """Per altitude, the envelope is the least and greatest range with a finite time."""
    x = np.array([1e3, 2e3, 3e3, 4e3])
    y = np.array([0.0, 1e3, 2e3])
    v = np.full((4, 3), np.nan)
    v[1:4, 0] = 1.0
    v[0:2, 1] = 1.0
    table = FlyoutTable(RegularGridTable(x, y, v), RegularGridTable(x, y, v))
    env = envelope_from_table(table)
    np.testing.assert_array_equal(env.min_range_m[:2], [2e3, 1e3])
    np.testing.assert_array_equal(env.max_range_m[:2], [4e3, 2e3])
    assert np.isnan(env.max_range_m[2])


def _max_range(name: str) -> tuple[float, float, float]:
    """Computed maximum ground range at 10 km altitude and the published bounds, metres."""
    db = load_database()
    eq = db.get(name)
    mt = _missiles([name], db)
    pub = eq.value("max_range_m")
    low, high = eq.bounds("max_range_m")
    env = compute_envelope(
        mt.kin.take(0), mt.nav_gain[0], mt.loft_factor[0], mt.max_loft_m[0],
        mt.max_flight_time_s[0], mt.min_speed_mps[0], np.linspace(0.8 * pub, 1.2 * pub, 41),
        [9000.0, 10000.0], handover_range_m=mt.setting("loft_handover_range_m")[0],
        turn_gain_per_s=mt.setting("turn_gain_per_s")[0],
        turn_threshold_rad=mt.setting("turn_threshold_rad")[0],
    )
    return env.max_range_at(10000.0), min(low, pub), max(high, pub)


def test_9m96e2_envelope_reaches_its_published_range() -> None:
    """9M96E2 reaches 120 km (published) within 5 % at 10 km altitude."""
    got, low, high = _max_range("9M96E2")
    assert 0.95 * low <= got <= 1.05 * high


@pytest.mark.slow
@pytest.mark.parametrize("name", ["48N6E3", "40N6E"])
def test_long_range_envelopes_reach_their_published_ranges(name: str) -> None:
    """48N6E3 (250 km) and 40N6E (380-400 km) reach their public ranges within 5 %."""
    got, low, high = _max_range(name)
    assert 0.95 * low <= got <= 1.05 * high

"""The placement's coverage indicator against the closed form of a head-on engagement."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.analysis.reach import reach_matrix
from triumf.core.tables import FlyoutTable, RegularGridTable

V_MISSILE = 1000.0   # m/s, constant-speed interceptor of the test table
V_THREAT = 250.0
REACTION = 10.0
R_DET = 60000.0


def _table() -> FlyoutTable:
    g = np.linspace(0.0, 150000.0, 301)
    h = np.array([0.0, 1000.0])
    t = np.hypot(g[:, None], h[None, :]) / V_MISSILE
    return FlyoutTable(RegularGridTable(g, h, t), RegularGridTable(g, h, np.full_like(t, 1e3)))


def _covered(keep_out: float, site=(0.0, 0.0), origin=(-100000.0, 0.0)) -> bool:
    limits = np.array([[0.0, 2e5, 0.0, 3e4]])
    r = reach_matrix([site], [(0.0, 0.0)], [origin], [0.0], [V_THREAT], [R_DET], [_table()],
                     limits, REACTION, keep_out, samples=4001)
    return bool(r[0, 0, 0])


# Site on the asset, threat flying straight at it: detected at u_det = R_DET, the latest launch
# reaches it at u* with (u_det - u*) / v = reaction + u* / V_m, so
# u* = (u_det - v reaction) / (1 + v / V_m).
U_STAR = (R_DET - V_THREAT * REACTION) / (1.0 + V_THREAT / V_MISSILE)


def test_covered_when_keep_out_inside_closed_form() -> None:
    """A keep-out range 1 % short of the closed-form intercept distance is covered."""
    assert _covered(0.99 * U_STAR)


def test_not_covered_when_keep_out_beyond_closed_form() -> None:
    """A keep-out range 1 % beyond the closed-form intercept distance is not covered."""
    assert not _covered(1.01 * U_STAR)


def test_site_out_of_detection_range_covers_nothing() -> None:
    """A site farther from the whole path than the detection range reaches no pair."""
    assert not _covered(0.0, site=(0.0, 200000.0))


@pytest.mark.parametrize("keep_out", [0.0, 10000.0, 40000.0])
def test_shape_and_dtype(keep_out: float) -> None:
    """The indicator is boolean with shape (sites, assets, axes)."""
    r = reach_matrix(np.zeros((3, 2)), np.zeros((2, 2)) + [[0, 0], [0, 5000]],
                     [(-1e5, 0.0)] * 4, [0.0] * 4, [V_THREAT] * 4, [R_DET] * 4, [_table()],
                     [[0.0, 2e5, 0.0, 3e4]], REACTION, keep_out, samples=50)
    assert r.shape == (3, 2, 4) and r.dtype == np.bool_


def test_range_limits_apply_to_ground_range_not_slant_range() -> None:
    """A point at ground range just inside max range but slant range beyond it is engageable."""
    h = 20000.0                       # axis altitude, m; site on the asset, threat overhead
    g_max = 30000.0                   # max range: slant at g = 29 km is hypot(29, 20) = 35 km
    limits = np.array([[0.0, g_max, 0.0, 3e4]])
    g = np.linspace(0.0, 150000.0, 301)
    hs = np.array([0.0, 30000.0])
    t = np.hypot(g[:, None], hs[None, :]) / V_MISSILE
    table = FlyoutTable(RegularGridTable(g, hs, t),
                        RegularGridTable(g, hs, np.full_like(t, 1e3)))
    r = reach_matrix([(0.0, 0.0)], [(0.0, 0.0)], [(-100000.0, 0.0)], [h], [V_THREAT], [R_DET],
                     [table], limits, 0.0, 28000.0, samples=2001)
    assert np.hypot(28000.0, h) > g_max
    assert bool(r[0, 0, 0])

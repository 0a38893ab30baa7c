"""Map-grid areas by the trapezoid rule: a full grid and a disc of known area."""

import numpy as np
import pytest

from triumf.analysis.coverage import square_grid
from triumf.analysis.defended_area import DefendedArea, DefendedAreaMap
from triumf.analysis.grid_area import grid_area_m2


@pytest.mark.parametrize("n", [2, 5, 61])
def test_full_grid_has_exactly_the_square_area(n):
    """A condition true at every node gives (2 extent)^2, not (n/(n-1))^2 times it."""
    e, nn = square_grid(10_000.0, n)
    assert grid_area_m2(np.ones((n, n), bool), e, nn) == pytest.approx(20_000.0**2, rel=1e-12)


def test_disc_area_converges_to_pi_r_squared():
    """A disc of radius 40 km in a +-50 km grid of 401 nodes has area pi R^2 (within 0.5 %)."""
    e, n = square_grid(50_000.0, 401)
    ee, nn = np.meshgrid(e, n)
    area = grid_area_m2(np.hypot(ee, nn) <= 40_000.0, e, n)
    assert area == pytest.approx(np.pi * 40_000.0**2, rel=5e-3)


def test_defended_area_map_uses_the_trapezoid_area():
    """DefendedAreaMap.area_km2 of a map defended everywhere is the square's area."""
    e, n = square_grid(5_000.0, 11)
    ones = np.ones((11, 11))
    res = DefendedArea(p_intercept=ones, p_detect=ones, best_missile=np.zeros((11, 11), int),
                       detect_by_m=ones)
    dam = DefendedAreaMap(east_m=e, north_m=n, azimuth_rad=0.0, result=res)
    assert dam.area_km2(0.9) == pytest.approx(100.0, rel=1e-12)

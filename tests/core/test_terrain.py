"""Terrain grid: bilinear heights, sea level outside, input checks."""

import numpy as np
import pytest

from triumf.core.terrain import Terrain


def test_bilinear_reproduces_a_plane_exactly():
    """Bilinear interpolation is exact for a plane h = a + b e + c n."""
    e = 100.0 + 50.0 * np.arange(5)
    n = -200.0 + 50.0 * np.arange(4)
    h = 10.0 + 0.02 * e[None, :] - 0.03 * n[:, None]
    terrain = Terrain(east0_m=100.0, north0_m=-200.0, spacing_m=50.0, height_m=h)
    rng = np.random.default_rng(1)
    qe = rng.uniform(100.0, 300.0, 50)
    qn = rng.uniform(-200.0, -50.0, 50)
    np.testing.assert_allclose(terrain.height_at(qe, qn), 10.0 + 0.02 * qe - 0.03 * qn, atol=1e-9)


def test_outside_the_grid_is_sea_level():
    """Points off the grid are at 0 m, nodes return their own height."""
    h = np.array([[1.0, 2.0], [3.0, 4.0]])
    terrain = Terrain(0.0, 0.0, 10.0, h)
    assert terrain.height_at(-1.0, 5.0) == 0.0
    assert terrain.height_at(5.0, 10.1) == 0.0
    assert terrain.height_at(10.0, 10.0) == 4.0
    assert terrain.height_at(0.0, 10.0) == 3.0


def test_rejects_bad_grids():
    """Non-finite heights, a 1-D grid or a non-positive spacing are refused."""
    with pytest.raises(ValueError):
        Terrain(0.0, 0.0, 10.0, np.array([[0.0, np.nan], [0.0, 0.0]]))
    with pytest.raises(ValueError):
        Terrain(0.0, 0.0, 10.0, np.zeros(4))
    with pytest.raises(ValueError):
        Terrain(0.0, 0.0, 0.0, np.zeros((2, 2)))

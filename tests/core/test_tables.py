"""Tests of the bilinear grid table."""

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

from triumf.core.tables import FlyoutTable, RegularGridTable


def make_table(values: np.ndarray | None = None) -> RegularGridTable:
    x = np.array([0.0, 1.0, 2.5, 4.0])
    y = np.array([-1.0, 0.0, 3.0])
    if values is None:
        xx, yy = np.meshgrid(x, y, indexing="ij")
        values = 2.0 + 3.0 * xx - 0.5 * yy + 0.25 * xx * yy
    return RegularGridTable(x, y, values)


def test_reproduces_bilinear_function() -> None:
    """A function a + bx + cy + dxy is reproduced exactly anywhere inside the grid."""
    table = make_table()
    rng = np.random.default_rng(1)
    xq = rng.uniform(0.0, 4.0, 500)
    yq = rng.uniform(-1.0, 3.0, 500)
    np.testing.assert_allclose(table(xq, yq), 2.0 + 3.0 * xq - 0.5 * yq + 0.25 * xq * yq)


def test_matches_scipy() -> None:
    """Random grid values interpolate as scipy's RegularGridInterpolator (linear) does."""
    rng = np.random.default_rng(2)
    values = rng.normal(size=(4, 3))
    table = make_table(values)
    ref = RegularGridInterpolator((table.x, table.y), values, method="linear")
    pts = np.column_stack([rng.uniform(0.0, 4.0, 300), rng.uniform(-1.0, 3.0, 300)])
    np.testing.assert_allclose(table(pts[:, 0], pts[:, 1]), ref(pts), rtol=1e-12, atol=1e-12)


def test_nodes_and_edges() -> None:
    """Grid nodes, including the last row and column, return their stored values."""
    table = make_table()
    xx, yy = np.meshgrid(table.x, table.y, indexing="ij")
    np.testing.assert_allclose(table(xx, yy), table.values)


def test_nan_outside() -> None:
    """Points outside the grid rectangle give NaN."""
    table = make_table()
    out = table(np.array([-0.1, 4.1, 1.0, 1.0]), np.array([0.0, 0.0, -1.1, 3.1]))
    assert np.all(np.isnan(out))


def test_nan_corner_poisons_cell() -> None:
    """A NaN corner gives NaN inside its cells and leaves other cells finite."""
    values = np.ones((4, 3))
    values[1, 1] = np.nan
    table = make_table(values)
    assert np.isnan(table(0.5, -0.5))
    assert np.isnan(table(1.5, 1.0))
    assert table(3.0, 2.0) == pytest.approx(1.0)


def test_broadcasting() -> None:
    """Queries broadcast: (5, 1) x (1, 7) gives (5, 7)."""
    table = make_table()
    out = table(np.linspace(0, 4, 5)[:, None], np.linspace(-1, 3, 7)[None, :])
    assert out.shape == (5, 7)


def test_rejects_bad_axes() -> None:
    """Non-ascending axes or a wrong value shape raise ValueError."""
    with pytest.raises(ValueError):
        RegularGridTable(np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0]), np.zeros((3, 2)))
    with pytest.raises(ValueError):
        RegularGridTable(np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.zeros((3, 2)))


def test_flyout_table_reachable() -> None:
    """FlyoutTable.reachable is False exactly where the time table is NaN."""
    values = np.ones((4, 3))
    values[3, :] = np.nan
    table = make_table(values)
    flyout = FlyoutTable(time_s=table, speed_mps=table)
    assert flyout.reachable(0.5, 0.0)
    assert not flyout.reachable(3.5, 0.0)

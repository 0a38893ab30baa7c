"""Gridded look-up tables: bilinear interpolation on a regular (rectilinear) grid.

The command post reads interceptor fly-out tables through these classes without importing the
``engage`` stage that builds them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["FlyoutTable", "RegularGridTable"]


@dataclass(frozen=True, eq=False)
class RegularGridTable:
    """Values on a rectilinear grid, read by bilinear interpolation.

    Parameters
    ----------
    x : ndarray, shape (Nx,), strictly ascending, Nx >= 2
    y : ndarray, shape (Ny,), strictly ascending, Ny >= 2
    values : ndarray, shape (Nx, Ny); NaN marks cells with no value

    Notes
    -----
    ``table(x, y)`` returns NaN outside the closed grid rectangle and wherever any of the four
    surrounding corners is NaN (a NaN corner poisons its cells, so a NaN region is never
    interpolated into).
    """

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    values: NDArray[np.float64]

    def __post_init__(self) -> None:
        x = np.asarray(self.x, dtype=np.float64)
        y = np.asarray(self.y, dtype=np.float64)
        v = np.asarray(self.values, dtype=np.float64)
        if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2:
            raise ValueError("x and y must be 1-D with at least two points each")
        if np.any(np.diff(x) <= 0.0) or np.any(np.diff(y) <= 0.0):
            raise ValueError("x and y must be strictly ascending")
        if v.shape != (x.size, y.size):
            raise ValueError(f"values has shape {v.shape}, expected {(x.size, y.size)}")
        for name, arr in (("x", x), ("y", y), ("values", v)):
            arr = arr.copy()
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    def __call__(self, x: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        """Interpolate bilinearly.

        Parameters
        ----------
        x, y : array_like, broadcastable to a common shape (...)

        Returns
        -------
        ndarray, shape (...); NaN outside the grid or next to a NaN corner
        """
        xq, yq = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
        i = np.clip(np.searchsorted(self.x, xq, side="right") - 1, 0, self.x.size - 2)
        j = np.clip(np.searchsorted(self.y, yq, side="right") - 1, 0, self.y.size - 2)
        x0, x1 = self.x[i], self.x[i + 1]
        y0, y1 = self.y[j], self.y[j + 1]
        u = (xq - x0) / (x1 - x0)
        w = (yq - y0) / (y1 - y0)
        v = self.values
        # f = (1-u)(1-w) f00 + u(1-w) f10 + (1-u) w f01 + u w f11
        out = (
            (1.0 - u) * (1.0 - w) * v[i, j]
            + u * (1.0 - w) * v[i + 1, j]
            + (1.0 - u) * w * v[i, j + 1]
            + u * w * v[i + 1, j + 1]
        )
        inside = (xq >= self.x[0]) & (xq <= self.x[-1]) & (yq >= self.y[0]) & (yq <= self.y[-1])
        return np.where(inside, out, np.nan)


@dataclass(frozen=True, eq=False)
class FlyoutTable:
    """Interceptor fly-out table over (ground range, altitude) of a stationary aim point.

    Parameters
    ----------
    time_s : RegularGridTable
        Time of flight from launch to the point, seconds; x = ground range (m), y = altitude (m).
        NaN where the interceptor cannot reach the point.
    speed_mps : RegularGridTable
        Interceptor speed at the point, m/s, on the same grid; NaN where ``time_s`` is NaN.
    accel_mps2 : RegularGridTable, optional
        Lateral acceleration the interceptor can still pull at the point (its structural,
        aerodynamic or gas-dynamic limit there), m/s^2, on the same grid; None if not built.
    """

    time_s: RegularGridTable
    speed_mps: RegularGridTable
    accel_mps2: RegularGridTable | None = None

    def reachable(self, ground_range_m: ArrayLike, altitude_m: ArrayLike) -> NDArray[np.bool_]:
        """True where the table has a finite time of flight, shape of the broadcast inputs."""
        return np.isfinite(self.time_s(ground_range_m, altitude_m))

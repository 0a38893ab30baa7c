"""Terrain: ground height above the sphere on a regular grid of map coordinates.

The engine's map coordinates are ground east/north distances about the scenario origin
(azimuthal equidistant, see :func:`triumf.core.earth.map_to_enu`). A :class:`Terrain` holds the
height of the ground above mean sea level (the sphere) on a regular grid of those coordinates;
outside the grid the ground is at sea level. Readers of DEM files (SRTM ``.hgt``, GeoTIFF) live in
``triumf.scenario`` (only that stage reads files) and resample onto this grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["Terrain"]


@dataclass(frozen=True, eq=False)
class Terrain:
    """Ground heights on a regular grid of map coordinates.

    Parameters
    ----------
    east0_m, north0_m : float
        Map coordinates of grid node ``[0, 0]`` (south-west corner), metres.
    spacing_m : float
        Grid spacing, metres, the same east and north (> 0).
    height_m : ndarray, shape (Ny, Nx)
        Ground height above the sphere at node ``[j, i]`` = (east0 + i d, north0 + j d), metres.
        Rows run north, columns east. Finite; Ny, Nx >= 2.
    """

    east0_m: float
    north0_m: float
    spacing_m: float
    height_m: NDArray[np.float64]

    def __post_init__(self) -> None:
        h = np.array(self.height_m, dtype=np.float64)
        if h.ndim != 2 or h.shape[0] < 2 or h.shape[1] < 2:
            raise ValueError(f"height_m must be 2-D with at least 2x2 nodes, got {h.shape}")
        if not np.all(np.isfinite(h)):
            raise ValueError("height_m must be finite everywhere")
        if not (np.isfinite(self.spacing_m) and self.spacing_m > 0.0):
            raise ValueError(f"spacing_m must be positive, got {self.spacing_m}")
        h.flags.writeable = False
        object.__setattr__(self, "height_m", h)

    @property
    def shape(self) -> tuple[int, int]:
        """Grid shape (Ny, Nx)."""
        return (int(self.height_m.shape[0]), int(self.height_m.shape[1]))

    @property
    def max_height_m(self) -> float:
        """Highest node, metres."""
        return float(self.height_m.max())

    def height_at(self, east_m: ArrayLike, north_m: ArrayLike) -> NDArray[np.float64]:
        """Ground height by bilinear interpolation; sea level (0 m) outside the grid.

        Parameters
        ----------
        east_m, north_m : array_like, broadcastable to a common shape (...), metres

        Returns
        -------
        ndarray, shape (...), metres above the sphere
        """
        e, n = np.broadcast_arrays(np.asarray(east_m, np.float64), np.asarray(north_m, np.float64))
        ny, nx = self.shape
        fx = (e - self.east0_m) / self.spacing_m
        fy = (n - self.north0_m) / self.spacing_m
        inside = (fx >= 0.0) & (fx <= nx - 1) & (fy >= 0.0) & (fy <= ny - 1)
        i = np.clip(np.floor(np.nan_to_num(fx)).astype(np.intp), 0, nx - 2)
        j = np.clip(np.floor(np.nan_to_num(fy)).astype(np.intp), 0, ny - 2)
        u = np.clip(fx - i, 0.0, 1.0)
        w = np.clip(fy - j, 0.0, 1.0)
        h = self.height_m
        # f = (1-u)(1-w) h00 + u(1-w) h10 + (1-u) w h01 + u w h11
        out = ((1.0 - u) * (1.0 - w) * h[j, i] + u * (1.0 - w) * h[j, i + 1]
               + (1.0 - u) * w * h[j + 1, i] + u * w * h[j + 1, i + 1])
        return np.where(inside, out, 0.0)

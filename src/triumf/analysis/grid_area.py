"""Area of the part of a map grid where a condition holds (trapezoid rule over the nodes).

The grids of the coverage and defended-area maps hold values at their nodes, edges included. The
area of ``{condition}`` is the trapezoid-rule integral of its indicator over the grid's
rectangle: each node weighs the half-spacings on either side of it along east and along north,
so an edge node counts half a cell and a corner node a quarter. A condition true everywhere
gives exactly the rectangle's area (counting every node as a whole cell overstates it by
``(n / (n - 1))^2``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["node_weights_m", "grid_area_m2"]


def node_weights_m(x_m: ArrayLike) -> NDArray[np.float64]:
    """Trapezoid weights of sorted node coordinates, shape (n,), metres (zeros for one node)."""
    x = np.asarray(x_m, np.float64)
    if x.size < 2:
        return np.zeros(x.shape)
    gaps = np.abs(np.diff(x))
    return np.asarray(0.5 * (np.r_[gaps, 0.0] + np.r_[0.0, gaps]), np.float64)


def grid_area_m2(inside: ArrayLike, east_m: ArrayLike, north_m: ArrayLike) -> float:
    """Area of the nodes where ``inside`` holds, m^2 (trapezoid rule).

    Parameters
    ----------
    inside : array_like of bool, shape (Ny, Nx)
    east_m : array_like, shape (Nx,), metres
    north_m : array_like, shape (Ny,), metres

    Returns
    -------
    float, m^2
    """
    w = node_weights_m(north_m)[:, None] * node_weights_m(east_m)[None, :]
    return float(np.sum(np.where(np.asarray(inside, bool), w, 0.0)))

"""Which candidate site can engage which threat axis in time: the placement's coverage indicator.

For a fire unit on site ``j``, an asset ``a`` and a threat axis ``x``, the threat flies straight
and level from the axis origin to the asset at the axis altitude ``h`` and speed ``v``. Along
the path, ``u`` is the distance still to go to the asset. The pair (a, x) is *reachable* from
``j`` when some point ``u`` of the path satisfies all of

- ``u >= keep_out_m``: the intercept happens outside the keep-out range;
- the fire unit has detected the threat by then: its first detection is at the largest ``u``
  inside the detection range ``R_det(x)`` of the site (the path meets a disc in one interval);
  ``R_det`` is, for the best radar of the fire unit, the least of its instrumented range, its
  radar-horizon slant range to height ``h`` (effective Earth, factor k) and its free-space
  radar-equation range at single-look Pd 0.5 for the threat's RCS and Swerling case;
- a missile of the loadout launched ``reaction_s`` after detection arrives in time:
  ``t(u) >= t(u_det) + reaction_s + tof(g, h)`` with ``t(u) = (L - u) / v`` and ``tof`` the
  missile's fly-out table time to ground range ``g`` (site to point) at height ``h``; and the
  point lies within the missile's range limits (on ground range ``g``, as the engine's
  engageability test) and altitude limits.

Simplifications (documented in docs/analysis_procurement.md): radars stand on the site (their
offsets in the battalion, a few km, are ignored), ground distances are taken in the local
plane, terrain masking, channel limits and kill probability are left to the Monte Carlo check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.tables import FlyoutTable

__all__ = ["reach_matrix", "path_samples"]

FloatArray = NDArray[np.float64]


def path_samples(n: int) -> FloatArray:
    """Fractions of the path length (0 at the asset, 1 at the axis origin), shape (n,)."""
    return np.linspace(0.0, 1.0, int(n))


def reach_matrix(
    sites_xy_m: ArrayLike,
    assets_xy_m: ArrayLike,
    axes_xy_m: ArrayLike,
    axis_altitude_m: ArrayLike,
    axis_speed_mps: ArrayLike,
    detect_range_m: ArrayLike,
    flyouts: Sequence[FlyoutTable],
    missile_limits_m: ArrayLike,
    reaction_s: float,
    keep_out_m: float,
    samples: int = 400,
) -> NDArray[np.bool_]:
    """Coverage indicator of every (site, asset, axis) triple.

    Parameters
    ----------
    sites_xy_m : array_like, shape (J, 2), metres east/north
    assets_xy_m : array_like, shape (A, 2), metres
    axes_xy_m : array_like, shape (X, 2), metres (launch point of each axis)
    axis_altitude_m, axis_speed_mps : array_like, shape (X,), metres, m/s
    detect_range_m : array_like, shape (X,), metres
        Detection range of a fire unit against each axis's threat.
    flyouts : sequence of FlyoutTable, length Mt
        Time of flight over (ground range, altitude) of each missile type carried.
    missile_limits_m : array_like, shape (Mt, 4)
        ``min_range, max_range, min_altitude, max_altitude`` of each type, metres.
    reaction_s : float
        Detection-to-launch time, seconds.
    keep_out_m : float
        Least distance from the asset at which an intercept counts, metres.
    samples : int
        Points along each path.

    Returns
    -------
    ndarray of bool, shape (J, A, X)
    """
    sites = np.asarray(sites_xy_m, np.float64).reshape(-1, 2)
    assets = np.asarray(assets_xy_m, np.float64).reshape(-1, 2)
    origins = np.asarray(axes_xy_m, np.float64).reshape(-1, 2)
    h = np.asarray(axis_altitude_m, np.float64)
    v = np.asarray(axis_speed_mps, np.float64)
    r_det = np.asarray(detect_range_m, np.float64)
    limits = np.asarray(missile_limits_m, np.float64).reshape(-1, 4)

    d = origins[None, :, :] - assets[:, None, :]                      # (A, X, 2)
    length = np.linalg.norm(d, axis=-1)                                # (A, X)
    s = path_samples(samples)                                          # (N,)
    u = length[..., None] * s                                          # (A, X, N) to go, m
    pts = assets[:, None, None, :] + d[:, :, None, :] * s[:, None]     # (A, X, N, 2)
    g = np.linalg.norm(pts[None] - sites[:, None, None, None, :], axis=-1)  # (J, A, X, N)

    seen = g <= r_det[None, None, :, None]
    u_det = np.max(np.where(seen, u[None], -np.inf), axis=-1)          # (J, A, X)
    t = (length[..., None] - u) / v[None, :, None]                     # (A, X, N) s
    t_fire = (length[None] - u_det) / v[None, None, :] + reaction_s    # (J, A, X)

    hh = np.broadcast_to(h[None, None, :, None], g.shape)
    best = np.full(g.shape, np.inf)
    for m, table in enumerate(flyouts):
        tof = table.time_s(g, hh)
        # range limits on ground range, as the engine (triumf.c2.engageability)
        ok = (np.isfinite(tof) & (g >= limits[m, 0]) & (g <= limits[m, 1])
              & (hh >= limits[m, 2]) & (hh <= limits[m, 3]))
        best = np.where(ok, np.minimum(best, np.where(ok, tof, np.inf)), best)

    feasible = (
        (u[None] >= keep_out_m)
        & (u[None] <= u_det[..., None])
        & (t[None] >= t_fire[..., None] + best)
    )
    return np.asarray(feasible.any(axis=-1), dtype=np.bool_)

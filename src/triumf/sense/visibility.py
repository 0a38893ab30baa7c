"""Line of sight over terrain on a curved, refracting Earth: a per-radar mask table.

Model
-----
Refraction is the effective-Earth-radius model: the radar's rays are straight lines over a
sphere of radius ``a_e = k a`` (``k = 4/3`` for the standard atmosphere; Skolnik, *Introduction
to Radar Systems*, 3rd ed., 2001, sec. 8.2). Ground distances ``s`` along the real surface are
kept, so a point at ground distance ``s`` and height ``h`` sits at central angle
``theta = s / a_e`` and radius ``a_e + h`` of the effective sphere. Seen from an antenna at height
``h_a``, its elevation angle satisfies

    tan(el) = ((a_e + h) cos(theta) - (a_e + h_a)) / ((a_e + h) sin(theta)).

A target is visible iff, along its azimuth, no ground point closer than the target is seen at a
higher elevation angle than the target (all points of the vertical plane lie in one half-plane
seen from the antenna, so "above the straight ray" is "at a higher elevation angle").

Mask table (O(1) per radar-target pair)
---------------------------------------
For each radar, once: ``tan_mask[i, j]`` = the largest ``tan(el)`` of the ground along azimuth
``i * az_step`` from the antenna out to ground distance ``j * range_step`` (a running maximum of
the ground profile sampled every ``range_step``). A target at azimuth ``az``, ground distance
``s`` and height ``h`` is visible iff its ``tan(el)`` exceeds ``tan_mask[round(az / az_step),
floor(s / range_step)]`` and it is above the smooth-Earth radar horizon
(:func:`triumf.core.earth.above_radar_horizon`, the same ``k``).

Approximations (both controlled by the bin widths): the target's azimuth is rounded to the
nearest bin centre (the ground profile is taken along that centre line; at ground distance
``s`` the profile may lie up to ``s * az_step / 2`` sideways of the true ray), and the ground is
sampled every ``range_step`` (a peak narrower than a step can be missed by up to the bilinear
terrain's change over half a step). Defaults: 0.25 degree and the terrain grid spacing; at
50 km the sideways offset is then at most 110 m, about half a 200 m terrain cell. The
brute-force reference :func:`los_ray_march` marches along the straight ray itself.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import (
    EARTH_RADIUS_M,
    EFFECTIVE_EARTH_FACTOR,
    above_radar_horizon,
    altitude_m,
    enu_to_map,
    ground_range_m,
    local_aer,
    local_frame,
    map_to_enu,
    up_unit,
)
from triumf.core.terrain import Terrain

__all__ = [
    "DEFAULT_AZ_STEP_RAD",
    "TerrainMask",
    "build_terrain_mask",
    "los_ray_march",
    "radar_terrain_masks",
    "tan_elevation",
]

FloatArray = NDArray[np.float64]

DEFAULT_AZ_STEP_RAD: float = float(np.deg2rad(0.25))
"""Default azimuth bin of the mask table, radians (a modelling choice, see module notes)."""


def tan_elevation(
    ground_m: ArrayLike, height_m: ArrayLike, antenna_alt_m: ArrayLike, k: float = 4.0 / 3.0,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Tangent of the elevation angle of a point seen from an antenna, on the effective Earth.

    Parameters
    ----------
    ground_m : array_like, shape (...), metres
        Ground (great-circle) distance from the antenna's foot to the point's foot, > 0.
    height_m : array_like, shape (...), metres
        Height of the point above the sphere.
    antenna_alt_m : array_like, shape (...), metres
        Height of the antenna above the sphere.
    k : float
        Effective Earth-radius factor.
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...)
        ``((a_e + h) cos(theta) - (a_e + h_a)) / ((a_e + h) sin(theta))``, ``theta = s / a_e``.
    """
    ae = k * radius_m
    s = np.asarray(ground_m, dtype=np.float64)
    h = np.asarray(height_m, dtype=np.float64)
    theta = s / ae
    rho = ae + h
    # rho cos(theta) - (ae + h_a) = (h - h_a) - rho * 2 sin^2(theta / 2), without cancellation
    num = (h - np.asarray(antenna_alt_m, dtype=np.float64)) - 2.0 * rho * np.sin(0.5 * theta) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(num / (rho * np.sin(theta)), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class TerrainMask:
    """Terrain mask of one antenna: the highest ground elevation angle by azimuth and range.

    Build with :func:`build_terrain_mask`.

    Attributes
    ----------
    antenna_pos : ndarray, shape (3,), metres, engine ENU
    antenna_alt_m : float
        Antenna height above the sphere, metres.
    k : float
        Effective Earth-radius factor the table was built for.
    az_step_rad, range_step_m : float
        Bin widths.
    tan_mask : ndarray, shape (n_az, n_range + 1)
        Running maximum of the ground's ``tan(el)`` along each azimuth bin; column ``j`` covers
        ground distances up to ``j * range_step_m`` (column 0 is ``-inf``: nothing in front).
    """

    antenna_pos: FloatArray
    antenna_alt_m: float
    k: float
    az_step_rad: float
    range_step_m: float
    tan_mask: FloatArray

    def visible(self, pos: ArrayLike) -> NDArray[np.bool_]:
        """Line of sight from the antenna to each position (terrain and smooth-Earth horizon).

        Parameters
        ----------
        pos : array_like, shape (..., 3), metres, engine ENU

        Returns
        -------
        ndarray of bool, shape (...)
        """
        p = np.asarray(pos, dtype=np.float64)
        _, az, _ = local_aer(self.antenna_pos, p)
        s = ground_range_m(self.antenna_pos, p)
        h = altitude_m(p)
        n_az, n_col = self.tan_mask.shape
        i = np.rint(az / self.az_step_rad).astype(np.intp) % n_az
        j = np.minimum((s / self.range_step_m).astype(np.intp), n_col - 1)
        tan_t = tan_elevation(np.maximum(s, 1e-3), h, self.antenna_alt_m, self.k)
        clear = tan_t > self.tan_mask[i, j]
        return np.asarray(clear & above_radar_horizon(self.antenna_pos, p, k=self.k))


def _profile_points(
    antenna_pos: FloatArray, az: FloatArray, ground_m: FloatArray, radius_m: float
) -> tuple[FloatArray, FloatArray]:
    """Map coordinates of ground points at azimuths ``az`` (A, 1) and distances (1, J)."""
    rot = local_frame(antenna_pos)
    u = up_unit(antenna_pos)
    d = np.sin(az)[..., None] * rot[:, 0] + np.cos(az)[..., None] * rot[:, 1]  # (A, 1, 3)
    phi = (ground_m / radius_m)[..., None]  # (1, J, 1)
    r = radius_m * (np.cos(phi) * u + np.sin(phi) * d)  # geocentric, on the sphere
    pos = r - np.array([0.0, 0.0, radius_m])
    e, n, _ = enu_to_map(pos)
    return e, n


def build_terrain_mask(
    antenna_pos: ArrayLike,
    terrain: Terrain,
    k: float = EFFECTIVE_EARTH_FACTOR,
    *,
    az_step_rad: float = DEFAULT_AZ_STEP_RAD,
    range_step_m: float | None = None,
    max_range_m: float | None = None,
) -> TerrainMask:
    """Precompute the terrain mask of one antenna.

    Parameters
    ----------
    antenna_pos : array_like, shape (3,), metres, engine ENU
    terrain : Terrain
    k : float
        Effective Earth-radius factor.
    az_step_rad : float
        Azimuth bin width, radians (360 degrees must be a whole number of bins, within 1e-9).
    range_step_m : float, optional
        Ground sampling step, metres (default: the terrain grid spacing).
    max_range_m : float, optional
        Farthest ground distance tabulated (default: the terrain grid's farthest corner; beyond
        the grid the ground is at sea level and the smooth-Earth horizon test covers it).

    Returns
    -------
    TerrainMask
    """
    ant = np.asarray(antenna_pos, dtype=np.float64)
    n_az = int(round(2.0 * np.pi / az_step_rad))
    if n_az < 4 or abs(n_az * az_step_rad - 2.0 * np.pi) > 1e-9:
        raise ValueError(f"az_step_rad must divide 2 pi into >= 4 bins, got {az_step_rad}")
    step = float(terrain.spacing_m if range_step_m is None else range_step_m)
    if max_range_m is None:
        ny, nx = terrain.shape
        ce = terrain.east0_m + terrain.spacing_m * np.array([0, nx - 1, 0, nx - 1])
        cn = terrain.north0_m + terrain.spacing_m * np.array([0, 0, ny - 1, ny - 1])
        corners = map_to_enu(ce, cn, 0.0)
        max_range_m = float(ground_range_m(ant, corners).max())
    n_r = max(1, int(np.ceil(max_range_m / step)))
    az: FloatArray = (az_step_rad * np.arange(n_az, dtype=np.float64))[:, None]
    s: FloatArray = (step * np.arange(1, n_r + 1, dtype=np.float64))[None, :]
    h_ant = float(altitude_m(ant))
    tan_g = np.empty((n_az, n_r))
    rows = max(1, 200_000 // n_r)  # bound the temporaries
    for a0 in range(0, n_az, rows):
        e, n = _profile_points(ant, az[a0:a0 + rows], s, EARTH_RADIUS_M)
        tan_g[a0:a0 + rows] = tan_elevation(s, terrain.height_at(e, n), h_ant, k)
    table = np.empty((n_az, n_r + 1))
    table[:, 0] = -np.inf
    np.maximum.accumulate(tan_g, axis=1, out=table[:, 1:])
    table.flags.writeable = False
    return TerrainMask(ant, h_ant, float(k), float(az_step_rad), step, table)


def los_ray_march(
    antenna_pos: ArrayLike,
    target_pos: ArrayLike,
    terrain: Terrain,
    k: float = EFFECTIVE_EARTH_FACTOR,
    n_samples: int = 1000,
    radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.bool_]:
    """Brute-force line of sight: march along each ray and compare with the ground below.

    The ray is the straight chord from antenna to target in the vertical plane of the
    effective Earth (radius ``k a``); each of ``n_samples`` points along it is mapped back to
    its real ground point (on the great circle from antenna to target) and compared with the
    terrain height there. Slow (``n_samples`` terrain look-ups per pair): a reference for
    :class:`TerrainMask`, not for the engine.

    Parameters
    ----------
    antenna_pos : array_like, shape (3,), metres, engine ENU
    target_pos : array_like, shape (..., 3), metres, engine ENU
    terrain : Terrain
    k : float
        Effective Earth-radius factor.
    n_samples : int
        Points per ray (the end points excluded).
    radius_m : float, metres

    Returns
    -------
    ndarray of bool, shape (...)
        True where every sample of the ray is strictly above the ground (sea level included).
    """
    ant = np.asarray(antenna_pos, dtype=np.float64)
    tgt = np.asarray(target_pos, dtype=np.float64)
    ae = k * radius_m
    ua = up_unit(ant, radius_m)
    ut = up_unit(tgt, radius_m)
    cos_t = np.clip(np.sum(ua * ut, axis=-1), -1.0, 1.0)
    psi_t = np.arccos(cos_t)  # real central angle
    h_a = altitude_m(ant, radius_m)
    h_t = altitude_m(tgt, radius_m)
    th_e = psi_t * radius_m / ae  # effective central angle
    # chord in the effective vertical plane: antenna at (0, ae + h_a)
    lam = (np.arange(1, n_samples + 1) / (n_samples + 1.0))
    tx = ((ae + h_t) * np.sin(th_e))[..., None]
    ty = ((ae + h_t) * np.cos(th_e))[..., None]
    px = lam * tx
    py = (ae + h_a) + lam * (ty - (ae + h_a))
    phi_e = np.arctan2(px, py)
    height = np.hypot(px, py) - ae
    psi = phi_e * ae / radius_m  # back to the real central angle
    sin_t = np.sin(psi_t)[..., None]
    safe = np.where(sin_t > 0.0, sin_t, 1.0)
    tangent = (ut[..., None, :] - cos_t[..., None, None] * ua) / safe[..., None]
    r = radius_m * (np.cos(psi)[..., None] * ua + np.sin(psi)[..., None] * tangent)
    e, n, _ = enu_to_map(r - np.array([0.0, 0.0, radius_m]), radius_m)
    ground = terrain.height_at(e, n)
    return np.asarray(np.all(height > ground, axis=-1))


_MASKS: weakref.WeakKeyDictionary[Terrain, dict[tuple[float, ...], TerrainMask]] = (
    weakref.WeakKeyDictionary())


def radar_terrain_masks(
    antenna_positions: Sequence[ArrayLike], terrain: Terrain | None,
    k: float = EFFECTIVE_EARTH_FACTOR,
) -> tuple[TerrainMask | None, ...]:
    """Terrain masks of several antennas, built once per process and terrain.

    Parameters
    ----------
    antenna_positions : sequence of array_like, each shape (3,), metres, engine ENU
    terrain : Terrain or None
        None gives no masks (the smooth-Earth horizon alone decides).
    k : float
        Effective Earth-radius factor.

    Returns
    -------
    tuple of TerrainMask or None, one per antenna
    """
    if terrain is None:
        return tuple(None for _ in antenna_positions)
    cache = _MASKS.setdefault(terrain, {})
    out = []
    for pos in antenna_positions:
        key = (*np.asarray(pos, dtype=np.float64).tolist(), float(k))
        if key not in cache:
            cache[key] = build_terrain_mask(pos, terrain, k)
        out.append(cache[key])
    return tuple(out)

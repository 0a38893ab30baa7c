"""Horizontal coverage maps: where each radar, and the network, detects a target class.

Model
-----
For a target of mean radar cross section ``sigma`` (m^2) and Swerling case ``sw`` at a height
``h`` above every node of an east/north map grid (the engine's map coordinates, azimuthal
equidistant about the scenario origin), radar ``i`` detects it in one look with probability

    Pd_i = PdTable(Pfa_i, N_i, sw)(SNR_i(R)) if visible_i else 0,

where ``SNR_i(R)`` is the free-space radar equation
(:func:`triumf.sense.radar_equation.snr_db`) at the slant range ``R`` and the Pd is the exact
square-law / N-pulse result (:class:`triumf.sense.detection.PdTable`). ``visible_i`` is the
engine's own test (:func:`triumf.sense.scan.visibility` and :func:`triumf.sense.scan.in_sector`):
inside the instrumented range, between the minimum and maximum elevation angle (the upper edge
gives the cone of silence), inside the azimuth search sector, above the smooth-Earth radar
horizon of the effective Earth (``k a``, 4/3 by default) and, with terrain, in line of sight over
the ground (:class:`triumf.sense.visibility.TerrainMask`, built once per radar and reused).

Cumulative Pd over ``n_i`` independent looks (a dwell of ``duration_s`` gives
``n_i = max(1, floor(duration_s / revisit_s))``) is ``1 - (1 - Pd_i)^n_i`` (looks independent:
exact for scan-to-scan fluctuating targets, Swerling 1 and 3; for steady targets only the noise
decorrelates). The network detects if any radar does, radars independent:
``P_net = 1 - prod_i (1 - P_i)``, for single looks and for the cumulative values alike.

Not modelled here (the engine has them): multipath lobing, surface clutter, jamming,
atmospheric attenuation. The map is therefore the free-space, clear-sky coverage.

Every operation is a NumPy array operation over the whole grid (in blocks of rows to bound
memory); the only Python loop is over radars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.analysis.grid_area import grid_area_m2
from triumf.core.earth import EFFECTIVE_EARTH_FACTOR, altitude_m, ground_range_m, map_to_enu
from triumf.core.terrain import Terrain
from triumf.sense.base import RadarParams
from triumf.sense.detection import PdTable
from triumf.sense.radar_equation import snr_db
from triumf.sense.scan import in_sector, visibility
from triumf.sense.visibility import TerrainMask, radar_terrain_masks, tan_elevation

__all__ = [
    "CoverageMap",
    "coverage_map",
    "looks_in",
    "network_probability",
    "radar_look",
    "single_look_pd",
    "square_grid",
]

FloatArray = NDArray[np.float64]

_BLOCK_POINTS = 250_000
"""Grid points evaluated at once (bounds the temporaries to a few tens of MB); no physics."""


@dataclass(frozen=True)
class CoverageMap:
    """Detection probability of one target class over a map grid.

    Attributes
    ----------
    east_m : ndarray, shape (Nx,), metres
        Map east coordinates of the grid columns.
    north_m : ndarray, shape (Ny,), metres
        Map north coordinates of the grid rows.
    ground_m : ndarray, shape (Ny, Nx), metres
        Ground height under each node (0 without terrain).
    target_alt_m : ndarray, shape (Ny, Nx), metres
        Target height above the sphere (mean sea level) at each node.
    radar_names : tuple of str, length S
    pd : ndarray, shape (S, Ny, Nx)
        Single-look Pd of each radar.
    cumulative : ndarray, shape (S, Ny, Nx)
        Cumulative Pd of each radar over its ``n_looks``.
    n_looks : ndarray of int, shape (S,)
    pd_network, cumulative_network : ndarray, shape (Ny, Nx)
        ``1 - prod_i (1 - P_i)`` of the single-look and cumulative values.
    rcs_m2 : float
    swerling : int
    """

    east_m: FloatArray
    north_m: FloatArray
    ground_m: FloatArray
    target_alt_m: FloatArray
    radar_names: tuple[str, ...]
    pd: FloatArray
    cumulative: FloatArray
    n_looks: NDArray[np.int64]
    pd_network: FloatArray
    cumulative_network: FloatArray
    rcs_m2: float
    swerling: int

    @property
    def cell_area_m2(self) -> float:
        """Area of one grid cell, m^2 (map coordinates; spacing of the first two nodes)."""
        de = float(self.east_m[1] - self.east_m[0]) if self.east_m.size > 1 else 0.0
        dn = float(self.north_m[1] - self.north_m[0]) if self.north_m.size > 1 else 0.0
        return abs(de * dn)

    def area_km2(self, threshold: float = 0.5, cumulative: bool = False) -> float:
        """Area where the network's Pd reaches ``threshold``, km^2 (trapezoid rule over the
        nodes: edge nodes count half a cell, see `triumf.analysis.grid_area`)."""
        p = self.cumulative_network if cumulative else self.pd_network
        return grid_area_m2(p >= threshold, self.east_m, self.north_m) * 1e-6

    def radar_area_km2(self, radar: int, threshold: float = 0.5) -> float:
        """Area where radar ``radar``'s Pd reaches ``threshold``, km^2 (trapezoid rule)."""
        return grid_area_m2(self.pd[radar] >= threshold, self.east_m, self.north_m) * 1e-6


def square_grid(extent_m: float, n: int, center_east_m: float = 0.0,
                center_north_m: float = 0.0) -> tuple[FloatArray, FloatArray]:
    """Node coordinates of an ``n`` x ``n`` grid spanning ``+- extent_m`` about a centre.

    Parameters
    ----------
    extent_m : float, metres
        Half-width of the square (> 0).
    n : int
        Nodes per side (>= 2).
    center_east_m, center_north_m : float, metres

    Returns
    -------
    east_m, north_m : ndarray, shape (n,), metres
    """
    if n < 2 or not extent_m > 0.0:
        raise ValueError(f"need n >= 2 and extent_m > 0, got n={n}, extent_m={extent_m}")
    base = np.linspace(-extent_m, extent_m, n)
    return base + center_east_m, base + center_north_m


def looks_in(radar: RadarParams, duration_s: float | None, n_looks: int | None) -> int:
    """Independent looks a radar takes at a fixed point over a dwell or approach.

    Parameters
    ----------
    radar : RadarParams
    duration_s : float or None, seconds
        Time the target spends at the point; ``floor(duration_s / revisit_s)`` looks, at least 1.
    n_looks : int or None
        Used when ``duration_s`` is None (default 1).

    Returns
    -------
    int
    """
    if duration_s is not None:
        return max(1, int(np.floor(duration_s / radar.revisit_s)))
    return max(1, int(n_looks if n_looks is not None else 1))


def radar_look(
    radar: RadarParams,
    pos: ArrayLike,
    rcs_m2: float,
    swerling: int,
    table: PdTable | None = None,
    mask: TerrainMask | None = None,
    k: float = EFFECTIVE_EARTH_FACTOR,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Single-look Pd of one radar at given positions, and whether it can see them at all.

    Parameters
    ----------
    radar : RadarParams
    pos : array_like, shape (..., 3), metres, engine ENU
    rcs_m2 : float
        Mean radar cross section, m^2.
    swerling : int
        Swerling case 0-4.
    table : PdTable, optional
        Pd look-up for ``(radar.pfa, radar.n_pulses, swerling)``; built if None.
    mask : TerrainMask, optional
        The radar's terrain mask; None: smooth Earth only.
    k : float
        Effective Earth-radius factor.

    Returns
    -------
    pd : ndarray, shape (...)
        Pd in [0, 1]; 0 where the radar cannot see the point.
    visible : ndarray of bool, shape (...)
        Inside range, elevation coverage and sector, above the horizon, clear of terrain.
    """
    p = np.asarray(pos, dtype=np.float64)
    if table is None:
        table = PdTable(radar.pfa, radar.n_pulses, swerling)
    vis, rng_m, az, _ = visibility(radar, p, k)
    vis = vis & in_sector(radar, az)
    # the rest only where the smooth-Earth test passed (often a small part of a map)
    idx = np.flatnonzero(vis)
    flat = p.reshape(-1, 3)[idx]
    if mask is not None:
        clear = _terrain_clear(mask, flat, az.reshape(-1)[idx])
        idx, flat = idx[clear], flat[clear]
    snr = snr_db(rng_m.reshape(-1)[idx], rcs_m2, radar.peak_power_w, radar.gain_db,
                 radar.frequency_hz, radar.pulse_width_s, radar.system_temp_k, radar.losses_db)
    pd = np.zeros(vis.size)
    pd[idx] = table(snr)
    seen = np.zeros(vis.size, bool)
    seen[idx] = True
    return pd.reshape(vis.shape), seen.reshape(vis.shape)


def _terrain_clear(mask: TerrainMask, pos: FloatArray, az_rad: FloatArray) -> NDArray[np.bool_]:
    """The mask-table test of :meth:`TerrainMask.visible` for points whose azimuth from the
    antenna is known and that already passed the smooth-Earth horizon test."""
    s = ground_range_m(mask.antenna_pos, pos)
    n_az, n_col = mask.tan_mask.shape
    i = np.rint(az_rad / mask.az_step_rad).astype(np.intp) % n_az
    j = np.minimum((s / mask.range_step_m).astype(np.intp), n_col - 1)
    tan_t = tan_elevation(np.maximum(s, 1e-3), altitude_m(pos), mask.antenna_alt_m, mask.k)
    return np.asarray(tan_t > mask.tan_mask[i, j])


def single_look_pd(
    radar: RadarParams,
    pos: ArrayLike,
    rcs_m2: float,
    swerling: int,
    table: PdTable | None = None,
    mask: TerrainMask | None = None,
    k: float = EFFECTIVE_EARTH_FACTOR,
) -> FloatArray:
    """Single-look Pd of one radar against targets at given positions.

    Parameters and the Pd as in :func:`radar_look`.

    Returns
    -------
    ndarray, shape of ``pos`` without the last axis
    """
    return radar_look(radar, pos, rcs_m2, swerling, table, mask, k)[0]


def network_probability(p: ArrayLike, axis: int = 0) -> FloatArray:
    """Probability that at least one of independent sensors detects: ``1 - prod(1 - p)``.

    Parameters
    ----------
    p : array_like, shape (..., S, ...)
    axis : int
        The sensor axis.

    Returns
    -------
    ndarray, the shape of ``p`` without ``axis``
    """
    q = np.asarray(p, dtype=np.float64)
    if q.shape[axis] == 0:
        return np.zeros(np.delete(q.shape, axis), dtype=np.float64)
    return np.asarray(1.0 - np.prod(1.0 - q, axis=axis), dtype=np.float64)


def coverage_map(
    radars: Sequence[RadarParams],
    east_m: ArrayLike,
    north_m: ArrayLike,
    target_alt_m: float,
    rcs_m2: float,
    swerling: int = 1,
    *,
    above_ground: bool = False,
    terrain: Terrain | None = None,
    k: float = EFFECTIVE_EARTH_FACTOR,
    duration_s: float | None = None,
    n_looks: int | None = None,
) -> CoverageMap:
    """Single-look and cumulative Pd of each radar and of the network over a map grid.

    Parameters
    ----------
    radars : sequence of RadarParams, length S
    east_m : array_like, shape (Nx,), metres
        Map east coordinates of the grid columns.
    north_m : array_like, shape (Ny,), metres
        Map north coordinates of the grid rows.
    target_alt_m : float, metres
        Target height: above mean sea level, or above the ground if ``above_ground``.
    rcs_m2 : float
        Mean radar cross section, m^2 (> 0).
    swerling : int
        Swerling case 0-4.
    above_ground : bool
        Read ``target_alt_m`` as height above the terrain (AGL) rather than above sea level.
    terrain : Terrain, optional
        Ground heights and line-of-sight masking; None: a smooth sea-level Earth.
    k : float
        Effective Earth-radius factor (refraction).
    duration_s : float, optional, seconds
        Dwell or approach time over which the cumulative Pd is taken (looks per radar from its
        revisit time).
    n_looks : int, optional
        Looks per radar when ``duration_s`` is not given (default 1).

    Returns
    -------
    CoverageMap
    """
    if not rcs_m2 > 0.0:
        raise ValueError(f"rcs_m2 must be positive, got {rcs_m2}")
    e = np.asarray(east_m, dtype=np.float64)
    n = np.asarray(north_m, dtype=np.float64)
    ny, nx = n.size, e.size
    s = len(radars)
    masks = radar_terrain_masks([r.pos for r in radars], terrain, k)
    tables = [PdTable(r.pfa, r.n_pulses, swerling) for r in radars]
    ground = np.zeros((ny, nx))
    pd = np.zeros((s, ny, nx))
    rows = max(1, _BLOCK_POINTS // max(nx, 1))
    for j0 in range(0, ny, rows):
        ee, nn = np.meshgrid(e, n[j0:j0 + rows])
        if terrain is not None:
            ground[j0:j0 + rows] = terrain.height_at(ee, nn)
        alt = ground[j0:j0 + rows] + target_alt_m if above_ground else np.full(ee.shape,
                                                                                target_alt_m)
        pos = map_to_enu(ee, nn, alt)
        above = alt >= ground[j0:j0 + rows]  # a target below the ground is never seen
        for i, radar in enumerate(radars):
            pd[i, j0:j0 + rows] = np.where(above, single_look_pd(
                radar, pos, rcs_m2, swerling, tables[i], masks[i], k), 0.0)
    looks = np.array([looks_in(r, duration_s, n_looks) for r in radars], dtype=np.int64)
    cum = 1.0 - (1.0 - pd) ** looks[:, None, None]
    alt_grid = ground + target_alt_m if above_ground else np.full((ny, nx), float(target_alt_m))
    return CoverageMap(
        east_m=e, north_m=n, ground_m=ground, target_alt_m=alt_grid,
        radar_names=tuple(r.name for r in radars), pd=pd, cumulative=cum, n_looks=looks,
        pd_network=network_probability(pd), cumulative_network=network_probability(cum),
        rcs_m2=float(rcs_m2), swerling=int(swerling),
    )

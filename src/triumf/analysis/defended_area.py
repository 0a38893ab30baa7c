"""Defended-area maps: where the battalion intercepts a threat before the keep-out range.

Question
--------
Put a point asset at a map position ``A``. A threat of a given class comes at it in a straight
line from azimuth ``az`` (the bearing from ``A`` toward where the threat comes from, clockwise
from north) at the speed and height of its profile. With what probability does the battalion
kill it while it is still at least ``keep_out_m`` from ``A``? Evaluated for every node of a
map grid, the region where this probability reaches a required level is the defended area
against that threat and axis.

Semi-analytic model (no simulation)
-----------------------------------
The threat's path is sampled every ``step_m`` of distance ``d`` to the asset; its time to go
``tau(d)`` follows from the profile (cruise, then an optional terminal leg at another height and
speed over the last ``terminal_range_m``).

1. *Detection.* Radar ``i`` looks at the threat once per revisit ``T_i``; while the threat
   flies ``step_m`` at speed ``v`` it gets ``step_m / (v T_i)`` looks (continuous-look
   approximation: the look phase averaged out). With single-look probability ``Pd_i(d)``
   (:func:`triumf.analysis.coverage.radar_look`: radar equation, Swerling Pd, horizon,
   elevation limits, sector, terrain), looks independent, the probability of no detection while
   the threat flies from the start of its path to ``d`` is

       ln Pmiss(d) = sum_{d' >= d} sum_i ln(1 - Pd_i(d')) step_m / (v(d') T_i).

   One detection is taken as enough to start the engagement (track confirmation is part of the
   reaction time).
2. *Intercept.* An interceptor of type ``m`` from launcher ``w`` reaches the path point at
   ``d`` after the fly-out table's time of flight ``tof_wm(d)`` (ground range from the launcher,
   altitude of the point; NaN outside the envelope), subject to the missile's range and
   altitude limits and, when the battalion has an engagement radar, to that radar seeing the
   point. To intercept at ``d`` it must launch when the threat's time to go is
   ``tau(d) + tof_wm(d)``, and the threat must have been detected ``reaction_time_s`` earlier.
   The latest detection that still allows an intercept outside the keep-out range is therefore
   at time to go ``tau*_m = min_{w, d >= keep_out} tau(d) + tof_wm(d) + reaction_time_s``
   (launching earlier is always possible, so this one number decides).
3. *Kill.* A salvo of ``n`` rounds of single-shot kill probability ``Pk_m`` kills with
   ``1 - (1 - Pk_m)^n`` (rounds independent). One salvo per threat (no shoot-look-shoot).

The probability of intercept before the keep-out range is
``P = max_m (1 - Pmiss(d(tau*_m))) (1 - (1 - Pk_m)^n)``: the best missile type.

Assumptions: the threat does not manoeuvre or change heading, fire channels and magazines are
not limiting (one threat at a time), no jamming, clutter or multipath, the engagement radar's
own track is not modelled beyond seeing the intercept point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.analysis.coverage import radar_look
from triumf.analysis.grid_area import grid_area_m2
from triumf.core.earth import (
    EFFECTIVE_EARTH_FACTOR,
    altitude_m,
    enu_to_map,
    ground_range_m,
    map_to_enu,
)
from triumf.core.tables import FlyoutTable
from triumf.core.terrain import Terrain
from triumf.sense.base import RadarParams
from triumf.sense.detection import PdTable
from triumf.sense.visibility import radar_terrain_masks

__all__ = [
    "DefendedArea",
    "ThreatProfile",
    "Weapons",
    "defended_area_map",
    "intercept_probability",
    "salvo_kill_probability",
]

FloatArray = NDArray[np.float64]

_BLOCK_POINTS = 400_000
"""Path samples evaluated at once (bounds memory); no physics."""
_PD_CEILING = 1.0 - 1e-15
"""Largest single-look Pd used in ``ln(1 - Pd)`` (keeps the logarithm finite); numerical."""


@dataclass(frozen=True)
class ThreatProfile:
    """A threat class flying straight at the asset.

    Attributes
    ----------
    rcs_m2 : float
        Mean radar cross section, m^2.
    swerling : int
        Swerling case 0-4.
    speed_mps, altitude_m : float
        Cruise speed (m/s) and height (m).
    terminal_range_m : float
        Length of the terminal leg before the asset, metres (0: none).
    terminal_altitude_m, terminal_speed_mps : float or None
        Height and speed on the terminal leg (None: the cruise values).
    above_ground : bool
        Heights above the terrain (terrain following) rather than above sea level.
    """

    rcs_m2: float
    swerling: int
    speed_mps: float
    altitude_m: float
    terminal_range_m: float = 0.0
    terminal_altitude_m: float | None = None
    terminal_speed_mps: float | None = None
    above_ground: bool = False

    def __post_init__(self) -> None:
        if not (self.rcs_m2 > 0.0 and self.speed_mps > 0.0):
            raise ValueError("rcs_m2 and speed_mps must be positive")
        if self.terminal_speed_mps is not None and not self.terminal_speed_mps > 0.0:
            raise ValueError("terminal_speed_mps must be positive")

    @property
    def _v_t(self) -> float:
        return float(self.speed_mps if self.terminal_speed_mps is None
                     else self.terminal_speed_mps)

    def altitude_at(self, d_m: ArrayLike) -> FloatArray:
        """Height at distance ``d_m`` from the asset, metres, shape of ``d_m``."""
        d = np.asarray(d_m, dtype=np.float64)
        h_t = self.altitude_m if self.terminal_altitude_m is None else self.terminal_altitude_m
        return np.where(d <= self.terminal_range_m, h_t, self.altitude_m).astype(np.float64)

    def speed_at(self, d_m: ArrayLike) -> FloatArray:
        """Speed at distance ``d_m`` from the asset, m/s, shape of ``d_m``."""
        d = np.asarray(d_m, dtype=np.float64)
        return np.where(d <= self.terminal_range_m, self._v_t, self.speed_mps).astype(np.float64)

    def time_to_go_s(self, d_m: ArrayLike) -> FloatArray:
        """Time from distance ``d_m`` to the asset, seconds (piecewise linear, increasing)."""
        d = np.maximum(np.asarray(d_m, dtype=np.float64), 0.0)
        d_t = self.terminal_range_m
        return np.asarray(np.minimum(d, d_t) / self._v_t
                          + np.maximum(d - d_t, 0.0) / self.speed_mps, dtype=np.float64)

    def distance_at(self, tau_s: ArrayLike) -> FloatArray:
        """Inverse of :meth:`time_to_go_s`: distance to the asset at time to go ``tau_s``."""
        tau = np.maximum(np.asarray(tau_s, dtype=np.float64), 0.0)
        tau_t = self.terminal_range_m / self._v_t
        return np.asarray(np.where(tau <= tau_t, tau * self._v_t,
                                   self.terminal_range_m + (tau - tau_t) * self.speed_mps),
                          dtype=np.float64)


@dataclass(frozen=True)
class Weapons:
    """The battalion's fire units as the defended-area model needs them.

    Attributes
    ----------
    launcher_pos : ndarray, shape (W, 3), metres, engine ENU
    loaded : ndarray of bool, shape (W, M)
        Which missile types each launcher carries.
    names : tuple of str, length M
        Missile type names.
    flyout : tuple of FlyoutTable, length M
    pk : ndarray, shape (M,)
        Single-shot kill probability. `compile_weapons` gives ``pk_max`` (Pk at zero miss), an
        upper bound on the engine's Pk, unless a miss standard deviation is given
        (`triumf.analysis.expected_pk`).
    min_range_m, max_range_m, min_altitude_m, max_altitude_m : ndarray, shape (M,), metres
        Engagement limits of each type.
    salvo_size : int
        Rounds fired at once.
    reaction_time_s : float
        From first detection to launch, seconds.
    keep_out_m : float
        The threat must die at least this far from the asset, metres.
    """

    launcher_pos: FloatArray
    loaded: NDArray[np.bool_]
    names: tuple[str, ...]
    flyout: tuple[FlyoutTable, ...]
    pk: FloatArray
    min_range_m: FloatArray
    max_range_m: FloatArray
    min_altitude_m: FloatArray
    max_altitude_m: FloatArray
    salvo_size: int
    reaction_time_s: float
    keep_out_m: float


@dataclass(frozen=True)
class DefendedArea:
    """Probability of intercept before the keep-out range, per asset position.

    Attributes
    ----------
    p_intercept : ndarray, shape (...)
        Probability of a kill outside the keep-out range.
    p_detect : ndarray, shape (...)
        Probability of detection in time for the best missile type's latest launch.
    best_missile : ndarray of int, shape (...)
        Index of the missile type that gives ``p_intercept`` (-1: no feasible intercept).
    detect_by_m : ndarray, shape (...), metres
        Distance to the asset by which the threat must be detected (NaN: no feasible intercept).
    """

    p_intercept: FloatArray
    p_detect: FloatArray
    best_missile: NDArray[np.int64]
    detect_by_m: FloatArray


@dataclass(frozen=True)
class DefendedAreaMap:
    """A :class:`DefendedArea` on a map grid.

    Attributes
    ----------
    east_m : ndarray, shape (Nx,), metres
    north_m : ndarray, shape (Ny,), metres
    azimuth_rad : float
        Attack azimuth (bearing from the asset toward the threat), radians.
    result : DefendedArea
        Arrays of shape (Ny, Nx).
    """

    east_m: FloatArray
    north_m: FloatArray
    azimuth_rad: float
    result: DefendedArea

    def area_km2(self, p_required: float) -> float:
        """Area where ``p_intercept >= p_required``, km^2 (map coordinates, trapezoid rule
        over the nodes: edge nodes count half a cell, see `triumf.analysis.grid_area`)."""
        inside = self.result.p_intercept >= p_required
        return grid_area_m2(inside, self.east_m, self.north_m) * 1e-6


def salvo_kill_probability(pk: ArrayLike, rounds: ArrayLike) -> FloatArray:
    """Kill probability of a salvo of independent rounds: ``1 - (1 - Pk)^n``.

    Parameters
    ----------
    pk : array_like, shape (...)
        Single-shot kill probability.
    rounds : array_like of int, shape (...)

    Returns
    -------
    ndarray, shape (...)
    """
    p = np.asarray(pk, dtype=np.float64)
    return np.asarray(1.0 - (1.0 - p) ** np.asarray(rounds, dtype=np.float64), dtype=np.float64)


def _path(asset_e: FloatArray, asset_n: FloatArray, d: FloatArray, az: float,
          threat: ThreatProfile, terrain: Terrain | None) -> FloatArray:
    """ENU positions (P, L, 3) of the path samples at distances ``d`` (L,) from each asset."""
    e = asset_e[:, None] + d[None, :] * np.sin(az)
    n = asset_n[:, None] + d[None, :] * np.cos(az)
    h = np.broadcast_to(threat.altitude_at(d)[None, :], e.shape)
    if terrain is not None and threat.above_ground:
        h = h + terrain.height_at(e, n)
    return map_to_enu(e, n, h)


def _interp_rows(x: FloatArray, d0: float, step: float, table: FloatArray) -> FloatArray:
    """Row-wise linear interpolation of ``table`` (P, L), sampled at ``d0 + step * l``, at
    ``x`` (P,); 0 beyond the last sample (no looks there)."""
    last = table.shape[1] - 1
    f = np.clip((x - d0) / step, 0.0, float(last))
    j = np.minimum(np.floor(f).astype(np.intp), max(last - 1, 0))
    u = f - j
    rows = np.arange(table.shape[0])
    lo = table[rows, j]
    hi = table[rows, np.minimum(j + 1, last)]
    return np.asarray(np.where(x > d0 + step * last, 0.0, (1.0 - u) * lo + u * hi))


def intercept_probability(
    radars: Sequence[RadarParams],
    weapons: Weapons,
    threat: ThreatProfile,
    azimuth_rad: float,
    asset_east_m: ArrayLike,
    asset_north_m: ArrayLike,
    *,
    terrain: Terrain | None = None,
    k: float = EFFECTIVE_EARTH_FACTOR,
    step_m: float = 1000.0,
    start_range_m: float | None = None,
) -> DefendedArea:
    """Probability of a kill before the keep-out range, for assets at given map positions.

    Parameters
    ----------
    radars : sequence of RadarParams
        All radars of the battalion (detection); those with ``engagement`` set must also see
        the intercept point.
    weapons : Weapons
    threat : ThreatProfile
    azimuth_rad : float
        Bearing from the asset toward the incoming threat, radians clockwise from north.
    asset_east_m, asset_north_m : array_like, shape (...), metres
        Map coordinates of the asset positions.
    terrain : Terrain, optional
    k : float
        Effective Earth-radius factor.
    step_m : float
        Path sampling step, metres.
    start_range_m : float, optional
        Distance from the asset where the threat's path starts (default: far enough that every
        radar's instrumented range is inside it).

    Returns
    -------
    DefendedArea
        Arrays of the broadcast shape of the asset coordinates.
    """
    ae, an = np.broadcast_arrays(np.asarray(asset_east_m, np.float64),
                                 np.asarray(asset_north_m, np.float64))
    shape = ae.shape
    ae, an = ae.ravel(), an.ravel()
    if start_range_m is None:
        reach = 0.0
        for r in radars:
            re, rn, _ = enu_to_map(r.pos)
            reach = max(reach, float(np.max(np.hypot(ae - re, an - rn))) + r.max_range_m)
        start_range_m = reach + step_m
    n_samples = int(np.ceil(max(start_range_m - weapons.keep_out_m, step_m) / step_m)) + 1
    d: FloatArray = weapons.keep_out_m + step_m * np.arange(n_samples, dtype=np.float64)
    tau = threat.time_to_go_s(d)
    speed = threat.speed_at(d)
    masks = radar_terrain_masks([r.pos for r in radars], terrain, k)
    tables = [PdTable(r.pfa, r.n_pulses, threat.swerling) for r in radars]
    engagement = [i for i, r in enumerate(radars) if r.engagement]
    pk_salvo = salvo_kill_probability(weapons.pk, weapons.salvo_size)
    n_m = len(weapons.names)
    p_out = np.zeros(ae.size)
    p_det_out = np.zeros(ae.size)
    best_out = np.full(ae.size, -1, np.int64)
    by_out = np.full(ae.size, np.nan)
    block = max(1, _BLOCK_POINTS // d.size)
    for p0 in range(0, ae.size, block):
        sl = slice(p0, p0 + block)
        pos = _path(ae[sl], an[sl], d, azimuth_rad, threat, terrain)
        # ln Pmiss contributed by each sample: sum_i ln(1 - Pd_i) * looks_i
        log_miss = np.zeros(pos.shape[:-1])
        seen = np.zeros(pos.shape[:-1], bool) if engagement else np.ones(pos.shape[:-1], bool)
        for i, r in enumerate(radars):
            pd, vis = radar_look(r, pos, threat.rcs_m2, threat.swerling, tables[i], masks[i], k)
            looks = step_m / (speed * r.revisit_s)
            log_miss += np.log1p(-np.minimum(pd, _PD_CEILING)) * looks[None, :]
            if r.engagement:
                seen |= vis
        # cumulative from the far end: C[l] = ln Pmiss over all samples at distance >= d[l]
        cum = np.cumsum(log_miss[:, ::-1], axis=1)[:, ::-1]
        alt = altitude_m(pos)
        best_p = np.zeros(pos.shape[0])
        best_det = np.zeros(pos.shape[0])
        best_m = np.full(pos.shape[0], -1, np.int64)
        best_by = np.full(pos.shape[0], np.nan)
        for m in range(n_m):
            alt_ok = seen & (alt >= weapons.min_altitude_m[m]) & (alt <= weapons.max_altitude_m[m])
            tau_star = np.full(pos.shape[0], np.inf)
            for w in np.flatnonzero(weapons.loaded[:, m]):
                gr = ground_range_m(weapons.launcher_pos[w], pos)
                ok = alt_ok & (gr >= weapons.min_range_m[m]) & (gr <= weapons.max_range_m[m])
                tof = weapons.flyout[m].time_s(gr, alt)
                need = np.where(ok & np.isfinite(tof), tau[None, :] + tof, np.inf)
                tau_star = np.minimum(tau_star, need.min(axis=1))
            feasible = np.isfinite(tau_star)
            d_det = threat.distance_at(
                np.where(feasible, tau_star + weapons.reaction_time_s, 0.0))
            # ln Pmiss of the looks at distances >= d_det (linear in d between samples)
            c = _interp_rows(d_det, d[0], step_m, cum)
            p_det = np.where(feasible, -np.expm1(c), 0.0)
            p = p_det * pk_salvo[m]
            better = p > best_p
            best_p = np.where(better, p, best_p)
            best_det = np.where(better, p_det, best_det)
            best_m = np.where(better, m, best_m)
            best_by = np.where(better, d_det, best_by)
        p_out[sl], p_det_out[sl], best_out[sl], by_out[sl] = best_p, best_det, best_m, best_by
    return DefendedArea(p_intercept=p_out.reshape(shape), p_detect=p_det_out.reshape(shape),
                        best_missile=best_out.reshape(shape), detect_by_m=by_out.reshape(shape))


def defended_area_map(
    radars: Sequence[RadarParams],
    weapons: Weapons,
    threat: ThreatProfile,
    azimuth_rad: float,
    east_m: ArrayLike,
    north_m: ArrayLike,
    **kwargs: object,
) -> DefendedAreaMap:
    """:func:`intercept_probability` for an asset at every node of a map grid.

    Parameters
    ----------
    radars, weapons, threat, azimuth_rad
        As in :func:`intercept_probability`.
    east_m : array_like, shape (Nx,), metres
    north_m : array_like, shape (Ny,), metres
    **kwargs
        ``terrain``, ``k``, ``step_m``, ``start_range_m`` of :func:`intercept_probability`.

    Returns
    -------
    DefendedAreaMap
        Arrays of shape (Ny, Nx).
    """
    e = np.asarray(east_m, dtype=np.float64)
    n = np.asarray(north_m, dtype=np.float64)
    ee, nn = np.meshgrid(e, n)
    res = intercept_probability(radars, weapons, threat, azimuth_rad, ee, nn,
                                **kwargs)  # type: ignore[arg-type]
    return DefendedAreaMap(east_m=e, north_m=n, azimuth_rad=float(azimuth_rad), result=res)

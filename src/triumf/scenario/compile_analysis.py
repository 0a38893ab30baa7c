"""Scenario -> the inputs of the coverage and defended-area analyses (no fly-out tables unless
asked, so a coverage map does not pay for them)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.analysis.defended_area import ThreatProfile, Weapons
from triumf.analysis.expected_pk import expected_kill_probability
from triumf.core.earth import enu_to_map
from triumf.core.terrain import Terrain
from triumf.equipment.database import EquipmentDatabase
from triumf.scenario.compile import _num, _radar, _site, missile_types
from triumf.scenario.compile_terrain import compile_terrain
from triumf.scenario.schema import Scenario
from triumf.sense.base import RadarParams

__all__ = ["AnalysisLayout", "compile_layout", "compile_weapons", "threat_profile"]


@dataclass(frozen=True)
class AnalysisLayout:
    """Where everything stands, as the analyses need it.

    Attributes
    ----------
    radars : tuple of RadarParams
    terrain : Terrain or None
    k : float
        Effective Earth-radius factor of the scenario.
    asset_names : tuple of str
    asset_map : ndarray, shape (A, 2), metres
        Map east/north of each asset.
    launcher_names : tuple of str
    launcher_map : ndarray, shape (W, 2), metres
    """

    radars: tuple[RadarParams, ...]
    terrain: Terrain | None
    k: float
    asset_names: tuple[str, ...]
    asset_map: NDArray[np.float64]
    launcher_names: tuple[str, ...]
    launcher_map: NDArray[np.float64]


def _map(pos: NDArray[np.float64]) -> NDArray[np.float64]:
    e, n, _ = enu_to_map(pos)
    return np.stack([np.atleast_1d(e), np.atleast_1d(n)], axis=-1).reshape(-1, 2)


def compile_layout(scn: Scenario, db: EquipmentDatabase) -> AnalysisLayout:
    """Radars, terrain, assets and launchers of a validated scenario."""
    terrain = compile_terrain(scn.terrain, scn.origin)
    radars = tuple(_radar(rd, db.get(rd.type), b, scn.origin, terrain, scn)
                   for b, bat in enumerate(scn.battalions) for rd in bat.radars)
    assets = [_site(a.position, scn.origin, terrain) for a in scn.assets]
    units = [(fu.name, _site(fu.position, scn.origin, terrain))
             for bat in scn.battalions for fu in bat.fire_units]
    return AnalysisLayout(
        radars=radars, terrain=terrain, k=float(scn.effective_earth_factor),
        asset_names=tuple(a.name for a in scn.assets),
        asset_map=_map(np.array(assets)) if assets else np.zeros((0, 2)),
        launcher_names=tuple(u[0] for u in units),
        launcher_map=_map(np.array([u[1] for u in units])) if units else np.zeros((0, 2)),
    )


def compile_weapons(scn: Scenario, db: EquipmentDatabase, *, miss_std_m: float | None = None
                    ) -> Weapons:
    """Fire units, missile types (with fly-out tables) and doctrine of a validated scenario.

    The single-shot Pk is ``pk_max`` (the kill probability at zero miss: an upper bound on the
    engine's) unless ``miss_std_m`` (metres, per-axis standard deviation of a circular-normal
    miss) is given; then it is the expected Pk of the engine's lethality law over that miss,
    ``pk_max sigma^2 / (sigma^2 + miss_std_m^2)`` with ``sigma = lethal_radius_m``
    (`triumf.analysis.expected_pk`).
    """
    terrain = compile_terrain(scn.terrain, scn.origin)
    pos, loads = [], []
    for bat in scn.battalions:
        for fu in bat.fire_units:
            pos.append(_site(fu.position, scn.origin, terrain))
            loads.append({db.get(n).name: c for n, c in fu.missiles.items() if c > 0})
    names = sorted({n for ld in loads for n in ld})
    mt = missile_types(names, db)
    loaded = np.array([[n in ld for n in names] for ld in loads], dtype=bool)
    doc = scn.doctrine
    reaction = (doc.reaction_time_s if doc.reaction_time_s is not None
                else max(_num(db.get(b.command_post.type), "reaction_time_s")
                         for b in scn.battalions))
    return Weapons(
        launcher_pos=np.array(pos), loaded=loaded.reshape(len(pos), len(names)),
        names=mt.names, flyout=mt.flyout,
        pk=mt.pk_max if miss_std_m is None else expected_kill_probability(
            miss_std_m, mt.lethal_radius_m, mt.pk_max),
        min_range_m=mt.min_range_m, max_range_m=mt.max_range_m,
        min_altitude_m=mt.min_altitude_m, max_altitude_m=mt.max_altitude_m,
        salvo_size=int(doc.salvo_size), reaction_time_s=float(reaction),
        keep_out_m=float(doc.keep_out_m),
    )


def threat_profile(db: EquipmentDatabase, name: str, *, speed_mps: float | None = None,
                   altitude_m: float | None = None) -> ThreatProfile:
    """A threat class's straight-in profile from its equipment figures.

    Cruise at ``cruise_altitude_m`` (or ``altitude_m``) and ``speed_mps``; the terminal leg
    (``terminal_range_m`` at ``terminal_altitude_m`` and ``terminal_speed_mps``) when the
    equipment gives one. An explicit ``speed_mps`` or ``altitude_m`` flies the whole path at
    that value.

    Parameters
    ----------
    db : EquipmentDatabase
    name : str
        Threat equipment name (e.g. ``brahmos``).
    speed_mps, altitude_m : float, optional
        Overrides, m/s and metres above sea level.

    Returns
    -------
    ThreatProfile
    """
    eq = db.get(name)

    def opt(key: str) -> float | None:
        return _num(eq, key) if key in eq.figures else None

    def first(*keys: str) -> float | None:
        """The first of ``keys`` the equipment gives (0 is a value, not a missing figure)."""
        return next((v for v in map(opt, keys) if v is not None), None)

    cruise_alt = first("cruise_altitude_m", "altitude_m", "terminal_altitude_m")
    speed = first("speed_mps", "cruise_speed_mps")
    if cruise_alt is None or speed is None:
        raise ValueError(f"{eq.name} has no speed_mps / cruise_altitude_m figures")
    t_range = first("terminal_range_m")
    t_range = 0.0 if t_range is None else t_range
    t_alt = opt("terminal_altitude_m")
    t_speed = opt("terminal_speed_mps")
    if speed_mps is not None:
        speed, t_speed = speed_mps, None
    if altitude_m is not None:
        cruise_alt, t_alt, t_range = altitude_m, None, 0.0
    return ThreatProfile(
        rcs_m2=_num(eq, "rcs_m2"), swerling=int(_num(eq, "swerling")), speed_mps=float(speed),
        altitude_m=float(cruise_alt), terminal_range_m=float(t_range),
        terminal_altitude_m=t_alt, terminal_speed_mps=t_speed,
    )

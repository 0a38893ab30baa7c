"""Compile the sensing parts of a scenario: radar modes and biases, the surface, the jammers.

Figures come from the equipment files (kinds ``radar``, ``surface``, ``jammer``); a radar
file without one of the optional sensing figures gets the :class:`RadarParams` default
(documented there).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.core.earth import local_aer
from triumf.equipment.database import Equipment, EquipmentDatabase
from triumf.scenario.schema import Scenario
from triumf.sense.environment import Jammers, SurfaceParams
from triumf.threat.base import ThreatParams

__all__ = ["radar_sensing", "compile_surface", "compile_jammers"]

_DEG = np.pi / 180.0


def _opt(eq: Equipment, key: str) -> float | None:
    return float(eq.value(key)) if key in eq.figures else None


def radar_sensing(
    rd: Any, eq: Equipment, scn: Scenario, pos: NDArray[np.float64], to_enu: Any,
) -> dict[str, Any]:
    """Keyword arguments of :class:`triumf.sense.base.RadarParams` beyond the basic figures.

    Parameters
    ----------
    rd : triumf.scenario.schema.Radar
    eq : Equipment
        The radar's equipment.
    scn : Scenario
    pos : ndarray, shape (3,)
        Antenna position, engine ENU.
    to_enu : callable
        ``to_enu(position, origin)`` of the compiler.
    """
    out: dict[str, Any] = {"track_capacity": int(eq.value("track_capacity")),
                           "false_alarms": scn.environment.false_alarms}
    sector = _opt(eq, "search_sector_deg")
    if sector is not None and sector < 360.0:
        out["sector_az_width_rad"] = sector * _DEG
        if rd.sector_azimuth_deg is not None:
            out["sector_az_center_rad"] = rd.sector_azimuth_deg * _DEG
        elif scn.raids:
            centres = np.array([to_enu(r.launch_area.center, scn.origin) for r in scn.raids])
            _, az, _ = local_aer(pos, centres.mean(axis=0))
            out["sector_az_center_rad"] = float(az)
    for key, name, scale in (("track_revisit_s", "track_revisit_s", 1.0),
                             ("dwell_time_s", "dwell_s", 1.0),
                             ("sidelobe_level_db", "sidelobe_level_db", 1.0),
                             ("clutter_improvement_db", "clutter_improvement_db", 1.0)):
        v = _opt(eq, key)
        if v is not None:
            out[name] = v * scale
    n_track = _opt(eq, "track_pulses_per_dwell")
    if n_track is not None:
        out["track_pulses"] = int(n_track)
    out["bias"] = np.array([_opt(eq, "range_bias_m") or 0.0,
                            (_opt(eq, "azimuth_bias_deg") or 0.0) * _DEG,
                            (_opt(eq, "elevation_bias_deg") or 0.0) * _DEG])
    return out


def compile_surface(scn: Scenario, db: EquipmentDatabase) -> SurfaceParams:
    """The surface of the scenario's ``environment`` block."""
    env = scn.environment
    eq = db.get(env.surface)
    return SurfaceParams(
        kind=str(eq.text("surface_kind")),
        reflection_magnitude=float(eq.value("reflection_coefficient")),
        height_std_m=float(eq.value("surface_height_std_m")),
        clutter_gamma_db=float(eq.value("clutter_gamma_db")),
        sea_state=float(eq.value("sea_state")),
        multipath=env.multipath,
        clutter=env.clutter,
    )


def compile_jammers(scn: Scenario, db: EquipmentDatabase, threats: ThreatParams,
                    to_enu: Any) -> Jammers:
    """Jammers of the scenario: one entry per stand-off jammer and per carrying threat."""
    rows: list[tuple[str, Equipment, int, NDArray[np.float64], NDArray[np.float64]]] = []
    for jam in scn.jammers:
        eq = db.get(jam.type)
        if jam.carried_by is not None:
            g = threats.group_names.index(jam.carried_by)
            for slot in np.flatnonzero(threats.group == g):
                rows.append((f"{jam.name}@{threats.label[slot]}", eq, int(slot),
                             np.zeros((1, 3)), np.zeros(1)))
        elif jam.position is not None:
            p = np.asarray(to_enu(jam.position, scn.origin), dtype=float)
            rows.append((jam.name, eq, -1, p[None, :], np.zeros(1)))
        else:
            pts = np.array([to_enu(p, scn.origin) for p in jam.route], dtype=float)
            seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
            assert jam.speed_mps is not None  # the schema requires it with a route
            times = np.concatenate([[0.0], np.cumsum(seg) / jam.speed_mps])
            rows.append((jam.name, eq, -1, pts, times))
    if not rows:
        return Jammers.none()
    n_pts = max(r[3].shape[0] for r in rows)
    route = np.zeros((len(rows), n_pts, 3))
    times = np.zeros((len(rows), n_pts))
    for j, (_, _, _, pts, tt) in enumerate(rows):
        route[j, :len(pts)] = pts
        route[j, len(pts):] = pts[-1]
        # padding points come after the last time, one second apart (held position)
        times[j, :len(tt)] = tt
        times[j, len(tt):] = tt[-1] + np.arange(1, n_pts - len(tt) + 1)
    return Jammers(
        names=tuple(r[0] for r in rows),
        erp_w=np.array([r[1].value("erp_w") for r in rows], dtype=float),
        bandwidth_hz=np.array([r[1].value("bandwidth_hz") for r in rows], dtype=float),
        losses_db=np.array([r[1].value("losses_db") for r in rows], dtype=float),
        carrier=np.array([r[2] for r in rows], dtype=np.int64),
        route=route,
        route_time_s=times,
    )

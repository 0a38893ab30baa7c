"""Flight-profile figures of a raid's threat type -> per-slot values for `ThreatParams`.

Every figure is optional in the equipment file: a threat without motor figures flies Keplerian
free flight (ballistic) and one without manoeuvre figures flies straight legs. A raid's
``profile`` may switch a manoeuvre off (or on, where the type has the figures).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.core.earth import STANDARD_GRAVITY_MPS2 as G0
from triumf.equipment.database import Equipment
from triumf.threat.base import ThreatParams
from triumf.threat.manoeuvre import turn_radius_m
from triumf.threat.powered import BallisticBody, range_table

__all__ = ["BODY_FIGURES", "profile_row", "apply_profiles"]

BODY_FIGURES = ("launch_mass_kg", "burnout_mass_kg", "boost_thrust_n", "boost_time_s",
                "diameter_m", "cd_subsonic", "cd_peak", "cd_hypersonic", "cn_max",
                "rail_exit_speed_mps")
"""Figures of a powered ballistic threat (all or none)."""


def _has(eq: Equipment, key: str) -> bool:
    return key in eq.figures


def _val(eq: Equipment, key: str, default: float = 0.0) -> float:
    return float(eq.value(key)) if _has(eq, key) else default


def _bank(eq: Equipment, key: str) -> float:
    """Bank angle (radians) of a figure given in degrees, capped so that
    g tan(phi) <= max_lateral_g g."""
    bank = np.deg2rad(_val(eq, key))
    cap = np.arctan(_val(eq, "max_lateral_g", np.inf))
    return float(min(bank, cap))


def profile_row(eq: Equipment, profile: Any, speed_mps: float, hostile: bool) -> dict[str, Any]:
    """Per-slot profile values of one threat type (and the raid's overrides).

    Parameters
    ----------
    eq : Equipment
        The threat or aircraft type.
    profile : triumf.scenario.schema.Profile or None
        The raid's profile (None for friendlies).
    speed_mps : float
        The slot's speed (after overrides).
    hostile : bool

    Returns
    -------
    dict
        Keys of :class:`ThreatParams` profile fields, scalar values (``body`` a tuple of the
        :data:`BODY_FIGURES` values, or None).
    """
    manoeuvre = getattr(profile, "terminal_manoeuvre", None)
    max_lat = _val(eq, "max_lateral_g") * G0
    row: dict[str, Any] = {"max_lateral_accel_mps2": max_lat}
    powered = all(_has(eq, k) for k in BODY_FIGURES)
    row["body"] = tuple(_val(eq, k) for k in BODY_FIGURES) + (max_lat,) if powered else None
    weave = manoeuvre in (None, "weave") and _has(eq, "terminal_weave_g")
    row["weave_accel_mps2"] = _val(eq, "terminal_weave_g") * G0 if weave else 0.0
    row["weave_period_s"] = _val(eq, "terminal_weave_period_s", 1.0)
    row["terminal_range_m"] = _val(eq, "terminal_range_m")
    row["turn_radius_m"] = (float(turn_radius_m(speed_mps, _bank(eq, "max_bank_deg"), G0))
                            if _has(eq, "max_bank_deg") else 0.0)
    s_turn = manoeuvre in (None, "s-turn") and _has(eq, "s_turn_amplitude_m")
    row["s_turn_amplitude_m"] = _val(eq, "s_turn_amplitude_m") if s_turn else 0.0
    row["s_turn_period_s"] = _val(eq, "s_turn_period_s", 1.0)
    row["s_turn_range_m"] = _val(eq, "s_turn_range_m")
    follow = getattr(profile, "terrain_following", None)
    if follow is None:
        follow = bool(eq.figure("terrain_following").value) if _has(
            eq, "terrain_following") else False
    row["terrain_following"] = bool(follow)
    row["max_climb_rad"] = np.deg2rad(_val(eq, "max_climb_deg", 10.0))
    evade = getattr(profile, "evasive_break", None)
    evade = hostile and _has(eq, "break_range_m") and evade is not False
    row["break_range_m"] = _val(eq, "break_range_m") if evade else 0.0
    row["break_radius_m"] = (float(turn_radius_m(speed_mps, _bank(eq, "break_bank_deg"), G0))
                             if evade else 0.0)
    row["break_turn_rad"] = np.deg2rad(_val(eq, "break_turn_deg", 90.0))
    row["route_jitter_m"] = float(getattr(profile, "route_jitter_m", 0.0) or 0.0)
    return row


def apply_profiles(params: ThreatParams, rows: list[dict[str, Any]]) -> ThreatParams:
    """A copy of ``params`` with the profile fields of ``rows`` (one per slot)."""
    def col(key: str, dtype: Any = float) -> NDArray[Any]:
        return np.array([r[key] for r in rows], dtype=dtype).reshape(len(rows))

    body = None
    if any(r["body"] is not None for r in rows):
        off = (1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        vals = np.array([r["body"] if r["body"] is not None else off for r in rows], float)
        (m0, mb, thrust, tb, diam, c0, c1, c2, cn, rail, lat) = vals.T
        body = BallisticBody(
            launch_mass_kg=m0, burnout_mass_kg=mb, thrust_n=thrust, burn_time_s=tb,
            ref_area_m2=np.pi / 4.0 * diam**2, cd_subsonic=c0, cd_peak=c1, cd_hypersonic=c2,
            cn_max=cn, max_lateral_accel_mps2=lat, rail_speed_mps=rail)
    names = ("weave_accel_mps2", "weave_period_s", "terminal_range_m", "turn_radius_m",
             "s_turn_amplitude_m", "s_turn_period_s", "s_turn_range_m",
             "max_lateral_accel_mps2", "max_climb_rad", "break_range_m", "break_radius_m",
             "break_turn_rad", "route_jitter_m")
    cols: dict[str, Any] = {k: col(k) for k in names}
    if body is not None:
        # range tables of the powered slots, built here once (cached per type) rather than in
        # every worker process that initialises the truth
        tables = [range_table(body.take(i)) if thrust > 0 else None
                  for i, thrust in enumerate(body.thrust_n)]
        width = max(len(t[0]) for t in tables if t is not None)
        el = np.zeros((len(rows), width))
        rng_m = np.zeros((len(rows), width))
        for i, t in enumerate(tables):
            if t is not None:
                el[i], rng_m[i] = t
        cols["range_table_elevation_rad"], cols["range_table_m"] = el, rng_m
    return replace(params, body=body, terrain_following=col("terrain_following", bool), **cols)

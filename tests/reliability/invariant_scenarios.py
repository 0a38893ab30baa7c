"""Small scenarios for the invariant tests, built as YAML text from a few numbers.

One battalion (55K6E command post, 91N6E search radar, 92N6E engagement radar, optionally a
96L6E on its mast, two launchers) defends one asset at the origin against up to two raids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario_text
from triumf.sim.params import SimParams

THREATS = ("shahed", "small-drone", "babur", "brahmos", "fatah-1", "fighter")


@dataclass
class RaidSpec:
    """One raid: threat type, count, launch point (m from the origin), window, altitude."""

    threat: str = "shahed"
    count: int = 1
    east_m: float = -15000.0
    north_m: float = 0.0
    window_s: tuple[float, float] = (0.0, 5.0)
    altitude_m: float | None = None
    waypoint: tuple[float, float] | None = None
    radius_m: float = 500.0


@dataclass
class Spec:
    """A whole scenario in a few numbers."""

    duration_s: float = 60.0
    time_step_s: float = 0.5
    seed: int = 1
    battalion_east_m: float = -3000.0
    battalion_north_m: float = 0.0
    low_level_radar: bool = False
    loads: tuple[dict[str, int], dict[str, int]] = ({"48N6E2": 2}, {"9M96E2": 8})
    raids: list[RaidSpec] = field(default_factory=lambda: [RaidSpec()])
    radar_buried: bool = False
    ridge_east_m: float | None = None
    association: str = "gnn"
    motion_model: str = "cv"


def _pos(e: float, n: float) -> dict[str, float]:
    return {"east_m": float(e), "north_m": float(n)}


def scenario_dict(spec: Spec) -> dict:
    """The scenario as a YAML-ready dictionary."""
    be, bn = spec.battalion_east_m, spec.battalion_north_m
    radars = [{"name": "search", "type": "91N6E", "position": _pos(be, bn + 300)},
              {"name": "engage", "type": "92N6E", "position": _pos(be, bn - 300)}]
    if spec.low_level_radar:
        radars.append({"name": "low", "type": "96L6E", "position": _pos(be + 300, bn),
                       "on_mast": True})
    units = [{"name": f"L{i + 1}", "launcher": "5P85SE2" if i == 0 else "5P85TE2",
              "position": _pos(be - 500, bn + 500 * (2 * i - 1)), "missiles": dict(load)}
             for i, load in enumerate(spec.loads)]
    raids = []
    for j, r in enumerate(spec.raids):
        raid: dict = {"name": f"raid{j}", "threat": r.threat, "count": r.count,
                      "launch_area": {"center": _pos(r.east_m, r.north_m), "radius_m": r.radius_m},
                      "launch_window_s": list(r.window_s), "target": "base"}
        if r.waypoint is not None:
            raid["waypoints"] = [_pos(*r.waypoint)]
        if r.altitude_m is not None:
            raid["profile"] = {"altitude_m": r.altitude_m}
        raids.append(raid)
    data: dict = {
        "name": "invariants", "seed": spec.seed, "duration_s": spec.duration_s,
        "time_step_s": spec.time_step_s,
        "origin": {"latitude_deg": 30.0, "longitude_deg": 75.0, "altitude_m": 0.0},
        "assets": [{"name": "base", "position": _pos(0, 0), "value": 10, "radius_m": 1000}],
        "battalions": [{"name": "bn",
                        "command_post": {"type": "55K6E", "position": _pos(be, bn)},
                        "radars": radars, "engagement_radar": "engage", "fire_units": units}],
        "raids": raids,
        "tracking": {"association": spec.association, "motion_model": spec.motion_model},
    }
    hills = []
    if spec.radar_buried:
        # a 3 km hill whose summit is the battalion: every radar sits inside the ground
        hills.append({"position": _pos(be, bn), "height_m": 3000.0, "radius_m": 4000.0})
    ridges = []
    if spec.ridge_east_m is not None:
        ridges.append({"start": _pos(spec.ridge_east_m, -30000), "end":
                       _pos(spec.ridge_east_m, 30000), "height_m": 2000.0,
                       "half_width_m": 1000.0})
    if hills or ridges:
        data["terrain"] = {"extent_m": 40000.0, "spacing_m": 500.0,
                           "synthetic": {"hills": hills, "ridges": ridges}}
    return data


def compile_spec(spec: Spec) -> SimParams:
    """Load and compile the scenario of ``spec``."""
    text = yaml.safe_dump(scenario_dict(spec), sort_keys=False)
    scn, _ = load_scenario_text(text, file="invariants.yaml")
    return compile_scenario(scn, load_database())

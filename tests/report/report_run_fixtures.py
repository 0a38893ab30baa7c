"""A small synthetic run directory for the figure and export tests.

The scenario is the demo cut to one raid of two drones; the asset, raid and fire-unit names
contain XML/CSV/ACMI special characters. The trajectory table has exactly the agreed schema
(``triumf.report.run_data.TRAJECTORY_SCHEMA``) and known positions, so exports can be checked
against it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from triumf.core.earth import engine_to_geodetic
from triumf.report.run_data import TRAJECTORY_SCHEMA
from triumf.report.run_dir import write_run_dir
from triumf.scenario.load import dump_resolved, load_scenario, load_scenario_text
from triumf.sim.events import EventKind, EventLog

NASTY_ASSET = 'Base <A> & "B", C'
NASTY_RAID = "drones <script>alert(1)</script>, 'x' & \"y\""
NASTY_UNIT = 'L1, <b> & "q"'
T_END = 10.0
KILL_T = 6.0  # threat 0 killed: its sample at 6 s has alive=False
INTERCEPTOR_SPAN = (2.0, 6.0)


@lru_cache(maxsize=1)
def scenario_yaml() -> str:
    """Resolved YAML of the small scenario with special-character names."""
    scn, _ = load_scenario("demo")
    data = yaml.safe_load(dump_resolved(scn))
    data["assets"][0]["name"] = NASTY_ASSET
    data["raids"] = data["raids"][:1]
    data["raids"][0].update(count=2, name=NASTY_RAID, target=NASTY_ASSET)
    data["friendlies"] = []
    data["duration_s"] = 30.0
    data["name"] = "small"
    small, _ = load_scenario_text(yaml.safe_dump(data, sort_keys=False))
    return dump_resolved(small)


def _rows(kind: str, ident: int, label: str, typ: str, times: np.ndarray, start: np.ndarray,
          vel: np.ndarray, dead_at: float | None) -> dict[str, list[object]]:
    enu = start + (times - times[0])[:, None] * vel
    lat, lon, alt = engine_to_geodetic(enu, 30.0, 75.0, 200.0)
    n = times.size
    alive = [True] * n if dead_at is None else [bool(t < dead_at) for t in times]
    track = kind == "track"
    return {
        "replication": [0] * n, "t_s": times.tolist(), "kind": [kind] * n, "id": [ident] * n,
        "label": [label] * n, "type": [typ] * n,
        "east_m": enu[:, 0].tolist(), "north_m": enu[:, 1].tolist(), "up_m": enu[:, 2].tolist(),
        "lat_deg": np.asarray(lat).tolist(), "lon_deg": np.asarray(lon).tolist(),
        "alt_m": np.asarray(alt).tolist(), "alive": alive,
        "sigma_east_m": [50.0 if track else None] * n,
        "sigma_north_m": [60.0 if track else None] * n,
        "rho_en": [0.1 if track else None] * n, "confirmed": [True if track else None] * n,
        "threat_id": [1 if track else None] * n,
    }


def trajectories() -> pa.Table:
    """Two threats (0 killed at 6 s, 1 leaked at 10 s), one interceptor, one track; plus a
    copy of threat 1 in replication 1 (to check that one replication is exported)."""
    t = np.arange(0.0, T_END + 0.5, 1.0)
    ti = np.arange(INTERCEPTOR_SPAN[0], INTERCEPTOR_SPAN[1] + 0.5, 1.0)
    parts = [
        _rows("threat", 0, f"{NASTY_RAID}/1", "shahed", t[t <= KILL_T],
              np.array([-20000.0, 9000.0, 100.0]), np.array([50.0, 0.0, 0.0]), KILL_T),
        _rows("threat", 1, f"{NASTY_RAID}/2", "shahed", t,
              np.array([-21000.0, 10000.0, 100.0]), np.array([50.0, -5.0, 0.0]), T_END),
        _rows("interceptor", 0, f"9M96E2 {NASTY_UNIT}", "9M96E2", ti,
              np.array([-5000.0, -500.0, 10.0]), np.array([300.0, 200.0, 100.0]),
              INTERCEPTOR_SPAN[1]),
        _rows("track", 12, "track 12", "", t, np.array([-21000.0, 10000.0, 100.0]),
              np.array([50.0, -5.0, 0.0]), None),
    ]
    extra = _rows("threat", 1, f"{NASTY_RAID}/2", "shahed", t,
                  np.array([-21000.0, 10000.0, 100.0]), np.array([50.0, -5.0, 0.0]), None)
    extra["replication"] = [1] * t.size
    parts.append(extra)
    cols = {f.name: sum((p[f.name] for p in parts), []) for f in TRAJECTORY_SCHEMA}
    return pa.table(cols, schema=TRAJECTORY_SCHEMA)


def outcomes() -> pa.Table:
    """Outcomes of threats 0 (killed) and 1 (leaked) in replications 0 and 1."""
    rows = []
    for rep in (0, 1):
        for th in (0, 1):
            killed = rep == 0 and th == 0
            rows.append({
                "replication": rep, "threat": th, "label": f"{NASTY_RAID}/{th + 1}",
                "type": "shahed", "raid": NASTY_RAID, "hostile": True, "t_launch_s": 0.0,
                "t_first_detect_s": 1.0, "t_confirm_s": 1.5,
                "t_first_fire_s": 2.0 if th == 0 else None,
                "t_first_launch_s": 2.0 if th == 0 else None,
                "t_kill_s": KILL_T if killed else None, "killed": killed,
                "leaked": not killed, "t_leak_s": None if killed else T_END,
                "shots": 1 if th == 0 else 0, "min_miss_m": 1.0 if th == 0 else None,
                "leak_cause": None if killed else "not engaged: out_of_range, \"far\" <x>",
            })
    return pa.Table.from_pylist(rows)


def events() -> pa.Table:
    """A few events of replication 0, built by the engine's own event log."""
    log = EventLog(np.array([0, 1]))
    r = np.array([0])
    log.add(0.0, EventKind.THREAT_LAUNCH, r, threat=0)
    log.add(1.0, EventKind.FIRST_DETECTION, r, threat=0)
    log.add(1.5, EventKind.TRACK_CONFIRMED, r, threat=0, track=3)
    log.add(1.5, EventKind.NO_FIRE, r, threat=1, track=4, reason=1)
    log.add(2.0, EventKind.FIRE_ORDER, r, threat=0, track=3, unit=0, missile=0)
    log.add(2.0, EventKind.INTERCEPTOR_LAUNCH, r, threat=0, track=3, unit=0, interceptor=0,
            missile=0)
    log.add(KILL_T, EventKind.KILL, r, threat=0, interceptor=0, miss_m=1.0)
    log.add(T_END, EventKind.LEAK, np.array([0, 1]), threat=1)
    return log.to_arrow([NASTY_UNIT], ["9M96E2"], {1: "out_of_range"})


def summary() -> dict[str, object]:
    """A summary with the sections the result figures read."""
    return {
        "scenario": "small", "replications": 2,
        "by_threat_type": {"shahed": {"threats_per_replication": 2, "leak_probability": {
            "p": 0.75, "low": 0.3, "high": 0.95}}},
        "interceptors_spent": {"9M96E2": {"mean": 1.0, "low": 0.5, "high": 1.5},
                               "48N6E3": {"mean": 0.0, "low": None, "high": None}},
    }


def make_run_dir(root: Path, with_trajectories: bool = True) -> Path:
    """Write the synthetic run directory under ``root`` and return it."""
    path = write_run_dir(root / ("run" if with_trajectories else "run-notraj"),
                         scenario_yaml(), events(), outcomes(), summary())
    if with_trajectories:
        pq.write_table(trajectories(), path / "trajectories.parquet")
    return path

"""A run directory read back for figures and exports: scenario, tables, sites and routes.

A run directory written by ``triumf run`` holds ``scenario.yaml`` (resolved), ``events.parquet``,
``outcomes.parquet``, ``summary.json`` and, when trajectories were recorded,
``trajectories.parquet`` (one row per object and sample time; schema in
:data:`TRAJECTORY_SCHEMA`). A campaign directory of ``triumf mc`` holds ``events/`` and
``outcomes/`` folders of chunk files instead; both are read the same way.

Positions are in the engine's local frame at the scenario origin (east, north, up in metres,
the frame events use) and in WGS84 latitude, longitude and height (degrees, metres), converted
with :func:`triumf.core.earth.engine_to_geodetic`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from triumf.core.earth import engine_to_geodetic
from triumf.report.explain import RunDirError

__all__ = ["TRAJECTORY_SCHEMA", "RunData", "Site", "Route", "RunDirError", "load_run",
           "static_sites", "planned_routes", "check_trajectories"]

TRAJECTORY_SCHEMA = pa.schema([
    ("replication", pa.int32()), ("t_s", pa.float64()), ("kind", pa.string()),
    ("id", pa.int32()), ("label", pa.string()), ("type", pa.string()),
    ("east_m", pa.float64()), ("north_m", pa.float64()), ("up_m", pa.float64()),
    ("lat_deg", pa.float64()), ("lon_deg", pa.float64()), ("alt_m", pa.float64()),
    ("alive", pa.bool_()),
    ("sigma_east_m", pa.float64()), ("sigma_north_m", pa.float64()), ("rho_en", pa.float64()),
    ("confirmed", pa.bool_()), ("threat_id", pa.int32()),
])
"""Columns of ``trajectories.parquet`` (agreed between the recorder, the replay and exports).

``kind`` is one of ``threat``, ``interceptor``, ``track``; ``alive`` is false on the first
sample after the object died, impacted or was deleted; the last five columns are for tracks
only (null otherwise)."""

_NEEDED = ("replication", "t_s", "kind", "id", "label", "type", "lat_deg", "lon_deg", "alt_m",
           "east_m", "north_m", "up_m", "alive")


@dataclass(frozen=True)
class Site:
    """A static object of the scenario.

    Attributes
    ----------
    name : str
    role : str
        ``asset``, ``radar``, ``launcher`` or ``command post``.
    type : str
        Equipment name ("" for assets).
    enu : ndarray, shape (3,), metres
        Engine local frame.
    lat_deg, lon_deg, alt_m : float
        WGS84.
    radius_m : float
        Asset radius (0 for other sites).
    """

    name: str
    role: str
    type: str
    enu: NDArray[np.float64]
    lat_deg: float
    lon_deg: float
    alt_m: float
    radius_m: float = 0.0


@dataclass(frozen=True)
class Route:
    """The planned route of a raid or friendly flight (launch centre, waypoints, target).

    Attributes
    ----------
    name, type : str
        Raid (or flight) name and equipment name.
    hostile : bool
    enu : ndarray, shape (n, 3), metres
    lat_deg, lon_deg, alt_m : ndarray, shape (n,)
    """

    name: str
    type: str
    hostile: bool
    enu: NDArray[np.float64]
    lat_deg: NDArray[np.float64]
    lon_deg: NDArray[np.float64]
    alt_m: NDArray[np.float64]


@dataclass(frozen=True)
class RunData:
    """Everything of a run directory that figures and exports use.

    Attributes
    ----------
    path : Path
    scenario : triumf.scenario.schema.Scenario
    events, outcomes : pyarrow.Table
        Dictionary columns are decoded to plain strings.
    summary : dict
    trajectories : pyarrow.Table or None
        None when the run recorded no trajectories.
    """

    path: Path
    scenario: Any
    events: pa.Table
    outcomes: pa.Table
    summary: dict[str, Any]
    trajectories: pa.Table | None

    @property
    def origin(self) -> tuple[float, float, float]:
        """Scenario origin: latitude, longitude (degrees), altitude (metres)."""
        o = self.scenario.origin
        return float(o.latitude_deg), float(o.longitude_deg), float(o.altitude_m)

    def replications_recorded(self) -> list[int]:
        """Replications present in the trajectory table (empty without one)."""
        if self.trajectories is None or self.trajectories.num_rows == 0:
            return []
        return sorted({int(x) for x in self.trajectories.column("replication").to_pylist()})


def _decode(table: pa.Table) -> pa.Table:
    """Dictionary-encoded columns as plain columns of their value type."""
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name,
                                     table.column(i).cast(field.type.value_type))
    return table


def _read_table(run_dir: Path, name: str) -> pa.Table:
    single, folder = run_dir / f"{name}.parquet", run_dir / name
    if single.is_file():
        return _decode(pq.read_table(single))
    if folder.is_dir() and any(folder.glob("*.parquet")):
        files = sorted(folder.glob("*.parquet"))
        return _decode(pa.concat_tables([_decode(pq.read_table(f)) for f in files],
                                        promote_options="default"))
    raise RunDirError(f"{run_dir}: no {name}.parquet (is this a directory written by "
                      "'triumf run' or 'triumf mc'?)")


def check_trajectories(table: pa.Table, source: str = "trajectories.parquet") -> pa.Table:
    """The trajectory table with its columns checked (RunDirError naming what is missing)."""
    missing = [c for c in _NEEDED if c not in table.column_names]
    if missing:
        raise RunDirError(f"{source}: missing columns {', '.join(missing)}; expected the "
                          "columns of triumf.report.run_data.TRAJECTORY_SCHEMA")
    return _decode(table)


def load_run(run_dir: str | Path) -> RunData:
    """Read a run (or campaign) directory.

    Raises
    ------
    RunDirError
        The directory or one of its required files is missing or unreadable.
    """
    from triumf.scenario.errors import ScenarioError
    from triumf.scenario.load import load_scenario

    path = Path(run_dir)
    if not path.is_dir():
        raise RunDirError(f"{path}: no such run directory (make one with: triumf run demo "
                          f"--out {path})")
    yaml_path = path / "scenario.yaml"
    if not yaml_path.is_file():
        raise RunDirError(f"{path}: not a run directory (no scenario.yaml); make one with "
                          "'triumf run SCENARIO --out DIR'")
    try:
        scn, _ = load_scenario(yaml_path)
    except ScenarioError as exc:
        raise RunDirError(f"{yaml_path}: the scenario does not load:\n{exc.format()}") from None
    summary: dict[str, Any] = {}
    if (path / "summary.json").is_file():
        summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
    traj = None
    if (path / "trajectories.parquet").is_file():
        traj = check_trajectories(pq.read_table(path / "trajectories.parquet"),
                                  str(path / "trajectories.parquet"))
    return RunData(path, scn, _read_table(path, "events"), _read_table(path, "outcomes"),
                   summary, traj)


def _geo(enu: NDArray[np.float64], origin: Any) -> tuple[NDArray[np.float64], ...]:
    lat, lon, alt = engine_to_geodetic(enu, origin.latitude_deg, origin.longitude_deg,
                                       origin.altitude_m)
    return np.asarray(lat), np.asarray(lon), np.asarray(alt)


def static_sites(scn: Any) -> list[Site]:
    """Assets, command posts, radars and launchers of a scenario, in scenario order."""
    from triumf.scenario.compile import to_enu

    rows: list[tuple[str, str, str, Any, float]] = []
    for a in scn.assets:
        rows.append((a.name, "asset", "", a.position, float(a.radius_m)))
    for b in scn.battalions:
        rows.append((f"{b.name} command post", "command post", b.command_post.type,
                     b.command_post.position, 0.0))
        rows.extend((r.name, "radar", r.type, r.position, 0.0) for r in b.radars)
        rows.extend((f.name, "launcher", f.launcher, f.position, 0.0) for f in b.fire_units)
    sites = []
    for name, role, kind, pos, radius in rows:
        enu = to_enu(pos, scn.origin)
        lat, lon, alt = _geo(enu, scn.origin)
        sites.append(Site(name, role, kind, enu, float(lat), float(lon), float(alt), radius))
    return sites


def planned_routes(scn: Any) -> list[Route]:
    """Planned routes: each raid from its launch centre through its waypoints to its target,
    and each friendly flight's route (closed when it loops)."""
    from triumf.scenario.compile import to_enu

    assets = {a.name: a.position for a in scn.assets}
    routes = []
    for raid in scn.raids:
        pts = [raid.launch_area.center, *raid.waypoints]
        if raid.target in assets:
            pts.append(assets[raid.target])
        enu = np.array([to_enu(p, scn.origin) for p in pts])
        routes.append(Route(raid.name, raid.threat, True, enu, *_geo(enu, scn.origin)))
    for fr in scn.friendlies:
        pts = list(fr.route) + ([fr.route[0]] if fr.loop else [])
        enu = np.array([to_enu(p, scn.origin) for p in pts])
        routes.append(Route(fr.name, fr.aircraft, False, enu, *_geo(enu, scn.origin)))
    return routes

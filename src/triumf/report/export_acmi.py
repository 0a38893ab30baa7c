"""Tacview ACMI 2.2 text export of one recorded replication (3-D replay in Tacview).

The file starts with the two mandatory header lines (``FileType=text/acmi/tacview``,
``FileVersion=2.2``), then global properties on object ``0`` (reference time, reference
longitude and latitude at the scenario origin, title, data source). Static objects (assets,
command posts, radars, launchers; from the run's scenario) appear at frame ``#0``; threats,
friendly aircraft and interceptors appear at their first recorded sample with their name, type,
coalition and colour, move with ``T=lon|lat|alt`` (longitude and latitude as offsets from the
reference point, degrees; altitude above the WGS84 ellipsoid, metres) and are removed with
``-id`` on the sample where they died, impacted or were deleted. A killed threat also gets a
``Destroyed`` event. Object ids are hexadecimal without prefix; an interceptor slot that is
reused later in the run gets a new object id.

Tracks (the command post's estimates) are not exported: Tacview shows objects, and the
trajectory table's truth is what a replay shows; the HTML replay draws the tracks.

Text values escape backslashes, commas and line ends with a backslash, as the format requires,
and no line ends in a text value (a reader could take a final backslash for a line break).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from triumf import __version__
from triumf.report.atomic import write_atomic
from triumf.report.run_data import RunData, RunDirError, Site, static_sites

__all__ = ["REFERENCE_TIME", "NoTrajectoriesError", "acmi_text", "run_acmi", "write_acmi",
           "escape_acmi"]

REFERENCE_TIME = "2000-01-01T00:00:00Z"
"""Date and time of scenario time 0 in the file. Scenarios carry no calendar date, so a fixed,
obviously synthetic one is used (Tacview needs one to show a clock)."""

_STATIC_TYPE = {"asset": "Ground+Static+Building", "command post": "Ground+Static+Building",
                "radar": "Ground+AntiAircraft", "launcher": "Ground+AntiAircraft"}
_MOVING_KINDS = ("threat", "interceptor")


class NoTrajectoriesError(RunDirError):
    """The run has no recorded trajectories (no ``trajectories.parquet``)."""


def escape_acmi(text: str) -> str:
    """A text property value as ACMI 2.2 needs it: a backslash escapes the next character.

    Backslashes are doubled first (so a value ending in ``\\`` cannot escape the comma that
    ends the property), then commas become ``\\,`` and line ends (``\\r\\n``, ``\\r``, ``\\n``,
    all read as one line feed) a backslash followed by a line feed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\\n")


def _num(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _position(lon: float, lat: float, alt: float, lon0: float, lat0: float) -> str:
    return f"T={_num(lon - lon0, 7)}|{_num(lat - lat0, 7)}|{_num(alt, 1)}"


def acmi_text(
    trajectories: pa.Table,
    sites: Iterable[Site],
    origin: tuple[float, float, float],
    *,
    title: str = "triumf",
    hostile: Mapping[int, bool] | None = None,
    killed: Iterable[int] = (),
    replication: int | None = None,
) -> str:
    """The ACMI text of one replication.

    Parameters
    ----------
    trajectories : pyarrow.Table
        Rows of :data:`triumf.report.run_data.TRAJECTORY_SCHEMA`; rows of other replications
        and track rows are ignored.
    sites : iterable of Site
        Static objects, shown from time 0.
    origin : (float, float, float)
        Scenario origin latitude, longitude (degrees) and altitude (metres); the reference
        point of the file.
    title : str
        Title of the recording.
    hostile : mapping of int to bool, optional
        Threat id -> hostile (False: friendly aircraft). Default: every threat hostile.
    killed : iterable of int
        Threat ids killed in this replication (they get a ``Destroyed`` event).
    replication : int, optional
        Replication to export (default: the first in the table).

    Returns
    -------
    str
    """
    lat0, lon0, _ = origin
    reps = pc.unique(trajectories.column("replication")).to_pylist()
    rep = int(min(reps)) if replication is None and reps else replication
    mask = pc.and_(pc.equal(trajectories.column("replication"), rep),
                   pc.is_in(trajectories.column("kind"), pa.array(_MOVING_KINDS)))
    rows = trajectories.filter(mask)
    t = rows.column("t_s").to_numpy()
    kind = np.asarray(rows.column("kind").to_pylist(), dtype=object)
    ident = rows.column("id").to_numpy()
    order = np.lexsort((ident, kind != "threat", t))
    cols = {k: rows.column(k).to_pylist() for k in ("label", "type", "alive")}
    positions = [f"T={x:.7f}|{y:.7f}|{z:.1f}" for x, y, z in zip(
        (rows.column("lon_deg").to_numpy() - lon0).tolist(),
        (rows.column("lat_deg").to_numpy() - lat0).tolist(),
        rows.column("alt_m").to_numpy().tolist(), strict=True)]
    hostile = hostile or {}
    killed = set(killed)
    lines = ["FileType=text/acmi/tacview", "FileVersion=2.2",
             f"0,ReferenceTime={REFERENCE_TIME}",
             f"0,ReferenceLongitude={_num(lon0, 7)}", f"0,ReferenceLatitude={_num(lat0, 7)}",
             f"0,Title={escape_acmi(f'{title}, replication {rep}')}",
             f"0,DataSource={escape_acmi(f'triumf {__version__}')}", "#0"]
    for n, s in enumerate(sites, start=1):
        lines.append(f"{n:x},{_position(s.lon_deg, s.lat_deg, s.alt_m, lon0, lat0)},"
                     f"Name={escape_acmi(s.name)},Type={_STATIC_TYPE.get(s.role, 'Ground')},"
                     + (f"ShortName={escape_acmi(s.type)}," if s.type else "")
                     + "Coalition=Allies,Color=Blue")  # a line never ends in a text value
    live: dict[tuple[str, int], str] = {}
    lives = 0
    frame: float | None = 0.0
    for i in order.tolist():
        ti = float(t[i])
        if frame is None or ti > frame:
            lines.append(f"#{_num(ti, 3)}")
            frame = ti
        key = (str(kind[i]), int(ident[i]))
        if key not in live and not cols["alive"][i]:
            continue  # a dead object's later samples (or a slot's rest) show nothing
        pos = positions[i]
        if key not in live:
            lives += 1
            obj = f"{(0x10000 if key[0] == 'threat' else 0x20000) + lives:x}"
            live[key] = obj
            enemy = key[0] == "threat" and hostile.get(key[1], True)
            tag = "Air+FixedWing" if key[0] == "threat" and not enemy else "Weapon+Missile"
            lines.append(f"{obj},{pos},Name={escape_acmi(str(cols['label'][i]))},Type={tag},"
                         f"ShortName={escape_acmi(str(cols['type'][i] or ''))},"
                         f"Coalition={'Enemies' if enemy else 'Allies'},"
                         f"Color={'Red' if enemy else 'Blue'}")
        else:
            lines.append(f"{live[key]},{pos}")
        if not cols["alive"][i]:
            obj = live.pop(key)
            if key[0] == "threat" and key[1] in killed:
                lines.append(f"0,Event=Destroyed|{obj}|")
            lines.append(f"-{obj}")
    return "\n".join(lines) + "\n"


def run_acmi(run: RunData, replication: int | None = None) -> str:
    """The ACMI text of one recorded replication of a run directory.

    Raises
    ------
    NoTrajectoriesError
        The run recorded no trajectories.
    RunDirError
        The replication asked for was not recorded.
    """
    reps = run.replications_recorded()
    if not reps:
        raise NoTrajectoriesError(
            f"{run.path}: the run has no recorded trajectories (no trajectories.parquet). "
            "Run the scenario again with a version of triumf that records them: 'triumf run' "
            "records replication 0 by default (--record-replications chooses others).")
    rep = reps[0] if replication is None else replication
    if rep not in reps:
        raise RunDirError(f"--replication {rep}: not recorded; recorded replications: "
                          f"{', '.join(str(r) for r in reps)}")
    out = run.outcomes.filter(pc.equal(run.outcomes.column("replication"), rep))
    ids = out.column("threat").to_pylist()
    hostile = dict(zip(ids, out.column("hostile").to_pylist(), strict=True))
    killed = [i for i, k in zip(ids, out.column("killed").to_pylist(), strict=True) if k]
    assert run.trajectories is not None
    return acmi_text(run.trajectories, static_sites(run.scenario), run.origin,
                     title=run.scenario.name, hostile=hostile, killed=killed, replication=rep)


def write_acmi(run: RunData, path: str | Path, replication: int | None = None,
               force: bool = False) -> Path:
    """Write :func:`run_acmi` to ``path`` atomically (refuses to overwrite unless ``force``)."""
    return write_atomic(path, run_acmi(run, replication), force=force)

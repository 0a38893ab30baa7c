"""KML export for Google Earth: sites, planned routes, flown tracks, kill and leak points.

The document holds folders of placemarks:

- *Sites*: a point per asset, command post, radar and launcher of the scenario;
- *Planned routes*: a line per raid (launch centre, waypoints, target) and friendly flight;
- when the run recorded trajectories, for one replication: *Threats* and *Interceptors*, a
  ``gx:Track`` per object (a time stamp and a ``lon lat alt`` coordinate per sample, so
  Google Earth's time slider plays them), and *Kills and leaks*, a point at the last recorded
  position of every threat that was killed or leaked, stamped with its time.

Coordinates are WGS84 longitude, latitude (degrees) and altitude above the ellipsoid (metres),
``altitudeMode`` absolute. Times are ISO 8601 from :data:`REFERENCE_TIME` plus scenario time.
The XML is built with :mod:`xml.etree.ElementTree`, so every user string is escaped.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from triumf.report.atomic import write_atomic
from triumf.report.export_acmi import REFERENCE_TIME
from triumf.report.run_data import RunData, RunDirError, planned_routes, static_sites

__all__ = ["KML_NS", "GX_NS", "kml_text", "write_kml", "when"]

KML_NS = "http://www.opengis.net/kml/2.2"
GX_NS = "http://www.google.com/kml/ext/2.2"
_STYLES = {  # style id -> (icon colour aabbggrr, line colour, icon)
    "site": ("ffff7f00", "ffff7f00", "http://maps.google.com/mapfiles/kml/shapes/square.png"),
    "threat": ("ff0000ff", "ff0000ff", "http://maps.google.com/mapfiles/kml/shapes/target.png"),
    "friend": ("ffffaa00", "ffffaa00", "http://maps.google.com/mapfiles/kml/shapes/airports.png"),
    "interceptor": ("ffff0000", "ffff0000",
                    "http://maps.google.com/mapfiles/kml/shapes/triangle.png"),
    "kill": ("ff00ff00", "ff00ff00", "http://maps.google.com/mapfiles/kml/shapes/star.png"),
    "leak": ("ff0000ff", "ff0000ff", "http://maps.google.com/mapfiles/kml/shapes/caution.png"),
}


def _k(tag: str) -> str:
    return f"{{{KML_NS}}}{tag}"


def _gx(tag: str) -> str:
    return f"{{{GX_NS}}}{tag}"


def when(t_s: float) -> str:
    """ISO 8601 time of scenario time ``t_s`` (seconds after :data:`REFERENCE_TIME`)."""
    t0 = dt.datetime.strptime(REFERENCE_TIME, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    stamp = t0 + dt.timedelta(seconds=float(t_s))
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    e = ET.SubElement(parent, tag)
    if text is not None:
        e.text = text
    return e


def _placemark(folder: ET.Element, name: str, style: str, description: str = "") -> ET.Element:
    pm = _sub(folder, _k("Placemark"))
    _sub(pm, _k("name"), name)
    if description:
        _sub(pm, _k("description"), description)
    _sub(pm, _k("styleUrl"), f"#{style}")
    return pm


def _coord(lon: float, lat: float, alt: float) -> str:
    return f"{lon:.7f},{lat:.7f},{alt:.1f}"


def _point(pm: ET.Element, lon: float, lat: float, alt: float) -> None:
    pt = _sub(pm, _k("Point"))
    _sub(pt, _k("altitudeMode"), "absolute")
    _sub(pt, _k("coordinates"), _coord(lon, lat, alt))


def kml_text(run: RunData, replication: int | None = None) -> str:
    """The KML document of a run (flown tracks of one recorded replication, if any).

    Parameters
    ----------
    run : RunData
    replication : int, optional
        Recorded replication to show (default: the first recorded).

    Raises
    ------
    RunDirError
        ``replication`` was given but not recorded.
    """
    ET.register_namespace("", KML_NS)
    ET.register_namespace("gx", GX_NS)
    root = ET.Element(_k("kml"))
    doc = _sub(root, _k("Document"))
    _sub(doc, _k("name"), f"triumf: {run.scenario.name}")
    _sub(doc, _k("description"), run.scenario.description or "")
    for sid, (icon_colour, line_colour, href) in _STYLES.items():
        st = _sub(doc, _k("Style"))
        st.set("id", sid)
        icon = _sub(st, _k("IconStyle"))
        _sub(icon, _k("color"), icon_colour)
        _sub(_sub(icon, _k("Icon")), _k("href"), href)
        line = _sub(st, _k("LineStyle"))
        _sub(line, _k("color"), line_colour)
        _sub(line, _k("width"), "2")

    folder = _sub(doc, _k("Folder"))
    _sub(folder, _k("name"), "Sites")
    for s in static_sites(run.scenario):
        pm = _placemark(folder, s.name, "site", f"{s.role} {s.type}".strip())
        _point(pm, s.lon_deg, s.lat_deg, s.alt_m)

    folder = _sub(doc, _k("Folder"))
    _sub(folder, _k("name"), "Planned routes")
    for r in planned_routes(run.scenario):
        pm = _placemark(folder, r.name, "threat" if r.hostile else "friend",
                        f"planned route of {r.type}")
        ls = _sub(pm, _k("LineString"))
        _sub(ls, _k("altitudeMode"), "clampToGround")
        _sub(ls, _k("coordinates"), " ".join(
            _coord(lo, la, al) for lo, la, al in zip(r.lon_deg, r.lat_deg, r.alt_m,
                                                     strict=True)))

    reps = run.replications_recorded()
    if replication is not None and replication not in reps:
        raise RunDirError(f"--replication {replication}: not recorded; recorded replications: "
                          f"{', '.join(str(r) for r in reps) or 'none'}")
    if reps:
        _flown(doc, run, reps[0] if replication is None else replication)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _flown(doc: ET.Element, run: RunData, rep: int) -> None:
    """Folders of flown tracks and kill/leak points of replication ``rep``."""
    assert run.trajectories is not None
    tr = run.trajectories.filter(pc.equal(run.trajectories.column("replication"), rep))
    out = run.outcomes.filter(pc.equal(run.outcomes.column("replication"), rep)).to_pylist()
    fate = {int(o["threat"]): o for o in out}
    ends: list[tuple[int, float, float, float, float, str]] = []
    for kind, title in (("threat", "Threats"), ("interceptor", "Interceptors")):
        folder = _sub(doc, _k("Folder"))
        _sub(folder, _k("name"), f"{title} (replication {rep})")
        sel = tr.filter(pc.equal(tr.column("kind"), kind))
        ids = sel.column("id").to_numpy()
        t = sel.column("t_s").to_numpy()
        lon, lat, alt = (sel.column(c).to_numpy() for c in ("lon_deg", "lat_deg", "alt_m"))
        labels, types = sel.column("label").to_pylist(), sel.column("type").to_pylist()
        for obj in np.unique(ids).tolist():
            idx = np.flatnonzero(ids == obj)
            idx = idx[np.argsort(t[idx], kind="stable")]
            f = fate.get(obj) if kind == "threat" else None
            style = ("threat" if f is None or f.get("hostile", True) else "friend"
                     ) if kind == "threat" else "interceptor"
            pm = _placemark(folder, str(labels[idx[0]]), style, str(types[idx[0]] or ""))
            track = _sub(pm, _gx("Track"))
            _sub(track, _k("altitudeMode"), "absolute")
            for i in idx.tolist():
                _sub(track, _k("when"), when(t[i]))
            for i in idx.tolist():
                _sub(track, _gx("coord"), f"{lon[i]:.7f} {lat[i]:.7f} {alt[i]:.1f}")
            if f is not None and (f.get("killed") or f.get("leaked")):
                last = int(idx[-1])
                ends.append((obj, float(t[last]), float(lon[last]), float(lat[last]),
                             float(alt[last]), "kill" if f.get("killed") else "leak"))
    folder = _sub(doc, _k("Folder"))
    _sub(folder, _k("name"), f"Kills and leaks (replication {rep})")
    for obj, t_end, lo, la, al, what in ends:
        label = str(fate[obj]["label"])
        pm = _placemark(folder, f"{label} {'killed' if what == 'kill' else 'leaked'}", what,
                        str(fate[obj].get("leak_cause") or ""))
        _sub(_sub(pm, _k("TimeStamp")), _k("when"), when(t_end))
        _point(pm, lo, la, al)


def write_kml(run: RunData, path: str | Path, replication: int | None = None,
              force: bool = False) -> Path:
    """Write :func:`kml_text` to ``path`` atomically (refuses to overwrite unless ``force``)."""
    return write_atomic(path, kml_text(run, replication), force=force)


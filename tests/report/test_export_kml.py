"""KML export: well-formed XML with the right placemarks and coordinates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pymap3d
import pytest
import report_run_fixtures as fx
from typer.testing import CliRunner

from triumf.cli import app
from triumf.report.export_kml import GX_NS, KML_NS, kml_text
from triumf.report.run_data import load_run, planned_routes, static_sites

NS = {"k": KML_NS, "gx": GX_NS}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return load_run(fx.make_run_dir(tmp_path_factory.mktemp("kml")))


@pytest.fixture(scope="module")
def doc(run):
    return ET.fromstring(kml_text(run).encode("utf-8"))


def _folder(doc, prefix):
    return next(f for f in doc.iter(f"{{{KML_NS}}}Folder")
                if f.find("k:name", NS).text.startswith(prefix))


def test_placemark_count(run, doc):
    """Sites + planned routes + 2 threats + 1 interceptor + 2 kill/leak points."""
    n = len(static_sites(run.scenario)) + len(planned_routes(run.scenario)) + 3 + 2
    assert len(doc.findall(".//k:Placemark", NS)) == n


def test_track_coordinates_lon_lat_alt(doc):
    """gx:coord of the leaker are lon lat alt of the table, with one time stamp each."""
    rows = [r for r in fx.trajectories().to_pylist()
            if r["replication"] == 0 and r["kind"] == "threat" and r["id"] == 1]
    pm = next(p for p in _folder(doc, "Threats").findall("k:Placemark", NS)
              if p.find("k:name", NS).text.endswith("/2"))
    coords = [c.text.split() for c in pm.iter(f"{{{GX_NS}}}coord")]
    whens = pm.findall(".//k:when", NS)
    assert len(coords) == len(whens) == len(rows)
    got = np.array(coords, dtype=float)
    want = np.array([[r["lon_deg"], r["lat_deg"], r["alt_m"]] for r in rows])
    np.testing.assert_allclose(got[:, :2], want[:, :2], atol=1e-7)
    np.testing.assert_allclose(got[:, 2], want[:, 2], atol=0.05)


def test_site_coordinates_against_pymap3d(run, doc):
    """A site given in local metres lands where pymap3d puts the same east/north offset.

    Tolerance 5e-6 deg (0.5 m): the engine's map grid keeps azimuths to about 1e-3 deg
    (triumf.core.frames.geodetic_to_map), 0.25 m at the site's 14 km.
    """
    site = next(s for s in static_sites(run.scenario) if s.name == fx.NASTY_ASSET)
    pm = next(p for p in _folder(doc, "Sites").findall("k:Placemark", NS)
              if p.find("k:name", NS).text == fx.NASTY_ASSET)
    lon, lat, alt = (float(x) for x in pm.find(".//k:coordinates", NS).text.split(","))
    lat0, lon0, alt0 = run.origin
    e, n = 12000.0, 8000.0  # the demo's air base, metres east and north of the origin
    want_lat, want_lon, _ = pymap3d.enu2geodetic(e, n, 0.0, lat0, lon0, alt0)
    assert lat == pytest.approx(want_lat, abs=5e-6)
    assert lon == pytest.approx(want_lon, abs=5e-6)
    assert alt == pytest.approx(alt0, abs=0.1)
    assert site.enu[0] == pytest.approx(e, rel=1e-6)


def test_names_escaped_and_restored(doc):
    """Names with <, &, quotes and commas are text in the XML and come back unchanged."""
    names = {p.find("k:name", NS).text for p in doc.iter(f"{{{KML_NS}}}Placemark")}
    assert fx.NASTY_ASSET in names
    assert fx.NASTY_RAID in names
    assert not list(doc.iter("script"))


def test_kill_and_leak_points(doc):
    """The killed and the leaked threat each get a time-stamped point at their last sample."""
    pms = _folder(doc, "Kills").findall("k:Placemark", NS)
    names = sorted(p.find("k:name", NS).text for p in pms)
    assert names == [f"{fx.NASTY_RAID}/1 killed", f"{fx.NASTY_RAID}/2 leaked"]
    kill = next(p for p in pms if p.find("k:name", NS).text.endswith("killed"))
    assert kill.find(".//k:when", NS).text == "2000-01-01T00:00:06.000Z"


def test_without_trajectories(tmp_path):
    """Without recorded trajectories: sites and planned routes only."""
    run = load_run(fx.make_run_dir(tmp_path, with_trajectories=False))
    doc = ET.fromstring(kml_text(run).encode("utf-8"))
    n = len(static_sites(run.scenario)) + len(planned_routes(run.scenario))
    assert len(doc.findall(".//k:Placemark", NS)) == n


def test_cli_writes_kml(tmp_path):
    """triumf export --format kml writes a parseable file."""
    path = fx.make_run_dir(tmp_path)
    res = CliRunner().invoke(app, ["export", str(path), "--format", "kml", "-o",
                                   str(tmp_path / "a.kml"), "--quiet"])
    assert res.exit_code == 0, res.output
    assert res.output == ""
    assert ET.parse(tmp_path / "a.kml").getroot().tag == f"{{{KML_NS}}}kml"

"""Figures of a run directory: files exist, are valid PNG and SVG, and are not blank."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import matplotlib.image as mpimg
import numpy as np
import pytest
import report_run_fixtures as fx
from typer.testing import CliRunner

from triumf.cli import app
from triumf.report.figures_map import end_points
from triumf.report.run_data import load_run

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NAMES = ("map", "timeline", "leakage", "missiles")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("fig")
    path = fx.make_run_dir(root)
    res = CliRunner().invoke(app, ["figures", str(path), "--out", str(root / "figs"),
                                   "--json"])
    assert res.exit_code == 0, res.output
    return root / "figs", json.loads(res.output)["files"]


def test_all_files_listed(written):
    """One PNG and one SVG per figure, all listed in the JSON output."""
    folder, files = written
    want = {str(folder / f"{n}.{ext}") for n in NAMES for ext in ("png", "svg")}
    assert set(files) == want


@pytest.mark.parametrize("name", NAMES)
def test_png_valid_and_not_blank(written, name):
    """The PNG has the PNG signature and more than one colour."""
    folder, _ = written
    path = folder / f"{name}.png"
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 100 and img.shape[1] > 100
    assert np.unique(img.reshape(-1, img.shape[-1]), axis=0).shape[0] > 10


@pytest.mark.parametrize("name", NAMES)
def test_svg_valid_and_not_blank(written, name):
    """The SVG parses as XML with an svg root and draws paths."""
    folder, _ = written
    root = ET.parse(folder / f"{name}.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(list(root.iter("{http://www.w3.org/2000/svg}path"))) > 5


def test_end_points_are_last_samples(tmp_path):
    """Kill and leak points are the last recorded positions of the killed and leaked threats."""
    run = load_run(fx.make_run_dir(tmp_path))
    pts = end_points(run, replication=0)
    rows = fx.trajectories().to_pylist()

    def last(i):
        r = max((r for r in rows if r["replication"] == 0 and r["kind"] == "threat"
                 and r["id"] == i), key=lambda r: r["t_s"])
        return [r["east_m"], r["north_m"]]

    np.testing.assert_allclose(pts["kill"], [last(0)])
    np.testing.assert_allclose(pts["leak"], [last(1)])


def test_format_choice(tmp_path):
    """--format svg writes only SVG files."""
    path = fx.make_run_dir(tmp_path)
    res = CliRunner().invoke(app, ["figures", str(path), "--format", "svg", "--quiet"])
    assert res.exit_code == 0, res.output
    assert res.output == ""
    assert sorted(p.name for p in (path / "figures").iterdir()) == sorted(
        f"{n}.svg" for n in NAMES)


def test_bad_format_exit_2(tmp_path):
    """An unknown format is refused with the valid ones, exit 2."""
    res = CliRunner().invoke(app, ["figures", str(tmp_path), "--format", "gif"])
    assert res.exit_code == 2
    assert "png, svg" in res.output


def test_missing_run_dir_exit_2(tmp_path):
    """A directory that is not a run: exit 2 with a plain message."""
    res = CliRunner().invoke(app, ["figures", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "no such run directory" in res.output

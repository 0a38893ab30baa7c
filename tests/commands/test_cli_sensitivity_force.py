"""triumf sensitivity --force, and an output directory that appears while the design runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import triumf.analysis.sensitivity as sensitivity
from triumf.cli import app

runner = CliRunner()
SMALL = str(Path(__file__).resolve().parents[2] / "docs" / "examples" / "sensitivity-small.yaml")
ARGS = ["sensitivity", SMALL, "--param", "*.pk_max", "--trajectories", "2", "-n", "1", "--set",
        "duration_s=10", "--resamples", "20", "--quiet"]


@pytest.fixture
def appears(monkeypatch):
    """Make ``--out`` appear (with one file) while the design points run."""
    real = sensitivity.run_sensitivity
    made: dict[str, Path] = {}

    def run(*args, **kwargs):
        made["dir"].mkdir()
        (made["dir"] / "keep.txt").write_text("keep")
        return real(*args, **kwargs)

    monkeypatch.setattr(sensitivity, "run_sensitivity", run)
    return made


def test_directory_appearing_during_the_run_exits_2(tmp_path, appears):
    """The directory made by someone else during the run is kept; exit 2, no traceback."""
    out = appears["dir"] = tmp_path / "sens"
    res = runner.invoke(app, [*ARGS, "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "already exists" in res.output and "--force" in res.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["sens"]  # no temporary directory left


def test_force_replaces_an_existing_directory(tmp_path):
    """With --force an existing --out is replaced by the new results."""
    out = tmp_path / "sens"
    out.mkdir()
    (out / "old.txt").write_text("old")
    res = runner.invoke(app, [*ARGS, "--out", str(out), "--force", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["directory"] == str(out)
    assert not (out / "old.txt").exists() and (out / "summary.json").is_file()

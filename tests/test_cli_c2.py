"""The command post's commands: triumf wta and triumf explain (exit codes, output, errors)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()

# two weapons, two targets: the optimum puts the sure weapon on the dearer target (F = 0.5*4)
INSTANCE = "2 2 1\n10\n4\n0 0 1.0\n1 0 0.5\n1 1 0.5\n"


def test_wta_prints_certified_optimum_as_json(tmp_path: Path) -> None:
    """triumf wta --json reports the closed-form optimum, a zero gap and status optimal."""
    f = tmp_path / "i.txt"
    f.write_text(INSTANCE)
    res = runner.invoke(app, ["wta", str(f), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert abs(data["objective"] - 2.0) < 1e-9 and data["status"] == "optimal"
    assert data["gap"] < 1e-9


def test_wta_bad_file_exits_2_with_line(tmp_path: Path) -> None:
    """A malformed instance gives exit 2, the file and line, and no traceback."""
    f = tmp_path / "bad.txt"
    f.write_text("2 2 1\n10\n4\n0 5 0.5\n")
    res = runner.invoke(app, ["wta", str(f)])
    assert res.exit_code == 2
    assert f"{f}:4" in res.output and "Traceback" not in res.output


def test_wta_unknown_method_exits_2(tmp_path: Path) -> None:
    """An unknown --method lists the valid ones and exits 2."""
    f = tmp_path / "i.txt"
    f.write_text(INSTANCE)
    res = runner.invoke(app, ["wta", str(f), "--method", "simplex"])
    assert res.exit_code == 2 and "greedy, heuristic, exact" in res.output


def _run_dir(tmp_path: Path) -> Path:
    """A hand-written run directory: threat 0 leaks after a channel shortage."""
    d = tmp_path / "run"
    d.mkdir()
    pq.write_table(pa.table({
        "replication": [0, 0], "threat": [0, 1], "label": ["cm#1", "cm#2"],
        "type": ["babur", "babur"], "raid": ["cm", "cm"], "hostile": [True, True],
        "killed": [False, True], "leaked": [True, False], "t_kill_s": [None, 50.0],
        "t_leak_s": [90.0, None], "shots": [0, 2],
        "leak_cause": ["not engaged: no_target_channel", None],
    }), d / "outcomes.parquet")
    pq.write_table(pa.table({
        "time_s": [0.0, 20.0, 22.0, 22.0, 90.0],
        "replication": [0, 0, 0, 0, 0],
        "kind": ["threat_launch", "first_detection", "track_confirmed", "no_fire", "leak"],
        "threat": [0, 0, 0, 0, 0], "track": [-1, -1, 7, 7, -1],
        "unit": [None] * 5, "interceptor": [-1] * 5, "missile": [None] * 5,
        "reason": [None, None, None, "no_target_channel", None], "miss_m": [None] * 5,
    }), d / "events.parquet")
    return d


def test_explain_tells_the_story_and_the_reason(tmp_path: Path) -> None:
    """triumf explain lists the threat's events in order and names its no-fire reason."""
    res = runner.invoke(app, ["explain", str(_run_dir(tmp_path)), "--threat", "0", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [e["time_s"] for e in data["events"]] == [0.0, 20.0, 22.0, 22.0, 90.0]
    assert data["no_fire_reasons"] == ["no_target_channel"]
    assert data["outcome"].startswith("Leaked") and "no_target_channel" in data["outcome"]


def test_explain_unknown_threat_or_dir_exits_2(tmp_path: Path) -> None:
    """An unknown threat, replication or run directory is a clear error with exit 2."""
    d = _run_dir(tmp_path)
    for args in (["--threat", "5"], ["--threat", "nope"], ["--threat", "0", "-r", "3"]):
        res = runner.invoke(app, ["explain", str(d), *args])
        assert res.exit_code == 2 and "Traceback" not in res.output
    res = runner.invoke(app, ["explain", str(tmp_path / "none"), "--threat", "0"])
    assert res.exit_code == 2 and "no such run directory" in res.output

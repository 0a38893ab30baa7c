"""triumf sensitivity: output directory, JSON, listing and bad input (exit 2)."""

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()
SMALL = str(Path(__file__).resolve().parents[2] / "docs" / "examples" / "sensitivity-small.yaml")


def test_morris_run_writes_tables_figures_and_json(tmp_path):
    """A tiny Morris run writes every table and figure; --json reports the ranking."""
    out = tmp_path / "sens"
    res = runner.invoke(app, ["sensitivity", SMALL, "--param", "*.pk_max", "--param",
                              "*.rcs_m2", "--trajectories", "2", "-n", "1", "--set",
                              "duration_s=10", "--out", str(out), "--json", "--resamples",
                              "20"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["points"] == 2 * (2 + 1) and summary["parameters"] == 2
    assert {r["parameter"] for r in summary["ranking"]} == {"missile.48N6E3.pk_max",
                                                             "threat.babur.rcs_m2"}
    for name in ("indices.csv", "indices.parquet", "ranking.csv", "design.csv",
                 "design.parquet", "parameters.csv", "sensitivity.png", "sensitivity.svg",
                 "summary.json"):
        assert (out / name).stat().st_size > 0, name
    assert pq.read_table(out / "design.parquet").num_rows == 6
    with open(out / "parameters.csv", newline="") as f:
        assert {r["name"] for r in csv.DictReader(f)} == {"missile.48N6E3.pk_max",
                                                          "threat.babur.rcs_m2"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp dir left


def test_list_prints_parameters_as_json():
    """--list --json prints the selected parameters with their bounds and runs nothing."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--list", "--json", "--param",
                              "interceptor.*.lethal_radius_m"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["name"] for r in rows] == ["missile.48N6E3.lethal_radius_m"]
    assert rows[0]["low"] < rows[0]["value"] < rows[0]["high"]


def test_unknown_param_glob_exits_2():
    """A --param glob matching nothing exits 2 and names the kinds."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--param", "nothing.*", "--list"])
    assert res.exit_code == 2 and "missile" in res.output


def test_sobol_sample_size_not_power_of_two_exits_2(tmp_path):
    """--samples 48 exits 2 before anything runs, asking for a power of two."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--method", "sobol", "--samples", "48",
                              "--param", "*.pk_max", "--out", str(tmp_path / "s")])
    assert res.exit_code == 2 and "power of two" in res.output
    assert not (tmp_path / "s").exists()


def test_bad_method_exits_2():
    """--method fast exits 2 naming the valid methods."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--method", "fast"])
    assert res.exit_code == 2 and "morris, sobol" in res.output


def test_existing_out_dir_exits_2(tmp_path):
    """An existing --out directory is never overwritten."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--param", "*.pk_max", "--out",
                              str(tmp_path)])
    assert res.exit_code == 2 and "already exists" in res.output


def test_sobol_json_is_valid_when_indices_are_undefined(tmp_path):
    """A constant output (nothing leaks in 10 s) gives null Sobol indices in valid JSON."""
    res = runner.invoke(app, ["sensitivity", SMALL, "--method", "sobol", "--samples", "2",
                              "--param", "*.rcs_m2", "-n", "1", "--set", "duration_s=10",
                              "--resamples", "20", "--out", str(tmp_path / "s"), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["points"] == 2 * (1 + 2) and summary["ranking"][0]["ST"] is None
    json.loads((tmp_path / "s" / "summary.json").read_text())

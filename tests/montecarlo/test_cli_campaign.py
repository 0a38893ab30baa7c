"""The campaign commands: mc, sweep, runs and query (exit codes and messages)."""

import json

from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()


def test_mc_writes_campaign_and_runs_lists_it(small_file, tmp_path):
    """triumf mc --json writes the campaign; triumf runs lists it; query counts its rows."""
    res = runner.invoke(app, ["mc", str(small_file), "-n", "2", "--chunk", "1", "--json",
                              "--out", str(tmp_path / "runs" / "c")])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["replications"] == 2 and "clopper_pearson" in summary["leak_probability"]
    res = runner.invoke(app, ["runs", "--runs", str(tmp_path / "runs"), "--json"])
    assert json.loads(res.output)[0]["run"] == "c"
    res = runner.invoke(app, ["query", "SELECT count(*) AS n FROM replications", "--runs",
                              str(tmp_path / "runs"), "--json"])
    assert json.loads(res.output) == [{"n": 2}]


def test_sweep_unknown_path_exits_2_naming_valid_fields(small_file, tmp_path):
    """An unknown --set path exits 2 and lists the valid fields, before anything runs."""
    res = runner.invoke(app, ["sweep", str(small_file), "--set", "doctrine.salvo=1,2",
                              "--out", str(tmp_path / "s")])
    assert res.exit_code == 2
    assert "unknown field 'salvo'" in res.output and "salvo_size" in res.output
    assert not (tmp_path / "s").exists()


def test_sweep_bad_value_exits_2(small_file, tmp_path):
    """A value outside the field's rule exits 2 with the rule."""
    res = runner.invoke(app, ["sweep", str(small_file), "--set", "doctrine.salvo_size=1,9",
                              "--out", str(tmp_path / "s")])
    assert res.exit_code == 2 and "at most 4" in res.output


def test_query_bad_sql_exits_2(tmp_path):
    """SQL errors exit 2 with DuckDB's message."""
    res = runner.invoke(app, ["query", "SELEC 1", "--runs", str(tmp_path)])
    assert res.exit_code == 2 and "SQL" in res.output


def test_resume_of_non_campaign_directory_exits_2(tmp_path):
    """--resume on a directory without a manifest exits 2 and says why."""
    res = runner.invoke(app, ["mc", "--resume", str(tmp_path)])
    assert res.exit_code == 2 and "manifest.json" in res.output


def test_runs_on_missing_root_exits_2(tmp_path):
    """triumf runs on a missing root exits 2."""
    res = runner.invoke(app, ["runs", "--runs", str(tmp_path / "nope")])
    assert res.exit_code == 2

"""CSV export: one row per table row, names not codes, special characters survive."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq
import pytest
import report_run_fixtures as fx
from typer.testing import CliRunner

from triumf.cli import app
from triumf.sim.events import EventKind


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("csv")
    path = fx.make_run_dir(root)
    res = CliRunner().invoke(app, ["export", str(path), "--format", "csv", "-o",
                                   str(root / "out"), "--json"])
    assert res.exit_code == 0, res.output
    read = {}
    for name in ("events", "outcomes"):
        with open(root / "out" / f"{name}.csv", newline="", encoding="utf-8") as fh:
            read[name] = list(csv.DictReader(fh))
    return path, read


@pytest.mark.parametrize("name", ["events", "outcomes"])
def test_row_counts(exported, name):
    """Each CSV has as many rows as its Parquet table."""
    path, read = exported
    assert len(read[name]) == pq.read_table(path / f"{name}.parquet").num_rows


def test_event_kinds_are_names(exported):
    """Event kinds and no-fire reasons are written as names."""
    _, read = exported
    kinds = {r["kind"] for r in read["events"]}
    assert kinds <= {k.label for k in EventKind}
    assert {r["reason"] for r in read["events"]} == {"", "out_of_range"}


def test_special_characters_survive(exported):
    """Names with commas, quotes, < and & and missing values round-trip."""
    _, read = exported
    assert fx.NASTY_UNIT in {r["unit"] for r in read["events"]}
    assert fx.NASTY_RAID in {r["raid"] for r in read["outcomes"]}
    assert any(r["leak_cause"] == 'not engaged: out_of_range, "far" <x>'
               for r in read["outcomes"])
    assert any(r["t_kill_s"] == "" for r in read["outcomes"])


def test_refuses_overwrite(exported):
    """A second export to the same directory needs --force."""
    path, _ = exported
    res = CliRunner().invoke(app, ["export", str(path), "--format", "csv", "-o",
                                   str(path.parent / "out")])
    assert res.exit_code == 2
    assert "already exists" in res.output


def test_unknown_format(exported):
    """An unknown --format is refused with the valid choices."""
    path, _ = exported
    res = CliRunner().invoke(app, ["export", str(path), "--format", "xls"])
    assert res.exit_code == 2
    assert "acmi, kml, csv" in res.output

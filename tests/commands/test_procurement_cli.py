"""`triumf place` and `triumf procure` on a tiny scenario: outputs, answer, bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
from procurement_fixtures import TINY, write_tiny  # noqa: E402

from triumf.cli import app  # noqa: E402

runner = CliRunner()


def test_place_writes_layout_and_tables(tmp_path: Path) -> None:
    """`place` chooses the reachable site and writes figures, tables and the summary."""
    scn = write_tiny(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["place", str(scn), "--units", "1", "--replications", "0",
                              "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    result = json.loads(res.stdout)
    assert result["sites"] in (["A"], ["B"]) and result["coverage"] == pytest.approx(1.0)
    for name in ("layout.png", "layout.svg", "sites.csv", "sites.parquet", "coverage.csv",
                 "coverage.parquet", "summary.json"):
        assert (out / name).is_file(), name


def test_place_refuses_existing_output(tmp_path: Path) -> None:
    """An existing --out without --force is refused with exit 2."""
    scn = write_tiny(tmp_path)
    (tmp_path / "out").mkdir()
    res = runner.invoke(app, ["place", str(scn), "--replications", "0", "--units", "1",
                              "--out", str(tmp_path / "out")])
    assert res.exit_code == 2 and "already exists" in res.output


def test_place_without_procurement_section(tmp_path: Path) -> None:
    """A scenario without a procurement section gives a clear exit 2."""
    text = TINY[: TINY.index("procurement:")]
    scn = write_tiny(tmp_path, text)
    res = runner.invoke(app, ["place", str(scn), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "procurement" in res.output


def test_place_too_many_units(tmp_path: Path) -> None:
    """More units than candidate sites is refused with exit 2."""
    scn = write_tiny(tmp_path)
    res = runner.invoke(app, ["place", str(scn), "--units", "9", "--replications", "0",
                              "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "between 1 and 3" in res.output


def test_procure_unknown_loadout(tmp_path: Path) -> None:
    """An unknown --loadouts name is refused, listing the valid ones."""
    scn = write_tiny(tmp_path)
    res = runner.invoke(app, ["procure", str(scn), "--loadouts", "huge",
                              "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "small, full" in res.output


def test_procure_prints_answer_and_writes_outputs(tmp_path: Path) -> None:
    """`procure` evaluates each option, prints the answer and writes figures and tables."""
    scn = write_tiny(tmp_path)
    out = tmp_path / "p"
    res = runner.invoke(app, ["procure", str(scn), "--max-units", "1", "--loadouts", "full",
                              "--replications", "2", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["options"]) == 1 and data["options"][0]["pareto"]
    for name in ("options.csv", "options.parquet", "saturation.csv", "saturation.parquet",
                 "pareto.png", "pareto.svg", "saturation.png", "saturation.svg",
                 "layout.png", "summary.json"):
        assert (out / name).is_file(), name


def test_help_has_examples() -> None:
    """Both commands document a copy-paste example."""
    for cmd in ("place", "procure"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and f"triumf {cmd} procurement" in res.output


def test_place_layout_yaml_is_a_valid_scenario_on_the_chosen_sites(tmp_path: Path) -> None:
    """`place` writes layout.yaml: it validates and has one battalion on each chosen site."""
    from triumf.scenario.load import load_scenario

    scn = write_tiny(tmp_path)
    out = tmp_path / "out"
    res = runner.invoke(app, ["place", str(scn), "--units", "1", "--replications", "0",
                              "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    chosen = json.loads(res.stdout)["sites"]
    sites = {r["site"]: r for r in _rows(out / "sites.csv")}
    layout, _ = load_scenario(str(out / "layout.yaml"))
    assert len(layout.battalions) == len(chosen)
    cp = layout.battalions[0].command_post.position
    site = sites[chosen[0]]
    assert float(cp.east_m) == pytest.approx(float(site["east_m"]))
    assert float(cp.north_m) == pytest.approx(float(site["north_m"]))
    check = runner.invoke(app, ["validate", str(out / "layout.yaml")])
    assert check.exit_code == 0, check.output


def _rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

"""`triumf coverage` and `triumf defended-area`: outputs, JSON, bad input and overwriting."""

import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()


def test_coverage_writes_figures_tables_and_summary(tmp_path):
    """coverage writes PNG/SVG figures, CSV/Parquet grid tables and a JSON summary."""
    out = tmp_path / "cov"
    res = runner.invoke(app, ["coverage", "demo", "--rcs", "1", "--altitude", "100",
                              "--grid", "21", "--extent-km", "80", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    names = {p.name for p in out.iterdir()}
    assert {"coverage.png", "coverage.svg", "coverage_cumulative.png", "coverage.csv",
            "coverage.parquet", "summary.json"} <= names
    table = pq.read_table(out / "coverage.parquet")
    assert table.num_rows == 21 * 21
    assert {"latitude_deg", "longitude_deg", "pd_network"} <= set(table.column_names)
    assert summary["area_km2"]["pd_0.5"] > 0.0


def test_coverage_refuses_to_overwrite_without_force(tmp_path):
    """An existing --out gives exit 2 with a hint; --force replaces it."""
    out = tmp_path / "cov"
    out.mkdir()
    args = ["coverage", "demo", "--grid", "5", "--extent-km", "20", "--out", str(out), "-q"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2
    assert "--force" in res.output
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0
    assert (out / "coverage.parquet").exists()


def test_defended_area_unknown_threat_exits_2_listing_valid_ones(tmp_path):
    """--threat with an unknown name is a clean exit 2 naming the valid threats."""
    res = runner.invoke(app, ["defended-area", "demo", "--threat", "zz9",
                              "--out", str(tmp_path / "d")])
    assert res.exit_code == 2
    assert "brahmos" in res.output and "zz9" in res.output
    assert "Traceback" not in res.output


def test_defended_area_writes_map_and_asset_verdicts(tmp_path):
    """defended-area writes its figure and grid and judges each asset against --pk."""
    out = tmp_path / "da"
    res = runner.invoke(app, ["defended-area", "ridge", "--threat", "babur", "--azimuth", "90",
                              "--pk", "0.5", "--grid", "5", "--extent-km", "20",
                              "--step-m", "2000", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert [a["name"] for a in summary["assets"]] == ["Selmar port"]
    assert all(a["defended"] == (a["p_intercept"] >= 0.5) for a in summary["assets"])
    assert {"defended_area.png", "defended_area.svg", "defended_area.csv",
            "defended_area.parquet"} <= {p.name for p in out.iterdir()}


def test_help_shows_a_copy_paste_example():
    """Both commands' --help carry an example line."""
    for cmd in ("coverage", "defended-area"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and f"triumf {cmd} " in res.output

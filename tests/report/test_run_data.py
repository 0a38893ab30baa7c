"""Reading run directories back: tables, campaign chunk folders, sites and clear errors."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import report_run_fixtures as fx
import yaml

from triumf.report.run_data import RunDirError, check_trajectories, load_run, static_sites


def test_campaign_chunk_folders(tmp_path):
    """outcomes/ and events/ folders of chunk files read as one table each."""
    d = tmp_path / "mc"
    (d / "outcomes").mkdir(parents=True)
    (d / "events").mkdir()
    (d / "scenario.yaml").write_text(fx.scenario_yaml(), encoding="utf-8")
    out, ev = fx.outcomes(), fx.events()
    pq.write_table(out.slice(0, 2), d / "outcomes" / "chunk-000.parquet")
    pq.write_table(out.slice(2), d / "outcomes" / "chunk-001.parquet")
    pq.write_table(ev.slice(0, 3), d / "events" / "chunk-000.parquet")
    pq.write_table(ev.slice(3), d / "events" / "chunk-001.parquet")
    run = load_run(d)
    assert run.outcomes.num_rows == out.num_rows
    assert run.events.num_rows == ev.num_rows
    assert run.trajectories is None


def test_sites_count_and_roles(tmp_path):
    """One site per asset, command post, radar and launcher of the scenario."""
    run = load_run(fx.make_run_dir(tmp_path))
    data = yaml.safe_load(fx.scenario_yaml())
    b = data["battalions"]
    want = len(data["assets"]) + sum(1 + len(x["radars"]) + len(x["fire_units"]) for x in b)
    sites = static_sites(run.scenario)
    assert len(sites) == want
    assert {s.role for s in sites} == {"asset", "command post", "radar", "launcher"}


def test_missing_directory():
    """A directory that does not exist: RunDirError telling how to make one."""
    with pytest.raises(RunDirError, match="no such run directory.*triumf run"):
        load_run("/nonexistent/run")


def test_trajectory_columns_checked():
    """A trajectory table without the agreed columns is refused, naming them."""
    with pytest.raises(RunDirError, match="missing columns.*lat_deg"):
        check_trajectories(pa.table({"replication": [0], "t_s": [0.0]}))

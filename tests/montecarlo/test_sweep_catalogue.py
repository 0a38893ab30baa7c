"""Sweeps (one table, an xarray Dataset) and the run catalogue (list, DuckDB query)."""

import pyarrow.parquet as pq
import pytest

from triumf.equipment.database import load_database
from triumf.montecarlo.campaign import run_campaign
from triumf.montecarlo.sweep import grid, run_sweep
from triumf.report.catalogue import list_runs, query


@pytest.fixture(scope="module")
def root(small, tmp_path_factory):
    """A catalogue root with two campaigns (2 and 1 replications)."""
    _, params, text = small
    base = tmp_path_factory.mktemp("runs")
    run_campaign(params, text, base / "camp", 2, 1, version="test")
    run_campaign(params, text, base / "other", 1, 1, version="test")
    return base


@pytest.fixture(scope="module")
def swept(small, tmp_path_factory):
    """A sweep of 2 points x 1 replication of 20 s."""
    scn, _, _ = small
    base = tmp_path_factory.mktemp("runs")
    short = scn.model_copy(update={"duration_s": 20.0})
    run_sweep(short, load_database(), {"doctrine.salvo_size": [1, 2]}, base / "sw", 1, 1)
    return base


def test_grid_is_the_cartesian_product():
    """Two values by three values give six points, the last parameter fastest."""
    g = grid({"a": [1, 2], "b": [3, 4, 5]})
    assert len(g) == 6 and g[0] == {"a": 1, "b": 3} and g[1] == {"a": 1, "b": 4}


def test_sweep_table_has_swept_column_per_point(swept):
    """sweep.parquet has one row per (point, replication) and the swept field as a column."""
    t = pq.read_table(swept / "sw" / "sweep.parquet")
    assert t.column("doctrine.salvo_size").to_pylist() == [1, 2]
    assert t.column("replication").to_pylist() == [0, 0]


def test_sweep_dataset_dims(swept):
    """The xarray Dataset has dims (replication, swept parameter)."""
    from triumf.montecarlo.sweep import sweep_dataset

    ds = sweep_dataset(pq.read_table(swept / "sw" / "sweep.parquet"), ["doctrine.salvo_size"])
    assert dict(ds.sizes) == {"replication": 1, "doctrine.salvo_size": 2}
    assert "leakers" in ds


def test_runs_lists_every_campaign(root):
    """The catalogue lists each campaign with hash, seed, version and replications."""
    runs = {r["run"]: r for r in list_runs(root)}
    assert set(runs) == {"camp", "other"}
    assert runs["camp"]["replications"] == 2 and runs["camp"]["version"] == "test"
    assert len(runs["camp"]["scenario_sha256"]) == 64


def test_runs_lists_sweep_points(swept):
    """Each sweep point is a run of the catalogue."""
    assert {r["run"] for r in list_runs(swept)} == {"sw/points/000", "sw/points/001"}


def test_query_counts_rows_across_runs(root):
    """SQL over the replications view sees every run's rows, with a run column."""
    t = query(root, "SELECT run, count(*) AS n FROM replications GROUP BY run ORDER BY run")
    assert t.to_pylist() == [{"run": "camp", "n": 2}, {"run": "other", "n": 1}]


def test_query_joins_runs_view(root):
    """The runs view joins to the tables by run."""
    t = query(root, "SELECT r.seed, count(*) AS n FROM outcomes o JOIN runs r USING (run) "
              "WHERE run = 'camp' GROUP BY r.seed")
    assert t.num_rows == 1

"""Recording from the command line: in-run and rerun recordings agree; 'triumf mc' records
only when asked."""

import dataclasses

import numpy as np
import pyarrow.parquet as pq
from report_scenario import compiled_small, write_small
from typer.testing import CliRunner

from triumf.cli import app
from triumf.commands.report import record_trajectories, run_recorded


def test_rerun_recording_equals_in_run_recording():
    """Recording replication 1 during a 2-replication batch or in a rerun: the same table."""
    scn, params = compiled_small()
    params = dataclasses.replace(params, duration_s=40.0)
    _, during = run_recorded(params, 2, [1], 1.0, scn.origin)
    again = record_trajectories(params, [1], 1.0, scn.origin)
    a, b = during["trajectories"], again["trajectories"]
    assert a.num_rows > 0 and a.schema == b.schema
    for name in a.column_names:  # NaN (a dead track's sigmas) compares equal to NaN here
        np.testing.assert_array_equal(a.column(name).to_numpy(zero_copy_only=False),
                                      b.column(name).to_numpy(zero_copy_only=False))


def test_mc_writes_trajectories_only_when_asked(tmp_path):
    """'triumf mc --record-replications 1' writes replication 1's trajectories; default: none."""
    scn = write_small(tmp_path, duration_s=40.0)
    out = tmp_path / "mc"
    res = CliRunner().invoke(app, ["mc", str(scn), "-n", "2", "--chunk", "2", "--out", str(out),
                                   "--quiet", "--json", "--record-replications", "1"])
    assert res.exit_code == 0, res.output
    reps = set(pq.read_table(out / "trajectories.parquet").column("replication").to_pylist())
    assert reps == {1}
    plain = tmp_path / "mc-plain"
    res = CliRunner().invoke(app, ["mc", str(scn), "-n", "1", "--chunk", "1", "--out",
                                   str(plain), "--quiet", "--json"])
    assert res.exit_code == 0, res.output
    assert not (plain / "trajectories.parquet").exists()


def test_recording_in_worker_chunks_equals_a_rerun_and_changes_no_outcome():
    """Chunks on 2 workers recording replications 0 and 2: the rerun's table, same outcomes."""
    from triumf.montecarlo.batch import merge, run_chunks, run_chunks_recorded

    scn, params = compiled_small()
    params = dataclasses.replace(params, duration_s=40.0)
    origin = (scn.origin.latitude_deg, scn.origin.longitude_deg, scn.origin.altitude_m)
    results, table = run_chunks_recorded(params, 3, 1, 2, [0, 2], 1.0, origin)
    plain = merge(run_chunks(params, 3, 1, 2))
    got = merge(results)
    assert np.array_equal(got.killed, plain.killed) and np.array_equal(got.leaked, plain.leaked)
    again = record_trajectories(params, [0, 2], 1.0, scn.origin)["trajectories"]
    assert table is not None and table.num_rows == again.num_rows > 0
    key = ["replication", "kind", "id", "t_s"]
    a = table.sort_by([(k, "ascending") for k in key])
    b = again.sort_by([(k, "ascending") for k in key])
    for name in a.column_names:  # exactly: a replication's state does not depend on its batch
        x = a.column(name).to_numpy(zero_copy_only=False)
        y = b.column(name).to_numpy(zero_copy_only=False)
        np.testing.assert_array_equal(x, y, err_msg=name)

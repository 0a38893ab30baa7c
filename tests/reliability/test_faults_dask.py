"""A Dask worker process killed mid-campaign is recovered with identical results.

A local cluster of two worker processes runs the campaign; after the first chunk arrives, the
test SIGKILLs one worker process while chunks are in flight on both. The nanny restarts it, the
scheduler reruns the lost chunks, and the tables equal those of a serial run exactly.
"""

import os
import signal

import pytest
from fault_helpers import tables
from invariant_scenarios import Spec, compile_spec, scenario_dict

from triumf.montecarlo.campaign import run_campaign
from triumf.montecarlo.runners import DaskRunner

N, CHUNK = 8, 1


@pytest.mark.slow
def test_killed_dask_worker_is_recovered_with_identical_tables(tmp_path):
    """SIGKILL one of two Dask workers mid-campaign: same tables as a serial run."""
    import yaml

    spec = Spec(duration_s=30.0)
    params = compile_spec(spec)
    text = yaml.safe_dump(scenario_dict(spec), sort_keys=False)
    run_campaign(params, text, tmp_path / "serial", N, CHUNK)

    runner = DaskRunner(workers=2, retries=2)
    killed: list[int] = []
    try:
        pids = sorted(runner.client.run(os.getpid).values())

        def kill_one(tally):
            if not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        run_campaign(params, text, tmp_path / "dask", N, CHUNK, runner=runner,
                     progress=kill_one)
        after = sorted(runner.client.run(os.getpid).values())
    finally:
        runner.close()
    assert killed and killed[0] not in after, "the worker was not killed and replaced"
    got, ref = tables(tmp_path / "dask"), tables(tmp_path / "serial")
    for name, table in ref.items():
        assert got[name].equals(table), name

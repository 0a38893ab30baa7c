"""A ``triumf mc`` campaign killed with SIGKILL resumes to the uninterrupted results.

Each case runs the CLI in a subprocess, kills it (at a random moment after some chunks are
written, or in the middle of a chosen file write), checks that every visible Parquet file
opens, resumes with ``--resume`` and compares the tables and the chunk files' bytes with an
uninterrupted run of the same campaign.
"""

import random
import shutil
import signal

import pytest
import yaml
from fault_helpers import (
    chunk_bytes,
    mc_args,
    run_killed_after,
    run_killed_mid_write,
    run_mc,
    tables,
    visible_files_open,
)
from invariant_scenarios import Spec, scenario_dict

N, CHUNK = 3, 1


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """One drone against one battalion, 20 s (detection and tracking; short to stay quick)."""
    path = tmp_path_factory.mktemp("faults") / "faults.yaml"
    path.write_text(yaml.safe_dump(scenario_dict(Spec(duration_s=20.0)), sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(scenario, tmp_path_factory):
    """The campaign run without interruption."""
    out = tmp_path_factory.mktemp("faults") / "ref"
    proc = run_mc(mc_args(scenario, out, N, CHUNK))
    assert proc.returncode == 0, proc.stderr
    return out


def _kill_after(scenario, out, chunks, extra_s):
    """Kill the campaign ``extra_s`` after ``chunks`` chunks; if it finished first, retry with
    no delay. Asserts the process really died by SIGKILL (else the test would prove nothing)."""
    for delay in (extra_s, 0.0):
        shutil.rmtree(out, ignore_errors=True)
        code = run_killed_after(mc_args(scenario, out, N, CHUNK), out, chunks, delay)
        if code == -signal.SIGKILL:
            return
    assert code == -signal.SIGKILL, f"the campaign ended with {code} before it could be killed"


def _resume_and_compare(out, reference):
    visible_files_open(out)
    proc = run_mc(["mc", "--resume", str(out), "--quiet", "--json"])
    assert proc.returncode == 0, proc.stderr
    assert not [p for p in out.rglob(".*.tmp-*")], "temporary files left after resume"
    got, ref = tables(out), tables(reference)
    for name, table in ref.items():
        assert got[name].equals(table), name
    assert chunk_bytes(out) == chunk_bytes(reference)


def _check_killed_mid_write(scenario, reference, tmp_path, write_number):
    out = tmp_path / "c"
    code = run_killed_mid_write(mc_args(scenario, out, N, CHUNK), write_number)
    assert code == -signal.SIGKILL
    assert list(out.rglob(".*.tmp-*")), "the kill should leave a half-written temporary file"
    _resume_and_compare(out, reference)


def test_killed_during_a_parquet_write_resumes_identical(scenario, reference, tmp_path):
    """SIGKILL half-way through chunk 1's outcomes file: resume gives identical files."""
    # writes: scenario.yaml, manifest, then 3 files per chunk: chunk 1 outcomes is write 6
    _check_killed_mid_write(scenario, reference, tmp_path, 6)


def test_killed_at_a_random_moment_resumes_identical(scenario, reference, tmp_path):
    """SIGKILL at a random moment after the first chunk: resume gives identical files."""
    out = tmp_path / "c"
    _kill_after(scenario, out, 1, random.Random(1).uniform(0.0, 0.5))
    _resume_and_compare(out, reference)


@pytest.mark.slow
@pytest.mark.parametrize("write_number", [1, 2])
def test_killed_before_the_manifest_exists_reruns_identical(scenario, reference, tmp_path,
                                                            write_number):
    """SIGKILL in the scenario copy or manifest write: the same command starts afresh."""
    out = tmp_path / "c"
    args = mc_args(scenario, out, N, CHUNK)
    assert run_killed_mid_write(args, write_number) == -signal.SIGKILL
    assert visible_files_open(out) == 0 and not (out / "manifest.json").exists()
    proc = run_mc(args)
    assert proc.returncode == 0, proc.stderr
    assert not [p for p in out.rglob(".*.tmp-*")], "temporary files left"
    assert chunk_bytes(out) == chunk_bytes(reference)


@pytest.mark.slow
@pytest.mark.parametrize("write_number", [3, 4, 5, 7, 8, 10])
def test_killed_during_any_write_resumes_identical(scenario, reference, tmp_path,
                                                   write_number):
    """SIGKILL inside any chunk file write (every table, the last chunk): identical."""
    _check_killed_mid_write(scenario, reference, tmp_path, write_number)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3, 4, 5])
def test_killed_at_random_moments_resumes_identical(scenario, reference, tmp_path, seed):
    """SIGKILL at random moments (several seeds of chunk count and delay): identical."""
    rnd = random.Random(seed)
    out = tmp_path / "c"
    _kill_after(scenario, out, rnd.randint(0, N - 1), rnd.uniform(0.0, 1.0))
    _resume_and_compare(out, reference)

"""Campaign tables are identical bit for bit whatever the chunking or an interruption."""

import shutil

import numpy as np
import pyarrow as pa
import pytest

from triumf.montecarlo import store
from triumf.montecarlo.campaign import run_campaign
from triumf.montecarlo.runners import DaskRunner
from triumf.sim.engine import run

N = 3


def _campaign(small, directory, chunk, **kw):
    _, params, text = small
    return run_campaign(params, text, directory, N, chunk, **kw)


def _plain(table):
    """Dictionary-encoded columns as plain strings (each chunk file has its own dictionary)."""
    cols = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(cols, names=table.column_names).combine_chunks()


def _tables(directory):
    return {t: _plain(store.read_table(directory, t)) for t in store.TABLES}


@pytest.fixture(scope="module")
def reference(small, tmp_path_factory):
    """The campaign in one chunk."""
    d = tmp_path_factory.mktemp("mc") / "one"
    _campaign(small, d, N)
    return d


def test_chunk_sizes_give_identical_tables(small, reference, tmp_path):
    """Chunks of 1 and 2 replications give the same tables as one chunk of all, exactly."""
    ref = _tables(reference)
    for chunk in (1, 2):
        got = _tables(_campaign(small, tmp_path / f"c{chunk}", chunk).directory)
        for name in store.TABLES:
            assert got[name].equals(ref[name]), (chunk, name)


def test_batch_equals_separate_runs_exactly(small):
    """Each replication's outcomes in a batch equal the same replication run alone."""
    _, params, _ = small
    batch = run(params, np.arange(3))
    for i in range(3):
        alone = run(params, np.arange(i, i + 1))
        for f in batch.outcomes.__dataclass_fields__:
            np.testing.assert_array_equal(getattr(batch.outcomes, f)[i],
                                          getattr(alone.outcomes, f)[0])


def test_resume_after_interruption_gives_identical_files(small, tmp_path):
    """Deleting chunk files (a crash) and resuming rewrites them byte for byte."""
    d = tmp_path / "c"
    _campaign(small, d, 1)
    before = {p.relative_to(d): p.read_bytes() for p in d.rglob("chunk-*.parquet")}
    store.chunk_path(d, "replications", 1).unlink()  # chunk 1 interrupted before its last file
    for t in store.TABLES:
        store.chunk_path(d, t, 2).unlink(missing_ok=True)  # chunk 2 never started
    res = _campaign(small, d, 1, resume=True)
    assert res.chunks_run == 2
    after = {p.relative_to(d): p.read_bytes() for p in d.rglob("chunk-*.parquet")}
    assert after == before


def test_resume_rejects_other_chunk_size(small, tmp_path):
    """Resuming with another chunk size is refused (the chunk files would not line up)."""
    d = tmp_path / "c"
    _campaign(small, d, 2)
    with pytest.raises(store.ManifestMismatchError, match="chunk"):
        _campaign(small, d, 1, resume=True)


def test_new_campaign_refuses_existing_directory(small, reference):
    """A new campaign never writes into an existing directory."""
    with pytest.raises(FileExistsError):
        _campaign(small, reference, N)


def test_until_halfwidth_stops_at_first_chunk_reaching_it(small, tmp_path):
    """With a half-width target every interval meets, the campaign stops after one chunk."""
    res = _campaign(small, tmp_path / "c", 1, until_halfwidth=0.5)
    assert res.stopped_early and res.summary["replications"] == 1
    assert sorted(store.complete_chunks(tmp_path / "c")) == [0]


@pytest.mark.slow
def test_two_dask_workers_give_identical_tables(small, reference, tmp_path):
    """Two local Dask worker processes give the same tables as one process, exactly."""
    runner = DaskRunner(workers=2)
    try:
        got = _tables(_campaign(small, tmp_path / "dask", 1, runner=runner).directory)
    finally:
        runner.close()
    ref = _tables(reference)
    for name in store.TABLES:
        assert got[name].equals(ref[name]), name
    shutil.rmtree(tmp_path / "dask")

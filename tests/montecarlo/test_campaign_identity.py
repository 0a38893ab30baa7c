"""Campaign tables are identical bit for bit whatever the chunking, the workers or a resume."""

import shutil

import pyarrow as pa
import pytest

from triumf.montecarlo import store
from triumf.montecarlo.campaign import run_campaign
from triumf.montecarlo.runners import DaskRunner

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
def one_chunk(small, tmp_path_factory):
    """The campaign as one chunk of all replications."""
    d = tmp_path_factory.mktemp("mc") / "one"
    _campaign(small, d, N)
    return d


@pytest.fixture(scope="module")
def per_replication(small, tmp_path_factory):
    """The campaign in chunks of one replication."""
    d = tmp_path_factory.mktemp("mc") / "per-rep"
    _campaign(small, d, 1)
    return d


def test_chunk_sizes_give_identical_tables(one_chunk, per_replication):
    """Chunks of one replication give the same tables as one chunk of all, exactly."""
    ref, got = _tables(one_chunk), _tables(per_replication)
    for name in store.TABLES:
        assert got[name].equals(ref[name]), name


def test_resume_after_interruption_gives_identical_files(small, per_replication, tmp_path):
    """Deleting chunk files (a crash) and resuming rewrites them byte for byte."""
    d = tmp_path / "c"
    shutil.copytree(per_replication, d)
    before = {p.relative_to(d): p.read_bytes() for p in d.rglob("chunk-*.parquet")}
    store.chunk_path(d, "replications", 1).unlink()  # chunk 1 interrupted before its last file
    for t in store.TABLES:
        store.chunk_path(d, t, 2).unlink()  # chunk 2 never started
    res = _campaign(small, d, 1, resume=True)
    assert res.chunks_run == 2
    after = {p.relative_to(d): p.read_bytes() for p in d.rglob("chunk-*.parquet")}
    assert after == before


def test_resumed_summary_equals_uninterrupted(small, per_replication, tmp_path):
    """A resume that finds every chunk on disk gives the uninterrupted summary."""
    import json

    d = tmp_path / "c"
    shutil.copytree(per_replication, d)
    first = json.loads((d / "summary.json").read_text())
    res = _campaign(small, d, 1, resume=True)
    assert res.chunks_run == 0
    for key in ("leak_probability", "kills", "interceptors_spent_total", "leak_causes"):
        assert res.summary[key] == first[key], key


def test_resume_rejects_other_chunk_size(small, per_replication, tmp_path):
    """Resuming with another chunk size is refused (the chunk files would not line up)."""
    d = tmp_path / "c"
    shutil.copytree(per_replication, d)
    with pytest.raises(store.ManifestMismatchError, match="chunk"):
        _campaign(small, d, 2, resume=True)


def test_new_campaign_refuses_existing_directory(small, one_chunk):
    """A new campaign never writes into an existing directory."""
    with pytest.raises(FileExistsError):
        _campaign(small, one_chunk, N)


def test_until_halfwidth_stops_at_first_chunk_reaching_it(small, tmp_path):
    """With a half-width target every interval meets, the campaign stops after one chunk."""
    res = _campaign(small, tmp_path / "c", 1, until_halfwidth=0.5)
    assert res.stopped_early and res.summary["replications"] == 1
    assert sorted(store.complete_chunks(tmp_path / "c")) == [0]


@pytest.mark.slow
def test_two_dask_workers_give_identical_tables(small, one_chunk, tmp_path):
    """Two local Dask worker processes give the same tables as one process, exactly."""
    runner = DaskRunner(workers=2)
    try:
        got = _tables(_campaign(small, tmp_path / "dask", 1, runner=runner).directory)
    finally:
        runner.close()
    ref = _tables(one_chunk)
    for name in store.TABLES:
        assert got[name].equals(ref[name]), name

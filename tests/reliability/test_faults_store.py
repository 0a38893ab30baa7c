"""What a crash leaves in a campaign directory is recognised and cleaned (no subprocess)."""

from triumf.montecarlo import store


def _abandoned(tmp_path):
    d = tmp_path / "c"
    store.prepare(d)
    (d / "scenario.yaml").write_text("name: x\n")
    (d / ".manifest.json.tmp-123").write_bytes(b"{\"scen")
    (d / "outcomes" / ".chunk-000000.parquet.tmp-123").write_bytes(b"PAR1")
    return d


def test_start_killed_before_manifest_is_abandoned(tmp_path):
    """Empty table folders and temporary files only: an abandoned start."""
    assert store.is_abandoned_start(_abandoned(tmp_path))


def test_directory_with_results_is_not_abandoned(tmp_path):
    """A finished chunk file (or any user file) makes the directory not abandoned."""
    d = _abandoned(tmp_path)
    (d / "outcomes" / "chunk-000000.parquet").write_bytes(b"PAR1")
    assert not store.is_abandoned_start(d)
    e = _abandoned(tmp_path / "e")
    (e / "notes.txt").write_text("mine")
    assert not store.is_abandoned_start(e)


def test_directory_with_manifest_is_not_abandoned(tmp_path):
    """A directory with a manifest is a campaign, to be resumed, never restarted."""
    d = _abandoned(tmp_path)
    (d / "manifest.json").write_text("{}")
    assert not store.is_abandoned_start(d)


def test_temporary_files_are_removed_everywhere(tmp_path):
    """Temporary files at the top and in the table folders are deleted, nothing else."""
    d = _abandoned(tmp_path)
    (d / "manifest.json").write_text("{}")
    store.remove_temporary_files(d)
    left = sorted(p.name for p in d.rglob("*") if p.is_file())
    assert left == ["manifest.json", "scenario.yaml"]

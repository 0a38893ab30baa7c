"""Atomic output writer: modes follow the umask, nothing half written, existing outputs kept."""

from __future__ import annotations

import os
import stat

import pytest

from triumf.core.atomic_io import OutputExistsError, atomic_dir, write_atomic


@pytest.fixture(params=[0o022, 0o027, 0o002])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_written_file_has_the_mode_of_a_plain_open(tmp_path, umask):
    """A file from write_atomic has the mode open() would give it (0666 minus the umask)."""
    ours = write_atomic(tmp_path / "a.txt", "x")
    (tmp_path / "plain.txt").write_text("x")
    assert _mode(ours) == _mode(tmp_path / "plain.txt") == 0o666 & ~umask


def test_written_directory_has_the_mode_of_a_plain_mkdir(tmp_path, umask):
    """A directory from atomic_dir has the mode mkdir() would give it (0777 minus the umask)."""
    with atomic_dir(tmp_path / "d") as tmp:
        (tmp / "f").write_text("x")
    (tmp_path / "plain").mkdir()
    assert _mode(tmp_path / "d") == _mode(tmp_path / "plain") == 0o777 & ~umask


def test_failed_block_leaves_nothing(tmp_path):
    """An exception inside the block removes the temporary directory; no output appears."""
    with pytest.raises(RuntimeError), atomic_dir(tmp_path / "d") as tmp:
        (tmp / "f").write_text("x")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_directory_appearing_during_the_block_is_refused(tmp_path):
    """An output directory created while the block runs is kept and the new one dropped."""
    target = tmp_path / "d"
    with pytest.raises(OutputExistsError, match="--force"), atomic_dir(target) as tmp:
        (tmp / "new").write_text("x")
        target.mkdir()
        (target / "old").write_text("keep")
    assert [p.name for p in target.iterdir()] == ["old"]
    assert [p.name for p in tmp_path.iterdir()] == ["d"]


def test_force_replaces_an_existing_directory_whole(tmp_path):
    """With force the old directory's files are gone and only the new ones remain."""
    target = tmp_path / "d"
    target.mkdir()
    (target / "old").write_text("x")
    with atomic_dir(target, force=True) as tmp:
        (tmp / "new").write_text("y")
    assert [p.name for p in target.iterdir()] == ["new"]
    assert [p.name for p in tmp_path.iterdir()] == ["d"]


def test_existing_file_is_kept_without_force(tmp_path):
    """write_atomic refuses an existing file without force and leaves it unchanged."""
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(OutputExistsError):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert write_atomic(path, b"new", force=True).read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]

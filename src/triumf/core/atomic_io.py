"""Atomic output: files and directories written through a temporary sibling, then renamed.

This is the one place in triumf that writes outputs atomically. It lives in ``core`` (the
lowest package, importing nothing else of triumf) so that every writer above it (``report``,
``commands``, ``cli``) shares it; ``core`` otherwise does no file IO, and this module only ever
writes where its caller says.

Temporary files and directories from :mod:`tempfile` are private (0600 / 0700); the results
here are given the permissions of a normally created file or directory under the current umask
(typically 0644 / 0755), so a run directory, a figure and a report all look alike.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["OutputExistsError", "atomic_dir", "check_dir_free", "check_free", "current_umask",
           "write_atomic"]


class OutputExistsError(Exception):
    """The output exists and overwriting was not allowed (or it is of the wrong kind)."""


def current_umask() -> int:
    """The process umask (read by setting it and restoring it at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _normal_mode(path: str | Path, directory: bool) -> None:
    """Give ``path`` the mode a plain ``open``/``mkdir`` would have: 0666/0777 minus umask."""
    os.chmod(path, (0o777 if directory else 0o666) & ~current_umask())


def check_free(path: Path, force: bool) -> None:
    """Raise OutputExistsError if file ``path`` exists and ``force`` is not set, or if it is a
    directory."""
    if path.exists() and not force:
        raise OutputExistsError(f"{path} already exists; choose another -o or add --force "
                                "to replace it")
    if path.exists() and path.is_dir():
        raise OutputExistsError(f"{path} is a directory; give a file name")


def write_atomic(path: str | Path, data: str | bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    A reader never sees a half-written file, and an interrupted write leaves the old file (if
    any) in place and no temporary file behind.

    Parameters
    ----------
    path : str or Path
    data : str or bytes
        Text is written as UTF-8.
    force : bool
        Replace an existing file.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    OutputExistsError
        ``path`` exists and ``force`` is False, or ``path`` is a directory.
    """
    path = Path(path)
    check_free(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        _normal_mode(tmp, directory=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def atomic_dir(out: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary sibling directory that becomes ``out`` when the block ends cleanly.

    On any exception (including ``KeyboardInterrupt`` and ``SystemExit``) the temporary
    directory is removed and ``out`` is left as it was. An existing ``out`` is replaced only
    when ``force``; it is first renamed aside, so ``out`` is never missing while the new one is
    incomplete. Existence is checked both before the block and again when renaming, so a
    directory that appears while the block runs is refused the same way.

    Parameters
    ----------
    out : str or Path
        Target directory; must not exist unless ``force``.
    force : bool
        Replace an existing directory (only once the new one is complete).

    Raises
    ------
    OutputExistsError
        ``out`` exists and ``force`` is False, or ``out`` exists and is not a directory.
    """
    out = Path(out)
    check_dir_free(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        _normal_mode(tmp, directory=True)
        yield tmp
        check_dir_free(out, force)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            old.rmdir()
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_dir_free(out: Path, force: bool) -> None:
    """Raise OutputExistsError if directory ``out`` exists and ``force`` is not set, or if it
    is a file."""
    if out.exists() and not force:
        raise OutputExistsError(
            f"{out} already exists; choose another --out or add --force to replace it")
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"{out} exists and is not a directory")

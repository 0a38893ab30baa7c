"""Atomic file writes for exports and figures: a temporary sibling renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from triumf.report.run_dir import OutputExistsError

__all__ = ["OutputExistsError", "check_free", "write_atomic"]


def check_free(path: Path, force: bool) -> None:
    """Raise OutputExistsError if ``path`` exists and ``force`` is not set."""
    if path.exists() and not force:
        raise OutputExistsError(f"{path} already exists; choose another -o or add --force "
                                "to replace it")
    if path.exists() and path.is_dir():
        raise OutputExistsError(f"{path} is a directory; give a file name")


def write_atomic(path: str | Path, data: str | bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory.

    A reader never sees a half-written file, and an interrupted write leaves the old file (if
    any) in place.

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
    """
    path = Path(path)
    check_free(path, force)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path

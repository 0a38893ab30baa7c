"""The run directory: resolved scenario, events, outcomes and summary, written atomically.

Everything is written into a temporary sibling directory first and renamed into place at the
end, so an interrupted or failed run never leaves a half-written directory, and an existing run
is replaced only when the caller allows it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


class OutputExistsError(Exception):
    """The output directory exists and overwriting was not allowed."""


def write_run_dir(
    out: Path,
    resolved_yaml: str,
    events: pa.Table,
    outcomes: pa.Table,
    summary: dict[str, Any],
    force: bool = False,
    tables: dict[str, pa.Table] | None = None,
) -> Path:
    """Write a run directory.

    Parameters
    ----------
    out : Path
        Target directory; must not exist unless ``force``.
    resolved_yaml : str
        The scenario with defaults and seed filled in.
    force : bool
        Replace an existing directory (only once the new one is complete).
    tables : dict of str to pyarrow.Table, optional
        More tables to write, by file stem (e.g. ``{"trajectories": table}``).

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    if out.exists() and not force:
        raise OutputExistsError(
            f"{out} already exists; choose another --out or add --force to replace it")
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"{out} exists and is not a directory")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "scenario.yaml").write_text(resolved_yaml, encoding="utf-8")
        pq.write_table(events, tmp / "events.parquet")
        pq.write_table(outcomes, tmp / "outcomes.parquet")
        for stem, table in (tables or {}).items():
            pq.write_table(table, tmp / f"{stem}.parquet")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n",
                                          encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out

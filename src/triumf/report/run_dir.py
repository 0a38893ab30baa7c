"""The run directory: resolved scenario, events, outcomes and summary, written atomically.

Everything is written into a temporary sibling directory first and renamed into place at the
end, so an interrupted or failed run never leaves a half-written directory, and an existing run
is replaced only when the caller allows it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from triumf.core.atomic_io import OutputExistsError, atomic_dir

__all__ = ["OutputExistsError", "write_run_dir"]




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
    with atomic_dir(out, force) as tmp:
        (tmp / "scenario.yaml").write_text(resolved_yaml, encoding="utf-8")
        pq.write_table(events, tmp / "events.parquet")
        pq.write_table(outcomes, tmp / "outcomes.parquet")
        for stem, table in (tables or {}).items():
            pq.write_table(table, tmp / f"{stem}.parquet")
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n",
                                          encoding="utf-8")
    return Path(out)

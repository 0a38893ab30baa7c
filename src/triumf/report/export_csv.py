"""CSV export of a run's events and outcomes (for spreadsheets and other tools).

``events.csv`` has one row per event (``kind`` and ``reason`` as names, e.g. ``fire_order``,
``no_fire`` / ``out_of_range``; fire unit and missile by name); ``outcomes.csv`` one row per
replication and threat. Empty cells are missing values. Fields are quoted where needed
(RFC 4180, via :mod:`csv`), so names with commas, quotes or line breaks survive.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pyarrow as pa

from triumf.report.atomic import check_free, write_atomic
from triumf.report.run_data import RunData

__all__ = ["csv_text", "write_csv"]


def _cell(v: object) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return v


def csv_text(table: pa.Table) -> str:
    """A table as CSV text with a header row (dictionary columns decoded to names)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.column_names)
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    for row in zip(*cols, strict=True):
        w.writerow([_cell(v) for v in row])
    return buf.getvalue()


def write_csv(run: RunData, directory: str | Path, force: bool = False) -> list[Path]:
    """Write ``events.csv`` and ``outcomes.csv`` into ``directory`` (atomically each).

    Both files are checked before either is written, so a refused overwrite writes nothing.

    Returns
    -------
    list of Path
        The two files written.
    """
    directory = Path(directory)
    paths = [directory / "events.csv", directory / "outcomes.csv"]
    for p in paths:
        check_free(p, force)
    write_atomic(paths[0], csv_text(run.events), force=force)
    write_atomic(paths[1], csv_text(run.outcomes), force=force)
    return paths

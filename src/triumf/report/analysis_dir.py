"""Output directories of the analysis commands: grid tables (CSV and Parquet), summary and
figures, written into a temporary sibling and renamed into place (never half written; an
existing directory replaced only when allowed)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from triumf.report.run_dir import OutputExistsError

__all__ = ["analysis_dir", "grid_table", "write_grid", "write_summary"]


@contextmanager
def analysis_dir(out: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary directory that becomes ``out`` when the block ends without error.

    Parameters
    ----------
    out : Path
        Target directory; must not exist unless ``force``.
    force : bool
        Replace an existing directory (only once the new one is complete).

    Raises
    ------
    OutputExistsError
        ``out`` exists and ``force`` is False, or ``out`` is a file.
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
        yield tmp
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


def grid_table(east_m: NDArray[np.float64], north_m: NDArray[np.float64],
               columns: dict[str, NDArray[Any]],
               to_geodetic: Callable[[NDArray[np.float64], NDArray[np.float64]],
                                     tuple[NDArray[np.float64], NDArray[np.float64]]]
               | None = None) -> pa.Table:
    """One row per grid node: map east/north, optional latitude/longitude, then ``columns``.

    Parameters
    ----------
    east_m : ndarray, shape (Nx,), metres
    north_m : ndarray, shape (Ny,), metres
    columns : dict of str -> ndarray, shape (Ny, Nx)
    to_geodetic : callable, optional
        ``(east, north) -> (latitude_deg, longitude_deg)`` on arrays of shape (Ny, Nx).

    Returns
    -------
    pyarrow.Table
    """
    ee, nn = np.meshgrid(east_m, north_m)
    data: dict[str, Any] = {"east_m": ee.ravel(), "north_m": nn.ravel()}
    if to_geodetic is not None:
        lat, lon = to_geodetic(ee, nn)
        data["latitude_deg"] = np.asarray(lat).ravel()
        data["longitude_deg"] = np.asarray(lon).ravel()
    for name, col in columns.items():
        data[name] = np.asarray(col).ravel()
    return pa.table(data)


def write_grid(table: pa.Table, directory: Path, stem: str) -> list[Path]:
    """Write ``stem.csv`` and ``stem.parquet``; return their paths."""
    csv_path, pq_path = directory / f"{stem}.csv", directory / f"{stem}.parquet"
    pacsv.write_csv(table, csv_path)
    pq.write_table(table, pq_path)
    return [csv_path, pq_path]


def write_summary(summary: dict[str, Any], directory: Path) -> Path:
    """Write ``summary.json``."""
    path = directory / "summary.json"
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path

"""Output directories of the analysis commands: grid tables (CSV and Parquet), summary and
figures, written into a temporary sibling and renamed into place (never half written; an
existing directory replaced only when allowed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from triumf.core.atomic_io import atomic_dir

__all__ = ["analysis_dir", "grid_table", "write_grid", "write_summary"]


analysis_dir = atomic_dir
"""The output directory of an analysis command, written atomically
(:func:`triumf.core.atomic_io.atomic_dir`)."""


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


def write_grid(table: pa.Table | list[dict[str, Any]], directory: Path, stem: str
               ) -> list[Path]:
    """Write a table as ``stem.csv`` and ``stem.parquet``; return their paths.

    Parameters
    ----------
    table : pyarrow.Table or list of dict
        The table, or its rows (one dict per row, same keys).
    directory : Path
    stem : str
        File name without suffix.
    """
    if not isinstance(table, pa.Table):
        table = pa.Table.from_pylist(table)
    csv_path, pq_path = directory / f"{stem}.csv", directory / f"{stem}.parquet"
    pacsv.write_csv(table, csv_path)
    pq.write_table(table, pq_path)
    return [csv_path, pq_path]


def write_summary(summary: dict[str, Any], directory: Path) -> Path:
    """Write ``summary.json``."""
    path = directory / "summary.json"
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path

"""The sensitivity output directory, written atomically.

Contents::

    indices.csv / indices.parquet       one row per (output, parameter): the indices
    ranking.csv                         parameters by influence on expected leakers
    design.csv / design.parquet         one row per design point: values and outputs
    parameters.csv                      the parameters: nominal value, bounds, unit, source
    sensitivity.png / sensitivity.svg   the figure
    summary.json                        method, sizes, seed, replications, top parameters

Everything is written into a temporary sibling directory and renamed into place at the end, so
an interrupted run never leaves a half-written directory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from triumf.analysis.sensitivity import SensitivityResult, ranking
from triumf.analysis.sensitivity_params import Parameter
from triumf.report.figures_sensitivity import plot_sensitivity

__all__ = ["parameters_table", "write_sensitivity_dir"]


def parameters_table(parameters: Sequence[Parameter]) -> pa.Table:
    """One row per parameter: name, kind, system, figure, value, low, high, unit, integer,
    source."""
    keys = ("name", "kind", "system", "figure", "value", "low", "high", "unit", "integer",
            "source")
    return pa.table({k: [getattr(p, k) for p in parameters] for k in keys})


def write_sensitivity_dir(out: Path, result: SensitivityResult,
                          parameters: Sequence[Parameter], summary: dict[str, Any],
                          title: str) -> Path:
    """Write the tables, the figure and ``summary.json`` into ``out`` (must not exist).

    Raises
    ------
    FileExistsError
        When ``out`` exists.
    """
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} already exists; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, table in (("indices", result.indices), ("design", result.design_table())):
            pq.write_table(table, tmp / f"{name}.parquet")
            pacsv.write_csv(table, tmp / f"{name}.csv")
        pacsv.write_csv(ranking(result.indices, result.outputs[0]), tmp / "ranking.csv")
        pacsv.write_csv(parameters_table(parameters), tmp / "parameters.csv")
        fig = plot_sensitivity(result.indices, result.method, result.outputs, title)
        try:
            fig.savefig(tmp / "sensitivity.png", dpi=130)
            fig.savefig(tmp / "sensitivity.svg")
        finally:
            plt.close(fig)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2) + "\n",
                                          encoding="utf-8")
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out

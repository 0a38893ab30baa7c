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

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from triumf.analysis.sensitivity import SensitivityResult, ranking
from triumf.analysis.sensitivity_params import Parameter
from triumf.core.atomic_io import atomic_dir
from triumf.report.analysis_dir import write_grid, write_summary
from triumf.report.figures_save import save_figure
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
                          title: str, force: bool = False) -> Path:
    """Write the tables, the figure and ``summary.json`` into ``out`` atomically.

    Parameters
    ----------
    force : bool
        Replace an existing ``out`` (only once the new one is complete).

    Raises
    ------
    OutputExistsError
        When ``out`` exists and ``force`` is False, or ``out`` is a file.
    """
    with atomic_dir(out, force) as tmp:
        write_grid(result.indices, tmp, "indices")
        write_grid(result.design_table(), tmp, "design")
        pacsv.write_csv(ranking(result.indices, result.outputs[0]), tmp / "ranking.csv")
        pacsv.write_csv(parameters_table(parameters), tmp / "parameters.csv")
        save_figure(plot_sensitivity(result.indices, result.method, result.outputs, title),
                    tmp / "sensitivity", dpi=130)
        write_summary(summary, tmp)
    return Path(out)

"""Parameter sweeps: a campaign per point of a grid of scenario overrides.

Every point runs the same replication indices with the same seed (common random numbers
across the grid). The result is one table, one row per (point, replication), with the swept
parameters as columns; `sweep_dataset` turns it into an xarray Dataset with dimensions
(replication, one per swept parameter).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from triumf.equipment.database import EquipmentDatabase
from triumf.montecarlo import DEFAULT_CHUNK, store
from triumf.montecarlo.campaign import run_campaign
from triumf.montecarlo.runners import Runner
from triumf.montecarlo.tally import Tally
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import dump_resolved
from triumf.scenario.overrides import apply_overrides
from triumf.scenario.schema import Scenario


@dataclass
class SweepResult:
    """A finished sweep.

    Attributes
    ----------
    directory : Path
    table : pyarrow.Table
        One row per (point, replication): swept parameters, then the replications-table columns.
    swept : list of str
        Swept parameter paths (the first columns of ``table``).
    points : list of dict
        Each point's overrides and summary highlights.
    """

    directory: Path
    table: pa.Table
    swept: list[str]
    points: list[dict[str, Any]]

    def to_xarray(self) -> Any:
        """The table as an xarray Dataset (see `sweep_dataset`)."""
        return sweep_dataset(self.table, self.swept)


def grid(sets: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of the swept values, the last parameter varying fastest."""
    names = list(sets)
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*sets.values())]


def run_sweep(
    scenario: Scenario,
    db: EquipmentDatabase,
    sets: dict[str, list[Any]],
    directory: Path,
    replications: int,
    chunk: int = DEFAULT_CHUNK,
    *,
    runner: Runner | None = None,
    version: str = "",
    progress: Callable[[int, Tally], None] | None = None,
) -> SweepResult:
    """Run a campaign for each grid point into ``directory/points/NNN`` and join the tables.

    Every combination of the overrides is applied, validated and compiled before anything
    runs: a value that is bad alone or only together with another fails at once, with a
    ScenarioError naming the combination (``--set a=1 b=2``) and the field.
    Writes ``directory/sweep.parquet``.
    """
    points = grid(sets)
    scenarios = [apply_overrides(scenario, p) for p in points]
    compiled = [compile_scenario(scn, db) for scn in scenarios]
    directory = Path(directory)
    if directory.exists():
        raise FileExistsError(f"{directory} already exists; choose another --out")
    tables, info = [], []
    for n, (point, scn, params) in enumerate(zip(points, scenarios, compiled, strict=True)):
        report: Callable[[Tally], None] | None = None
        if progress is not None:
            def report(t: Tally, n: int = n) -> None:
                assert progress is not None
                progress(n, t)
        res = run_campaign(
            params, dump_resolved(scn), directory / "points" / f"{n:03d}", replications, chunk,
            runner=runner, version=version, kind="sweep-point", progress=report)
        t = store.read_table(res.directory, "replications")
        for i, (k, v) in enumerate(point.items()):
            t = t.add_column(i, k, pa.array([v] * t.num_rows))
        tables.append(t)
        info.append({"point": n, "set": point,
                     "leak_probability": res.summary["leak_probability"],
                     "interceptors_spent_total": res.summary["interceptors_spent_total"]})
    table = pa.concat_tables(tables, promote_options="permissive")
    store.write_table_atomic(directory / "sweep.parquet", table)
    return SweepResult(directory, table, list(sets), info)


def sweep_dataset(table: pa.Table, swept: list[str]) -> Any:
    """xarray Dataset with dims (replication, *swept) of every other numeric column.

    Needs the optional dependency xarray (``pip install triumf[xarray]``).
    """
    try:
        import xarray as xr
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("sweep_dataset needs xarray: pip install 'triumf[xarray]'") from exc
    reps = np.unique(table.column("replication").to_numpy())
    coords: dict[str, Any] = {"replication": reps}
    index = [np.searchsorted(reps, table.column("replication").to_numpy())]
    for name in swept:
        values = table.column(name).to_pylist()
        levels = list(dict.fromkeys(values))
        coords[name] = levels
        lookup = {v: i for i, v in enumerate(levels)}
        index.append(np.array([lookup[v] for v in values]))
    shape = tuple(len(c) for c in coords.values())
    data = {}
    for col in table.column_names:
        if col in swept or col == "replication":
            continue
        arr = table.column(col).to_numpy()
        if arr.dtype.kind not in "biuf":
            continue
        full = np.full(shape, np.nan)
        full[tuple(index)] = arr
        data[col] = (tuple(coords), full)
    return xr.Dataset(data, coords=coords)

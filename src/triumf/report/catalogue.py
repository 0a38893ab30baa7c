"""The run catalogue: every run directory under one root, and SQL over all their tables.

A root (default ``./runs``) holds run directories written by ``triumf run`` (one Parquet file
per table), ``triumf mc`` (one file per chunk and table, plus ``manifest.json``) and
``triumf sweep`` (one campaign per grid point under ``points/``, plus ``sweep.parquet``).
`query` runs DuckDB with one view per table over all of them, with a ``run`` column naming
the run directory (relative to the root).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pyarrow as pa

TABLE_NAMES = ("outcomes", "events", "replications")


def _run_dirs(root: Path) -> list[Path]:
    """Directories under ``root`` holding a run (manifest.json or summary.json)."""
    found = []
    for p in sorted(Path(root).rglob("*")):
        if p.name in ("manifest.json", "summary.json") and p.is_file():
            if any(part.startswith(".") for part in p.relative_to(root).parts):
                continue
            if p.parent not in found:
                found.append(p.parent)
    return found


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; ``{}`` when the file is unreadable, not JSON or not an object
    (a damaged run is listed with blanks rather than stopping the listing)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: Any) -> int:
    """``value`` as an int, 0 when it is not a whole number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def list_runs(root: Path) -> list[dict[str, Any]]:
    """One record per run: run, kind, scenario, scenario_sha256, seed, version, replications,
    replications_requested, created."""
    root = Path(root)
    rows = []
    for d in _run_dirs(root):
        rec: dict[str, Any] = {"run": str(d.relative_to(root))}
        summary: dict[str, Any] = {}
        if (d / "summary.json").is_file():
            summary = _read_json(d / "summary.json")
        if (d / "manifest.json").is_file():
            m = _read_json(d / "manifest.json")
            rec.update(kind=m.get("kind", "mc"), scenario=m.get("scenario"),
                       scenario_sha256=m.get("scenario_sha256"), seed=m.get("seed"),
                       version=m.get("version"), replications_requested=m.get("replications"),
                       created=m.get("created"))
            done = len(list((d / "replications").glob("chunk-*.parquet")))
            rec["replications"] = summary.get("replications",
                                              min(done * _int(m.get("chunk")),
                                                  _int(m.get("replications"))))
        else:
            yaml_path = d / "scenario.yaml"
            sha = (hashlib.sha256(yaml_path.read_bytes()).hexdigest()
                   if yaml_path.is_file() else None)
            created = d.stat().st_mtime
            from datetime import datetime

            rec.update(kind="run", scenario=summary.get("scenario"), scenario_sha256=sha,
                       seed=summary.get("seed"), version=summary.get("version"),
                       replications_requested=summary.get("replications"),
                       created=datetime.fromtimestamp(created, UTC)
                       .isoformat(timespec="seconds"),
                       replications=summary.get("replications"))
        rows.append(_typed(rec))
    return rows


_INT_FIELDS = ("seed", "replications", "replications_requested")


def _typed(rec: dict[str, Any]) -> dict[str, Any]:
    """One type per column whatever a damaged manifest holds: whole numbers or None for the
    counts and the seed, text or None for the rest."""
    return {k: (v if isinstance(v, int) and not isinstance(v, bool) and -2**63 <= v < 2**63
                else None)
            if k in _INT_FIELDS else (None if v is None else str(v)) for k, v in rec.items()}


def _files(root: Path, run: Path, table: str) -> list[str]:
    single = run / f"{table}.parquet"
    files = sorted((run / table).glob("chunk-*.parquet"))
    if single.is_file():
        files.insert(0, single)
    return [str(f) for f in files]


def query(root: Path, sql: str) -> pa.Table:
    """Run ``sql`` in DuckDB over every run under ``root``.

    Views: ``outcomes``, ``events``, ``replications`` (each with a ``run`` column), ``runs``
    (the catalogue, `list_runs`) and ``sweeps`` (every ``sweep.parquet``, with ``run``).

    Raises
    ------
    duckdb.Error
        For SQL errors (the message says what is wrong).
    """
    import duckdb

    root = Path(root)
    con = duckdb.connect()
    runs = list_runs(root)
    con.register("_runs", pa.Table.from_pylist(runs) if runs else pa.table(
        {"run": pa.array([], pa.string())}))
    con.execute("CREATE VIEW runs AS SELECT * FROM _runs")
    dirs = [root / r["run"] for r in runs]

    def lit(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    for table in TABLE_NAMES:
        parts = []
        for d in dirs:
            files = _files(root, d, table)
            if files:
                parts.append(f"SELECT {lit(str(d.relative_to(root)))} AS run, * FROM "
                             f"read_parquet([{', '.join(lit(f) for f in files)}], "
                             f"union_by_name = true)")
        body = " UNION ALL BY NAME ".join(parts) if parts else "SELECT NULL::VARCHAR AS run LIMIT 0"
        con.execute(f"CREATE VIEW {table} AS {body}")
    sweeps = sorted(root.rglob("sweep.parquet"))
    parts = [f"SELECT {lit(str(p.parent.relative_to(root)))} AS run, * FROM "
             f"read_parquet({lit(str(p))})" for p in sweeps]
    body = " UNION ALL BY NAME ".join(parts) if parts else "SELECT NULL::VARCHAR AS run LIMIT 0"
    con.execute(f"CREATE VIEW sweeps AS {body}")
    rel = con.sql(sql)
    if rel is None:  # a statement that returns no rows (e.g. a comment only)
        raise duckdb.InvalidInputException("the statement returns no result; give a query")
    return rel.to_arrow_table()

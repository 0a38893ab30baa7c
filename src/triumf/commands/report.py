"""``triumf report``: the one-file HTML report of a run directory, and the recording that
``triumf run`` does for its replay."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from triumf.commands.common import err, fail, out

__all__ = ["parse_replications", "record_trajectories", "register", "run_recorded",
           "write_trajectories"]


def parse_replications(text: str, replications: int) -> list[int]:
    """``--record-replications``: ``none``, ``all`` or a comma list such as ``0,5,7``.

    Exits 2 with a plain message on anything else or on indices outside ``0..N-1``.
    """
    t = text.strip().lower()
    if t in ("none", ""):
        return []
    if t == "all":
        return list(range(replications))
    try:
        reps = sorted({int(x) for x in t.split(",") if x.strip()})
    except ValueError:
        fail(f"--record-replications: {text!r} is not valid; give 'none', 'all' or indices "
             f"such as '0' or '0,3'")
    bad = [r for r in reps if not 0 <= r < replications]
    if bad:
        fail(f"--record-replications: replication {bad[0]} does not exist; this run has "
             f"0..{replications - 1}")
    return reps


def _origin(origin: Any) -> tuple[float, float, float]:
    return (origin.latitude_deg, origin.longitude_deg, origin.altitude_m)


def record_trajectories(params: Any, replications: list[int], interval_s: float,
                        origin: Any,
                        progress: Callable[[float], None] | None = None) -> dict[str, Any]:
    """Run the chosen replications again with the recorder: ``{"trajectories": table}``.

    Replication ``r`` is the same whatever batch it runs in, so this rerun gives exactly the
    run's outcomes for those replications (the cost: one more run of each).
    """
    from triumf.sim.engine import run
    from triumf.sim.recording import Recorder

    rec = Recorder(replications, interval_s)
    run(params, np.asarray(replications, np.int64), progress=progress, record=rec)
    return {"trajectories": rec.to_arrow(_origin(origin))}


def run_recorded(params: Any, replications: int, recorded: list[int], interval_s: float,
                 origin: Any, progress: Callable[[float], None] | None = None
                 ) -> tuple[Any, dict[str, Any]]:
    """Run replications ``0..N-1`` in one batch in this process, recording ``recorded``.

    Returns
    -------
    tuple
        ``(RunResult, {"trajectories": table})``.
    """
    from triumf.sim.engine import run
    from triumf.sim.recording import Recorder

    rec = Recorder(recorded, interval_s)
    res = run(params, np.arange(replications, dtype=np.int64), progress=progress, record=rec)
    return res, {"trajectories": rec.to_arrow(_origin(origin))}


def write_trajectories(tables: dict[str, Any], directory: Path) -> Path | None:
    """Write ``tables["trajectories"]`` to ``directory/trajectories.parquet`` atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from triumf.core.atomic_io import write_atomic

    table = tables.get("trajectories")
    if table is None:
        return None
    buf = pa.BufferOutputStream()
    pq.write_table(table, buf)
    return write_atomic(Path(directory) / "trajectories.parquet", buf.getvalue().to_pybytes(),
                        force=True)


def register(app: typer.Typer) -> None:
    """Add ``report`` to the command line."""

    @app.command()
    def report(
        run_dir: Annotated[Path, typer.Argument(help="Run directory written by 'triumf run'.")],
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="HTML file to write (default: RUN_DIR/report.html).")
        ] = None,
        replication: Annotated[int | None, typer.Option(
            "--replication", "-r", min=0,
            help="Replication of the timeline and replay (default: the first recorded one).")
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")
                           ] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
        force: Annotated[bool, typer.Option(
            help="Replace an existing -o file (RUN_DIR/report.html is always replaced).")
        ] = False,
    ) -> None:
        """Write the one-file HTML report of a run: the scenario in brief, a map with radar
        coverage and raid routes, the engagement timeline of each threat with the reasons
        not fired, the results with intervals, and a replay of one replication.

        The file needs no network: open it in any browser. The replay uses the run's
        trajectories.parquet (written by 'triumf run' for replication 0 by default).

        Example: triumf report runs/demo -o demo-report.html
        """
        import json
        from contextlib import nullcontext

        from triumf.core.atomic_io import OutputExistsError
        from triumf.report.explain import RunDirError
        from triumf.report.html import write_report

        with err.status("writing the report", spinner="dots") if not (quiet or as_json) \
                else nullcontext():
            try:
                path = write_report(run_dir, output, replication=replication, force=force)
            except (RunDirError, OutputExistsError) as exc:
                fail(str(exc))
        size = path.stat().st_size
        if as_json:
            out.print_json(json.dumps({"report": str(path), "bytes": size}))
        elif not quiet:
            out.print(f"Report: {path} ({size / 1e6:.2f} MB)", highlight=False)


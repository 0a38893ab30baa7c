"""``triumf export``: a run directory as Tacview ACMI, KML for Google Earth, or CSV."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from triumf.commands.common import default_out, fail, out

FORMATS = ("acmi", "kml", "csv")


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command()
    def export(
        run_dir: Annotated[Path, typer.Argument(help="Run directory written by 'triumf run'.")],
        fmt: Annotated[str, typer.Option(
            "--format", "-f", help="acmi (Tacview 3-D replay), kml (Google Earth) or csv "
            "(events.csv and outcomes.csv).")] = "acmi",
        output: Annotated[Path | None, typer.Option(
            "--output", "-o", help="Output file (acmi, kml) or directory (csv). Default: "
            "RUN_DIR/<scenario>.acmi, RUN_DIR/<scenario>.kml, or RUN_DIR for csv.")] = None,
        replication: Annotated[int | None, typer.Option(
            "--replication", "-r", min=0,
            help="Recorded replication to export (acmi, kml; default: the first recorded).")
        ] = None,
        force: Annotated[bool, typer.Option(help="Replace existing output files.")] = False,
        as_json: Annotated[bool, typer.Option(
            "--json", help="Print the files written as JSON.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing.")] = False,
    ) -> None:
        """Export a run for other tools: Tacview ACMI 2.2 (3-D replay), KML (Google Earth) or
        CSV of the events and outcomes tables.

        ACMI needs recorded trajectories (trajectories.parquet, written by 'triumf run' for
        replication 0 by default). KML always has the sites and planned raid routes, and the
        flown tracks, kills and leaks when trajectories were recorded. Existing files are kept
        unless --force.

        Example: triumf export runs/demo --format acmi -o demo.acmi
        """
        from triumf.report.atomic import OutputExistsError
        from triumf.report.export_acmi import write_acmi
        from triumf.report.export_csv import write_csv
        from triumf.report.export_kml import write_kml
        from triumf.report.run_data import RunDirError, load_run

        if fmt not in FORMATS:
            fail(f"--format: unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
        try:
            run = load_run(run_dir)
            name = run.scenario.name
            if fmt == "csv":
                paths = write_csv(run, output or run_dir, force=force)
            else:
                file = output or default_out(f"{name}.{fmt}", run_dir, unique=False)
                write = write_acmi if fmt == "acmi" else write_kml
                paths = [write(run, file, replication, force)]
        except (RunDirError, OutputExistsError) as exc:
            fail(str(exc))
        if as_json:
            out.print_json(json.dumps({"format": fmt, "files": [str(p) for p in paths]}))
        elif not quiet:
            for p in paths:
                out.print(f"wrote {p}", highlight=False)

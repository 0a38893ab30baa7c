"""``triumf figures``: PNG and SVG figures of a run directory."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from triumf.commands.common import err, fail, out

FIGURES = ("map", "timeline", "leakage", "missiles")


def register(app: typer.Typer) -> None:
    """Add the ``figures`` command to ``app``."""

    @app.command()
    def figures(
        run_dir: Annotated[Path, typer.Argument(
            help="Run directory written by 'triumf run' (or 'triumf mc').")],
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Directory for the figures (default: RUN_DIR/figures).")] = None,
        formats: Annotated[str, typer.Option(
            "--format", help="Comma-separated formats: png, svg.")] = "png,svg",
        replication: Annotated[int, typer.Option(
            "--replication", "-r", min=0, help="Replication of the timeline.")] = 0,
        as_json: Annotated[bool, typer.Option(
            "--json", help="Print the files written as JSON.")] = False,
        quiet: Annotated[bool, typer.Option(
            "--quiet", "-q", help="No progress bar, print nothing.")] = False,
    ) -> None:
        """Draw a run's figures: map (sites, raid routes, kill and leak points), engagement
        timeline of one replication, leak probability by threat type and interceptors spent
        by missile type (with 95% intervals). Files are named map.png, map.svg, ... and
        replaced when they exist.

        Missile envelopes and radar coverage come from the equipment database, not a run:
        python -m triumf.report.figures_envelope and python -m triumf.report.figures_coverage.

        Example: triumf figures runs/demo --out runs/demo/figures --format png,svg
        """
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from triumf.report.figures_map import plot_map
        from triumf.report.figures_results import plot_leakage, plot_missiles
        from triumf.report.figures_save import FORMATS
        from triumf.report.figures_timeline import plot_timeline
        from triumf.report.run_data import RunDirError, load_run

        fmts = [f.strip().lower() for f in formats.split(",") if f.strip()]
        bad = [f for f in fmts if f not in FORMATS]
        if bad or not fmts:
            fail(f"--format: unknown format {', '.join(bad) or repr(formats)}; valid: "
                 f"{', '.join(FORMATS)} (comma-separated)")
        target = out_dir if out_dir is not None else run_dir / "figures"
        if target.exists() and not target.is_dir():
            fail(f"--out: {target} exists and is not a directory")
        written: list[Path] = []
        show = not (quiet or as_json) and sys.stderr.isatty()
        try:
            run = load_run(run_dir)
            makers = {
                "map": lambda: plot_map(run, target / "map", fmts),
                "timeline": lambda: plot_timeline(run, target / "timeline", fmts, replication),
                "leakage": lambda: plot_leakage(run, target / "leakage", fmts),
                "missiles": lambda: plot_missiles(run, target / "missiles", fmts),
            }
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          console=err, disable=not show) as bar:
                task = bar.add_task("figures", total=len(FIGURES))
                for name in FIGURES:
                    bar.update(task, description=name)
                    written.extend(makers[name]())
                    bar.advance(task)
        except RunDirError as exc:
            fail(str(exc))
        if as_json:
            out.print_json(json.dumps({"files": [str(p) for p in written]}))
        elif not quiet:
            for p in written:
                out.print(f"wrote {p}", highlight=False)

"""``triumf sensitivity``: Morris screening or Sobol indices over the scenario's estimates."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from triumf.commands.common import EXIT_BAD_INPUT, default_out, err, fail, load, out
from triumf.core.atomic_io import OutputExistsError, check_dir_free

_EXAMPLE = ("triumf sensitivity docs/examples/sensitivity-small.yaml --method morris "
            "--trajectories 4 --replications 10 --param 'missile.*.pk_max' "
            "--param '*.rcs_m2' --param 'radar.*.losses_db' --out runs/sens-morris")


def register(app: typer.Typer) -> None:
    """Add the ``sensitivity`` command to ``app``."""

    @app.command(help=f"""Rank the disputed figures [E] of a scenario by their effect on leakage.

Every estimate the scenario uses (equipment figures tagged E, doctrine estimates) is varied
within its low/high bounds; each design point runs a small Monte Carlo batch with the same
seeds (common random numbers). Outputs: expected leakers, leak probability per threat,
missiles spent. Morris gives mu* (mean absolute effect) and sigma per parameter; Sobol gives
first-order and total variance shares with bootstrap intervals. Parameter names are
<kind>.<system>.<figure> or doctrine.<field>: list them with --list.

Writes to --out: indices.csv/.parquet, ranking.csv, design.csv/.parquet, parameters.csv,
sensitivity.png/.svg and summary.json.

Example: {_EXAMPLE}""")
    def sensitivity(
        scenario: Annotated[str, typer.Argument(help="Scenario file or shipped name.")],
        method: Annotated[str, typer.Option(
            help="morris (screening, size trajectories x (P+1) points) or sobol (indices, "
            "samples x (P+2) points).")] = "morris",
        trajectories: Annotated[int, typer.Option(
            min=2, help="Morris trajectories.")] = 10,
        samples: Annotated[int, typer.Option(
            min=2, help="Sobol base samples (a power of two).")] = 64,
        replications: Annotated[int, typer.Option(
            "--replications", "-n", min=1,
            help="Monte Carlo replications per design point (same seeds at every point).")
        ] = 20,
        param: Annotated[list[str] | None, typer.Option(
            "--param", help="Glob of parameter names to vary (repeatable), e.g. "
            "'missile.*', '*.rcs_m2', 'doctrine.*'. Default: every estimate.")] = None,
        set_: Annotated[list[str] | None, typer.Option(
            "--set", help="PATH=VALUE scenario override applied first (repeatable), e.g. "
            "duration_s=600 or raids.count=4.")] = None,
        seed: Annotated[int, typer.Option(help="Seed of the design and the bootstrap.")] = 1,
        resamples: Annotated[int, typer.Option(
            min=10, help="Bootstrap resamples of the intervals.")] = 1000,
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Output directory; must not exist unless --force "
            "(default: runs/<scenario>-sensitivity-<method>).")] = None,
        force: Annotated[bool, typer.Option(help="Replace an existing --out directory.")
                         ] = False,
        list_only: Annotated[bool, typer.Option(
            "--list", help="List the parameters that would be varied, then stop.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")
                         ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")
                           ] = False,
    ) -> None:
        from triumf.analysis.sensitivity import design_size, run_sensitivity, sample
        from triumf.analysis.sensitivity_model import OUTPUTS, ScenarioModel
        from triumf.analysis.sensitivity_params import ParameterError, estimate_parameters
        from triumf.equipment.database import EquipmentError
        from triumf.report.sensitivity_dir import parameters_table, write_sensitivity_dir
        from triumf.scenario.errors import ScenarioError
        from triumf.scenario.overrides import apply_overrides, parse_set

        if method not in ("morris", "sobol"):
            fail(f"--method '{method}' is not valid; valid: morris, sobol")
        scn, db = load(scenario)
        try:
            overrides: dict[str, Any] = {}
            for text in set_ or []:
                path, values = parse_set(text)
                if len(values) != 1:
                    fail(f"--set {text}: give one value (sweeps are for triumf sweep)")
                overrides[path] = values[0]
            if overrides:
                scn = apply_overrides(scn, overrides)
        except ScenarioError as exc:
            err.print(exc.format(), highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        try:
            parameters = estimate_parameters(scn, db, param or [])
        except (ParameterError, EquipmentError) as exc:
            fail(str(exc))
        if list_only:
            _print_parameters(parameters_table(parameters).to_pylist(), as_json)
            return
        size = trajectories if method == "morris" else samples
        names = [p.name for p in parameters]
        bounds = [(p.low, p.high) for p in parameters]
        try:
            sample(method, names, bounds, size, seed)
        except ValueError as exc:
            fail(f"--{'trajectories' if method == 'morris' else 'samples'}: {exc}")
        target = out_dir if out_dir is not None else default_out(
            f"{scn.name}-sensitivity-{method}", unique=False)
        try:
            check_dir_free(target, force)  # fail before the (long) run, not after it
        except OutputExistsError as exc:
            fail(str(exc))
        points = design_size(method, size, len(parameters))
        model = ScenarioModel(scn, db, parameters, replications)
        started = time.perf_counter()
        result = _run(run_sensitivity, names, bounds, model, list(OUTPUTS), method, size, seed,
                      resamples, points, quiet or as_json)
        elapsed = time.perf_counter() - started
        first = result.outputs[0]
        from triumf.analysis.sensitivity import ranking

        top = [{k: None if isinstance(v, float) and v != v else v for k, v in r.items()}
               for r in ranking(result.indices, first).to_pylist()]  # NaN -> null in JSON
        summary = {
            "scenario": scn.name, "method": method, "size": size,
            "parameters": len(parameters), "points": points, "replications": replications,
            "scenario_seed": scn.seed, "design_seed": seed, "resamples": resamples,
            "outputs": OUTPUTS, "ranked_by": first, "elapsed_s": round(elapsed, 1),
            "ranking": top,
        }
        title = (f"{scn.name}: {method}, {len(parameters)} parameters, {points} points x "
                 f"{replications} replications")
        try:
            write_sensitivity_dir(target, result, parameters, summary, title, force=force)
        except OutputExistsError as exc:  # the directory appeared during the run
            fail(str(exc))
        if as_json:
            out.print_json(json.dumps({"directory": str(target), **summary}))
            return
        _print_ranking(top, method, title)
        out.print(f"Tables and figure: {target}")


def _run(run: Any, names: list[str], bounds: list[tuple[float, float]], model: Any,
         outputs: list[str], method: str, size: int, seed: int, resamples: int, points: int,
         quiet: bool) -> Any:
    """``run_sensitivity`` with a Rich progress bar (ETA) on stderr unless ``quiet``."""
    if quiet:
        return run(names, bounds, model, outputs, method, size, seed, resamples=resamples)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("design points"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("points", total=points)
        return run(names, bounds, model, outputs, method, size, seed, resamples=resamples,
                   progress=lambda done: bar.update(task, completed=done))


def _fmt(x: Any) -> str:
    return "" if x is None else f"{x:.3g}"


def _print_ranking(rows: list[dict[str, Any]], method: str, title: str) -> None:
    t = Table(title=f"{title}\nranked by effect on expected leakers", title_justify="left")
    t.add_column("rank", justify="right")
    t.add_column("parameter")
    cols = (("mu_star", "mu*"), ("mu_star_low", "low"), ("mu_star_high", "high"),
            ("sigma", "sigma")) if method == "morris" else (
            ("S1", "S1"), ("S1_low", "low"), ("S1_high", "high"), ("ST", "ST"),
            ("ST_low", "low"), ("ST_high", "high"))
    for _, label in cols:
        t.add_column(label, justify="right")
    for r in rows[:15]:
        t.add_row(str(r["rank"]), r["parameter"], *[_fmt(r[k]) for k, _ in cols])
    out.print(t)


def _print_parameters(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(rows))
        return
    t = Table(title=f"{len(rows)} estimates [E] varied", title_justify="left")
    for col in ("name", "value", "low", "high", "unit"):
        t.add_column(col, justify="left" if col == "name" else "right")
    for r in rows:
        t.add_row(r["name"], f"{r['value']:.6g}", f"{r['low']:.6g}", f"{r['high']:.6g}",
                  r["unit"])
    out.print(t)

"""The triumf command line."""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from triumf import __version__
from triumf.commands.common import EXIT_BAD_INPUT, err, out
from triumf.commands.common import fail as _fail
from triumf.commands.common import load as _load
from triumf.montecarlo import DEFAULT_CHUNK

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="triumf: simulate an S-400-class air-defence battalion against a raid.\n\n"
    "Example: triumf run demo --replications 200",
)
equipment_app = typer.Typer(no_args_is_help=True,
                            help="The equipment database: radars, missiles, threats.")
app.add_typer(equipment_app, name="equipment")


_QUIET_HELP = "Bare result only: no progress bar, table or colour."


def _tune_malloc() -> None:
    """Keep freed memory in the process (glibc only).

    The engine allocates and frees the same large arrays every tick; by default glibc hands
    them back to the kernel and takes page faults to get them again, which costs about 10% of
    a run. Raising the trim and mmap thresholds (``mallopt``) avoids that. Elsewhere: no-op.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 512 * 2**20)  # M_TRIM_THRESHOLD
        libc.mallopt(-3, 256 * 2**20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(
        help="Scenario file, or the name of a shipped one (demo, saturation, long-range, ridge).")
    ] = "demo",
    replications: Annotated[int, typer.Option("--replications", "-n", min=1, max=1_000_000,
                                              help="Monte Carlo replications.")] = 1,
    seed: Annotated[int | None, typer.Option(
        min=0, max=2**63 - 1, help="Override the scenario's seed.")
                    ] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Run directory (default: runs/<scenario name>, numbered if it exists).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing --out directory.")] = False,
    chunk: Annotated[int | None, typer.Option(
        min=1, help="Replications per batch (default: split evenly over workers, at most "
        f"{DEFAULT_CHUNK}).")
    ] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes to run batches on (default: one per core).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print only the summary as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    record_replications: Annotated[str, typer.Option(
        "--record-replications", help="Replications whose trajectories are recorded for the "
        "replay: 'none', 'all' or indices such as '0,3' (each costs one more run).")] = "0",
    record_interval: Annotated[float, typer.Option(
        "--record-interval", min=0.0, help="Seconds between recorded samples (at least the "
        "time step).")] = 1.0,
    no_report: Annotated[bool, typer.Option("--no-report", help="Do not write report.html.")
                         ] = False,
) -> None:
    """Run a scenario and write its run directory.

    The directory holds scenario.yaml (resolved), events.parquet, outcomes.parquet,
    summary.json, trajectories.parquet (the recorded replications) and report.html.

    Example: triumf run demo --replications 200 --out runs/demo200
    """
    from triumf.montecarlo.batch import (
        events_table,
        merge,
        outcomes_table,
        run_chunks,
        run_chunks_recorded,
    )
    from triumf.montecarlo.summary import summarize
    from triumf.report.run_dir import OutputExistsError, write_run_dir
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import dump_resolved

    _tune_malloc()
    scn, db = _load(scenario)
    if seed is not None:
        scn = scn.model_copy(update={"seed": seed})
    target = out_dir if out_dir is not None else _default_out(scn.name)
    if target.exists() and not force:
        _fail(f"{target} already exists; choose another --out or add --force to replace it")
    recorded = report.parse_replications(record_replications, replications)
    t0 = time.perf_counter()
    params = compile_scenario(scn, db)
    show = not (quiet or as_json) and sys.stderr.isatty()
    n_workers = workers or max(1, min(os.cpu_count() or 1, replications))
    size = chunk or max(1, min(DEFAULT_CHUNK, -(-replications // n_workers)))
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("replications"), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=err, disable=not show) as bar:
        task = bar.add_task(f"{scn.name}", total=replications)
        if recorded and n_workers == 1 and size >= replications:
            # one batch in this process: record during the run itself (no second run)
            res, tables = report.run_recorded(params, replications, recorded, record_interval,
                                              scn.origin, lambda f: bar.update(
                                                  task, completed=f * replications))
        elif recorded:
            # each chunk records the chosen replications it runs (no second run)
            results, traj = run_chunks_recorded(
                params, replications, size, n_workers, recorded, record_interval,
                (scn.origin.latitude_deg, scn.origin.longitude_deg, scn.origin.altitude_m),
                lambda done: bar.update(task, completed=done))
            res = merge(results)
            tables = {"trajectories": traj} if traj is not None else {}
        else:
            res = merge(run_chunks(params, replications, size, n_workers,
                                   lambda done: bar.update(task, completed=done)))
            tables = {}
    summary = summarize(params, res)
    summary["version"] = __version__
    summary["wall_time_s"] = round(time.perf_counter() - t0, 2)
    try:
        path = write_run_dir(target, dump_resolved(scn), events_table(params, res),
                             outcomes_table(params, res), summary, force=force, tables=tables)
    except OutputExistsError as exc:
        _fail(str(exc))
    except OSError as exc:  # e.g. --out under a read-only or missing mount
        _fail(f"--out: cannot write {target}: {exc.strerror or exc}")
    summary["run_dir"] = str(path)
    if not no_report:
        from triumf.report.html import write_report

        summary["report"] = str(write_report(path, params=params))
    if as_json:
        out.print_json(json.dumps(summary))
        return
    _print_summary(summary)


def _default_out(name: str, root: Path = Path("runs")) -> Path:
    from triumf.commands.common import default_out

    return default_out(name, root)


def _fmt(stat: dict[str, Any], digits: int = 1) -> str:
    text = f"{stat['mean']:.{digits}f}"
    if stat.get("low") is not None:
        text += f"  [{stat['low']:.{digits}f}, {stat['high']:.{digits}f}]"
    return text


def _fmt_p(stat: dict[str, Any]) -> str:
    if stat["p"] is None:
        return "-"
    if stat["low"] is None:  # one replication: no interval
        return f"{stat['p']:.3f}  [n/a]"
    return f"{stat['p']:.3f}  [{stat['low']:.3f}, {stat['high']:.3f}]"


def _print_summary(s: dict[str, Any]) -> None:
    n = s["replications"]
    interval = " (mean, 95% interval)" if n > 1 else ""
    out.print(f"[bold]{s['scenario']}[/]: {s['threats']} threats, {n} replication"
              f"{'s' if n > 1 else ''}, seed {s['seed']}, {s['wall_time_s']} s")
    t = Table(title=f"Outcome per replication{interval}", title_justify="left")
    t.add_column("")
    t.add_column("value", justify="right")
    t.add_row("threats killed", _fmt(s["kills"]))
    t.add_row("leakers", _fmt(s["leakers"]))
    t.add_row("leak probability per threat", _fmt_p(s["leak_probability"]))
    t.add_row("raid annihilated (no leaker)", _fmt_p(s["raid_annihilation"]))
    for name, stat in s["interceptors_spent"].items():
        t.add_row(f"{name} fired", _fmt(stat))
    t.add_row("friendly aircraft lost", _fmt(s["friendly_losses"]))
    out.print(t)
    c = Table(title="Leak probability by threat type", title_justify="left")
    c.add_column("threat")
    c.add_column("per replication", justify="right")
    c.add_column("leak probability", justify="right")
    for name, v in s["by_threat_type"].items():
        c.add_row(name, str(v["threats_per_replication"]), _fmt_p(v["leak_probability"]))
    out.print(c)
    if s["leak_causes"]:
        w = Table(title="Why leakers got through (mean per replication)", title_justify="left")
        w.add_column("cause")
        w.add_column("leakers", justify="right")
        for cause, v in s["leak_causes"].items():
            w.add_row(cause, f"{v:.2f}")
        out.print(w)
    out.print(f"Run directory: {s['run_dir']}")


@app.command()
def validate(
    scenario: Annotated[str, typer.Argument(help="Scenario file or shipped scenario name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q",
                                        help="Print nothing; the exit code tells.")] = False,
) -> None:
    """Check a scenario file and report every problem with its line.

    Exits 0 when the file is valid, 2 otherwise.

    Example: triumf validate my-scenario.yaml
    """
    scn, _ = _load(scenario)
    n = sum(r.count for r in scn.raids)
    if as_json:
        out.print_json(json.dumps({
            "scenario": scenario, "name": scn.name, "valid": True, "assets": len(scn.assets),
            "battalions": len(scn.battalions), "raids": len(scn.raids), "threats": n}))
        return
    if quiet:
        return
    out.print(f"{scenario}: valid ({len(scn.assets)} assets, {len(scn.battalions)} battalion(s),"
              f" {len(scn.raids)} raids with {n} threats)")


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion and checking).

    Example: triumf schema > triumf-scenario.schema.json
    """
    from triumf.scenario.load import scenario_json_schema

    sys.stdout.write(json.dumps(scenario_json_schema(), indent=2) + "\n")


@app.command()
def scenarios(
    as_json: Annotated[bool, typer.Option("--json", help="Print the names as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_QUIET_HELP)] = False,
) -> None:
    """List the shipped scenarios.

    Example: triumf scenarios
    """
    from triumf.scenario.load import list_examples

    if as_json:
        out.print_json(json.dumps(list_examples()))
        return
    for name in list_examples():
        out.print(name, highlight=not quiet)


@equipment_app.command("list")
def equipment_list(
    kind: Annotated[str | None, typer.Option(help="Only this kind (radar, missile, threat, ...)")
                    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Names only, one a line.")
                     ] = False,
) -> None:
    """List the systems in the equipment database.

    Example: triumf equipment list --kind missile
    """
    from triumf.equipment.database import EquipmentError, listing_rows, load_database

    try:
        db = load_database()
    except EquipmentError as exc:
        _fail(str(exc))
    rows = [r for r in listing_rows(db) if kind is None or r[1] == kind]
    if as_json:
        out.print_json(json.dumps([{"name": n, "kind": k, "description": d}
                                   for n, k, d in rows]))
        return
    if quiet:
        for name, _, _ in rows:
            out.print(name, highlight=False)
        return
    t = Table()
    for col in ("name", "kind", "description"):
        t.add_column(col)
    for name, k, desc in rows:
        t.add_row(name, k, desc)
    out.print(t)


@equipment_app.command("show")
def equipment_show(
    name: Annotated[str, typer.Argument(help="System name, e.g. 40N6E or 92N6E.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="figure=value lines only.")
                     ] = False,
) -> None:
    """Show every figure of one system with its value, unit, tag and source.

    Tags: P published, C computed, E estimate (with low/high bounds), U commonly cited.

    Example: triumf equipment show 40N6E
    """
    from triumf.equipment.database import EquipmentError, figure_rows, load_database

    try:
        eq = load_database().get(name)
    except EquipmentError as exc:
        _fail(str(exc))
    cols = ("figure", "value", "unit", "tag", "low", "high", "source")
    if as_json:
        out.print_json(json.dumps({"name": eq.name, "kind": eq.kind,
                                   "description": eq.description,
                                   "figures": [dict(zip(cols, row, strict=True))
                                               for row in figure_rows(eq)]}, default=str))
        return
    if quiet:
        for row in figure_rows(eq):
            out.print(f"{row[0]}={row[1]}", highlight=False, soft_wrap=True)
        return
    out.print(f"[bold]{eq.name}[/] ({eq.kind}) {eq.description}")
    t = Table(show_lines=False)
    for col in cols:
        t.add_column(col, overflow="fold")
    for row in figure_rows(eq):
        t.add_row(*[("" if v is None else str(v)) for v in row])
    out.print(t)


@app.command()
def explain(
    run_dir: Annotated[Path, typer.Argument(help="Run directory written by 'triumf run'.")],
    threat: Annotated[str, typer.Option(
        "--threat", "-t", help="Threat index (as in outcomes.parquet) or label, e.g. 17 or "
        "'cruise west#3'.")],
    replication: Annotated[int | None, typer.Option(
        "--replication", "-r", min=0,
        help="Replication (default: the first in which the threat leaked, else the first).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the story as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only how it ended.")
                     ] = False,
) -> None:
    """Tell the story of one threat: detection, tracking, every reason not to fire, the
    interceptors fired, and how it ended (killed, or leaked and why).

    Example: triumf explain runs/saturation --threat 17 --replication 0
    """
    from triumf.report.explain import RunDirError, threat_story

    try:
        story = threat_story(run_dir, threat, replication)
    except RunDirError as exc:
        _fail(str(exc))
    if as_json:
        out.print_json(json.dumps({
            "threat": story.threat, "label": story.label, "type": story.kind,
            "raid": story.raid, "replication": story.replication, "hostile": story.hostile,
            "events": [{"time_s": t, "text": x} for t, x in story.lines],
            "outcome": story.outcome, "no_fire_reasons": story.reasons}))
        return
    if quiet:
        out.print(story.outcome, highlight=False)
        return
    side = "threat" if story.hostile else "friendly aircraft"
    out.print(f"[bold]{story.label}[/] ({side} {story.threat}, {story.kind}, raid "
              f"{story.raid}), replication {story.replication}", highlight=False)
    for t_s, text in story.lines:
        out.print(f"  {t_s:8.1f} s  {text}", highlight=False, soft_wrap=True)
    out.print(story.outcome, highlight=False)


@app.command()
def wta(
    instance: Annotated[Path, typer.Argument(
        help="Instance file: first line 'm n mu', then n target values, then 'i j p_ij' lines.")],
    method: Annotated[str, typer.Option(
        help="greedy, heuristic (greedy + local search) or exact (MILP, certified bound).")
    ] = "exact",
    time_limit: Annotated[float, typer.Option(
        "--time-limit", min=0.0, help="Seconds the solver may use.")] = 60.0,
    work_limit: Annotated[int | None, typer.Option(
        "--work-limit", min=1, help="Deterministic budget instead of the clock: improving "
        "moves (heuristic) or branch-and-bound nodes (exact); the same answer on any machine."
    )] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the objective.")
                     ] = False,
) -> None:
    """Solve a static weapon-target assignment instance (public WTA benchmark format).

    Minimises the expected surviving target value sum_j V_j prod_i (1 - p_ij)^x_ij with at most
    mu weapons of each type, and prints the objective, the certified lower bound and gap (exact
    only) and the time.

    Example: triumf wta wta_50x100x1.txt --method exact --time-limit 30
    """
    from triumf.c2.wta import solve
    from triumf.scenario.errors import ScenarioError
    from triumf.scenario.wta_file import load_wta_instance

    allowed = ("greedy", "heuristic", "exact")
    if method not in allowed:
        _fail(f"--method: unknown method {method!r}; valid: {', '.join(allowed)}")
    try:
        inst = load_wta_instance(instance)
    except ScenarioError as exc:
        err.print(exc.format(), highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    res = solve(inst.values, inst.p_kill, inst.weapons, method,  # type: ignore[arg-type]
                time_limit_s=time_limit, work_limit=work_limit)
    m, n = inst.p_kill.shape
    result = {
        "instance": str(instance), "weapon_types": m, "targets": n,
        "weapons": int(inst.weapons.sum()), "method": res.method, "status": res.status,
        "objective": res.objective,
        "bound": None if res.bound != res.bound else res.bound,
        "gap": None if res.gap != res.gap else res.gap,
        "time_s": round(res.time_s, 3), "rounds_assigned": int(res.x.sum()),
    }
    if as_json:
        out.print_json(json.dumps(result))
        return
    if quiet:
        out.print(repr(res.objective), highlight=False)
        return
    out.print(f"{instance}: {m} weapon types x {n} targets, {result['weapons']} weapons")
    out.print(f"method {res.method}: objective {res.objective:.6f} (expected surviving value)")
    if result["bound"] is not None:
        out.print(f"lower bound {res.bound:.6f}, gap {100.0 * res.gap:.4f}% ({res.status})")
    else:
        out.print("no bound (heuristic)")
    out.print(f"time {res.time_s:.2f} s")


@app.command()
def version(
    as_json: Annotated[bool, typer.Option("--json", help="Print the version as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_QUIET_HELP)] = False,
) -> None:
    """Print the version.

    Example: triumf version --json
    """
    if as_json:
        out.print_json(json.dumps({"version": __version__}))
        return
    out.print(__version__, highlight=not quiet)



# --------------------------------------------------------------------------------------------
# Monte Carlo campaigns: mc, compare, sweep, runs, query
# --------------------------------------------------------------------------------------------

_CLUSTER_HELP = ("Start a local Dask cluster of K worker processes, 1 thread each (default, or 1: "
                 "run in this process).")
_SCHEDULER_HELP = "Use an existing Dask scheduler, e.g. tcp://10.0.0.5:8786."


def _runner(workers: int | None, scheduler: str | None) -> Any:
    """In-process runner, or a Dask one (exit 2 with a plain message if it cannot start)."""
    from triumf.montecarlo.runners import DaskRunner, SerialRunner

    if scheduler is None and (workers is None or workers <= 1):
        return SerialRunner()
    try:
        return DaskRunner(workers=workers, scheduler=scheduler)
    except (OSError, TimeoutError, ValueError) as exc:
        where = scheduler or f"a local cluster of {workers} workers"
        _fail(f"cannot connect to {where}: {exc}")


def _leak_text(stat: dict[str, Any]) -> str:
    if stat["p"] is None:
        return ""
    return f"leak p {stat['p']:.3f} [{stat['low']:.3f}, {stat['high']:.3f}]"


@app.command()
def mc(
    scenario: Annotated[str | None, typer.Argument(
        help="Scenario file or shipped name (with --resume: default the directory's).")
    ] = None,
    replications: Annotated[int | None, typer.Option(
        "--replications", "-n", min=1, max=100_000_000,
        help="Replications to run (default 1000; with --resume: the campaign's).")] = None,
    chunk: Annotated[int | None, typer.Option(
        min=1, max=100_000, help="Replications per chunk, one Parquet file each (default "
        f"{DEFAULT_CHUNK}; "
        "with --resume: the campaign's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help=_CLUSTER_HELP)] = None,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    until_halfwidth: Annotated[float | None, typer.Option(
        min=0.0, max=0.5,
        help="Stop after the first chunk at which the 95% interval of the leak probability "
        "has at most this half-width.")] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Campaign directory (default: <runs>/<scenario>-mc, numbered).")
    ] = None,
    resume: Annotated[Path | None, typer.Option(
        help="Continue the campaign in this directory (runs only its missing chunks).")
    ] = None,
    seed: Annotated[int | None, typer.Option(
        min=0, max=2**63 - 1, help="Override the scenario's seed.")
                    ] = None,
    runs_root: Annotated[Path, typer.Option("--runs", help="Root of the run catalogue.")
                         ] = Path("runs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print only the summary as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    record_replications: Annotated[str, typer.Option(
        "--record-replications", help="Also write trajectories.parquet for these replications: "
        "'none' (default), 'all' or indices such as '0,3' (each costs one more run).")
    ] = "none",
) -> None:
    """Run a Monte Carlo campaign: chunks streamed to Parquet, resumable, on one core or Dask.

    Results are identical bit for bit whatever --chunk, --workers or a resume. The directory
    holds manifest.json, scenario.yaml, outcomes/, events/, replications/ (one Parquet file per
    chunk) and summary.json.

    Example: triumf mc demo --replications 2000 --chunk 100 --out runs/demo-mc
    """
    from triumf.montecarlo.campaign import run_campaign
    from triumf.montecarlo.store import ManifestMismatchError, read_manifest
    from triumf.montecarlo.summary import leak_estimate
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import dump_resolved

    _tune_malloc()
    if resume is not None:
        if out_dir is not None and out_dir != resume:
            _fail("give either --out (a new campaign) or --resume (an existing one), not both")
        try:
            manifest = read_manifest(resume)
        except ManifestMismatchError as exc:
            _fail(str(exc))
        target = resume
        if scenario is None:
            scenario = str(resume / "scenario.yaml")
        if seed is None:
            seed = manifest.seed
        replications = replications or manifest.replications
        chunk = chunk or manifest.chunk
    elif scenario is None:
        _fail("give a scenario (file or shipped name), or --resume DIR")
    assert scenario is not None
    replications = replications or 1000
    chunk = chunk or DEFAULT_CHUNK
    recorded = report.parse_replications(record_replications, replications)
    scn, db = _load(scenario)
    if seed is not None:
        scn = scn.model_copy(update={"seed": seed})
    if resume is None:
        target = out_dir if out_dir is not None else _default_out(f"{scn.name}-mc", runs_root)
    params = compile_scenario(scn, db)
    show = not (quiet or as_json) and sys.stderr.isatty()
    runner = _runner(workers, scheduler)
    t0 = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                  TextColumn("{task.fields[leak]}"), console=err, disable=not show) as bar:
        task = bar.add_task(scn.name, total=replications, rate="", leak="")
        start: list[int] = []

        def progress(tally: Any) -> None:
            if not start:
                start.append(tally.count)
            rate = (tally.count - start[0]) / max(time.perf_counter() - t0, 1e-9)
            bar.update(task, completed=tally.count, rate=f"{rate:.1f}/s",
                       leak=_leak_text(leak_estimate(params, tally)))

        try:
            res = run_campaign(params, dump_resolved(scn), target, replications, chunk,
                               runner=runner, until_halfwidth=until_halfwidth,
                               resume=resume is not None, version=__version__,
                               progress=progress)
        except (FileExistsError, ManifestMismatchError) as exc:
            _fail(str(exc))
        except OSError as exc:  # e.g. --out under a read-only or missing mount
            _fail(f"--out: cannot write {target}: {exc.strerror or exc}")
        finally:
            runner.close()
    summary = res.summary
    # a campaign stopped early (--until-halfwidth) records only the replications it ran
    recorded = [r for r in recorded if r < summary["replications"]]
    if recorded:
        report.write_trajectories(report.record_trajectories(params, recorded, 1.0, scn.origin),
                                  target)
    if as_json:
        out.print_json(json.dumps(summary))
        return
    if res.stopped_early:
        out.print(f"Stopped after {summary['replications']} replications: the leak-probability "
                  f"interval half-width reached {until_halfwidth}.")
    _print_summary(summary)


@app.command()
def compare(
    scenario_a: Annotated[str, typer.Argument(help="Baseline scenario (A).")],
    scenario_b: Annotated[str, typer.Argument(help="Variant scenario (B).")],
    replications: Annotated[int, typer.Option("--replications", "-n", min=2, max=10_000_000,
                                              help="Replications of each.")] = 200,
    chunk: Annotated[int, typer.Option(min=1, help="Replications per chunk.")] = DEFAULT_CHUNK,
    seed: Annotated[int | None, typer.Option(
        min=0, max=2**63 - 1, help="Seed of both (default: A's).")
                    ] = None,
    workers: Annotated[int | None, typer.Option(min=1, help=_CLUSTER_HELP)] = None,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar; one line per quantity: name, B - A, interval.")
    ] = False,
) -> None:
    """Compare two scenarios with common random numbers: paired differences B - A.

    Both run the same replications with the same seed, so each replication of B meets the
    same luck as the same replication of A. Reports the mean difference per replication in
    leakers, interceptors spent and leak probability, with 95% intervals (Student t and
    bootstrap BCa).

    Example: triumf compare demo my-variant.yaml --replications 500
    """
    from triumf.montecarlo.compare import COMPARED
    from triumf.montecarlo.compare import compare as run_compare
    from triumf.scenario.compile import compile_scenario

    _tune_malloc()
    scn_a, db_a = _load(scenario_a)
    scn_b, db_b = _load(scenario_b)
    pa_, pb_ = compile_scenario(scn_a, db_a), compile_scenario(scn_b, db_b)
    runner = _runner(workers, scheduler)
    show = not (quiet or as_json) and sys.stderr.isatty()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("replications (A then B)"), TimeRemainingColumn(),
                      console=err, disable=not show) as bar:
            task = bar.add_task(f"{scn_a.name} vs {scn_b.name}", total=2 * replications)
            result = run_compare(pa_, pb_, replications, chunk, runner, seed,
                                 progress=lambda done: bar.update(task, completed=done))
    finally:
        runner.close()
    if as_json:
        out.print_json(json.dumps(result))
        return
    if quiet:
        for key, d in result["differences"].items():
            out.print(f"{key}\t{d['difference']}\t{d['low']}\t{d['high']}", highlight=False)
        return
    t = Table(title=f"B - A per replication ({result['b']} - {result['a']}), "
              f"{replications} replications, seed {result['seed']}, 95% intervals",
              title_justify="left")
    for col in ("", "A", "B", "B - A", "t interval", "bootstrap", "B lower / higher"):
        t.add_column(col, justify="right" if col else "left")
    for key, label in COMPARED.items():
        d = result["differences"][key]

        def iv(lo: float | None, hi: float | None) -> str:
            return "-" if lo is None else f"[{lo:.3f}, {hi:.3f}]"

        t.add_row(label, f"{d['a']:.3f}", f"{d['b']:.3f}", f"{d['difference']:+.3f}",
                  iv(d["low"], d["high"]), iv(d["bootstrap_low"], d["bootstrap_high"]),
                  f"{d['b_lower']} / {d['b_higher']}")
    out.print(t)


@app.command()
def sweep(
    scenario: Annotated[str, typer.Argument(help="Scenario file or shipped name.")],
    set_: Annotated[list[str], typer.Option(
        "--set", help="PATH=V1,V2,... a dotted scenario field and its values (repeatable), "
        "e.g. raids.count=10,20 or doctrine.salvo_size=1,2.")],
    replications: Annotated[int, typer.Option("--replications", "-n", min=1, max=10_000_000,
                                              help="Replications per grid point.")] = 100,
    chunk: Annotated[int, typer.Option(min=1, help="Replications per chunk.")] = DEFAULT_CHUNK,
    workers: Annotated[int | None, typer.Option(min=1, help=_CLUSTER_HELP)] = None,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    out_dir: Annotated[Path | None, typer.Option(
        "--out", help="Sweep directory (default: <runs>/<scenario>-sweep, numbered).")
    ] = None,
    runs_root: Annotated[Path, typer.Option("--runs", help="Root of the run catalogue.")
                         ] = Path("runs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the points as JSON.")
                       ] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress bar; print only the sweep table's path.")] = False,
) -> None:
    """Run a campaign for every combination of the --set values (common random numbers).

    Writes sweep.parquet (one row per point and replication, swept fields as columns) and one
    campaign directory per point under points/. In a list (raids, battalions) a field applies
    to every element, or name one: raids.0.count or raids.drones.count.

    Example: triumf sweep demo --set raids.count=2,4 --set doctrine.salvo_size=1,2 -n 50
    """
    from triumf.montecarlo.sweep import grid, run_sweep
    from triumf.scenario.errors import ScenarioError
    from triumf.scenario.limits import MAX_SWEEP_POINTS
    from triumf.scenario.overrides import apply_overrides, parse_set

    _tune_malloc()
    scn, db = _load(scenario)
    sets: dict[str, list[Any]] = {}
    try:
        for text in set_:
            path, values = parse_set(text)
            sets[path] = values
        if math.prod(len(v) for v in sets.values()) > MAX_SWEEP_POINTS:
            _fail(f"--set: the values give {math.prod(len(v) for v in sets.values())} grid "
                  f"points; at most {MAX_SWEEP_POINTS} are allowed in one sweep")
        for point in grid(sets):  # check every combination before running anything
            apply_overrides(scn, point)
    except ScenarioError as exc:
        err.print(exc.format(), highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    target = out_dir if out_dir is not None else _default_out(f"{scn.name}-sweep", runs_root)
    if target.exists():
        _fail(f"{target} already exists; choose another --out")
    runner = _runner(workers, scheduler)
    n_points = 1
    for values in sets.values():
        n_points *= len(values)
    show = not (quiet or as_json) and sys.stderr.isatty()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("replications"), TimeRemainingColumn(), console=err,
                      disable=not show) as bar:
            task = bar.add_task(f"{scn.name} sweep, {n_points} points",
                                total=n_points * replications)

            def progress(point: int, tally: Any) -> None:
                bar.update(task, completed=point * replications + tally.count)

            res = run_sweep(scn, db, sets, target, replications, chunk, runner=runner,
                            version=__version__, progress=progress)
    except ScenarioError as exc:
        err.print(exc.format(), highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    finally:
        runner.close()
    if as_json:
        out.print_json(json.dumps({"directory": str(target), "points": res.points}))
        return
    if quiet:
        out.print(str(target / "sweep.parquet"), highlight=False)
        return
    t = Table(title=f"{scn.name}: {replications} replications per point", title_justify="left")
    for name in sets:
        t.add_column(name)
    t.add_column("leak probability", justify="right")
    t.add_column("interceptors spent", justify="right")
    for p in res.points:
        t.add_row(*[str(v) for v in p["set"].values()], _fmt_p(p["leak_probability"]),
                  _fmt(p["interceptors_spent_total"]))
    out.print(t)
    out.print(f"Sweep table: {target / 'sweep.parquet'}")


@app.command()
def runs(
    runs_root: Annotated[Path, typer.Option("--runs", help="Root of the run catalogue.")
                         ] = Path("runs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Run names only, one a line.")
                     ] = False,
) -> None:
    """List the runs under the catalogue root (run, mc and sweep directories).

    Example: triumf runs --runs runs
    """
    from triumf.report.catalogue import list_runs

    if not runs_root.is_dir():
        _fail(f"{runs_root} is not a directory; give the root of your runs with --runs")
    rows = list_runs(runs_root)
    if as_json:
        out.print_json(json.dumps(rows))
        return
    if quiet:
        for r in rows:
            out.print(r["run"], highlight=False)
        return
    t = Table()
    for col in ("run", "kind", "scenario", "hash", "seed", "version", "replications", "created"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["run"], str(r["kind"]), str(r["scenario"]),
                  (r["scenario_sha256"] or "")[:12], str(r["seed"]), str(r["version"]),
                  f"{r['replications']}/{r['replications_requested']}", str(r["created"]))
    out.print(t)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL over the views outcomes, events, "
                                       "replications, runs and sweeps.")],
    runs_root: Annotated[Path, typer.Option("--runs", help="Root of the run catalogue.")
                         ] = Path("runs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Rows as tab-separated lines, no header or table.")] = False,
) -> None:
    """Run DuckDB SQL over every run's Parquet tables (each view has a run column).

    Example: triumf query "SELECT run, avg(leakers) FROM replications GROUP BY run"
    """
    import duckdb

    from triumf.report.catalogue import query as run_query

    if not runs_root.is_dir():
        _fail(f"{runs_root} is not a directory; give the root of your runs with --runs")
    if not sql.strip():
        _fail("SQL: empty query; give a statement such as \"SELECT * FROM runs\"")
    try:
        table = run_query(runs_root, sql)
    except duckdb.Error as exc:
        _fail(f"SQL: {exc}")
    rows = table.to_pylist()
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    if quiet:
        for row in rows:
            out.print("\t".join("" if v is None else str(v) for v in row.values()),
                      highlight=False, soft_wrap=True)
        return
    t = Table()
    for col in table.column_names:
        t.add_column(col)
    for row in rows:
        t.add_row(*["" if v is None else str(v) for v in row.values()])
    out.print(t)


# Commands defined in triumf.commands.<topic>: one register call per module.

from triumf.commands import coverage  # noqa: E402, I001
coverage.register(app)

from triumf.commands import sensitivity  # noqa: E402

sensitivity.register(app)

from triumf.commands import procurement  # noqa: E402

procurement.register(app)

from triumf.commands import export  # noqa: E402

export.register(app)
from triumf.commands import figures  # noqa: E402

figures.register(app)
from triumf.commands import docs  # noqa: E402

docs.register(app)

from triumf.commands import report  # noqa: E402

report.register(app)

if __name__ == "__main__":
    app()

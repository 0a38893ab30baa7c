"""`triumf place` and `triumf procure`: where to put fire units, and how many to buy."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from triumf.commands.common import (
    ForceOpt,
    JsonOpt,
    QuietOpt,
    default_out,
    err,
    fail,
    load,
    out,
    output_dir,
)

__all__ = ["register"]



def _progress(quiet: bool, total: int) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err,
                    disable=quiet or not sys.stderr.isatty())


def _usd(x: float) -> str:
    return f"{x / 1e6:,.0f} M USD"


def _layout_inputs(scn: Any) -> tuple[list[tuple[str, float, float, float]],
                                      list[tuple[str, float, float]]]:
    assets = [(a.name, a.position.east_m, a.position.north_m, a.value) for a in scn.assets]
    axes = [(x.name, x.origin.east_m, x.origin.north_m) for x in scn.procurement.axes]
    return assets, axes


def _check_procurement(scn: Any, source: str) -> None:
    if scn.procurement is None:
        fail(f"{source}: the scenario has no 'procurement' section (candidate_sites, axes, "
             "loadouts); see the shipped scenario: triumf place procurement --units 2")


def register(app: typer.Typer) -> None:
    """Add `place` and `procure` to the CLI."""

    @app.command()
    def place(
        scenario: Annotated[str, typer.Argument(
            help="Scenario file with a 'procurement' section, or a shipped name (procurement).")],
        units: Annotated[int, typer.Option("--units", "-k", min=1, max=100,
                                           help="Fire units to place.")] = 2,
        loadout: Annotated[str | None, typer.Option(
            help="Loadout (from the scenario) of the Monte Carlo check (default: the first).")
        ] = None,
        replications: Annotated[int, typer.Option(
            "--replications", "-n", min=0, max=100000,
            help="Replications of the Monte Carlo check of the layout (0: no check).")] = 8,
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Output directory (default: runs/<scenario>-place-<K>).")] = None,
        force: ForceOpt = False,
        as_json: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Choose fire-unit sites that cover the most asset value against the threat axes.

        Solves the maximal-covering MILP (HiGHS), then checks the layout by Monte Carlo
        simulation of the scenario's raids. Writes layout.png/.svg, sites.csv/.parquet,
        coverage.csv/.parquet, summary.json and layout.yaml (the scenario with the chosen
        fire units and loadout, ready for `triumf run` or `triumf coverage`).

        Example: triumf place procurement --units 2 --out runs/place2
        """
        from triumf.analysis.layout import ProcurementError, deploy
        from triumf.analysis.procurement import evaluate, placement_problem
        from triumf.analysis.procurement import place as solve
        from triumf.report.analysis_dir import write_grid, write_summary
        from triumf.report.figures_procurement import plot_layout
        from triumf.scenario.load import dump_resolved

        scn, db = load(scenario)
        _check_procurement(scn, scenario)
        spec = scn.procurement
        names = [lo.name for lo in spec.loadouts]
        if loadout is not None and loadout not in names:
            fail(f"--loadout: unknown loadout {loadout!r}; the scenario has {', '.join(names)}")
        chosen_lo = spec.loadouts[names.index(loadout) if loadout else 0]
        if replications == 1:
            fail("--replications: give 0 (no Monte Carlo check) or at least 2 (an interval "
                 "needs two replications)")
        target = out_dir if out_dir is not None else default_out(
            f"{scn.name}-place-{units}", unique=False)
        with _progress(quiet or as_json, 2) as bar, output_dir(target, force) as tmp:
            task = bar.add_task("coverage indicator and MILP", total=2)
            try:
                problem = placement_problem(scn, db)
                sol = solve(problem, units)
            except (ProcurementError, ValueError) as exc:
                fail(f"{scenario}: {exc}")
            bar.update(task, completed=1, description="Monte Carlo check")
            site_names = [problem.site_names[j] for j in sol.chosen]
            result: dict[str, Any] = {
                "scenario": scn.name, "units": units, "sites": site_names,
                "covered_value": sol.value, "total_value": sol.total_value,
                "coverage": sol.value / sol.total_value, "cost_usd": sol.cost_usd,
                "uncovered": [f"{a} / {x}" for a, x, c in zip(
                    problem.pair_asset, problem.pair_axis, sol.covered, strict=True) if not c],
            }
            d = deploy(scn, db, problem.site_xy_m[sol.chosen], site_names,
                       dict(chosen_lo.missiles))
            # the layout as a scenario of its own: run, map or analyse it like any other
            (tmp / "layout.yaml").write_text(dump_resolved(d), encoding="utf-8")
            if replications > 0:
                r = evaluate(d, db, replications)
                result["check"] = {
                    "loadout": chosen_lo.name, "replications": replications,
                    "leakers_mean": r.leakers_mean, "leakers_low": r.leakers_low,
                    "leakers_high": r.leakers_high, "leak_probability": r.leak_probability,
                    "leak_low": r.leak_low, "leak_high": r.leak_high, "threats": r.threats}
            bar.update(task, completed=2)
            chosen = set(int(j) for j in sol.chosen)
            write_grid([
                {"site": n, "east_m": float(xy[0]), "north_m": float(xy[1]),
                 "cost_usd": float(c), "chosen": j in chosen,
                 "pairs_reached": int(problem.reach[j].sum())}
                for j, (n, xy, c) in enumerate(zip(problem.site_names, problem.site_xy_m,
                                                   problem.site_cost_usd, strict=True))],
                tmp, "sites")
            write_grid([
                {"asset": a, "axis": x, "weight": float(w), "covered": bool(c),
                 "chosen_sites_reaching": int(problem.reach[sol.chosen, i].sum())}
                for i, (a, x, w, c) in enumerate(zip(problem.pair_asset, problem.pair_axis,
                                                     problem.weights, sol.covered,
                                                     strict=True))], tmp, "coverage")
            assets, axes = _layout_inputs(scn)
            plot_layout(tmp / "layout", problem.site_names, problem.site_xy_m, sol.chosen,
                        assets, axes, f"{scn.name}: {units} fire unit(s), "
                        f"{100 * result['coverage']:.0f} % of the value covered")
            write_summary(result, tmp)
        if as_json:
            out.print_json(json.dumps(result))
            return
        out.print(f"[bold]{units} fire unit(s)[/]: {', '.join(site_names)}")
        out.print(f"covered value {sol.value:g} of {sol.total_value:g} "
                  f"({100 * result['coverage']:.0f} %); fire units and sites "
                  f"{_usd(sol.cost_usd)}")
        if result["uncovered"]:
            out.print("not covered: " + "; ".join(result["uncovered"]))
        if "check" in result:
            c = result["check"]
            out.print(f"Monte Carlo check ({c['replications']} replications, loadout "
                      f"{c['loadout']}): expected leakers {c['leakers_mean']:.2f} "
                      f"[{c['leakers_low']:.2f}, {c['leakers_high']:.2f}] of {c['threats']}")
        out.print(f"wrote {target}")

    @app.command()
    def procure(
        scenario: Annotated[str, typer.Argument(
            help="Scenario file with a 'procurement' section, or a shipped name (procurement).")],
        max_units: Annotated[int | None, typer.Option(
            "--max-units", min=1, max=20,
            help="Most fire units (default: the scenario's procurement.max_units).")] = None,
        loadouts: Annotated[str | None, typer.Option(
            help="Comma-separated loadout names to compare (default: all).")] = None,
        replications: Annotated[int, typer.Option(
            "--replications", "-n", min=2, max=100000,
            help="Replications per option (same seeds for every option).")] = 8,
        workers: Annotated[int | None, typer.Option(
            min=1, help="Processes running the options (default: one per core).")] = None,
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Output directory (default: runs/<scenario>-procure).")] = None,
        force: ForceOpt = False,
        as_json: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Compare 1..N fire units and each loadout against the reference raid.

        For every option: sites by the placement MILP, expected leakers (95 % interval) by
        Monte Carlo with common random numbers, cost, cost-exchange ratio. Prints the cheapest
        option with expected leakers below 1 and writes options.csv/.parquet,
        saturation.csv/.parquet, pareto.png/.svg, saturation.png/.svg, layout.png/.svg and
        summary.json.

        Example: triumf procure procurement --max-units 3 --replications 8 --out runs/procure
        """
        from triumf.analysis.layout import ProcurementError
        from triumf.analysis.procurement import procure as run_procure
        from triumf.report.analysis_dir import write_grid, write_summary
        from triumf.report.figures_procurement import plot_layout, plot_pareto, plot_saturation

        scn, db = load(scenario)
        _check_procurement(scn, scenario)
        spec = scn.procurement
        wanted = None if loadouts is None else [s.strip() for s in loadouts.split(",")
                                                if s.strip()]
        known = [lo.name for lo in spec.loadouts]
        if wanted is not None:
            bad = [w for w in wanted if w not in known]
            if bad or not wanted:
                fail(f"--loadouts: unknown loadout(s) {', '.join(bad) or '(none given)'}; "
                     f"the scenario has {', '.join(known)}")
        n_units = max_units or spec.max_units
        n_lo = len(wanted) if wanted is not None else len(known)
        total = n_units * n_lo + len(spec.raid_scales)
        target = out_dir if out_dir is not None else default_out(f"{scn.name}-procure",
                                                                  unique=False)
        with _progress(quiet or as_json, total) as bar, output_dir(target, force) as tmp:
            task = bar.add_task("coverage indicator", total=total)
            count = [0]

            def step(label: str) -> None:
                bar.update(task, completed=count[0], description=label)
                count[0] += 1

            report: Callable[[str], None] = step
            try:
                res = run_procure(scn, db, max_units, wanted, replications, report,
                                  workers or max(1, os.cpu_count() or 1))
            except (ProcurementError, ValueError) as exc:
                fail(f"{scenario}: {exc}")
            bar.update(task, completed=total)
            rows, answer = res["options"], res["answer"]
            problem, sat_opt = res["problem"], res["saturation_option"]
            write_grid(rows, tmp, "options")
            write_grid([{**r, "units": sat_opt["units"], "loadout": sat_opt["loadout"]}
                        for r in res["saturation"]], tmp, "saturation")
            plot_pareto(tmp / "pareto", rows, answer)
            plot_saturation(tmp / "saturation", res["saturation"],
                            f"{sat_opt['units']} fire unit(s), loadout {sat_opt['loadout']}")
            sol = res["placements"][sat_opt["units"]]
            assets, axes = _layout_inputs(scn)
            plot_layout(tmp / "layout", problem.site_names, problem.site_xy_m, sol.chosen,
                        assets, axes, f"{scn.name}: {sat_opt['units']} fire unit(s), "
                        f"loadout {sat_opt['loadout']}")
            summary = {"scenario": scn.name, "replications": replications,
                       "answer": answer, "options": rows, "saturation": res["saturation"]}
            write_summary(summary, tmp)
        if as_json:
            out.print_json(json.dumps({"answer": answer, "options": rows}))
            return
        from rich.table import Table

        table = Table(title=f"{scn.name}: options ({replications} replications each)")
        for col in ("units", "loadout", "cost", "expected leakers (95 %)", "CER", "Pareto"):
            table.add_column(col)
        for r in rows:
            table.add_row(str(r["units"]), r["loadout"], _usd(r["cost_usd"]),
                          f"{r['leakers_mean']:.2f} [{r['leakers_low']:.2f}, "
                          f"{r['leakers_high']:.2f}]", f"{r['cost_exchange']:.2f}",
                          "yes" if r["pareto"] else "")
        out.print(table)
        if answer is None:
            out.print("[bold]No option keeps the expected leakers below 1[/]; allow more fire "
                      "units (--max-units) or other loadouts.")
        else:
            out.print(
                f"[bold]Answer:[/] {answer['units']} fire unit(s) at {answer['sites']}, loadout "
                f"{answer['loadout']}, cost {_usd(answer['cost_usd'])}: expected leakers "
                f"{answer['leakers_mean']:.2f} [{answer['leakers_low']:.2f}, "
                f"{answer['leakers_high']:.2f}] of {answer['threats']} threats")
        out.print(f"wrote {target}")

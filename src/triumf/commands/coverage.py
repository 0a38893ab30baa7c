"""`triumf coverage` and `triumf defended-area`: maps of where the battalion sees and defends."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

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


@contextmanager
def _steps(show: bool) -> Iterator[Any]:
    """A spinner with the current step and the elapsed time (stderr; off when not shown)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=err, disable=not show, transient=True) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda text: bar.update(task, description=text)


def _sites(lay: Any) -> list[tuple[str, Any, str]]:
    from triumf.core.earth import enu_to_map

    sites: list[tuple[str, Any, str]] = [
        ("launcher", xy, name) for name, xy in zip(lay.launcher_names, lay.launcher_map,
                                                   strict=True)]
    for r in lay.radars:
        e, n, _ = enu_to_map(r.pos)
        sites.append(("radar", np.array([float(e), float(n)]), r.name))
    sites += [("asset", xy, name) for name, xy in zip(lay.asset_names, lay.asset_map,
                                                       strict=True)]
    return sites


def _geodetic(scn: Any) -> Any:
    from triumf.core.frames import map_to_geodetic

    def to(e: Any, n: Any) -> tuple[Any, Any]:
        lat, lon = map_to_geodetic(e, n, scn.origin.latitude_deg, scn.origin.longitude_deg)
        return np.asarray(lat), np.asarray(lon)

    return to


def _show(show_json: bool, summary: dict[str, Any], table: Table) -> None:
    if show_json:
        out.print_json(json.dumps(summary))
    else:
        out.print(table)
        out.print(f"written to {summary['out_dir']}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `coverage` and `defended-area` commands to ``app``."""

    @app.command()
    def coverage(
        scenario: Annotated[str, typer.Argument(
            help="Scenario file, or the name of a shipped one (demo, ridge, ...).")],
        rcs: Annotated[float, typer.Option(min=1e-6, max=1e6,
                                           help="Target radar cross section, m^2.")] = 1.0,
        altitude: Annotated[float, typer.Option(
            min=0.0, max=100_000.0, help="Target height, metres (above sea level; see --agl).")
        ] = 100.0,
        agl: Annotated[bool, typer.Option(
            "--agl", help="Read --altitude as height above the terrain.")] = False,
        swerling: Annotated[int, typer.Option(min=0, max=4, help="Swerling case 0-4.")] = 1,
        grid: Annotated[int, typer.Option(min=2, max=2000, help="Grid nodes per side.")] = 400,
        extent_km: Annotated[float, typer.Option(
            min=1.0, max=3000.0, help="Half-width of the square map about the origin, km.")
        ] = 300.0,
        duration: Annotated[float, typer.Option(
            min=0.0, max=1e5,
            help="Dwell for the cumulative Pd, seconds (looks = duration / revisit).")] = 60.0,
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Output directory (default: runs/<scenario>-coverage, numbered).")
        ] = None,
        force: ForceOpt = False,
        as_json: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Horizontal coverage map: single-look and cumulative Pd of each radar and the network.

        Writes coverage.png/.svg (network single-look Pd), coverage_cumulative.png/.svg,
        coverage.csv and coverage.parquet (one row per grid node, one Pd column per radar) and
        summary.json.

        Example: triumf coverage demo --rcs 1 --altitude 100 --extent-km 300 --out runs/cov
        """
        from triumf.analysis.coverage import coverage_map, square_grid
        from triumf.report.analysis_dir import (
            grid_table,
            write_grid,
            write_summary,
        )
        from triumf.report.figures_coverage_map import plot_coverage_map
        from triumf.report.figures_save import plain
        from triumf.scenario.compile_analysis import compile_layout

        scn, db = load(scenario)
        target = out_dir if out_dir is not None else default_out(f"{scn.name}-coverage")
        if target.exists() and not force:
            fail(f"{target} already exists; choose another --out or add --force to replace it")
        show = not (quiet or as_json) and sys.stderr.isatty()
        t0 = time.perf_counter()
        with _steps(show) as step:
            step("compiling radars and terrain")
            lay = compile_layout(scn, db)
            if not lay.radars:
                fail(f"scenario {scn.name} has no radars; add one under battalions[].radars")
            step(f"coverage on a {grid} x {grid} grid")
            east, north = square_grid(extent_km * 1e3, grid)
            cov = coverage_map(lay.radars, east, north, altitude, rcs, swerling,
                               above_ground=agl, terrain=lay.terrain, k=lay.k,
                               duration_s=duration)
            step("writing tables and figures")
            cols: dict[str, Any] = {"ground_m": cov.ground_m, "target_alt_m": cov.target_alt_m,
                                    "pd_network": cov.pd_network,
                                    "pd_cumulative_network": cov.cumulative_network}
            for i, name in enumerate(cov.radar_names):
                cols[f"pd {name}"] = cov.pd[i]
                cols[f"pd_cumulative {name}"] = cov.cumulative[i]
            summary: dict[str, Any] = {
                "scenario": scn.name, "rcs_m2": rcs, "altitude_m": altitude,
                "altitude_reference": "ground" if agl else "sea level", "swerling": swerling,
                "grid": grid, "extent_km": extent_km, "duration_s": duration,
                "area_km2": {
                    "pd_0.5": cov.area_km2(0.5), "pd_0.9": cov.area_km2(0.9),
                    "cumulative_0.5": cov.area_km2(0.5, True),
                    "cumulative_0.9": cov.area_km2(0.9, True)},
                "radars": [
                    {"name": name, "looks": int(cov.n_looks[i]),
                     "area_pd_0.5_km2": cov.radar_area_km2(i, 0.5)}
                    for i, name in enumerate(cov.radar_names)],
            }
            sites = _sites(lay)
            with output_dir(target, force) as tmp:
                write_grid(grid_table(east, north, cols, _geodetic(scn)), tmp, "coverage")
                plot_coverage_map(cov, tmp / "coverage", sites, title=(
                    f"{plain(scn.name)}: network single-look Pd, RCS {rcs:g} m$^2$ SW{swerling}, "
                    f"{altitude:g} m {'AGL' if agl else 'MSL'}"))
                plot_coverage_map(cov, tmp / "coverage_cumulative", sites, cumulative=True,
                                  title=f"{plain(scn.name)}: network cumulative Pd over "
                                        f"{duration:g} s, RCS {rcs:g} m$^2$")
                summary["out_dir"] = str(target)
                summary["wall_time_s"] = round(time.perf_counter() - t0, 2)
                write_summary(summary, tmp)
        t = Table(title=f"{scn.name}: coverage of a {rcs:g} m^2 target at {altitude:g} m")
        t.add_column("radar")
        t.add_column("looks", justify="right")
        t.add_column("area Pd>=0.5 (km^2)", justify="right")
        for r in summary["radars"]:
            t.add_row(r["name"], str(r["looks"]), f"{r['area_pd_0.5_km2']:,.0f}")
        a = summary["area_km2"]
        t.add_row("network (single look)", "", f"{a['pd_0.5']:,.0f}")
        t.add_row(f"network (cumulative, {duration:g} s)", "", f"{a['cumulative_0.5']:,.0f}")
        _show(as_json, summary, t)

    @app.command("defended-area")
    def defended_area(
        scenario: Annotated[str, typer.Argument(
            help="Scenario file, or the name of a shipped one (demo, ridge, ...).")],
        threat: Annotated[str, typer.Option(
            help="Threat class from the equipment database (e.g. brahmos, babur, shahed).")
        ] = "brahmos",
        azimuth: Annotated[float, typer.Option(
            min=0.0, max=360.0,
            help="Direction the threat comes from, degrees clockwise from north.")] = 270.0,
        pk: Annotated[float, typer.Option(
            min=0.01, max=1.0,
            help="Required probability of a kill before the keep-out range.")] = 0.9,
        speed: Annotated[float | None, typer.Option(
            min=1.0, max=10_000.0, help="Override the threat's speed, m/s (whole path).")
        ] = None,
        altitude: Annotated[float | None, typer.Option(
            min=0.0, max=100_000.0,
            help="Override the threat's height above sea level, metres (whole path).")] = None,
        grid: Annotated[int, typer.Option(min=2, max=500, help="Grid nodes per side.")] = 61,
        extent_km: Annotated[float, typer.Option(
            min=1.0, max=2000.0, help="Half-width of the square map about the origin, km.")
        ] = 100.0,
        step_m: Annotated[float, typer.Option(
            min=50.0, max=20_000.0, help="Sampling step along the threat's path, metres.")
        ] = 1000.0,
        out_dir: Annotated[Path | None, typer.Option(
            "--out", help="Output directory (default: runs/<scenario>-defended-area).")
        ] = None,
        force: ForceOpt = False,
        as_json: JsonOpt = False,
        quiet: QuietOpt = False,
    ) -> None:
        """Defended-area map: where an asset would be protected against a threat and axis.

        For every grid node taken as the asset's position, the probability that the battalion
        (its radars, reaction time, fly-out and salvo Pk) kills a threat coming straight in
        from --azimuth before the scenario's keep-out range (semi-analytic, see
        docs/analysis.md). Writes defended_area.png/.svg, defended_area.csv/.parquet and
        summary.json.

        Example: triumf defended-area demo --threat brahmos --azimuth 270 --pk 0.9 --out runs/da
        """
        from triumf.analysis.coverage import square_grid
        from triumf.analysis.defended_area import defended_area_map, intercept_probability
        from triumf.equipment.database import EquipmentError
        from triumf.report.analysis_dir import (
            grid_table,
            write_grid,
            write_summary,
        )
        from triumf.report.figures_coverage_map import plot_defended_area
        from triumf.report.figures_save import plain
        from triumf.scenario.compile_analysis import (
            compile_layout,
            compile_weapons,
            threat_profile,
        )

        scn, db = load(scenario)
        threats = db.names("threat")
        try:
            eq = db.get(threat)
        except EquipmentError:
            fail(f"--threat: unknown threat '{threat}'; valid threats: {', '.join(threats)}")
        if eq.kind != "threat":
            fail(f"--threat: {eq.name} is a {eq.kind}, not a threat; valid threats: "
                 f"{', '.join(threats)}")
        try:
            prof = threat_profile(db, eq.name, speed_mps=speed, altitude_m=altitude)
        except ValueError as exc:
            fail(f"--threat: {exc}; give --speed and --altitude")
        target = out_dir if out_dir is not None else default_out(f"{scn.name}-defended-area")
        if target.exists() and not force:
            fail(f"{target} already exists; choose another --out or add --force to replace it")
        show = not (quiet or as_json) and sys.stderr.isatty()
        t0 = time.perf_counter()
        az = float(np.deg2rad(azimuth))
        with _steps(show) as step:
            step("compiling radars, terrain and fly-out tables")
            lay = compile_layout(scn, db)
            weapons = compile_weapons(scn, db)
            if not weapons.names:
                fail(f"scenario {scn.name} has no loaded fire units")
            step(f"defended area on a {grid} x {grid} grid")
            east, north = square_grid(extent_km * 1e3, grid)
            kw: dict[str, Any] = {"terrain": lay.terrain, "k": lay.k, "step_m": step_m}
            dam = defended_area_map(lay.radars, weapons, prof, az, east, north, **kw)
            at_assets = intercept_probability(lay.radars, weapons, prof, az,
                                              lay.asset_map[:, 0], lay.asset_map[:, 1], **kw)
            step("writing tables and figures")
            res = dam.result
            names = np.array(list(weapons.names) + [""])
            cols: dict[str, Any] = {
                "p_intercept": res.p_intercept, "p_detect": res.p_detect,
                "best_missile": names[res.best_missile], "detect_by_m": res.detect_by_m}
            summary: dict[str, Any] = {
                "scenario": scn.name, "threat": eq.name, "azimuth_deg": azimuth,
                "p_required": pk, "keep_out_m": weapons.keep_out_m,
                "p_intercept_is": "upper bound: single-shot Pk = pk_max (zero miss)",
                "reaction_time_s": weapons.reaction_time_s, "salvo_size": weapons.salvo_size,
                "profile": {"speed_mps": prof.speed_mps, "altitude_m": prof.altitude_m,
                            "terminal_range_m": prof.terminal_range_m,
                            "terminal_altitude_m": prof.terminal_altitude_m,
                            "terminal_speed_mps": prof.terminal_speed_mps,
                            "rcs_m2": prof.rcs_m2, "swerling": prof.swerling},
                "grid": grid, "extent_km": extent_km,
                "defended_area_km2": dam.area_km2(pk),
                "assets": [
                    {"name": name, "p_intercept": float(at_assets.p_intercept[i]),
                     "p_detect": float(at_assets.p_detect[i]),
                     "best_missile": str(names[at_assets.best_missile[i]]),
                     "defended": bool(at_assets.p_intercept[i] >= pk)}
                    for i, name in enumerate(lay.asset_names)],
            }
            with output_dir(target, force) as tmp:
                write_grid(grid_table(east, north, cols, _geodetic(scn)), tmp,
                           "defended_area")
                ground = None
                if lay.terrain is not None:
                    ee, nn = np.meshgrid(east, north)
                    ground = lay.terrain.height_at(ee, nn)
                plot_defended_area(dam, tmp / "defended_area", pk, _sites(lay), ground,
                                   title=f"{plain(scn.name)}: {plain(eq.name)} from "
                                         f"{azimuth:g} deg, "
                                         f"P(kill before {weapons.keep_out_m / 1e3:g} km)")
                summary["out_dir"] = str(target)
                summary["wall_time_s"] = round(time.perf_counter() - t0, 2)
                write_summary(summary, tmp)
        t = Table(title=f"{scn.name}: {eq.name} from {azimuth:g} deg, required P {pk:g}")
        t.add_column("asset")
        t.add_column("P(kill before keep-out), upper bound", justify="right")
        t.add_column("P(detected in time)", justify="right")
        t.add_column("missile")
        t.add_column("defended")
        for a in summary["assets"]:
            t.add_row(a["name"], f"{a['p_intercept']:.3f}", f"{a['p_detect']:.3f}",
                      a["best_missile"] or "-", "yes" if a["defended"] else "no")
        t.add_row("defended area", f"{summary['defended_area_km2']:,.0f} km^2", "", "", "")
        _show(as_json, summary, t)

"""Procurement: how many fire units, where, with which missiles, against the reference raid.

For ``n = 1..N`` fire units (placed by :mod:`triumf.analysis.placement`) and every candidate
loadout, a Monte Carlo campaign of the scenario's raids gives the expected number of leakers
(Student-t interval over replications), the leak probability per threat (Wilson interval),
the interceptors spent and the cost-exchange ratio. Every option runs the same replication
indices with the same seed: common random numbers, so options differ by what was changed, not
by luck. Cost of an option = ``n`` x (fire-unit cost + loadout missiles + site cost).
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.analysis.layout import (
    candidate_sites,
    deploy,
    fire_unit_cost_usd,
    loadout_cost_usd,
    procurement_spec,
    scale_raids,
)
from triumf.analysis.placement import PlacementSolution, solve_placement
from triumf.analysis.reach import reach_matrix
from triumf.analysis.vertical_coverage import detection_range_m, horizon_slant_range_m
from triumf.core.earth import altitude_m
from triumf.core.stats import clustered_proportion, mean_interval
from triumf.equipment.database import EquipmentDatabase
from triumf.montecarlo.batch import merge, run_chunks
from triumf.scenario.compile import compile_scenario
from triumf.scenario.schema import LocalPosition, Scenario
from triumf.sim.engine import RunResult
from triumf.sim.params import SimParams

__all__ = ["PlacementProblem", "OptionResult", "placement_problem", "place", "evaluate",
           "pareto_front", "cost_exchange_ratio", "saturation_curve", "procure", "cheapest_below",
           "evaluate_many", "summarise",
           "DETECTION_PD"]

DETECTION_PD = 0.5
"""Single-look Pd at which the coverage indicator takes a radar's range [E] (median range)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlacementProblem:
    """The data of the maximal-covering MILP built from a scenario.

    Attributes
    ----------
    site_names : tuple of str, length J
    site_xy_m : ndarray, shape (J, 2)
    site_cost_usd : ndarray, shape (J,), USD
        Fire-unit cost plus site preparation.
    pair_asset, pair_axis : tuple of str, length P
        The (asset, axis) pair of each column.
    weights : ndarray, shape (P,)
        Asset value x axis weight.
    reach : ndarray of bool, shape (J, P)
    multiplicity : int
    budget_usd : float or None
    """

    site_names: tuple[str, ...]
    site_xy_m: NDArray[np.float64]
    site_cost_usd: NDArray[np.float64]
    pair_asset: tuple[str, ...]
    pair_axis: tuple[str, ...]
    weights: NDArray[np.float64]
    reach: NDArray[np.bool_]
    multiplicity: int
    budget_usd: float | None


def _axis_figure(db: EquipmentDatabase, threat: str, names: Sequence[str]) -> float:
    eq = db.get(threat)
    for n in names:
        if n in eq.figures:
            return float(eq.value(n))
    raise ValueError(f"procurement.axes: threat {threat} has none of {', '.join(names)}; "
                     "give the axis altitude_m / speed_mps")


def placement_problem(scn: Scenario, db: EquipmentDatabase) -> PlacementProblem:
    """Coverage indicator of every (candidate site, asset x axis pair) for a scenario.

    Compiles the template battalion with one missile of every type named in the loadouts,
    then evaluates :func:`triumf.analysis.reach.reach_matrix`.
    """
    spec = procurement_spec(scn)
    sites = candidate_sites(spec)
    types: dict[str, int] = {}
    for lo in spec.loadouts:
        for m, n in lo.missiles.items():
            if n > 0:
                types[db.get(m).name] = 1
    tpl = deploy(scn, db, np.zeros((1, 2)), ["reach"], types)
    params = compile_scenario(tpl.model_copy(update={"raids": ()}), db)
    mis = params.missiles
    limits = np.stack([mis.min_range_m, mis.max_range_m, mis.min_altitude_m,
                       mis.max_altitude_m], axis=-1)
    alt = np.array([a.altitude_m if a.altitude_m is not None else
                    _axis_figure(db, a.threat, ("terminal_altitude_m", "cruise_altitude_m"))
                    for a in spec.axes])
    speed = np.array([a.speed_mps if a.speed_mps is not None else
                      _axis_figure(db, a.threat, ("terminal_speed_mps", "speed_mps"))
                      for a in spec.axes])
    r_det = np.zeros(len(spec.axes))
    k = params.effective_earth_factor
    for x, ax in enumerate(spec.axes):
        eq = db.get(ax.threat)
        rcs, sw = float(eq.value("rcs_m2")), int(eq.value("swerling"))
        for radar in params.radars:
            h_ant = float(altitude_m(radar.pos))
            r = min(radar.max_range_m, float(horizon_slant_range_m(h_ant, alt[x], k)),
                    detection_range_m(radar, rcs, DETECTION_PD, sw))
            r_det[x] = max(r_det[x], r)
    assets_xy = []
    for a in scn.assets:
        if not isinstance(a.position, LocalPosition):
            raise ValueError(f"assets ({a.name}): triumf place needs local asset positions "
                             "{east_m, north_m}")
        assets_xy.append((a.position.east_m, a.position.north_m))
    axes_xy = [(a.origin.east_m, a.origin.north_m) for a in spec.axes]
    reaction = float(params.c2.reaction_time_s[0])
    reach = reach_matrix(sites.xy_m, assets_xy, axes_xy, alt, speed, r_det, mis.flyout,
                         limits, reaction, scn.doctrine.keep_out_m)   # (J, A, X)
    n_sites = len(sites.names)
    weights = np.array([a.value * ax.weight for a in scn.assets for ax in spec.axes])
    return PlacementProblem(
        site_names=sites.names, site_xy_m=sites.xy_m,
        site_cost_usd=sites.cost_usd + fire_unit_cost_usd(scn, db),
        pair_asset=tuple(a.name for a in scn.assets for _ in spec.axes),
        pair_axis=tuple(ax.name for _ in scn.assets for ax in spec.axes),
        weights=weights, reach=reach.reshape(n_sites, -1),
        multiplicity=spec.coverage_multiplicity, budget_usd=spec.budget_usd)


def place(problem: PlacementProblem, k: int) -> PlacementSolution:
    """Solve the placement MILP for ``k`` fire units (see `solve_placement`)."""
    return solve_placement(problem.reach, problem.weights, k,
                           multiplicity=problem.multiplicity,
                           site_cost_usd=problem.site_cost_usd, budget_usd=problem.budget_usd)


@dataclass
class OptionResult:
    """Monte Carlo result of one deployment against one raid.

    Attributes
    ----------
    leakers : ndarray, shape (R,)
        Hostile threats that leaked, per replication.
    leakers_mean, leakers_low, leakers_high : float
        Mean and 95 % Student-t interval (bounds NaN with one replication: undefined).
    leak_probability, leak_low, leak_high : float
        Leaked / hostile threats over all replications, with a 95 % cluster-robust interval
        (`triumf.core.stats.clustered_proportion`: the threats of one replication are
        correlated, so they are not independent trials); bounds NaN with one replication.
    threats : int
        Hostile threats per replication.
    interceptor_cost_usd : float
        Mean cost of the interceptors fired per replication, USD.
    destroyed_cost_usd : float
        Mean cost of the hostile threats killed per replication, USD.
    cost_exchange : float
        ``interceptor_cost_usd / destroyed_cost_usd`` (inf when nothing was killed).
    interceptors : float
        Mean interceptors fired per replication.
    leakers_by_raid : dict
        Raid name -> mean hostile leakers of that raid per replication.
    """

    leakers: NDArray[np.float64]
    leakers_mean: float
    leakers_low: float
    leakers_high: float
    leak_probability: float
    leak_low: float
    leak_high: float
    threats: int
    interceptor_cost_usd: float
    destroyed_cost_usd: float
    cost_exchange: float
    interceptors: float
    leakers_by_raid: dict[str, float] = field(default_factory=dict)


def cost_exchange_ratio(interceptor_cost_usd: ArrayLike, destroyed_cost_usd: ArrayLike
                        ) -> NDArray[np.float64]:
    """Interceptor cost spent per cost of threats destroyed (inf where nothing was destroyed).

    Parameters
    ----------
    interceptor_cost_usd, destroyed_cost_usd : array_like, shape (...), USD
    """
    spent = np.asarray(interceptor_cost_usd, np.float64)
    gained = np.asarray(destroyed_cost_usd, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(gained > 0, spent / np.where(gained > 0, gained, 1.0),
                                   np.where(spent > 0, np.inf, np.nan)), np.float64)


def evaluate(scn: Scenario, db: EquipmentDatabase, replications: int, chunk: int = 50
             ) -> OptionResult:
    """Run ``replications`` of a deployed scenario and summarise leakers, costs and CER."""
    params = compile_scenario(scn, db)
    return summarise(params, _run(params, replications, chunk), db)


def _run(params: SimParams, replications: int, chunk: int = 50) -> RunResult:
    """All replications of compiled parameters, merged (runs in a worker process)."""
    return merge(run_chunks(params, replications, chunk))


def summarise(params: SimParams, res: RunResult, db: EquipmentDatabase) -> OptionResult:
    """Leakers, leak probability, costs and cost-exchange ratio of a finished run."""
    hostile = np.asarray(params.threats.hostile, bool)
    leaked = np.asarray(res.leaked, bool)[:, hostile]
    killed = np.asarray(res.killed, bool)[:, hostile]
    leakers = leaked.sum(axis=1).astype(np.float64)
    n_thr = int(hostile.sum())
    m_, lo_, hi_ = mean_interval(leakers)
    # one replication: no interval (NaN, shown as "n/a"), never [mean, mean]
    mean, low, high = float(m_), float(lo_), float(hi_)
    # threats of one replication are correlated: cluster-robust interval, not per-threat Wilson
    p_, p_low, p_high, _ = clustered_proportion(leaked) if n_thr else (0.0, np.nan, np.nan, 0.0)
    threat_cost = np.array([db.get(t).value("cost_usd") if "cost_usd" in db.get(t).figures
                            else 0.0 for t in params.threats.type_name])[hostile]
    spent = np.asarray(res.spent, np.float64)                       # (R, Mt)
    spent_cost = spent @ np.asarray(params.missiles.cost_usd, np.float64)
    destroyed = killed.astype(np.float64) @ threat_cost
    cer = cost_exchange_ratio(spent_cost.sum(), destroyed.sum())
    group = np.asarray(params.threats.group)[hostile]
    by_raid = {name: float(leaked[:, group == g].sum(axis=1).mean())
               for g, name in enumerate(params.threats.group_names) if np.any(group == g)}
    return OptionResult(
        leakers=leakers, leakers_mean=float(mean),
        leakers_low=float(max(low, 0.0)) if np.isfinite(low) else float("nan"),
        leakers_high=float(high), leak_probability=float(p_),
        leak_low=float(p_low), leak_high=float(p_high), threats=n_thr,
        interceptor_cost_usd=float(spent_cost.mean()), destroyed_cost_usd=float(destroyed.mean()),
        cost_exchange=float(cer), interceptors=float(spent.sum(axis=1).mean()),
        leakers_by_raid=by_raid)


def pareto_front(cost: ArrayLike, leakers: ArrayLike) -> NDArray[np.bool_]:
    """Options not dominated in (cost, expected leakers), both to be minimised.

    An option is dominated when another costs no more and leaks no more, and is strictly
    better in one of the two.

    Parameters
    ----------
    cost, leakers : array_like, shape (n,)

    Returns
    -------
    ndarray of bool, shape (n,)
    """
    c = np.asarray(cost, np.float64)[:, None]
    lk = np.asarray(leakers, np.float64)[:, None]
    # dominated[i]: some j with c_j <= c_i, l_j <= l_i, one of them strictly
    better = (c.T <= c) & (lk.T <= lk) & ((c.T < c) | (lk.T < lk))
    return np.asarray(~better.any(axis=1), dtype=np.bool_)


def evaluate_many(jobs: Sequence[tuple[str, Scenario]], db: EquipmentDatabase,
                  replications: int, workers: int = 1, progress: Progress | None = None
                  ) -> list[OptionResult]:
    """`evaluate` for several scenarios, on ``workers`` processes (results in job order).

    Each job is ``(label, scenario)``; ``progress`` is called with the label of each job as it
    starts (one process) or finishes (several). Results do not depend on ``workers``.
    """
    if workers <= 1 or len(jobs) <= 1:
        out = []
        for label, scn in jobs:
            if progress is not None:
                progress(label)
            out.append(evaluate(scn, db, replications))
        return out
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    params = [compile_scenario(scn, db) for _, scn in jobs]   # fly-out tables cached here
    results: dict[int, OptionResult] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(_run, p, replications): i for i, p in enumerate(params)}
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = summarise(params[i], fut.result(), db)
            if progress is not None:
                progress(jobs[i][0])
    return [results[i] for i in range(len(jobs))]


def saturation_curve(scn: Scenario, db: EquipmentDatabase, scales: Sequence[float],
                     replications: int, progress: Progress | None = None, workers: int = 1
                     ) -> list[dict[str, Any]]:
    """Leak probability (Wilson interval) as the raid grows.

    Parameters
    ----------
    scn : Scenario
        A deployed scenario (fire units placed and loaded).
    scales : sequence of float
        Multipliers of every raid's count.
    replications, workers : int
        Replications per raid size; processes.

    Returns
    -------
    list of dict
        Per scale: ``scale, threats, leak_probability, leak_low, leak_high, leakers_mean,
        leakers_low, leakers_high``.
    """
    jobs = [(f"saturation x{s:g}", scale_raids(scn, float(s))) for s in scales]
    rows = []
    for s, r in zip(scales, evaluate_many(jobs, db, replications, workers, progress),
                    strict=True):
        rows.append({"scale": float(s), "threats": r.threats,
                     "leak_probability": r.leak_probability, "leak_low": r.leak_low,
                     "leak_high": r.leak_high, "leakers_mean": r.leakers_mean,
                     "leakers_low": r.leakers_low, "leakers_high": r.leakers_high})
    return rows


def cheapest_below(rows: Sequence[dict[str, Any]], limit: float = 1.0) -> dict[str, Any] | None:
    """The cheapest option whose expected leakers are below ``limit`` (None if none is)."""
    ok = [r for r in rows if r["leakers_mean"] < limit]
    return min(ok, key=lambda r: (r["cost_usd"], r["leakers_mean"])) if ok else None


def procure(scn: Scenario, db: EquipmentDatabase, max_units: int | None = None,
            loadouts: Sequence[str] | None = None, replications: int = 8,
            progress: Progress | None = None, workers: int = 1) -> dict[str, Any]:
    """Evaluate every (number of fire units, loadout) option against the reference raid.

    Parameters
    ----------
    scn : Scenario
        With a ``procurement`` section; its raids are the reference raid.
    max_units : int, optional
        Most fire units (default: the section's ``max_units``, at most the number of sites).
    loadouts : sequence of str, optional
        Loadout names to consider (default: all).
    replications : int
        Replications per option (common random numbers across options).
    progress : callable, optional
        Called with a label for each campaign (see `evaluate_many`).
    workers : int
        Processes that run the options' campaigns (results do not depend on it).

    Returns
    -------
    dict
        ``problem`` (PlacementProblem), ``placements`` (n -> PlacementSolution), ``options``
        (list of row dicts, with ``pareto``), ``answer`` (row or None), ``saturation`` (rows,
        for the answer, or the best option if none keeps leakers below 1).
    """
    spec = procurement_spec(scn)
    problem = placement_problem(scn, db)
    n_max = min(max_units or spec.max_units, len(problem.site_names))
    chosen_loadouts = [lo for lo in spec.loadouts if loadouts is None or lo.name in loadouts]
    unknown = sorted(set(loadouts or ()) - {lo.name for lo in spec.loadouts})
    if unknown:
        raise ValueError(f"--loadouts: unknown loadout(s) {', '.join(unknown)}; the scenario "
                         f"has {', '.join(lo.name for lo in spec.loadouts)}")
    placements: dict[int, PlacementSolution] = {}
    deployed: dict[tuple[int, str], Scenario] = {}
    for n in range(1, n_max + 1):
        sol = place(problem, n)
        placements[n] = sol
        names = [problem.site_names[j] for j in sol.chosen]
        for lo in chosen_loadouts:
            deployed[(n, lo.name)] = deploy(scn, db, problem.site_xy_m[sol.chosen], names,
                                            dict(lo.missiles))
    keys = list(deployed)
    results = evaluate_many([(f"{n} fire unit(s), loadout {name}", deployed[(n, name)])
                             for n, name in keys], db, replications, workers, progress)
    rows: list[dict[str, Any]] = []
    missiles = {lo.name: loadout_cost_usd(dict(lo.missiles), db) for lo in chosen_loadouts}
    for (n, lo_name), r in zip(keys, results, strict=True):
        sol = placements[n]
        rows.append({
            "units": n, "loadout": lo_name,
            "sites": "; ".join(problem.site_names[j] for j in sol.chosen),
            "cost_usd": float(sol.cost_usd + n * missiles[lo_name]),
            "coverage": sol.value / sol.total_value if sol.total_value else 0.0,
            "placement_optimal": sol.optimal,
            "leakers_mean": r.leakers_mean, "leakers_low": r.leakers_low,
            "leakers_high": r.leakers_high, "leak_probability": r.leak_probability,
            "leak_low": r.leak_low, "leak_high": r.leak_high, "threats": r.threats,
            "interceptors": r.interceptors,
            "interceptor_cost_usd": r.interceptor_cost_usd,
            "destroyed_cost_usd": r.destroyed_cost_usd,
            "cost_exchange": r.cost_exchange, "replications": replications,
            **{f"leakers {k}": v for k, v in r.leakers_by_raid.items()}})
    front = pareto_front([r["cost_usd"] for r in rows], [r["leakers_mean"] for r in rows])
    for row, f in zip(rows, front, strict=True):
        row["pareto"] = bool(f)
    answer = cheapest_below(rows)
    ref = answer or min(rows, key=lambda r: (r["leakers_mean"], r["cost_usd"]))
    sat = saturation_curve(deployed[(ref["units"], ref["loadout"])], db, spec.raid_scales,
                           replications, progress, workers)
    return {"problem": problem, "placements": placements, "options": rows, "answer": answer,
            "saturation": sat, "saturation_option": ref}

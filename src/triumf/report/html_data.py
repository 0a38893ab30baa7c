"""The data of the HTML report, gathered from a run directory as plain JSON-ready values.

Everything the page shows comes from here: the scenario in brief, the map (sites, coverage
rings, raid routes, terrain shading), the per-threat timeline and stories, the Monte Carlo
results with intervals and the replay of one replication (from ``trajectories.parquet``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from triumf.c2.base import NoFireReason
from triumf.core.earth import altitude_m, horizon_range_m
from triumf.core.stats import mean_interval
from triumf.report.explain import RunDirError, threat_story
from triumf.report.run_data import load_run
from triumf.sense.detection import required_snr_db
from triumf.sense.radar_equation import range_for_snr_m
from triumf.sim.params import SimParams

__all__ = ["COVERAGE_PD", "MAX_REPLAY_SAMPLES", "coverage_ranges_m", "report_data"]

COVERAGE_PD = 0.5
"""Single-look detection probability that defines the coverage ring (convention: the
"detection range" of radar data sheets is usually quoted at Pd 0.5; tag: estimate, the ring
moves by about 10% between Pd 0.3 and 0.8 for Swerling 1)."""

MAX_REPLAY_SAMPLES = 40_000
"""Most object samples embedded for the replay (about 25 bytes each in the page); larger
recordings are thinned by taking every k-th sample of each object (first and last kept)."""

_TERRAIN_PIXELS = 160  # longest side of the embedded hillshade image


def coverage_ranges_m(params: SimParams) -> tuple[list[float], str, float, float]:
    """Detection range of each radar against the raid's most common threat type.

    The range is the smaller of the free-space radar-equation range at which one look
    detects with probability :data:`COVERAGE_PD` (the type's mean RCS and Swerling case) and
    the 4/3-Earth radar horizon between the antenna and the type's cruise altitude (none for
    ballistic types), capped by the radar's instrumented range. The antenna's height is above
    the sphere (`triumf.core.earth.altitude_m`, as the engine's sensing uses it), not the
    engine frame's z, which falls below the origin's tangent plane away from the origin.

    Returns
    -------
    ranges : list of float, metres, one per radar
    type_name : str
    rcs_m2, altitude_m : float
        The threat type, its RCS and altitude used.
    """
    thr = params.threats
    hostile = [i for i in range(thr.count) if thr.hostile[i]]
    if not hostile:
        return [float(r.max_range_m) for r in params.radars], "", math.nan, math.nan
    name = Counter(thr.type_name[i] for i in hostile).most_common(1)[0][0]
    idx = [i for i in hostile if thr.type_name[i] == name]
    rcs = float(np.median(thr.rcs_m2[idx]))
    sw = int(thr.swerling[idx[0]])
    # a route flyer's altitude: the highest point of its route (the cruise altitude the
    # scenario gives); a ballistic body climbs far above any horizon limit, so it gets none
    ballistic = bool(thr.ballistic[idx[0]])
    alt = math.nan if ballistic else max(float(np.median(thr.route[idx, :, 2].max(axis=1))), 0.0)
    out = []
    for r in params.radars:
        snr = required_snr_db(COVERAGE_PD, r.pfa, r.n_pulses, sw)
        rng_m = float(range_for_snr_m(snr, rcs, r.peak_power_w, r.gain_db, r.frequency_hz,
                                      r.pulse_width_s, r.system_temp_k, r.losses_db))
        hor = math.inf if ballistic else float(horizon_range_m(
            max(float(altitude_m(r.pos)), 0.0), alt, params.effective_earth_factor))
        out.append(min(rng_m, hor, float(r.max_range_m)))
    return out, name, rcs, alt


def _hillshade_png(params: SimParams) -> dict[str, Any] | None:
    """The terrain as a small shaded-relief PNG (data: URI) and its map bounds, or None."""
    ter = params.terrain
    if ter is None:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.colors import LightSource

    h = np.asarray(ter.height_m, float)
    step = max(1, int(math.ceil(max(h.shape) / _TERRAIN_PIXELS)))
    hs = h[::step, ::step]
    ls = LightSource(azdeg=315, altdeg=45)
    rgb = ls.shade(hs, cmap=plt.get_cmap("gist_earth"), blend_mode="soft",
                   vert_exag=1.0, dx=ter.spacing_m * step, dy=ter.spacing_m * step)
    buf = io.BytesIO()
    plt.imsave(buf, rgb[::-1], format="png")  # rows run north: flip so north is up
    e1 = ter.east0_m + ter.spacing_m * (h.shape[1] - 1)
    n1 = ter.north0_m + ter.spacing_m * (h.shape[0] - 1)
    return {"png": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii"),
            "east0": ter.east0_m, "north0": ter.north0_m, "east1": e1, "north1": n1,
            "min_m": float(h.min()), "max_m": float(h.max())}


def _num(x: Any, digits: int = 1) -> float | None:
    """A finite float rounded for the page, None for NaN/None."""
    if x is None:
        return None
    v = float(x)
    return round(v, digits) if math.isfinite(v) else None


def _interval(samples: NDArray[np.float64]) -> dict[str, float | None]:
    """Mean and 95% Student-t interval of counts (the low end clipped at 0)."""
    m, lo, hi = mean_interval(samples)
    lo = np.maximum(lo, 0.0)
    return {"mean": _num(m, 3), "low": _num(lo, 3), "high": _num(hi, 3)}


def _timeline(events: Any, outcomes: Any, rep: int) -> list[dict[str, Any]]:
    """Per threat of replication ``rep``: the times of its kill-chain steps and its shots."""
    ev = events.filter(pc.equal(events.column("replication"), rep)).to_pylist()
    rows = outcomes.filter(pc.equal(outcomes.column("replication"), rep)).to_pylist()
    by_thr: dict[int, list[dict[str, Any]]] = {}
    for e in ev:
        if e["threat"] is not None and e["threat"] >= 0:
            by_thr.setdefault(int(e["threat"]), []).append(e)
    out = []
    for row in sorted(rows, key=lambda r: r["threat"]):
        tid = int(row["threat"])
        shots = [{"t": _num(e["time_s"]), "missile": e["missile"] or "?", "unit": e["unit"] or "?"}
                 for e in by_thr.get(tid, []) if e["kind"] == "interceptor_launch"]
        reasons = []
        for e in by_thr.get(tid, []):
            if e["kind"] == "no_fire" and e["reason"]:
                try:
                    desc = NoFireReason[e["reason"].upper()].describe()
                except KeyError:
                    desc = ""
                reasons.append({"t": _num(e["time_s"]), "reason": e["reason"], "text": desc})
        out.append({
            "id": tid, "label": row["label"], "type": str(row["type"]), "raid": str(row["raid"]),
            "hostile": bool(row["hostile"]), "launch": _num(row["t_launch_s"]),
            "detect": _num(row["t_first_detect_s"]), "confirm": _num(row["t_confirm_s"]),
            "kill": _num(row["t_kill_s"]), "leak": _num(row["t_leak_s"]),
            "cause": row.get("leak_cause"), "shots": shots, "reasons": reasons,
        })
    return out


def _results(events: Any, outcomes: Any, summary: dict[str, Any]) -> dict[str, Any]:
    """Leak probability by threat type, missiles spent by type and kills by layer."""
    reps = sorted(set(outcomes.column("replication").to_pylist()))
    leak = {k: v["leak_probability"] for k, v in summary.get("by_threat_type", {}).items()}
    spent = summary.get("interceptors_spent", {})
    # the layer of a kill is the missile type of the first interceptor that killed the body
    rows = events.filter(pc.equal(events.column("kind"), "kill")).select(
        ["replication", "threat", "time_s", "missile"]).to_pylist()
    first: dict[tuple[int, int], dict[str, Any]] = {}
    for k in sorted(rows, key=lambda e: e["time_s"]):
        first.setdefault((k["replication"], k["threat"]), k)
    kills = list(first.values())
    layers = sorted({k["missile"] or "?" for k in kills})
    index = {r: i for i, r in enumerate(reps)}
    by_layer = {}
    for name in layers:
        counts = np.zeros(len(reps))
        for k in kills:
            if (k["missile"] or "?") == name:
                counts[index[k["replication"]]] += 1
        by_layer[name] = _interval(counts)
    return {"replications": len(reps), "leak_by_type": leak, "spent_by_type": spent,
            "kills_by_layer": by_layer, "leak_causes": summary.get("leak_causes", {}),
            "leak_probability": summary.get("leak_probability"),
            "kills": summary.get("kills"), "leakers": summary.get("leakers")}


def _replay(tab: pa.Table | None, rep: int) -> dict[str, Any] | None:
    """Trajectories of replication ``rep`` as compact per-object series, thinned to size."""
    if tab is None:
        return None
    tab = tab.filter(pc.equal(tab.column("replication"), rep))
    if tab.num_rows == 0:
        return None
    stride = max(1, int(math.ceil(tab.num_rows / MAX_REPLAY_SAMPLES)))
    cols = {c: tab.column(c).to_numpy(zero_copy_only=False) for c in
            ("t_s", "kind", "id", "label", "east_m", "north_m", "up_m", "alive",
             "sigma_east_m", "sigma_north_m", "rho_en", "confirmed", "threat_id")}
    kinds = cols["kind"].astype(str)
    objs: list[dict[str, Any]] = []
    key = np.char.add(np.char.add(kinds, ":"), cols["id"].astype(str))
    for k in dict.fromkeys(key.tolist()):
        sel = np.flatnonzero(key == k)
        if stride > 1 and sel.size > 2:
            keep = np.unique(np.r_[sel[::stride], sel[-2:]])
            sel = keep
        kind = kinds[sel[0]]
        obj: dict[str, Any] = {
            "kind": kind, "id": int(cols["id"][sel[0]]), "label": str(cols["label"][sel[0]]),
            "t": np.round(cols["t_s"][sel], 2).tolist(),
            "e": np.round(cols["east_m"][sel]).astype(int).tolist(),
            "n": np.round(cols["north_m"][sel]).astype(int).tolist(),
            "u": np.round(cols["up_m"][sel]).astype(int).tolist(),
            "alive": cols["alive"][sel].astype(bool).astype(int).tolist(),
        }
        if kind == "track":
            se = np.nan_to_num(cols["sigma_east_m"][sel].astype(float))
            sn = np.nan_to_num(cols["sigma_north_m"][sel].astype(float))
            rho = np.nan_to_num(cols["rho_en"][sel].astype(float))
            obj["se"] = np.round(se).astype(int).tolist()
            obj["sn"] = np.round(sn).astype(int).tolist()
            obj["rho"] = np.round(rho, 3).tolist()
            obj["conf"] = [bool(x) for x in cols["confirmed"][sel]]
            thr = cols["threat_id"][sel]
            obj["threat"] = int(thr[~np.isnan(thr.astype(float))].max()) if thr.size else -1
        objs.append(obj)
    t = cols["t_s"]
    return {"replication": rep, "t0": float(t.min()), "t1": float(t.max()), "stride": stride,
            "objects": objs}


def report_data(run_dir: str | Path, params: SimParams | None = None,
                replication: int | None = None) -> dict[str, Any]:
    """Everything the HTML report shows, as JSON-ready values.

    Parameters
    ----------
    run_dir : str or Path
        A directory written by ``triumf run``.
    params : SimParams, optional
        The compiled scenario (compiled from the directory's scenario.yaml when absent).
    replication : int, optional
        Replication of the timeline, stories and replay (default: the first recorded one in
        ``trajectories.parquet``, else the first of the run).

    Raises
    ------
    RunDirError
        The directory is not a run directory.
    """
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario, to_enu

    run = load_run(run_dir)
    root, scn = run.path, run.scenario
    if not (root / "summary.json").is_file():
        raise RunDirError(f"{root}: not a run directory (no summary.json); make one with "
                          f"'triumf run SCENARIO --out DIR'")
    if params is None:
        params = compile_scenario(scn, load_database(scn.equipment_dirs))
    summary, events, outcomes = run.summary, run.events, run.outcomes
    reps = sorted(set(outcomes.column("replication").to_pylist()))
    if replication is None:
        recorded = run.replications_recorded()
        replication = recorded[0] if recorded else (reps[0] if reps else 0)
    elif replication not in reps:
        raise RunDirError(f"--replication: unknown replication {replication}; this run has "
                          f"{min(reps)}..{max(reps)}")
    cover, cover_type, cover_rcs, cover_alt = coverage_ranges_m(params)

    def site(p: Any) -> tuple[float, float]:
        v = to_enu(p, scn.origin)
        return round(float(v[0]), 1), round(float(v[1]), 1)

    assets = [dict(zip(("e", "n"), site(a.position), strict=True), name=a.name,
                   radius=a.radius_m, value=a.value) for a in scn.assets]
    radars = [{"name": r.name, "type": r.type_name, "e": round(float(r.pos[0]), 1),
               "n": round(float(r.pos[1]), 1), "coverage_m": round(c, 1)}
              for r, c in zip(params.radars, cover, strict=True)]
    lp = params.c2.launcher_pos
    launchers = [{"name": params.unit_names[w], "e": round(float(lp[w, 0]), 1),
                  "n": round(float(lp[w, 1]), 1),
                  "load": ", ".join(f"{int(k)} {params.missiles.names[m]}"
                                    for m, k in enumerate(params.loaded[w]) if k)}
                 for w in range(len(params.unit_names))]
    thr = params.threats
    routes = []
    for g, gname in enumerate(thr.group_names):
        idx = np.flatnonzero(thr.group == g)
        if idx.size == 0:
            continue
        route = thr.route[idx[0]]
        pts = [route[0]] + [p for i, p in enumerate(route[1:], 1)
                            if not np.allclose(p, route[i - 1])]
        routes.append({"name": gname, "type": thr.type_name[idx[0]], "count": int(idx.size),
                       "hostile": bool(thr.hostile[idx[0]]),
                       "points": [[round(float(p[0])), round(float(p[1]))] for p in pts]})
    battalions = [{"name": b.name, "radars": [r.name for r in b.radars],
                   "fire_units": [f.name for f in b.fire_units]} for b in scn.battalions]
    raids = [{"name": r.name, "threat": r.threat, "count": r.count} for r in scn.raids]
    stories = {}
    for row in _timeline(events, outcomes, replication):
        try:
            st = threat_story(root, str(row["id"]), replication)
        except RunDirError:
            continue
        stories[str(row["id"])] = {"lines": [[round(t, 1), x] for t, x in st.lines],
                                   "outcome": st.outcome}
    return {
        "meta": {"scenario": scn.name, "description": scn.description or "",
                 "seed": summary.get("seed", scn.seed), "version": summary.get("version", ""),
                 "hash": hashlib.sha256((root / "scenario.yaml").read_bytes()).hexdigest()[:16],
                 "replications": len(reps), "duration_s": scn.duration_s,
                 "replication": replication,
                 "origin": [scn.origin.latitude_deg, scn.origin.longitude_deg]},
        "doctrine": json.loads(scn.doctrine.model_dump_json()),
        "battalions": battalions, "raids": raids,
        "map": {"assets": assets, "radars": radars, "launchers": launchers, "routes": routes,
                "coverage": {"type": cover_type, "rcs_m2": _num(cover_rcs, 3),
                             "altitude_m": _num(cover_alt, 0), "pd": COVERAGE_PD},
                "terrain": _hillshade_png(params)},
        "timeline": _timeline(events, outcomes, replication),
        "stories": stories,
        "results": _results(events, outcomes, summary),
        "replay": _replay(run.trajectories, replication),
    }

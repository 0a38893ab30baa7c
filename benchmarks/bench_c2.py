"""Command-post kernels and Earth helpers: time per call and the gain from batching.

Times ``triumf.c2.engageability.intercept_solutions``, ``triumf.c2.evaluation.evaluate_threats``
and the ``triumf.core.earth`` helpers on a synthetic case shaped like the engine's calls
(one flat batch ``x (1, N, 6)``, eight fire units, four missile types). The baseline, timed in
the same run with interleaved repeats, is the same function on a quarter of the tracks or
points: the ratio of per-item costs shows what batching buys (the engine relies on it).
Correctness is the tests' business (tests/c2, tests/core). Prints JSON with medians.

Usage::

    python benchmarks/bench_c2.py [--repeats 7] [--quick] [--real]

``--real`` uses the fly-out tables and battalion of the shipped ``demo`` scenario (compiling
it builds the tables by simulation, a few seconds) instead of synthetic tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.c2.engageability import intercept_solutions
from triumf.c2.evaluation import evaluate_threats
from triumf.core import earth
from triumf.core.earth import map_to_enu
from triumf.core.tables import FlyoutTable, RegularGridTable

FloatArray = NDArray[np.float64]

# ---------------------------------------------------------------------------------------------
# The synthetic case
# ---------------------------------------------------------------------------------------------

_ALTITUDES_M = np.array(
    [5.0, 50.0, 200.0, 500.0, 1000.0, 2000.0, 4000.0, 7000.0, 10000.0, 14000.0, 19000.0,
     25000.0, 31000.0]
)


@dataclass
class Battalion:
    """Fire units, missile types and defended assets of the benchmark."""

    launcher_pos: FloatArray
    delay_s: FloatArray
    radar_pos: FloatArray
    radar_range_m: FloatArray
    flyout: list[FlyoutTable]
    min_altitude_m: FloatArray
    max_altitude_m: FloatArray
    max_range_m: FloatArray
    min_range_m: FloatArray
    asset_pos: FloatArray
    asset_radius_m: FloatArray
    asset_value: FloatArray
    keep_out_m: float


def synthetic_table(max_range_m: float, v_max: float, ceiling_m: float) -> FlyoutTable:
    """A fly-out table on 48 ranges x 13 altitudes: boost to ``v_max``, then drag decay.

    Time of flight over the slant distance d with a 3 s boost and speed decaying as
    exp(-t / tau); unreachable (NaN) beyond the kinematic range, above the ceiling (lower at
    long range) and for very low points at the longest ranges.
    """
    xr = np.linspace(1000.0, 1.15 * max_range_m, 48)
    X, Y = np.meshgrid(xr, _ALTITUDES_M, indexing="ij")
    d = np.hypot(X, Y)
    tau = 1.2 * max_range_m / v_max
    # distance flown by time t: v_max t^2 / 6 during the boost (3 s), then
    # d_boost + v_max tau (1 - exp(-(t - 3) / tau))
    d_boost = 1.5 * v_max
    frac = np.clip((d - d_boost) / (v_max * tau), -1.0, 0.999)
    t = np.where(d <= d_boost, np.sqrt(2.0 * d * 3.0 / v_max), 3.0 - tau * np.log1p(-frac))
    spd = np.where(d <= d_boost, v_max * t / 3.0, v_max * np.exp(-(t - 3.0) / tau))
    bad = (d > 1.05 * max_range_m) | (Y > ceiling_m * (1.0 - 0.4 * X / xr[-1]))
    bad |= (Y < 60.0) & (X > 0.9 * max_range_m)
    t = np.where(bad, np.nan, t)
    spd = np.where(bad, np.nan, spd)
    return FlyoutTable(
        RegularGridTable(xr, _ALTITUDES_M, t), RegularGridTable(xr, _ALTITUDES_M, spd)
    )


def synthetic_battalion() -> Battalion:
    """Eight launchers a few km apart, four missile types (400/250/200/120 km class)."""
    rng = np.random.default_rng(7)
    launchers = map_to_enu(rng.uniform(-9e3, -3e3, 8), rng.uniform(-7e3, 0.0, 8), 0.0)
    radar = np.repeat(map_to_enu(-6e3, -3e3, 25.0)[None], 8, axis=0)
    types = [(380e3, 2000.0, 30e3), (250e3, 2000.0, 30e3), (200e3, 1900.0, 27e3),
             (120e3, 1000.0, 30e3)]
    return Battalion(
        launcher_pos=launchers,
        delay_s=np.full(8, 10.0),
        radar_pos=radar,
        radar_range_m=np.full(8, 400e3),
        flyout=[synthetic_table(*t) for t in types],
        min_altitude_m=np.array([10.0, 10.0, 10.0, 5.0]),
        max_altitude_m=np.array([30e3, 30e3, 27e3, 30e3]),
        max_range_m=np.array([t[0] for t in types]),
        min_range_m=np.array([5e3, 3e3, 3e3, 1e3]),
        asset_pos=map_to_enu(np.array([12e3, 8e3]), np.array([8e3, -18e3]), 0.0),
        asset_radius_m=np.array([2500.0, 6000.0]),
        asset_value=np.array([10.0, 8.0]),
        keep_out_m=5000.0,
    )


def demo_battalion() -> Battalion:
    """The battalion and fly-out tables of the shipped demo scenario."""
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import example_path, load_scenario

    db = load_database()
    scn = load_scenario(example_path("demo"), db)[0]
    c2 = compile_scenario(scn, db).c2
    bat = c2.launcher_battalion
    return Battalion(
        launcher_pos=c2.launcher_pos,
        delay_s=c2.reaction_time_s[bat],
        radar_pos=c2.radar_pos[bat],
        radar_range_m=c2.radar_range_m[bat],
        flyout=list(c2.flyout),
        min_altitude_m=c2.min_altitude_m,
        max_altitude_m=c2.max_altitude_m,
        max_range_m=c2.max_range_m,
        min_range_m=c2.min_range_m,
        asset_pos=c2.asset_pos,
        asset_radius_m=c2.asset_radius_m,
        asset_value=c2.asset_value,
        keep_out_m=float(np.max(c2.keep_out_m)),
    )


def tracks(n: int, centre: FloatArray, seed: int = 0) -> FloatArray:
    """``n`` hostile tracks, shape (1, n, 6): 5-300 km out, 70 % air-breathing, 30 % ballistic.

    Air-breathing: 50-1000 m/s, 10 m-15 km (log-uniform), nearly level, heading roughly at the
    battalion. Ballistic: 1000-2500 m/s, 5-30 km, diving at 17-57 degrees.
    """
    rng = np.random.default_rng(seed)
    s = rng.uniform(5e3, 300e3, n)
    brg = rng.uniform(0.0, 2.0 * np.pi, n)
    bal = rng.random(n) < 0.3
    alt = np.where(
        bal, rng.uniform(5e3, 30e3, n), np.exp(rng.uniform(np.log(10.0), np.log(15e3), n))
    )
    pos = map_to_enu(centre[0] + s * np.sin(brg), centre[1] + s * np.cos(brg), alt)
    spd = np.where(bal, rng.uniform(1000.0, 2500.0, n), rng.uniform(50.0, 1000.0, n))
    hd = brg + np.pi + rng.normal(0.0, 0.4, n)
    gam = np.where(bal, -rng.uniform(0.3, 1.0, n), rng.normal(0.0, 0.03, n))
    vel = np.stack(
        [spd * np.cos(gam) * np.sin(hd), spd * np.cos(gam) * np.cos(hd), spd * np.sin(gam)], -1
    )
    return np.concatenate([pos, vel], -1)[None]



# ---------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------


def _median_times(
    fns: dict[str, Callable[[], Any]], repeats: int, min_time_s: float = 0.05
) -> dict[str, float]:
    """Median seconds per call of each function, repeats interleaved (shared noisy machine)."""
    loops = {}
    for name, fn in fns.items():
        fn()  # warm up (caches, lazily built tables)
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        loops[name] = max(1, int(min_time_s / max(once, 1e-7)))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            n = loops[name]
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - t0) / n)
    return {name: statistics.median(v) for name, v in samples.items()}


def _scaling(fn: Callable[[int], Callable[[], Any]], n: int, repeats: int,
             min_time_s: float = 0.05) -> dict[str, Any]:
    """Time ``fn(n)()`` and the baseline ``fn(n // 4)()``; per-item costs and their ratio."""
    small = max(1, n // 4)
    t = _median_times({"full": fn(n), "baseline": fn(small)}, repeats, min_time_s)
    return {
        "n": n, "s_per_call": t["full"], "baseline_n": small, "baseline_s_per_call": t["baseline"],
        "s_per_item": t["full"] / n,
        "batching_gain": (t["baseline"] / small) / (t["full"] / n),
    }


def _intercept_call(bat: Battalion, n: int) -> Callable[[], Any]:
    x = tracks(n, bat.launcher_pos.mean(axis=0), seed=n)
    return partial(
        intercept_solutions, x=x, launcher_pos=bat.launcher_pos, launch_delay_s=bat.delay_s,
        flyout=bat.flyout, min_altitude_m=bat.min_altitude_m, max_altitude_m=bat.max_altitude_m,
        max_range_m=bat.max_range_m, min_range_m=bat.min_range_m,
        t_go_s=np.full((1, n), 300.0), engagement_radar_pos=bat.radar_pos,
        engagement_radar_range_m=bat.radar_range_m,
    )


def _threats_call(bat: Battalion, n: int) -> Callable[[], Any]:
    x = tracks(n, bat.launcher_pos.mean(axis=0), seed=10_000 + n)
    return partial(evaluate_threats, x, np.ones((1, n), bool), bat.asset_pos,
                   bat.asset_radius_m, bat.asset_value, bat.keep_out_m)


_EARTH: list[tuple[str, Callable[..., Any], int]] = [
    ("ground_range_m", earth.ground_range_m, 2),
    ("altitude_m", earth.altitude_m, 1),
    ("above_radar_horizon", earth.above_radar_horizon, 2),
    ("up_unit", earth.up_unit, 1),
    ("gravity_mps2", earth.gravity_mps2, 1),
    ("local_aer", earth.local_aer, 2),
]


def _earth_call(func: Callable[..., Any], n_args: int, n: int) -> Callable[[], Any]:
    rng = np.random.default_rng(3)
    scale = np.array([1.0, 1.0, 0.03])
    pts = [rng.uniform(-3e5, 3e5, (n, 3)) * scale for _ in range(n_args)]
    return partial(func, *pts)


def bench(repeats: int, quick: bool, real: bool) -> dict[str, Any]:
    """Run every benchmark; return the JSON-ready results."""
    bat = demo_battalion() if real else synthetic_battalion()
    sizes_eng = [100, 1000] if quick else [100, 500, 1000, 2000]
    sizes_eval = [200, 4000] if quick else [200, 1000, 4000]
    return {
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "processor": platform.machine(), "cpus": os.cpu_count()},
        "repeats": repeats,
        "timing": "median seconds per call; full size and quarter-size baseline interleaved",
        "tables": "demo scenario" if real else "synthetic 48 ranges x 13 altitudes",
        "intercept_solutions": [_scaling(partial(_intercept_call, bat), n, repeats)
                                for n in sizes_eng],
        "evaluate_threats": [_scaling(partial(_threats_call, bat), n, repeats)
                             for n in sizes_eval],
        "earth": [dict(function=name, **_scaling(partial(_earth_call, f, k), 10_000, repeats,
                                                  min_time_s=0.02))
                  for name, f, k in _EARTH],
    }


def main() -> None:
    """Parse the options, run, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7, help="timed repeats (medians), >= 5")
    ap.add_argument("--quick", action="store_true", help="fewer sizes")
    ap.add_argument("--real", action="store_true", help="demo scenario's fly-out tables")
    opts = ap.parse_args()
    print(json.dumps(bench(max(opts.repeats, 1), opts.quick, opts.real), indent=2))


if __name__ == "__main__":
    main()

"""Terrain line of sight: the per-radar mask table against a brute-force ray march.

One scan of five radars over (R=256, T=100) targets on a 160 km x 160 km synthetic terrain
(200 m grid, fractal relief, two ridges and a hill). The candidate is
``triumf.sense.visibility.TerrainMask.visible`` (O(1) per radar-target pair after a one-off
table build per radar, timed separately). The baseline, timed in the same run, is
``los_ray_march`` (one terrain look-up per sample along each ray) on a subset of the pairs; its
time is scaled to all pairs to give the ratio. The smooth-Earth horizon test alone (what
the engine does without terrain) is timed too, for the cost of terrain. The agreement of
table and march on the subset is reported (correctness is tested in
tests/sense/test_visibility.py). Prints JSON.

Usage::

    python benchmarks/bench_visibility.py [--repeats 5] [--subset 200] [--samples 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np
from _timing import median_seconds

from triumf.core.earth import above_radar_horizon, map_to_enu
from triumf.core.terrain_synthetic import Hill, Ridge, synthetic_terrain
from triumf.sense.visibility import build_terrain_mask, los_ray_march


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--subset", type=int, default=200, help="pairs per radar ray-marched")
    ap.add_argument("--samples", type=int, default=1000, help="samples per marched ray")
    args = ap.parse_args()

    n_rep, n_thr, n_rad = 256, 100, 5
    terrain = synthetic_terrain(
        -80000.0, -80000.0, (801, 801), 200.0, seed=1, rms_m=40.0,
        ridges=[Ridge(20000.0, -30000.0, 25000.0, 40000.0, 500.0, 1500.0),
                Ridge(-40000.0, 10000.0, -10000.0, 35000.0, 350.0, 1200.0)],
        hills=[Hill(-15000.0, -20000.0, 600.0, 3000.0)],
    )
    g = np.random.default_rng(0)  # benchmark geometry only
    site = g.uniform(-8000.0, 8000.0, (n_rad, 2))
    radars = [map_to_enu(e, n, float(terrain.height_at(e, n)) + 10.0) for e, n in site]
    e = g.uniform(-75000.0, 75000.0, (n_rep, n_thr))
    n = g.uniform(-75000.0, 75000.0, (n_rep, n_thr))
    pos = map_to_enu(e, n, terrain.height_at(e, n) + g.uniform(10.0, 3000.0, (n_rep, n_thr)))

    t0 = time.perf_counter()
    masks = [build_terrain_mask(r, terrain) for r in radars]
    t_build = time.perf_counter() - t0

    def table() -> list[np.ndarray]:
        return [m.visible(pos) for m in masks]

    flat = pos.reshape(-1, 3)
    idx = g.choice(flat.shape[0], args.subset, replace=False)

    def march() -> list[np.ndarray]:
        return [los_ray_march(r, flat[idx], terrain, n_samples=args.samples) for r in radars]

    def horizon_only() -> list[np.ndarray]:
        return [above_radar_horizon(r, pos) for r in radars]

    t_table = median_seconds(table, args.repeats)
    t_horizon = median_seconds(horizon_only, args.repeats)
    t_march = median_seconds(march, max(1, args.repeats // 2))
    pairs = n_rep * n_thr * n_rad
    per_pair_march = t_march / (args.subset * n_rad)
    vis_t = table()
    vis_m = march()
    agree = float(np.mean([np.mean(vt.reshape(-1)[idx] == vm)
                           for vt, vm in zip(vis_t, vis_m, strict=True)]))
    out = {
        "name": "visibility_terrain",
        "shape": {"R": n_rep, "T": n_thr, "radars": n_rad, "terrain_nodes": terrain.shape},
        "table": {"az_step_deg": float(np.degrees(masks[0].az_step_rad)),
                  "range_step_m": masks[0].range_step_m,
                  "build_s_per_radar": round(t_build / n_rad, 3)},
        "median_s_per_scan_all_radars": round(t_table, 4),
        "us_per_pair": round(1e6 * t_table / pairs, 3),
        "smooth_earth_horizon_only_median_s": round(t_horizon, 4),
        "baseline": f"los_ray_march, {args.samples} samples per ray, {args.subset} pairs/radar",
        "baseline_median_s_subset": round(t_march, 3),
        "baseline_us_per_pair": round(1e6 * per_pair_march, 1),
        "speedup": round(per_pair_march * pairs / t_table, 1),
        "agreement_on_subset": round(agree, 4),
        "repeats": args.repeats,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

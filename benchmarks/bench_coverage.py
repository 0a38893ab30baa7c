"""Coverage map: a 1000 x 1000 grid, five radars and terrain, against a per-point loop.

Candidate: :func:`triumf.analysis.coverage.coverage_map` (whole-grid array operations in blocks
of rows, one Python loop over the radars; terrain mask tables built once per radar and timed
separately). Baseline, timed in the same run: the naive per-point loop a script would write:
for each grid point and each radar, the scalar visibility test, a ray march over the terrain
(:func:`triumf.sense.visibility.los_ray_march`) and the exact Swerling Pd
(:func:`triumf.sense.detection.detection_probability`), on a random subsample of the points;
its time is scaled to the whole grid to give the ratio. The agreement of the two on the
subsample is reported. Terrain: 160 km x 160 km synthetic (200 m grid, fractal relief, two
ridges, a hill). Prints JSON.

Usage::

    python benchmarks/bench_coverage.py [--grid 1000] [--repeats 3] [--subset 100] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np
from _timing import median_call, median_seconds

from triumf.analysis.coverage import coverage_map, square_grid
from triumf.core.earth import local_frame, map_to_enu
from triumf.core.terrain_synthetic import Hill, Ridge, synthetic_terrain
from triumf.sense.base import RadarParams
from triumf.sense.detection import detection_probability
from triumf.sense.radar_equation import snr_db
from triumf.sense.scan import in_sector, visibility
from triumf.sense.visibility import los_ray_march, radar_terrain_masks


def _radars(terrain: object, sites: np.ndarray) -> list[RadarParams]:
    out = []
    for i, (e, n) in enumerate(sites):
        pos = map_to_enu(e, n, float(terrain.height_at(e, n)) + 20.0)  # type: ignore[attr-defined]
        out.append(RadarParams(
            name=f"r{i}", type_name="bench", battalion=0, pos=pos, rot=local_frame(pos),
            frequency_hz=3.0e9, peak_power_w=1.0e6, gain_db=38.0, pulse_width_s=1.0e-6,
            n_pulses=4, losses_db=6.0, system_temp_k=500.0, pfa=1.0e-6,
            az_beamwidth_rad=0.02, el_beamwidth_rad=0.02, range_resolution_m=150.0,
            max_range_m=400_000.0, min_elevation_rad=np.deg2rad(-3.0),
            max_elevation_rad=np.deg2rad(75.0), revisit_s=10.0, engagement=False))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--subset", type=int, default=100, help="points in the per-point baseline")
    ap.add_argument("--quick", action="store_true", help="400 x 400 grid, 1 repeat, 40 points")
    args = ap.parse_args()
    if args.quick:
        args.grid, args.repeats, args.subset = 400, 1, 40

    terrain = synthetic_terrain(
        -80000.0, -80000.0, (801, 801), 200.0, seed=1, rms_m=40.0,
        ridges=[Ridge(20000.0, -30000.0, 25000.0, 40000.0, 500.0, 1500.0),
                Ridge(-40000.0, 10000.0, -10000.0, 35000.0, 350.0, 1200.0)],
        hills=[Hill(-15000.0, -20000.0, 600.0, 3000.0)],
    )
    g = np.random.default_rng(0)  # benchmark geometry only
    radars = _radars(terrain, g.uniform(-10000.0, 10000.0, (5, 2)))
    east, north = square_grid(150_000.0, args.grid)
    alt, rcs, sw = 300.0, 1.0, 1

    t0 = time.perf_counter()
    radar_terrain_masks([r.pos for r in radars], terrain)  # built once, cached
    t_build = time.perf_counter() - t0

    def candidate() -> object:
        return coverage_map(radars, east, north, alt, rcs, sw, above_ground=True,
                            terrain=terrain)

    t_cand, cov = median_call(candidate, args.repeats)

    jj = g.integers(0, north.size, args.subset)
    ii = g.integers(0, east.size, args.subset)

    def per_point() -> np.ndarray:
        out = np.zeros((len(radars), args.subset))
        for k in range(args.subset):
            e, n = east[ii[k]], north[jj[k]]
            pos = map_to_enu(e, n, float(terrain.height_at(e, n)) + alt)
            for s, r in enumerate(radars):
                vis, rng_m, az, _ = visibility(r, pos)
                if not (vis and in_sector(r, az) and los_ray_march(r.pos, pos, terrain)):
                    continue
                snr = snr_db(rng_m, rcs, r.peak_power_w, r.gain_db, r.frequency_hz,
                             r.pulse_width_s, r.system_temp_k, r.losses_db)
                out[s, k] = float(detection_probability(snr, r.pfa, r.n_pulses, sw))
        return out

    t_base = median_seconds(per_point, max(1, args.repeats))
    ref = per_point()
    got = cov.pd[:, jj, ii]  # type: ignore[attr-defined]
    points = args.grid * args.grid
    base_scaled = t_base / args.subset * points
    print(json.dumps({
        "name": "coverage_map",
        "shape": {"grid": [args.grid, args.grid], "radars": len(radars),
                  "terrain_nodes": list(terrain.shape)},
        "terrain_mask_build_s_all_radars": round(t_build, 3),
        "median_s": round(t_cand, 3),
        "us_per_point_radar": round(1e6 * t_cand / (points * len(radars)), 4),
        "baseline": f"per-point loop (scalar visibility, ray march, exact Pd), "
                    f"{args.subset} points",
        "baseline_median_s_subset": round(t_base, 3),
        "baseline_scaled_to_grid_s": round(base_scaled, 1),
        "speedup": round(base_scaled / t_cand, 1),
        "agreement_visible": float(np.mean((got > 0) == (ref > 0))),
        "max_abs_pd_difference_where_both_visible": float(
            np.max(np.abs(got - ref)[(got > 0) & (ref > 0)], initial=0.0)),
        "repeats": args.repeats,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "numpy": np.__version__},
    }, indent=2))


if __name__ == "__main__":
    main()

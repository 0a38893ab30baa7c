"""Per-scan cost of the tracker, :func:`triumf.track.manager.process_scan`, and its batching gain.

Runs on realistic synthetic scans: R replications, K = 84 track slots, D = 34 detection slots,
30 targets per replication (``--targets``) 50-300 km from three radars, moving at
50-2000 m/s, detected with probability 0.55 and sigma = (50 m, 2 mrad, 2 mrad), plus false
alarms. The track tables are taken from a warm-up run, so most slots hold confirmed tracks
and a few tentative ones. The baseline, timed in the same run, is the same function on the
first R/4 replications of the same scans: the ratio of per-replication costs is the gain from
batching. (Agreement with a plain dense reference implementation is a test:
tests/track/test_manager_reference.py.)

Prints JSON: median seconds per scan (median over scans, then over repeats; wall clock and
process CPU time), minor page faults per scan, sizes.

Usage: ``python benchmarks/bench_tracker.py [--reps 200] [--repeats 7] [--scans 20]
[--targets 30]``
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import resource
import time

import numpy as np
from numpy.typing import NDArray

from triumf.sense.base import Detections
from triumf.track.base import TrackerParams, Tracks
from triumf.track.manager import process_scan

K_SLOTS = 84
D_SLOTS = 34
N_TARGETS = 30
SIGMA = np.array([50.0, 2e-3, 2e-3])  # range m, azimuth rad, elevation rad
RADARS = (np.array([0.0, 0.0, 20.0]), np.array([3e4, -2e4, 30.0]), np.array([-4e4, 1e4, 25.0]))
SCAN_PERIOD_S = 1.5


# ---------------------------------------------------------------------------------------------
# synthetic scans
# ---------------------------------------------------------------------------------------------


def make_targets(
    R: int, rng: np.random.Generator, n_targets: int = N_TARGETS
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Straight-line targets: start positions (R, T, 3) 50-300 km out, velocities 50-2000 m/s."""
    shape = (R, n_targets)
    rng_m = rng.uniform(5e4, 3e5, shape)
    az = rng.uniform(0.0, 2.0 * np.pi, shape)
    p0 = np.stack([rng_m * np.sin(az), rng_m * np.cos(az), rng.uniform(50.0, 2e4, shape)], -1)
    speed = rng.uniform(50.0, 2000.0, shape)
    heading = rng.uniform(0.0, 2.0 * np.pi, shape)
    v = np.stack(
        [speed * np.sin(heading), speed * np.cos(heading), rng.normal(0.0, 20.0, shape)], -1
    )
    return p0, v


def make_scan(
    p0: NDArray[np.float64],
    v: NDArray[np.float64],
    radar: NDArray[np.float64],
    t: float,
    rng: np.random.Generator,
    p_detect: float = 0.55,
    n_false: int = 4,
) -> Detections:
    """One noisy range/azimuth/elevation scan, detections in shuffled slots."""
    R, T, _ = p0.shape
    rel = p0 + v * t - radar
    rng_m = np.linalg.norm(rel, axis=-1)
    z = np.stack(
        [rng_m, np.arctan2(rel[..., 0], rel[..., 1]), np.arcsin(rel[..., 2] / rng_m)], -1
    )
    z += rng.normal(size=z.shape) * SIGMA
    false = np.stack(
        [
            rng.uniform(5e4, 3e5, (R, n_false)),
            rng.uniform(0.0, 2.0 * np.pi, (R, n_false)),
            rng.uniform(0.0, 0.2, (R, n_false)),
        ],
        -1,
    )
    z_all = np.concatenate([z, false], axis=1)
    valid_all = np.concatenate(
        [rng.random((R, T)) < p_detect, rng.random((R, n_false)) < 0.5], axis=1
    )
    order = np.argsort(rng.random((R, T + n_false)), axis=1)[:, :D_SLOTS]
    rows = np.arange(R)[:, None]
    zz = np.tile([1.0, 0.0, 0.0], (R, D_SLOTS, 1))
    valid = np.zeros((R, D_SLOTS), dtype=bool)
    zz[:, : order.shape[1]] = z_all[rows, order]
    valid[:, : order.shape[1]] = valid_all[rows, order]
    return Detections(
        time_s=t,
        sensor_index=0,
        sensor_pos=radar,
        sensor_rot=np.eye(3),
        z=zz,
        sigma=np.broadcast_to(SIGMA, zz.shape).copy(),
        valid=valid,
        iff_friend=rng.random((R, D_SLOTS)) < 0.02,
    )


def make_cases(
    R: int, n_warm: int, n_scans: int, seed: int = 0, n_targets: int = N_TARGETS
) -> tuple[list[tuple[Tracks, Detections, float, NDArray[np.bool_]]], TrackerParams]:
    """Inputs of ``n_scans`` consecutive scans after a warm-up of ``n_warm`` scans."""
    rng = np.random.default_rng(seed)
    params = TrackerParams(capacity=K_SLOTS)
    p0, v = make_targets(R, rng, n_targets)
    tracks = Tracks.empty(R, K_SLOTS)
    cases = []
    for k in range(n_warm + n_scans):
        t = SCAN_PERIOD_S * k
        det = make_scan(p0, v, RADARS[k % len(RADARS)], t, rng)
        could_see = tracks.live & (rng.random(tracks.live.shape) < 0.95)
        if k >= n_warm:
            cases.append((tracks, det, t, could_see))
        tracks = process_scan(tracks, det, t, params, could_see).tracks
    return cases, params


# ---------------------------------------------------------------------------------------------
# timing
# ---------------------------------------------------------------------------------------------


def time_per_scan(fn, cases, params) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median wall and CPU time of one scan over ``cases`` (s), and minor page faults per scan."""
    wall, cpu = [], []
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for tracks, det, t, could_see in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(tracks, det, t, params, could_see)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / len(cases)
    return float(np.median(wall)), float(np.median(cpu)), faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="replications R")
    parser.add_argument("--repeats", type=int, default=7, help="timing repeats (median)")
    parser.add_argument("--scans", type=int, default=20, help="scans timed per repeat")
    parser.add_argument("--warm", type=int, default=40, help="warm-up scans")
    parser.add_argument("--targets", type=int, default=N_TARGETS, help="targets per replication")
    args = parser.parse_args()

    small = max(1, args.reps // 4)
    cases, params = make_cases(args.reps, args.warm, args.scans, n_targets=args.targets)
    small_cases = [(tr.take(slice(0, small)), _take_det(det, small), t, cs[:small])
                   for tr, det, t, cs in cases]
    base_runs, opt_runs = [], []
    for _ in range(args.repeats):  # interleaved, so that machine noise hits both alike
        base_runs.append(time_per_scan(process_scan, small_cases, params))
        opt_runs.append(time_per_scan(process_scan, cases, params))
    base_s, base_cpu, base_faults = (float(np.median(v)) for v in zip(*base_runs, strict=True))
    opt_s, opt_cpu, opt_faults = (float(np.median(v)) for v in zip(*opt_runs, strict=True))
    live = np.mean([c[0].live.sum(axis=1).mean() for c in cases])
    valid = np.mean([c[1].valid.sum(axis=1).mean() for c in cases])
    print(
        json.dumps(
            {
                "benchmark": "track.manager.process_scan",
                "R": args.reps,
                "baseline": f"same function, first {small} replications of the same scans",
                "targets_per_rep": args.targets,
                "K": K_SLOTS,
                "D": D_SLOTS,
                "mean_live_tracks_per_rep": round(float(live), 2),
                "mean_valid_detections_per_rep": round(float(valid), 2),
                "scans_per_repeat": args.scans,
                "repeats": args.repeats,
                "s_per_scan": opt_s,
                "baseline_s_per_scan": base_s,
                "s_per_replication_scan": opt_s / args.reps,
                "batching_gain": (base_s / small) / (opt_s / args.reps),
                "cpu_s_per_scan": opt_cpu,
                "baseline_cpu_s_per_scan": base_cpu,
                "minor_page_faults_per_scan": opt_faults,
                "baseline_minor_page_faults_per_scan": base_faults,
                "numpy": np.__version__,
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


def _take_det(det: Detections, n: int) -> Detections:
    """The first ``n`` replications of a scan."""
    return dataclasses.replace(det, z=det.z[:n], sigma=det.sigma[:n], valid=det.valid[:n],
                               iff_friend=det.iff_friend[:n])


if __name__ == "__main__":
    main()

"""Interceptor flight: interceptor-seconds simulated per second, batched against a Python loop.

A batch of interceptors (default 1000, of the shipped S-400 missile types, launched toward
points spread over range and altitude) is flown for a fixed time with the engine's equations:
lofted proportional navigation (:func:`triumf.engage.guidance.intercept_command`), the
first-order guidance lag (:func:`triumf.engage.homing.lag_step`) and one RK4 step of the
point-mass dynamics (:func:`triumf.engage.dynamics.step`) per sub-step. The baseline, timed in
the same run with interleaved repeats, is a plain Python loop over the interceptors calling the
same functions on one interceptor at a time (same step, same physics); it runs a subset of the
batch and its rate is per interceptor-second, so the two rates compare directly. The final
states of the loop and of the batch are checked to agree. Prints JSON with medians.

Usage::

    PYTHONPATH=src python benchmarks/bench_interceptors.py [--n 1000] [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

import numpy as np
from numpy.typing import NDArray

from triumf.core.earth import map_to_enu, up_unit
from triumf.engage.dynamics import MissileKinematics, step
from triumf.engage.guidance import intercept_command
from triumf.engage.homing import lag_step
from triumf.equipment.database import load_database
from triumf.scenario.compile import _missiles

FloatArray = NDArray[np.float64]
_TYPES = ["9M96E2", "48N6E3", "40N6E"]


def _case(n: int) -> dict[str, object]:
    """Initial states, aim points and per-interceptor parameters for n interceptors."""
    types = _missiles(_TYPES, load_database())
    gen = np.random.default_rng(1)  # benchmark set-up only, not the simulation
    mt = np.arange(n) % len(_TYPES)
    rng_m = gen.uniform(20e3, 100e3, n)
    alt = gen.uniform(1e3, 20e3, n)
    aim = map_to_enu(rng_m, np.zeros(n), alt)
    pos = np.zeros((n, 3))
    # start one second into flight, already pitched 45 degrees toward the aim point
    vel = 300.0 * (up_unit(pos) + aim / np.linalg.norm(aim, axis=-1)[:, None]) / np.sqrt(2.0)
    return dict(
        kin=types.kin.take(mt), pos=pos, vel=vel, aim=aim, nav=types.nav_gain[mt],
        loft=types.loft_factor[mt], max_loft=types.max_loft_m[mt],
        tau=types.setting("guidance_time_constant_s")[mt],
    )


def _fly(c: dict[str, object], idx: NDArray[np.intp], t_end: float, dt: float
         ) -> tuple[FloatArray, FloatArray]:
    """Fly interceptors ``idx`` as one batch."""
    kin = c["kin"]
    assert isinstance(kin, MissileKinematics)
    sub = kin.take(idx)
    pos = np.asarray(c["pos"])[idx].copy()
    vel = np.asarray(c["vel"])[idx].copy()
    aim = np.asarray(c["aim"])[idx]
    nav, loft = np.asarray(c["nav"])[idx], np.asarray(c["loft"])[idx]
    max_loft, tau = np.asarray(c["max_loft"])[idx], np.asarray(c["tau"])[idx]
    acc = np.zeros_like(pos)
    zero = np.zeros_like(pos)
    t = 1.0
    while t < t_end - 1e-9:
        cmd = intercept_command(pos, vel, aim, zero, nav, loft, max_loft)
        acc, a_mean = lag_step(acc, cmd, tau, dt)
        pos, vel = step(pos, vel, np.full(idx.size, t), a_mean, dt, sub)
        t += dt
    return pos, vel


def _loop(c: dict[str, object], idx: NDArray[np.intp], t_end: float, dt: float
          ) -> tuple[FloatArray, FloatArray]:
    """The same flight, one interceptor at a time in a Python loop."""
    out_p, out_v = [], []
    for i in idx:
        p, v = _fly(c, np.array([i]), t_end, dt)
        out_p.append(p[0])
        out_v.append(v[0])
    return np.array(out_p), np.array(out_v)


def main() -> None:
    """Run the benchmark and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="interceptors in the batch")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="short flight, 3 repeats")
    args = ap.parse_args()
    repeats = 3 if args.quick else args.repeats
    t_end = 3.0 if args.quick else 11.0
    dt = 0.05
    c = _case(args.n)
    batch_idx = np.arange(args.n)
    loop_idx = np.arange(min(args.n, 20))
    bp, bv = _fly(c, batch_idx, t_end, dt)
    lp, lv = _loop(c, loop_idx, t_end, dt)
    agree = bool(np.allclose(bp[loop_idx], lp, rtol=1e-9, atol=1e-6))
    flown_s = t_end - 1.0
    batch_rates, loop_rates = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        _fly(c, batch_idx, t_end, dt)
        batch_rates.append(args.n * flown_s / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        _loop(c, loop_idx, t_end, dt)
        loop_rates.append(loop_idx.size * flown_s / (time.perf_counter() - t0))
    b, lo = statistics.median(batch_rates), statistics.median(loop_rates)
    print(json.dumps({
        "benchmark": "interceptors",
        "interceptors": args.n, "loop_interceptors": int(loop_idx.size),
        "flight_s": flown_s, "step_s": dt, "repeats": repeats,
        "batch_interceptor_s_per_s_median": round(b, 1),
        "loop_interceptor_s_per_s_median": round(lo, 1),
        "ratio_batch_over_loop": round(b / lo, 1),
        "loop_and_batch_agree": agree,
        "python": platform.python_version(), "cpus": os.cpu_count(),
    }, indent=2))


if __name__ == "__main__":
    main()

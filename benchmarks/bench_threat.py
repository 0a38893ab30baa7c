"""Threat flight: simulated threat-seconds per second, batched against a per-replication loop.

Flies the threats of the shipped ``demo`` scenario (boosted rockets with drag, sea-skimmers with
an S-turn, cruise missiles with coordinated turns, diving drones) for 600 s at the engine's
0.5 s tick, once as one batch of R replications and once as a Python loop over the same R
replications one at a time (the same equations; the loop is the baseline). Prints JSON with
medians of several interleaved repeats and the ratio.

Usage::

    python benchmarks/bench_threat.py [--replications 32] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import numpy as np

from triumf.core import rng
from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario
from triumf.threat.raid import advance, init_truth

_SPAN_S = 600.0
_TICK_S = 0.5


def _fly(params: Any, keys: np.ndarray) -> None:
    truth = init_truth(params.threats, keys)
    t = 0.0
    while t < _SPAN_S:
        advance(truth, params.threats, t, t + _TICK_S)
        t += _TICK_S


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--replications", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    scn, _ = load_scenario("demo")
    params = compile_scenario(scn, load_database())
    n = args.replications
    keys = rng.stage_keys(rng.replication_keys(params.seed, range(n)), rng.Stage.THREAT)
    _fly(params, keys[:1])  # warm the range-table cache
    batched, looped = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        _fly(params, keys)
        batched.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for r in range(n):
            _fly(params, keys[r:r + 1])
        looped.append(time.perf_counter() - t0)
    tb, tl = statistics.median(batched), statistics.median(looped)
    threat_seconds = n * params.threats.count * _SPAN_S
    print(json.dumps({
        "name": "threat_flight_demo",
        "replications": n,
        "threats": params.threats.count,
        "median_s": round(tb, 3),
        "baseline": "per-replication Python loop over the same replications",
        "baseline_median_s": round(tl, 3),
        "threat_seconds_per_s": round(threat_seconds / tb),
        "baseline_threat_seconds_per_s": round(threat_seconds / tl),
        "batching_gain": round(tl / tb, 2),
    }))


if __name__ == "__main__":
    main()

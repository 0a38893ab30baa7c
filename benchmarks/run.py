"""triumf benchmarks: print one JSON document.

Each benchmark runs its candidate and a baseline in the same process, several times, and
reports medians and the ratio (these machines are shared and noisy; absolute times vary).

    python benchmarks/run.py            # all
    python benchmarks/run.py engine     # one (names: see BENCHES below)
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _timing import median_seconds


def bench_engine(replications: int = 20, repeats: int = 3) -> dict[str, Any]:
    """Demo scenario: one batch of R replications against R/4 (per-replication cost)."""
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import load_scenario
    from triumf.sim.engine import run

    scn, _ = load_scenario("demo")
    params = compile_scenario(scn, load_database())
    small = max(1, replications // 4)
    t_big = median_seconds(lambda: run(params, range(replications)), repeats)
    t_small = median_seconds(lambda: run(params, range(small)), repeats)
    return {
        "name": "engine_demo",
        "replications": replications,
        "median_s": round(t_big, 3),
        "baseline": f"same engine, {small} replications",
        "baseline_median_s": round(t_small, 3),
        "seconds_per_replication": round(t_big / replications, 4),
        "batching_gain": round((t_small / small) / (t_big / replications), 2),
    }


def _script(name: str, *args: str) -> Callable[[], Any]:
    """A benchmark script of its own in this folder, run in a fresh process; its JSON."""

    def bench() -> Any:
        here = Path(__file__).resolve().parent
        proc = subprocess.run([sys.executable, str(here / name), *args], capture_output=True,
                              text=True, check=True)
        return json.loads(proc.stdout)

    return bench


BENCHES: dict[str, Callable[[], Any]] = {
    "engine": bench_engine,
    "tracker": _script("bench_tracker.py", "--repeats", "5"),
    "c2": _script("bench_c2.py", "--quick"),
    "visibility": _script("bench_visibility.py", "--repeats", "3"),
    "wta": _script("bench_wta.py", "--quick"),
    "threat": _script("bench_threat.py", "--replications", "16", "--repeats", "3"),
    "interceptors": _script("bench_interceptors.py", "--quick"),
    "detection": _script("bench_detection.py", "--quick"),
    "coverage": _script("bench_coverage.py", "--quick"),
    "tracking_vs_stonesoup": _script("tracking_vs_stonesoup.py", "--quick"),
    "recording": _script("bench_recording.py", "--duration", "200", "--repeats", "3"),
}


def main(argv: list[str]) -> None:
    names = argv or list(BENCHES)
    out = [BENCHES[n]() for n in names]
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])

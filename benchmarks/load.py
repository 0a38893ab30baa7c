"""Load: many replications and a large raid with bounded memory; prints one JSON document.

    PYTHONPATH=src python benchmarks/load.py                       # the documented runs
    PYTHONPATH=src python benchmarks/load.py --reps 1000 10000 --threats 10 100   # quicker

Each run is ``triumf mc`` in a fresh subprocess (``python -m triumf.cli``); its peak resident
memory is the ``ru_maxrss`` of that process (``os.wait4``), its time the wall time and the CPU
time (user + system; on a shared machine the CPU time is the steadier figure).

- ``replications``: one drone (Shahed-136 class, launched at t = 0 about 13 km from the demo
  battalion) against the demo battalion, cut at ``--rep-duration`` seconds of simulated time,
  run with ``--reps`` replications in chunks of ``--chunk``. Memory must not grow with the
  number of replications: ``rss_ratio`` is the peak of the largest run over the smallest.
- ``raid``: one replication of a raid of ``--threats`` drones launched over 60 s against the
  demo battalion, cut at ``--raid-duration`` seconds. ``rss_ratio`` and ``time_ratio`` are the
  largest raid over the smallest, beside the ratio of threat counts.

The scenarios are cut short to keep the runs to minutes on a shared machine: they load every
stage (threat, sense, track, c2; engage once shots are fired) but say nothing about long
campaigns' outcomes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml


def scenario_text(threats: int, duration_s: float, window_s: float) -> str:
    """The demo battalion against one raid of ``threats`` drones, as resolved YAML."""
    from triumf.scenario.load import dump_resolved, load_scenario

    scn, _ = load_scenario("demo")
    data = yaml.safe_load(dump_resolved(scn))
    raid = data["raids"][0]
    raid.update(count=threats, launch_window_s=[0.0, window_s],
                launch_area={"center": {"east_m": -12000.0, "north_m": 6000.0},
                             "radius_m": 4000.0})
    data.update(name=f"load-{threats}", raids=[raid], friendlies=[], duration_s=duration_s)
    return yaml.safe_dump(data, sort_keys=False)


def measure(scenario: Path, out: Path, reps: int, chunk: int) -> dict[str, Any]:
    """Run ``triumf mc`` in a subprocess; wall seconds and peak RSS (MiB) of that process."""
    cmd = [sys.executable, "-m", "triumf.cli", "mc", str(scenario), "-n", str(reps),
           "--chunk", str(chunk), "--out", str(out), "--quiet", "--json"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    stdout = proc.stdout.read() if proc.stdout else b""
    stderr = proc.stderr.read() if proc.stderr else b""
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {stderr.decode()[-2000:]}")
    summary = json.loads(stdout)
    return {"replications": reps, "chunk": chunk, "wall_s": round(wall, 1),
            "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "reps_per_s": round(reps / wall, 1),
            "leak_probability": (summary.get("leak_probability") or {}).get("p")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--chunk", type=int, default=1000)
    ap.add_argument("--rep-duration", type=float, default=20.0)
    ap.add_argument("--threats", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--raid-duration", type=float, default=60.0)
    args = ap.parse_args()
    result: dict[str, Any] = {"python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one = root / "one.yaml"
        one.write_text(scenario_text(1, args.rep_duration, 0.0), encoding="utf-8")
        runs = [measure(one, root / f"reps-{n}", n, min(args.chunk, n)) for n in args.reps]
        result["replications"] = {
            "scenario": f"1 drone vs demo battalion, {args.rep_duration:g} s",
            "runs": runs, "rss_ratio": round(runs[-1]["peak_rss_mib"] / runs[0]["peak_rss_mib"], 3)}
        raids = []
        for n in args.threats:
            f = root / f"raid-{n}.yaml"
            f.write_text(scenario_text(n, args.raid_duration, 60.0), encoding="utf-8")
            raids.append({"threats": n, **measure(f, root / f"raid-{n}", 1, 1)})
        result["raid"] = {
            "scenario": f"N drones over 60 s vs demo battalion, {args.raid_duration:g} s, 1 rep",
            "runs": raids,
            "threat_ratio": args.threats[-1] / args.threats[0],
            "rss_ratio": round(raids[-1]["peak_rss_mib"] / raids[0]["peak_rss_mib"], 3),
            "time_ratio": round(raids[-1]["wall_s"] / raids[0]["wall_s"], 3),
            "cpu_ratio": round(raids[-1]["cpu_s"] / max(raids[0]["cpu_s"], 1e-9), 3)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

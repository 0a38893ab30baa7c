"""Cost of the trajectory recorder and the size of its table and of the HTML report.

Runs the demo scenario (cut to ``--duration`` seconds) for R replications without a recorder
(the baseline) and with a recorder of replication 0, several times each in this process, and
prints one JSON document: medians, the overhead ratio, rows and Parquet bytes of the table,
and the size of the report page.

    PYTHONPATH=src python benchmarks/bench_recording.py --duration 300 --repeats 3
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from _timing import median_call

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario
from triumf.sim.engine import run
from triumf.sim.recording import Recorder


def main() -> None:
    """Measure and print JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=float, default=300.0)
    ap.add_argument("--replications", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    scn, _ = load_scenario("demo")
    params = dataclasses.replace(compile_scenario(scn, load_database()), duration_s=a.duration)
    reps = range(a.replications)
    base, _ = median_call(lambda: run(params, reps), a.repeats)
    recs: list[Recorder] = []

    def recorded() -> None:
        rec = Recorder([0], 1.0)
        run(params, reps, record=rec)
        recs.append(rec)

    cand, _ = median_call(recorded, a.repeats)
    o = scn.origin
    table = recs[-1].to_arrow((o.latitude_deg, o.longitude_deg, o.altitude_m))
    buf = io.BytesIO()
    pq.write_table(table, buf)
    result = {
        "name": "recording_overhead", "scenario": "demo", "duration_s": a.duration,
        "replications": a.replications, "repeats": a.repeats,
        "median_s": round(cand, 3), "baseline": "same run without a recorder",
        "baseline_median_s": round(base, 3), "ratio": round(cand / base, 3),
        "rows": table.num_rows, "parquet_bytes": buf.tell(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        from triumf.report.html_data import _replay

        path = Path(tmp) / "t.parquet"
        pq.write_table(table, path)
        replay = _replay(path, 0)
        result["replay_json_bytes"] = len(json.dumps(replay, separators=(",", ":")))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

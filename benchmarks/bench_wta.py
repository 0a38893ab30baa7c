"""Weapon-target assignment: objective, certified gap and time, exact against greedy.

Generates target-based instances of growing size shaped like the public benchmark sets of
Andersen, Pavlikov & Toffolo (2022): m weapon types, n = 2m targets, mu weapons per type,
integer target values uniform in 1..100 and kill probabilities uniform in [0, 1]. For each
instance it runs ``triumf.c2.wta.solve`` with ``greedy`` (the baseline, measured in the same
run), ``heuristic`` (greedy + local search) and ``exact`` (MILP outer approximation), and
reports each objective, its excess over the best certified lower bound, and median times.
Prints JSON.

Usage::

    python benchmarks/bench_wta.py [--sizes 10 20 50] [--mu 1 2 3] [--time-limit 30]
                                   [--repeats 3] [--quick]
"""

from __future__ import annotations

import argparse
import json
import platform
from functools import partial
from typing import Any

import numpy as np
from _timing import median_call

from triumf.c2.wta import solve


def instance(m: int, mu: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One generated instance: values (2m,), p_kill (m, 2m), weapons (m,)."""
    rng = np.random.default_rng(seed)
    n = 2 * m
    values = rng.integers(1, 101, n).astype(np.float64)
    p = rng.uniform(0.0, 1.0, (m, n))
    return values, p, np.full(m, mu, np.int64)


def bench_one(m: int, mu: int, time_limit: float, repeats: int, seed: int) -> dict[str, Any]:
    """Greedy, heuristic and exact on one instance."""
    v, p, w = instance(m, mu, seed)
    row: dict[str, Any] = {"weapon_types": m, "targets": 2 * m, "weapons_per_type": mu}
    exact = solve(v, p, w, "exact", time_limit_s=time_limit)
    bound = exact.bound
    for method in ("greedy", "heuristic"):
        t_med, res = median_call(partial(solve, v, p, w, method, time_limit_s=time_limit),
                                 repeats)
        row[method] = {"objective": round(res.objective, 6),
                       "excess_over_bound": round((res.objective - bound) / bound, 6),
                       "median_s": round(t_med, 4)}
    row["exact"] = {"objective": round(exact.objective, 6), "bound": round(bound, 6),
                    "gap": round(exact.gap, 8), "status": exact.status,
                    "time_s": round(exact.time_s, 3)}
    row["greedy_over_exact"] = round(row["greedy"]["objective"] / exact.objective, 4)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 30, 50])
    ap.add_argument("--mu", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2022)
    ap.add_argument("--quick", action="store_true", help="sizes 10 20, 10 s limit")
    a = ap.parse_args()
    if a.quick:
        a.sizes, a.time_limit = [10, 20], 10.0
    rows = [bench_one(m, mu, a.time_limit, a.repeats, a.seed + 7 * m + mu)
            for m in a.sizes for mu in a.mu]
    print(json.dumps({"name": "wta", "baseline": "greedy (MMR), same instances, same run",
                      "time_limit_s": a.time_limit, "python": platform.python_version(),
                      "instances": rows}, indent=2))


if __name__ == "__main__":
    main()

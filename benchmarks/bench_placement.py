"""Placement MILP (HiGHS) against brute-force enumeration of every K-subset.

Random maximal-covering instances (J candidate sites, P asset x axis pairs, each site reaching
a pair with probability 0.3, pair values uniform in 1..10). For each size the MILP and the
baseline (enumeration of all C(J, K) subsets, measured in the same run) give the same covered
value; the script reports both medians and their ratio. Prints JSON.

Usage::

    python benchmarks/bench_placement.py [--sizes 10 20 30] [--k 4] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import numpy as np
from _timing import median_call

from triumf.analysis.placement import brute_force_placement, solve_placement


def bench(n_sites: int, k: int, n_pairs: int, repeats: int, seed: int = 0) -> dict[str, Any]:
    """One instance size: MILP and enumeration medians, values, ratio."""
    rng = np.random.default_rng(seed)
    reach = rng.random((n_sites, n_pairs)) < 0.3
    weights = rng.integers(1, 11, n_pairs).astype(float)
    t_milp, sol = median_call(lambda: solve_placement(reach, weights, k), repeats)
    t_enum, (value, _) = median_call(lambda: brute_force_placement(reach, weights, k), repeats)
    return {"sites": n_sites, "k": k, "pairs": n_pairs, "subsets": math.comb(n_sites, k),
            "milp_median_s": round(t_milp, 4), "enumeration_median_s": round(t_enum, 4),
            "speedup": round(t_enum / t_milp, 2), "same_value": bool(np.isclose(sol.value, value))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 30])
    ap.add_argument("--k", type=int, default=4)
    ap.add_argument("--pairs", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rows = [bench(j, args.k, args.pairs, args.repeats) for j in args.sizes]
    print(json.dumps({"name": "placement_milp", "baseline": "brute-force enumeration",
                      "results": rows}, indent=2))


if __name__ == "__main__":
    main()

"""Exact Pd for many (SNR, pulses) pairs: triumf's batched series against SciPy point by point.

For each Swerling case, ``triumf.sense.detection.detection_probability`` evaluates Pd at
``--points`` random pairs (single-pulse SNR uniform in [-10, 30] dB, N uniform in 1..32,
Pfa 1e-6) in one call. The baseline, timed in the same run, is SciPy's generic routines called
point by point: ``scipy.stats.ncx2.sf`` for Swerling 0, and ``scipy.integrate.quad`` of
``ncx2.sf`` against the Gamma density of the SNR for Swerling 1-4. The baseline is timed on a
sample of ``--sample`` points and scaled to the full count. Both agree (max |difference| is
reported). Prints JSON: median seconds of ``--repeats`` runs and the speed-up per case.

Usage::

    python benchmarks/bench_detection.py [--points 1000000] [--sample 100] [--repeats 3]
    python benchmarks/bench_detection.py --quick
"""

from __future__ import annotations

import argparse
import json
import platform
from collections.abc import Callable
from typing import Any

import numpy as np
from _timing import median_seconds
from scipy import integrate, special, stats

from triumf.sense.detection import detection_probability

PFA = 1e-6
_GAMMA_SHAPE: dict[int, Callable[[int], float]] = {
    1: lambda n: 1.0, 2: lambda n: float(n), 3: lambda n: 2.0, 4: lambda n: 2.0 * n,
}


def scipy_pd(snr_db: float, n: int, swerling: int) -> float:
    """Pd of one point with SciPy's generic routines (ncx2 tail, quad over the Gamma SNR)."""
    thr = special.gammainccinv(n, PFA)
    mean = n * 10.0 ** (snr_db / 10.0)
    if swerling == 0:
        return float(stats.ncx2.sf(2 * thr, 2 * n, 2 * mean))
    shape = _GAMMA_SHAPE[swerling](n)
    dist = stats.gamma(shape, scale=mean / shape)

    def f(x: float) -> float:
        return float(stats.ncx2.sf(2 * thr, 2 * n, 2 * x) * dist.pdf(x))

    lo, hi = dist.ppf(1e-14), dist.ppf(1.0 - 1e-14)
    pts = [p for p in (dist.mean(), thr) if lo < p < hi] or None
    return float(integrate.quad(f, lo, hi, points=pts, limit=400, epsabs=1e-12,
                                epsrel=1e-10)[0])


def bench_case(swerling: int, points: int, sample: int, repeats: int) -> dict[str, Any]:
    """Time one Swerling case: batched exact Pd against the point-by-point SciPy baseline."""
    g = np.random.default_rng(swerling)
    snr = g.uniform(-10.0, 30.0, points)
    n = g.integers(1, 33, points)
    t_batch = median_seconds(lambda: detection_probability(snr, PFA, n, swerling), repeats)
    idx = g.choice(points, size=sample, replace=False)

    def baseline() -> list[float]:
        return [scipy_pd(float(snr[i]), int(n[i]), swerling) for i in idx]

    t_sample = median_seconds(baseline, repeats)
    ref = np.array(baseline())
    diff = float(np.max(np.abs(detection_probability(snr[idx], PFA, n[idx], swerling) - ref)))
    t_scipy = t_sample * points / sample
    return {
        "swerling": swerling,
        "points": points,
        "median_s": round(t_batch, 3),
        "baseline": f"SciPy point by point, timed on {sample} points and scaled",
        "baseline_median_s": round(t_scipy, 1),
        "speedup": round(t_scipy / t_batch, 1),
        "max_abs_difference": diff,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="100 000 points, 1 repeat")
    a = ap.parse_args()
    if a.quick:
        a.points, a.sample, a.repeats = 100_000, 50, 1
    cases = [bench_case(sw, a.points, a.sample, a.repeats) for sw in range(5)]
    out = {"name": "detection_exact_pd", "pfa": PFA, "python": platform.python_version(),
           "numpy": np.__version__, "cases": cases}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

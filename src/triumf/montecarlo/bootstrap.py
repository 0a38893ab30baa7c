"""Seeded bootstrap intervals for means and quantiles over replications.

Resamples are drawn with the project's counter-based generator (`triumf.core.rng`), keyed by
an explicit seed, so the interval is the same on every machine and for every chunking.

References
----------
B. Efron and R. J. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall 1993:
percentile interval (ch. 13) and BCa interval (ch. 14, eqs. 14.9-14.15).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from triumf.core import rng

# resamples per draw of the counter-based generator (one counter per block; fixes the numbers)
_BLOCK = 64
# at most this many resampled values in memory at once (about 0.5 MiB per array), so a
# campaign's summary does not grow with the number of replications N beyond the O(N) samples
_MAX_ELEMENTS = 1 << 16
# counter of the bootstrap draws in the seed's stream (apart from any engine counter)
_COUNTER = 0x5EED_B007


def _resampled_stats(x: NDArray[np.float64], stat: Callable[[NDArray[np.float64]], NDArray[
        np.float64]], n_resamples: int, seed: int) -> NDArray[np.float64]:
    """``stat`` of ``n_resamples`` resamples with replacement of ``x``, shape (B,)."""
    n = x.size
    key = rng.stage_keys(rng.replication_keys(seed, np.zeros(1, np.int64)), rng.Stage.ASSESS)
    out = np.empty(n_resamples)
    rows = max(1, _MAX_ELEMENTS // max(n, 1))
    for b0 in range(0, n_resamples, _BLOCK):
        b1 = min(b0 + _BLOCK, n_resamples)
        # the block's draw, a few resamples at a time (the same numbers as drawing it whole)
        for i0 in range(0, b1 - b0, rows):
            i1 = min(i0 + rows, b1 - b0)
            u = rng.uniform_rows(key, _COUNTER + b0, (b1 - b0, n), i0, i1)[0]
            # uniform in (0, 1) -> index in 0..n-1
            idx = np.minimum((u * n).astype(np.int64), n - 1)
            out[b0 + i0:b0 + i1] = stat(x[idx])
    return out


def bootstrap_interval(
    samples: ArrayLike,
    statistic: str = "mean",
    q: float = 0.5,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    seed: int = 0,
    method: str = "percentile",
) -> tuple[float, float, float]:
    """Bootstrap estimate and interval of a statistic of one value per replication.

    Parameters
    ----------
    samples : array_like, shape (N,)
        One value per replication (e.g. interceptors spent).
    statistic : {"mean", "quantile"}
    q : float
        Quantile level in [0, 1] when ``statistic == "quantile"``.
    confidence : float
        Two-sided level in (0, 1).
    n_resamples : int
        Bootstrap resamples B.
    seed : int
        Seed of the resampling (same seed -> same interval).
    method : {"percentile", "bca"}
        Percentile interval, or bias-corrected and accelerated (acceleration from the
        jackknife, Efron & Tibshirani eq. 14.15).

    Returns
    -------
    estimate, low, high : float
        The statistic of ``samples`` and the interval bounds (NaN bounds when N < 2).
    """
    x = np.asarray(samples, dtype=np.float64).ravel()
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if statistic not in ("mean", "quantile"):
        raise ValueError(f"statistic must be 'mean' or 'quantile', got {statistic!r}")
    if method not in ("percentile", "bca"):
        raise ValueError(f"method must be 'percentile' or 'bca', got {method!r}")

    def stat(a: NDArray[np.float64]) -> NDArray[np.float64]:
        if statistic == "mean":
            return np.asarray(np.mean(a, axis=-1))
        return np.asarray(np.quantile(a, q, axis=-1))

    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    est = float(stat(x))
    if x.size < 2:
        return est, float("nan"), float("nan")
    boot = _resampled_stats(x, stat, n_resamples, seed)
    alpha = 1.0 - confidence
    levels = np.array([alpha / 2.0, 1.0 - alpha / 2.0])
    if method == "bca":
        # bias correction z0 = Phi^-1(#{theta* < theta} / B)
        frac = (np.count_nonzero(boot < est) + 0.5 * np.count_nonzero(boot == est)) / boot.size
        if 0.0 < frac < 1.0:
            z0 = special.ndtri(frac)
            jack = (x.sum() - x) / (x.size - 1) if statistic == "mean" else _jackknife(x, stat)
            d = jack.mean() - jack
            den = 6.0 * np.sum(d * d) ** 1.5
            a = float(np.sum(d**3) / den) if den > 0 else 0.0
            z = special.ndtri(levels)
            levels = special.ndtr(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
    low, high = np.quantile(boot, levels)
    return est, float(low), float(high)


def _jackknife(x: NDArray[np.float64], stat: Callable[[NDArray[np.float64]],
               NDArray[np.float64]]) -> NDArray[np.float64]:
    """Leave-one-out values of ``stat``, shape (N,) (one call per value: no closed form)."""
    return np.array([stat(np.delete(x, i)) for i in range(x.size)], dtype=np.float64)

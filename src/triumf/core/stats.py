"""Confidence intervals for Monte Carlo results: binomial proportions and means.

All functions are vectorised: array arguments broadcast against each other and the result has
their broadcast shape.

References
----------
E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
JASA 22 (1927) 209-212.
C. J. Clopper and E. S. Pearson, "The use of confidence or fiducial limits illustrated in the
case of the binomial", Biometrika 26 (1934) 404-413.
L. Kish, "Survey Sampling", Wiley (1965), section 8.2 (design effect, effective sample size).
E. L. Korn and B. I. Graubard, "Confidence intervals for proportions with small expected
number of positive counts estimated from survey data", Survey Methodology 24 (1998) 193-201.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special
from scipy import stats as sps

__all__ = ["wilson_interval", "clopper_pearson", "mean_interval", "clustered_proportion"]


def _z(confidence: float) -> float:
    """Two-sided standard-normal quantile for a confidence level in (0, 1)."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return float(special.ndtri(0.5 + 0.5 * confidence))


def _counts(successes: ArrayLike, n: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Broadcast and check success and trial counts (0 <= successes <= n)."""
    k = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    k, m = np.broadcast_arrays(k, m)
    if np.any(m < 0) or np.any(k < 0) or np.any(k > m):
        raise ValueError("need 0 <= successes <= n")
    return k, m


def wilson_interval(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval for a binomial proportion (no continuity correction).

    Parameters
    ----------
    successes : array_like of int, shape (...)
        Number of successes, 0 <= successes <= n.
    n : array_like of int, shape (...)
        Number of trials. ``n == 0`` gives the uninformative interval [0, 1].
    confidence : float
        Two-sided confidence level, e.g. 0.95.

    Returns
    -------
    low, high : ndarray, shape (...)
        Interval bounds, inside [0, 1].

    Notes
    -----
    With ``p = k/n`` and ``z`` the two-sided normal quantile (Wilson 1927)::

        centre = (p + z^2/(2n)) / (1 + z^2/n)
        half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2))
    """
    z = _z(confidence)
    k, m = _counts(successes, n)
    safe_n = np.where(m > 0, m, 1.0)
    p = k / safe_n
    z2 = z * z
    denom = 1.0 + z2 / safe_n
    centre = (p + z2 / (2.0 * safe_n)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / safe_n + z2 / (4.0 * safe_n * safe_n))
    low = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    high = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    # at k = 0 (k = n) the lower (upper) bound is exactly 0 (1); avoid rounding residue
    low = np.where(k == 0, 0.0, low)
    high = np.where(k == m, 1.0, high)
    return low, high


def clopper_pearson(
    successes: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Clopper-Pearson ("exact") interval for a binomial proportion.

    Parameters
    ----------
    successes : array_like of int, shape (...)
        Number of successes, 0 <= successes <= n.
    n : array_like of int, shape (...)
        Number of trials. ``n == 0`` gives [0, 1].
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    low, high : ndarray, shape (...)

    Notes
    -----
    ``low = B^-1(alpha/2; k, n-k+1)`` (0 when k = 0) and ``high = B^-1(1-alpha/2; k+1, n-k)``
    (1 when k = n), with ``B^-1`` the beta quantile and ``alpha = 1 - confidence``.
    """
    _z(confidence)  # validates the level
    k, m = _counts(successes, n)
    alpha = 1.0 - confidence
    with np.errstate(invalid="ignore", divide="ignore"):
        low = sps.beta.ppf(alpha / 2.0, np.maximum(k, 1e-300), m - k + 1.0)
        high = sps.beta.ppf(1.0 - alpha / 2.0, k + 1.0, np.maximum(m - k, 1e-300))
    low = np.where(k == 0, 0.0, low)
    high = np.where(k == m, 1.0, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


def mean_interval(
    samples: ArrayLike, confidence: float = 0.95, axis: int = -1
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Sample mean and its Student-t confidence interval.

    Parameters
    ----------
    samples : array_like, shape (..., N, ...)
        Samples along ``axis`` (for example one value per replication).
    confidence : float
        Two-sided confidence level.
    axis : int
        Axis holding the N samples.

    Returns
    -------
    mean, low, high : ndarray, shape of ``samples`` without ``axis``
        ``mean -+ t_{(1+c)/2, N-1} * s / sqrt(N)`` with ``s`` the sample standard deviation
        (ddof = 1). With fewer than two samples the bounds are NaN.
    """
    _z(confidence)
    a = np.asarray(samples, dtype=np.float64)
    n = a.shape[axis]
    if n == 0:
        raise ValueError("mean_interval needs at least one sample")
    mean = np.asarray(np.mean(a, axis=axis))
    if n < 2:
        nan = np.full(mean.shape, np.nan)
        return mean, nan, nan.copy()
    s = np.std(a, axis=axis, ddof=1)
    half = sps.t.ppf(0.5 + 0.5 * confidence, n - 1) * s / np.sqrt(n)
    return mean, np.asarray(mean - half), np.asarray(mean + half)


def clustered_proportion(
    hits: ArrayLike, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """A proportion estimated from clusters of correlated trials, with its interval.

    Each row of ``hits`` is one cluster (one Monte Carlo replication) of ``m`` trials (the
    threats of that replication); trials in one cluster may be correlated, clusters are
    independent.

    Parameters
    ----------
    hits : array_like of bool, shape (R, m)
        Outcome of trial ``j`` in cluster ``r``.
    confidence : float
        Two-sided confidence level.

    Returns
    -------
    p, low, high, n_eff : float
        ``p`` is the mean of the per-cluster fractions (equal to hits / trials, as every
        cluster has ``m`` trials). ``low, high`` is the Wilson interval computed with the
        effective sample size ``n_eff = p (1 - p) / v`` (Kish), where ``v = s^2 / R`` is the
        variance of ``p`` estimated from the sample variance ``s^2`` (ddof 1) of the R
        per-cluster fractions (cluster-robust), clipped to ``[R, R m]`` (a design effect between
        1 and m). When ``p`` is 0 or 1 the correlation cannot be estimated and ``n_eff = R``
        (each replication counts as one trial). With fewer than two clusters or no trial the
        bounds are NaN.

    Notes
    -----
    This is the Korn-Graubard approach with the Wilson score interval. With independent
    trials ``n_eff`` is close to ``R m`` and the interval is the ordinary Wilson interval; when
    all trials of a cluster share one outcome ``n_eff`` is close to ``R``.
    """
    _z(confidence)
    a = np.asarray(hits, dtype=np.float64)
    if a.ndim != 2:
        raise ValueError(f"hits must have shape (R, m), got {a.shape}")
    n_rep, m = a.shape
    if n_rep == 0 or m == 0:
        return float("nan"), float("nan"), float("nan"), float("nan")
    frac = a.mean(axis=1)
    p = float(frac.mean())
    if n_rep < 2:
        return p, float("nan"), float("nan"), float("nan")
    v = float(np.var(frac, ddof=1)) / n_rep
    if 0.0 < p < 1.0 and v > 0.0:
        n_eff = float(np.clip(p * (1.0 - p) / v, n_rep, n_rep * m))
    elif 0.0 < p < 1.0:
        n_eff = float(n_rep * m)
    else:
        n_eff = float(n_rep)
    low, high = wilson_interval(p * n_eff, n_eff, confidence)
    return p, float(low), float(high), n_eff

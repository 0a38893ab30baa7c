"""Validation gating: Mahalanobis distances of track/detection pairs.

The innovation covariance is ``S = H P H^T + R`` with ``H = [I 0]``. The 3x3 Cholesky factor of
``S`` is written out element by element so that all ``R x K x D`` pairs (or a list of pairs,
:func:`pair_distance`) are handled with plain array arithmetic (no per-pair matrix calls). A
pair whose ``S`` is not positive definite gets ``d2 = inf`` (never gated).
:func:`trace_bound_candidates` is a cheap, conservative pre-filter: it drops only pairs that
cannot pass the gate.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from scipy.stats import chi2

_LOG_2PI = float(np.log(2.0 * np.pi))


def innovation_distance(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Squared Mahalanobis distance and ``ln det S`` for every track/detection pair.

    Parameters
    ----------
    x : ndarray, shape (..., K, 6)
        Predicted track states, metres and m/s.
    P : ndarray, shape (..., K, 6, 6)
        Predicted track covariances.
    y : ndarray, shape (..., D, 3), metres
        Measured positions (same frame as ``x``).
    R : ndarray, shape (..., D, 3, 3), m^2
        Measurement covariances.

    Returns
    -------
    d2 : ndarray, shape (..., K, D)
        ``nu^T S^-1 nu`` with ``nu = y - H x``; ``inf`` where ``S`` is not positive definite.
    logdet : ndarray, shape (..., K, D)
        ``ln det S`` (``nan`` where ``S`` is not positive definite).
    """
    # 6 unique entries of S = P_pos + R, each of shape (..., K, D)
    iu = ((0, 0), (1, 0), (2, 0), (1, 1), (2, 1), (2, 2))
    s = [P[..., i, j][..., :, None] + R[..., i, j][..., None, :] for i, j in iu]
    nu = [y[..., None, :, i] - x[..., :, None, i] for i in range(3)]  # innovation components
    return _cholesky_distance(s, nu)


def pair_distance(
    P_pos: NDArray[np.float64], R: NDArray[np.float64], nu: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`innovation_distance` for a list of pairs, in the component-major layout.

    Parameters
    ----------
    P_pos : ndarray, shape (3, 3, ...)
        Position block of each pair's predicted track covariance (lower triangle read), m^2.
    R : ndarray, shape (3, 3, ...)
        Each pair's measurement covariance (lower triangle read), m^2.
    nu : ndarray, shape (3, ...), metres
        Innovation ``y - H x`` of each pair.

    Returns
    -------
    d2, logdet : ndarray, shape (...)
        As in :func:`innovation_distance`, pair by pair (same arithmetic, same results).
    """
    iu = ((0, 0), (1, 0), (2, 0), (1, 1), (2, 1), (2, 2))
    s = [P_pos[i, j] + R[i, j] for i, j in iu]
    return _cholesky_distance(s, [nu[0], nu[1], nu[2]])


def _cholesky_distance(
    s: list[NDArray[np.float64]], nu: list[NDArray[np.float64]]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``nu^T S^-1 nu`` and ``ln det S`` from the entries ``s = [S00, S10, S20, S11, S21, S22]``.

    ``S = L L^T`` written out entry by entry, then ``L w = nu`` and ``d2 = |w|^2``. Entries
    where ``S`` is not positive definite get ``d2 = inf`` and ``logdet = nan``.
    """
    a, b, c, d, e, f = s
    with np.errstate(invalid="ignore", divide="ignore"):
        # S = L L^T with L lower triangular; keep reciprocals of the diagonal
        l11 = np.sqrt(a)
        i11 = 1.0 / l11
        l21 = b * i11
        l31 = c * i11
        l22 = np.sqrt(d - l21 * l21)
        i22 = 1.0 / l22
        l32 = (e - l31 * l21) * i22
        l33 = np.sqrt(f - l31 * l31 - l32 * l32)
        i33 = 1.0 / l33
        # solve L w = nu; d2 = |w|^2
        w1 = nu[0] * i11
        w2 = (nu[1] - l21 * w1) * i22
        w3 = (nu[2] - l31 * w1 - l32 * w2) * i33
        d2 = w1 * w1 + w2 * w2 + w3 * w3
        logdet = 2.0 * np.log(l11 * l22 * l33)
    bad = ~(np.isfinite(d2) & (l11 > 0) & (l22 > 0) & (l33 > 0))
    d2[bad] = np.inf
    logdet[bad] = np.nan
    return d2, logdet


def trace_bound_candidates(
    nu2: NDArray[np.float64], trace_S: NDArray[np.float64], gate: float
) -> NDArray[np.bool_]:
    """Pairs that may pass the chi-square gate, from a cheap lower bound of ``d2``.

    For a positive definite ``S``, ``nu^T S^-1 nu >= |nu|^2 / lambda_max(S) >=
    |nu|^2 / trace(S)``, so a pair with ``|nu|^2 > gate trace(S)`` cannot pass the gate
    ``d2 <= gate``. The test is made with a factor :data:`TRACE_BOUND_MARGIN` of slack so
    that rounding in ``d2`` can never drop a gated pair (only near-singular ``S``, condition
    number ~1e15, could defeat it). Pairs whose ``S`` is not positive definite are never gated
    anyway.

    Parameters
    ----------
    nu2 : ndarray, shape (...), m^2
        Squared innovation length ``|y - H x|^2``.
    trace_S : ndarray, shape (...), m^2
        ``trace(P_pos) + trace(R)``.
    gate : float
        Gate on ``d2`` (:func:`gate_threshold`).

    Returns
    -------
    ndarray of bool, shape (...)
        False only where the pair is certainly outside the gate.
    """
    return np.asarray(nu2 <= trace_S * (TRACE_BOUND_MARGIN * gate))


#: slack factor of :func:`trace_bound_candidates`
TRACE_BOUND_MARGIN = 4.0


def mahalanobis(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Squared Mahalanobis distance of every track/detection pair.

    Parameters
    ----------
    x : ndarray, shape (R, K, 6)
    P : ndarray, shape (R, K, 6, 6)
    y : ndarray, shape (R, D, 3), metres
    R : ndarray, shape (R, D, 3, 3), m^2

    Returns
    -------
    d2 : ndarray, shape (R, K, D)
        ``nu^T S^-1 nu``, ``S = H P H^T + R``.
    """
    return innovation_distance(x, P, y, R)[0]


def log_likelihood(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Gaussian log-likelihood ``ln N(nu; 0, S)`` of every track/detection pair (for JPDA).

    Parameters
    ----------
    x, P, y, R
        As in :func:`mahalanobis`.

    Returns
    -------
    ll : ndarray, shape (R, K, D)
        ``-0.5 (d2 + ln det S + 3 ln 2 pi)``; ``-inf`` where ``S`` is not positive definite.
    """
    d2, logdet = innovation_distance(x, P, y, R)
    return loglik_from_distance(d2, logdet)


def loglik_from_distance(
    d2: NDArray[np.float64], logdet: NDArray[np.float64], dof: int = 3
) -> NDArray[np.float64]:
    """Gaussian log-likelihood from a squared Mahalanobis distance and ``ln det S``.

    Parameters
    ----------
    d2, logdet : ndarray, same shape
        As returned by :func:`innovation_distance`.
    dof : int
        Measurement dimension.

    Returns
    -------
    ll : ndarray
        ``-0.5 (d2 + logdet + dof ln 2 pi)``, ``-inf`` where ``d2`` is infinite.
    """
    ok = np.isfinite(d2) & np.isfinite(logdet)
    ll = -0.5 * (np.where(ok, d2, 0.0) + np.where(ok, logdet, 0.0) + dof * _LOG_2PI)
    return np.where(ok, ll, -np.inf)


@lru_cache(maxsize=64)
def gate_threshold(prob: float, dof: int = 3) -> float:
    """Chi-square gate: the ``prob`` quantile of the chi-square law with ``dof`` degrees.

    Parameters
    ----------
    prob : float
        Gate probability, in (0, 1).
    dof : int
        Measurement dimension.

    Returns
    -------
    float
        Threshold on the squared Mahalanobis distance.
    """
    return float(chi2.ppf(prob, dof))

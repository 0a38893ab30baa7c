"""Endgame: closest approach within a step, and miss distance to kill probability.

Closest approach
----------------
Over one engine step the relative motion is taken as linear, ``r(t) = r + v t``, so the time of
closest approach is ``t* = clip(-r.v / |v|^2, 0, dt)`` and the miss distance ``|r + v t*|``.

Lethality
---------
A Gaussian (circular-normal "cookie cutter" smoothed) lethality law [E]:

    Pk(miss) = pk_max exp(-miss^2 / (2 sigma^2)),   sigma = lethal_radius_m

``pk_max`` is the kill probability of a direct hit (fuze and warhead reliability, target
hardness); ``lethal_radius_m`` is the miss distance at which the kill probability falls to
``exp(-1/2) = 0.607`` of that: the standard deviation (sigma) of the Gaussian. Integrated over a
circular-normal miss distribution of per-axis standard deviation ``s`` (two axes across the line
of sight), this law gives the closed form ``E[Pk] = pk_max sigma^2 / (sigma^2 + s^2)``.
No public figure exists for the S-400's warheads' lethal radius or single-shot kill probability
(references.md section 8): both are estimates to sweep.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["closest_approach", "kill_probability"]

FloatArray = NDArray[np.float64]


def closest_approach(
    r_rel: ArrayLike, v_rel: ArrayLike, dt: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Time and distance of closest approach within a step of linear relative motion.

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), metres, target minus interceptor at the step start
    v_rel : array_like, shape (..., 3), m/s, target minus interceptor velocity over the step
    dt : array_like, broadcastable to (...), seconds, step length

    Returns
    -------
    t_star : ndarray, shape (...), seconds in ``[0, dt]``
        ``clip(-r.v / |v|^2, 0, dt)``; 0 where the relative velocity is zero.
    miss_m : ndarray, shape (...), metres, ``|r + v t_star|``
    """
    r = np.asarray(r_rel, dtype=np.float64)
    v = np.asarray(v_rel, dtype=np.float64)
    # component sums and minimum(maximum()) give the same values as np.sum, np.clip and
    # np.linalg.norm over the last axis without their wrappers' overhead (a hot path)
    v2 = _dot3(v, v)
    rv = _dot3(r, v)
    t_free = np.where(v2 > 0.0, -rv / np.where(v2 > 0.0, v2, 1.0), 0.0)
    t_star = np.minimum(np.maximum(t_free, 0.0), np.asarray(dt, dtype=np.float64))
    d = r + v * t_star[..., None]
    miss = np.sqrt(_dot3(d, d))
    return t_star, miss


def _dot3(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise dot product of (..., 3) arrays, summed in index order like ``np.sum``."""
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


def kill_probability(
    miss_m: ArrayLike, lethal_radius_m: ArrayLike, pk_max: ArrayLike
) -> FloatArray:
    """Gaussian lethality law: ``pk_max exp(-(miss / lethal_radius)^2 / 2)``.

    Parameters
    ----------
    miss_m : array_like, shape (...), metres
    lethal_radius_m : array_like, shape (...), metres, > 0, the law's standard deviation
    pk_max : array_like, shape (...), kill probability at zero miss, in [0, 1]

    Returns
    -------
    ndarray, shape (...), probability in ``[0, pk_max]``
    """
    x = np.asarray(miss_m, dtype=np.float64) / np.asarray(lethal_radius_m, dtype=np.float64)
    return np.asarray(pk_max, dtype=np.float64) * np.exp(-0.5 * x * x)

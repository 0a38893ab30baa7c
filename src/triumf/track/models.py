"""Motion models for the tracker: nearly constant velocity (CV) in 3-D.

State ordering is ``[e, n, u, ve, vn, vu]`` (positions first, then velocities).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def cv_transition(dt: ArrayLike) -> NDArray[np.float64]:
    """State transition matrix of the constant-velocity model.

    ``F = [[I, dt I], [0, I]]`` with 3x3 blocks.

    Parameters
    ----------
    dt : array_like, shape (...), seconds
        Prediction interval; may differ per replication and track, e.g. shape (R, K).

    Returns
    -------
    F : ndarray, shape (..., 6, 6)
    """
    dt = np.asarray(dt, dtype=np.float64)
    F = np.broadcast_to(np.eye(6), (*dt.shape, 6, 6)).copy()
    idx = np.arange(3)
    F[..., idx, idx + 3] = dt[..., None]
    return F


def cv_process_noise(dt: ArrayLike, q: ArrayLike) -> NDArray[np.float64]:
    """Process-noise covariance of the continuous white-noise acceleration (CWNA) model.

    Each axis is driven by continuous white acceleration noise of power spectral density
    ``q**2`` (units m^2/s^3, i.e. ``q`` is the square root of the PSD; numerically it is the
    ``accel_noise_mps2`` parameter). Integrating over ``dt`` gives, per axis (Bar-Shalom, Li &
    Kirubarajan, *Estimation with Applications to Tracking and Navigation*, 2001, sec. 6.2.2)::

        Q = q**2 * [[dt**3 / 3, dt**2 / 2],
                    [dt**2 / 2, dt       ]]

    The three axes are independent and identical. This discretisation composes exactly:
    predicting over ``dt1`` then ``dt2`` gives the same covariance as over ``dt1 + dt2``.

    Parameters
    ----------
    dt : array_like, shape (...), seconds
        Prediction interval, broadcast with ``q``.
    q : array_like, shape (...), m / s^(3/2)
        Square root of the acceleration noise PSD.

    Returns
    -------
    Q : ndarray, shape (..., 6, 6)
    """
    dt, q = np.broadcast_arrays(np.asarray(dt, np.float64), np.asarray(q, np.float64))
    q2 = q * q
    qpp = q2 * dt**3 / 3.0
    qpv = q2 * dt**2 / 2.0
    qvv = q2 * dt
    Q = np.zeros((*dt.shape, 6, 6))
    idx = np.arange(3)
    Q[..., idx, idx] = qpp[..., None]
    Q[..., idx + 3, idx + 3] = qvv[..., None]
    Q[..., idx, idx + 3] = qpv[..., None]
    Q[..., idx + 3, idx] = qpv[..., None]
    return Q

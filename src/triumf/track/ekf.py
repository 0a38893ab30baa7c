"""Extended Kalman update for any state size, with an optional range-rate row.

The state starts with position ``[e, n, u]`` and velocity ``[ve, vn, vu]`` (engine ENU, SI);
further components (acceleration, turn rate) may follow. The measurement is the converted
position (linear, ``H = [I 0]``) and, where the radar reports it, the range rate
``rdot = (p - s) . v / |p - s|`` seen from the radar at ``s`` (non-linear, linearised at the
predicted state). A missing range rate is written NaN: its row then gets ``H = 0``, innovation
0 and variance 1, which leaves the state, the covariance and the mode likelihood ratios
unchanged, so the same batched arrays serve radars with and without Doppler.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

_LOG_2PI = float(np.log(2.0 * np.pi))


def position_rangerate_model(
    x: NDArray[np.float64], sensor_pos: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Predicted measurement ``[e, n, u, rdot]`` and its Jacobian.

    Parameters
    ----------
    x : ndarray, shape (..., n), n >= 6
        State with position then velocity first.
    sensor_pos : array_like, shape (..., 3), metres
        Radar position, same frame.

    Returns
    -------
    h : ndarray, shape (..., 4)
    H : ndarray, shape (..., 4, n)
        ``d h / d x``; the range-rate row is ``[(v - rdot u) / r, u, 0...]`` with ``u`` the
        unit line of sight.
    """
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    d = x[..., :3] - np.asarray(sensor_pos, dtype=np.float64)
    v = x[..., 3:6]
    r = np.sqrt(np.einsum("...i,...i->...", d, d))
    u = d / r[..., None]
    rdot = np.einsum("...i,...i->...", u, v)
    h = np.concatenate([x[..., :3], rdot[..., None]], axis=-1)
    H = np.zeros((*x.shape[:-1], 4, n))
    for i in range(3):
        H[..., i, i] = 1.0
    H[..., 3, :3] = (v - rdot[..., None] * u) / r[..., None]
    H[..., 3, 3:6] = u
    return h, H


def ekf_update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    z: NDArray[np.float64],
    z_cov: NDArray[np.float64],
    sensor_pos: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """EKF update with position and (optional) range rate, Joseph form, batched.

    Parameters
    ----------
    x : ndarray, shape (..., n)
    P : ndarray, shape (..., n, n)
    z : ndarray, shape (..., 4)
        Measured ``[e, n, u]`` (m) and range rate (m/s, NaN where not measured).
    z_cov : ndarray, shape (..., 4, 4)
        Measurement covariance; the range-rate row and column are ignored where ``z[..., 3]``
        is NaN.
    sensor_pos : array_like, shape (..., 3), metres

    Returns
    -------
    x, P : ndarray
        Updated state and covariance (exactly symmetric).
    d2 : ndarray, shape (...)
        Squared Mahalanobis distance of the innovation.
    loglik : ndarray, shape (...)
        ``ln N(nu; 0, S)`` over the measured rows.
    """
    h, H = position_rangerate_model(x, sensor_pos)
    z = np.asarray(z, dtype=np.float64)
    has_rr = np.isfinite(z[..., 3])
    nu = z - h
    nu[..., 3] = np.where(has_rr, nu[..., 3], 0.0)
    H[..., 3, :] *= has_rr[..., None]
    Rm = np.array(np.broadcast_to(z_cov, (*has_rr.shape, 4, 4)), dtype=np.float64)
    Rm[..., 3, :3] *= has_rr[..., None]
    Rm[..., :3, 3] *= has_rr[..., None]
    Rm[..., 3, 3] = np.where(has_rr, Rm[..., 3, 3], 1.0)
    Ht = np.swapaxes(H, -1, -2)
    S = H @ P @ Ht + Rm
    S = 0.5 * (S + np.swapaxes(S, -1, -2))
    PHt = P @ Ht
    # K = P H^T S^-1  (S symmetric: K^T = S^-1 H P)
    K = np.swapaxes(np.linalg.solve(S, np.swapaxes(PHt, -1, -2)), -1, -2)
    x_new = x + np.einsum("...ij,...j->...i", K, nu)
    A = np.eye(x.shape[-1]) - K @ H
    P_new = A @ P @ np.swapaxes(A, -1, -2) + K @ Rm @ np.swapaxes(K, -1, -2)
    P_new = 0.5 * (P_new + np.swapaxes(P_new, -1, -2))
    d2 = np.einsum("...i,...i->...", nu, np.linalg.solve(S, nu[..., None])[..., 0])
    logdet = np.linalg.slogdet(S)[1]
    dof = 3.0 + has_rr
    loglik = -0.5 * (d2 + logdet + dof * _LOG_2PI)
    return x_new, P_new, d2, loglik

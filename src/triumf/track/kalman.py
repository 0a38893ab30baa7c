"""Converted-measurement Kalman filter kernels, batched over leading axes.

The filter state is the 6-D constant-velocity state ``[e, n, u, ve, vn, vu]`` in the engine ENU
frame; measurements are 3-D positions obtained by converting the radar's range/azimuth/elevation
to Cartesian coordinates (:func:`converted_measurement`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

_EYE3 = np.eye(3)


def predict(
    x: NDArray[np.float64], P: NDArray[np.float64], dt: ArrayLike, q: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Constant-velocity prediction ``x = F x``, ``P = F P F^T + Q``.

    Uses the CWNA process noise of :func:`triumf.track.models.cv_process_noise`, evaluated in
    3x3 blocks (no 6x6 matrix products). The result is symmetrised.

    Parameters
    ----------
    x : ndarray, shape (..., 6)
        State, metres and m/s.
    P : ndarray, shape (..., 6, 6)
        State covariance.
    dt : array_like, shape (...) or broadcastable, seconds
        Prediction interval per object (``dt = 0`` leaves the state unchanged).
    q : array_like, broadcastable to (...), m / s^(3/2)
        Square root of the acceleration noise PSD.

    Returns
    -------
    x, P : ndarray, shapes (..., 6) and (..., 6, 6)
        Predicted state and covariance.
    """
    dt = np.asarray(dt, dtype=np.float64)
    q2 = np.asarray(q, dtype=np.float64) ** 2
    pos, vel = x[..., :3], x[..., 3:]
    x_new = np.concatenate([pos + dt[..., None] * vel, vel], axis=-1)

    d = dt[..., None, None]
    A, B = P[..., :3, :3], P[..., :3, 3:]
    C, D = P[..., 3:, :3], P[..., 3:, 3:]
    qpp = (q2 * dt**3 / 3.0)[..., None, None] * _EYE3
    qpv = (q2 * dt**2 / 2.0)[..., None, None] * _EYE3
    qvv = (q2 * dt)[..., None, None] * _EYE3
    # P' = F P F^T + Q with F = [[I, dt I], [0, I]]
    Ppp = A + d * (B + C) + d * d * D + qpp
    Ppv = B + d * D + qpv
    Pvp = C + d * D + qpv
    Pvv = D + qvv
    P_new = np.concatenate(
        [np.concatenate([Ppp, Ppv], axis=-1), np.concatenate([Pvp, Pvv], axis=-1)], axis=-2
    )
    return x_new, _symmetrise(P_new)


def predict_linear(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    F: NDArray[np.float64],
    Q: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Generic linear prediction ``x = F x``, ``P = F P F^T + Q``.

    Parameters
    ----------
    x : ndarray, shape (..., n)
    P : ndarray, shape (..., n, n)
    F : ndarray, shape (..., n, n)
        Transition matrix, broadcast against ``x``.
    Q : ndarray, shape (..., n, n)
        Process-noise covariance.

    Returns
    -------
    x, P : ndarray, shapes (..., n) and (..., n, n)
    """
    x_new = np.einsum("...ij,...j->...i", F, x)
    P_new = F @ P @ np.swapaxes(F, -1, -2) + Q
    return x_new, _symmetrise(P_new)


def converted_measurement(
    z: NDArray[np.float64],
    sigma: NDArray[np.float64],
    sensor_pos: NDArray[np.float64],
    sensor_rot: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Convert range/azimuth/elevation measurements to engine-ENU positions with covariance.

    Why a converted-measurement filter: the measurement model becomes linear (``H = [I 0]``),
    so every track/detection pair is gated and updated with the same batched linear algebra,
    and no per-track linearisation point is needed. The linearised covariance
    ``J diag(sigma^2) J^T`` is accurate while the cross-range error is small compared with the
    range (Lerro & Bar-Shalom, IEEE TAES 29(3), 1993, give ``r sigma_angle^2 / sigma_r < 0.4``
    as the limit); for the sensor accuracies the foundation uses (mrad angles, tens of metres in
    range, hundreds of km) the conversion bias ``~ r sigma_angle^2 / 2`` is metres against
    hundreds of metres of cross-range noise, so no debiasing is applied.

    Local frame: east/north/up at the radar; azimuth clockwise from north, elevation above
    the horizontal, so ``p = r [cos(el) sin(az), cos(el) cos(az), sin(el)]``.

    Parameters
    ----------
    z : ndarray, shape (..., 3)
        Range (m), azimuth (rad), elevation (rad) in the radar's local frame.
    sigma : ndarray, shape (..., 3)
        One-sigma noise of range (m), azimuth (rad) and elevation (rad), independent.
    sensor_pos : ndarray, shape (3,), metres, engine ENU
        Radar position.
    sensor_rot : ndarray, shape (3, 3)
        Rotation from the radar's local frame to the engine frame (``v_engine = rot @ v_local``).

    Returns
    -------
    y : ndarray, shape (..., 3), metres, engine ENU
        Measured position.
    Rcart : ndarray, shape (..., 3, 3), m^2, engine ENU
        Its covariance ``rot J diag(sigma^2) J^T rot^T``.
    """
    r, az, el = z[..., 0], z[..., 1], z[..., 2]
    sa, ca = np.sin(az), np.cos(az)
    se, ce = np.sin(el), np.cos(el)
    p_local = np.stack([r * ce * sa, r * ce * ca, r * se], axis=-1)
    # Jacobian columns d p / d(r, az, el)
    J = np.stack(
        [
            np.stack([ce * sa, r * ce * ca, -r * se * sa], axis=-1),
            np.stack([ce * ca, -r * ce * sa, -r * se * ca], axis=-1),
            np.stack([se, np.zeros_like(r), r * ce], axis=-1),
        ],
        axis=-2,
    )
    rot = np.asarray(sensor_rot, dtype=np.float64)
    M = rot @ J  # (..., 3, 3): engine-frame Jacobian
    Ms = M * sigma[..., None, :]
    Rcart = _symmetrise(Ms @ np.swapaxes(Ms, -1, -2))
    y = np.asarray(sensor_pos, dtype=np.float64) + p_local @ rot.T
    return y, Rcart


def update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Kalman update with a position measurement, ``H = [I 0]``, Joseph form.

    ``S = H P H^T + R``, ``K = P H^T S^-1``, ``x = x + K (y - H x)``,
    ``P = (I - K H) P (I - K H)^T + K R K^T``, then symmetrised.

    Parameters
    ----------
    x : ndarray, shape (..., 6)
    P : ndarray, shape (..., 6, 6)
    y : ndarray, shape (..., 3), metres
        Measured position, same frame as ``x``.
    R : ndarray, shape (..., 3, 3), m^2
        Measurement covariance.

    Returns
    -------
    x, P : ndarray, shapes (..., 6) and (..., 6, 6)
        Updated state and covariance.
    """
    S = P[..., :3, :3] + R
    # K^T = S^-1 H P  (P symmetric, so H P = (P H^T)^T)
    Kt = np.linalg.solve(S, P[..., :3, :])
    K = np.swapaxes(Kt, -1, -2)  # (..., 6, 3)
    nu = y - x[..., :3]
    x_new = x + np.einsum("...ij,...j->...i", K, nu)
    IKH = np.broadcast_to(np.eye(6), K.shape[:-2] + (6, 6)).copy()
    IKH[..., :, :3] -= K
    P_new = IKH @ P @ np.swapaxes(IKH, -1, -2) + K @ R @ Kt
    return x_new, _symmetrise(P_new)


def _symmetrise(P: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(P + P^T) / 2`` over the last two axes."""
    return 0.5 * (P + np.swapaxes(P, -1, -2))

"""Converted-measurement Kalman filter kernels, batched over leading axes.

The filter state is the 6-D constant-velocity state ``[e, n, u, ve, vn, vu]`` in the engine ENU
frame; measurements are 3-D positions obtained by converting the radar's range/azimuth/elevation
to Cartesian coordinates (:func:`converted_measurement`).

Two layouts. The public kernels (:func:`predict`, :func:`update`, :func:`converted_measurement`)
take the usual object-major arrays ``(..., 6)`` and ``(..., 6, 6)``. Each has a component-major
twin (suffix ``_cm``: ``(6, ...)`` and ``(6, 6, ...)``, matrix axes first) that does the work:
every matrix entry is then a contiguous vector over all objects, so a 3x3 block formula costs a
few long vector operations instead of many short strided ones. The tracker keeps its live
tracks in that layout for a whole scan; the public kernels transpose in and out.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.fixed_order import matmul_first, matvec_first


def predict(
    x: NDArray[np.float64], P: NDArray[np.float64], dt: ArrayLike, q: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Constant-velocity prediction ``x = F x``, ``P = F P F^T + Q``.

    Uses the CWNA process noise of :func:`triumf.track.models.cv_process_noise`, evaluated in
    3x3 blocks (no 6x6 matrix products). The result is symmetrised. Same arithmetic as
    :func:`predict_cm`.

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
    x_cm, P_cm = predict_cm(_to_cm(x, 1), _to_cm(P, 2), dt, q)
    return _from_cm(x_cm, 1), _from_cm(P_cm, 2)


def predict_cm(
    x: NDArray[np.float64], P: NDArray[np.float64], dt: ArrayLike, q: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`predict` in the component-major layout.

    Parameters
    ----------
    x : ndarray, shape (6, ...)
        State, metres and m/s, one contiguous vector per component.
    P : ndarray, shape (6, 6, ...)
        State covariance.
    dt : array_like, shape (...), seconds
        Prediction interval per object.
    q : array_like, broadcastable to (...), m / s^(3/2)
        Square root of the acceleration noise PSD.

    Returns
    -------
    x, P : ndarray, shapes (6, ...) and (6, 6, ...)
        Predicted state and covariance (new arrays).
    """
    dt = np.asarray(dt, dtype=np.float64)
    q2 = np.asarray(q, dtype=np.float64) ** 2
    pos, vel = x[:3], x[3:]
    x_new = np.empty((6, *np.broadcast_shapes(pos.shape[1:], dt.shape)))
    np.multiply(vel, dt, out=x_new[:3])
    x_new[:3] += pos
    x_new[3:] = vel

    # P' = F P F^T + Q with F = [[I, dt I], [0, I]], block by block; the operations are done
    # in place (bit-for-bit the same as the textbook expressions in the comments) to keep the
    # number of large temporaries low
    A, B = P[:3, :3], P[:3, 3:]
    C, D = P[3:, :3], P[3:, 3:]
    out = np.empty((6, 6, *np.broadcast_shapes(P.shape[2:], dt.shape, q2.shape)))
    pp, pv, vp, vv = out[:3, :3], out[:3, 3:], out[3:, :3], out[3:, 3:]
    np.add(B, C, out=pp)
    pp *= dt
    pp += A
    np.multiply(D, dt * dt, out=vv)
    pp += vv  # pp = A + dt (B + C) + dt^2 D
    np.multiply(D, dt, out=vv)
    np.add(B, vv, out=pv)  # pv = B + dt D
    np.add(C, vv, out=vp)  # vp = C + dt D
    np.copyto(vv, D)  # vv = D
    # CWNA process noise, diagonal in each block
    qpp = q2 * dt**3 / 3.0
    qpv = q2 * dt**2 / 2.0
    qvv = q2 * dt
    for i in range(3):
        pp[i, i] += qpp
        pv[i, i] += qpv
        vp[i, i] += qpv
        vv[i, i] += qvv
    # symmetrise: (P + P^T) / 2
    P_new = np.add(out, out.swapaxes(0, 1))
    P_new *= 0.5
    return x_new, P_new


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
    return x_new, 0.5 * (P_new + np.swapaxes(P_new, -1, -2))


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
        Its covariance ``rot J diag(sigma^2) J^T rot^T`` (exactly symmetric).
    """
    z, sigma = np.broadcast_arrays(np.asarray(z, np.float64), np.asarray(sigma, np.float64))
    y, Rc = converted_measurement_cm(_to_cm(z, 1), _to_cm(sigma, 1), sensor_pos, sensor_rot)
    return _from_cm(y, 1), _from_cm(Rc, 2)


def converted_measurement_cm(
    z: NDArray[np.float64],
    sigma: NDArray[np.float64],
    sensor_pos: NDArray[np.float64],
    sensor_rot: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`converted_measurement` in the component-major layout.

    Parameters
    ----------
    z : ndarray, shape (3, ...)
        Range (m), azimuth (rad), elevation (rad).
    sigma : ndarray, shape (3, ...)
        Their one-sigma noise.
    sensor_pos : ndarray, shape (3,), metres, engine ENU
    sensor_rot : ndarray, shape (3, 3)

    Returns
    -------
    y : ndarray, shape (3, ...), metres, engine ENU
    Rcart : ndarray, shape (3, 3, ...), m^2
    """
    r, az, el = z[0], z[1], z[2]
    sa, ca = np.sin(az), np.cos(az)
    se, ce = np.sin(el), np.cos(el)
    rce = r * ce
    rse = r * se
    p_local = np.stack([rce * sa, rce * ca, rse])
    # Jacobian J[i, j] = d p_i / d(r, az, el)_j
    J = np.empty((3, 3, *r.shape))
    J[0, 0] = ce * sa
    J[1, 0] = ce * ca
    J[2, 0] = se
    J[0, 1] = rce * ca
    J[1, 1] = -rce * sa
    J[2, 1] = 0.0
    J[0, 2] = -rse * sa
    J[1, 2] = -rse * ca
    J[2, 2] = rce
    J *= sigma[None]  # J diag(sigma)
    rot = np.asarray(sensor_rot, dtype=np.float64)
    # fixed summation order (triumf.core.fixed_order): same bits whatever the batch
    Ms = matmul_first(rot, J)  # engine frame
    Rc = matmul_first(Ms, Ms.swapaxes(0, 1))  # Ms Ms^T
    Rc = 0.5 * (Rc + Rc.swapaxes(0, 1))
    y = matvec_first(rot, p_local)
    y += np.asarray(sensor_pos, dtype=np.float64).reshape(3, *([1] * r.ndim))
    return y, Rc


def update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Kalman update with a position measurement, ``H = [I 0]``, Joseph form.

    ``S = H P H^T + R``, ``K = P H^T S^-1``, ``x = x + K (y - H x)``,
    ``P = (I - K H) P (I - K H)^T + K R K^T``, then symmetrised. See :func:`update_cm`.

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
    batch = np.broadcast_shapes(x.shape[:-1], P.shape[:-2], y.shape[:-1], R.shape[:-2])
    x_cm, P_cm = update_cm(
        _to_cm(np.broadcast_to(x, (*batch, 6)), 1),
        _to_cm(np.broadcast_to(P, (*batch, 6, 6)), 2),
        _to_cm(np.broadcast_to(y, (*batch, 3)), 1),
        _to_cm(np.broadcast_to(R, (*batch, 3, 3)), 2),
    )
    return _from_cm(x_cm, 1), _from_cm(P_cm, 2)


def update_cm(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """:func:`update` in the component-major layout.

    ``S^-1`` is applied through the Cholesky factor of ``S`` (written out entry by entry;
    the lower triangles of ``P_pos`` and ``R`` are read). With ``H = [I 0]``, ``I - K H`` is
    the identity except for its first three columns ``L = E - K`` (``E`` their identity
    part), so the Joseph form is ``M = L P[:3, :] + [0; P[3:, :]]`` (that is ``(I - K H) P``),
    then ``M (I - K H)^T = M[:, :3] L^T + [0 | M[:, 3:]]``, plus ``(K R) K^T``: four small
    matrix products over all objects at once.

    Parameters
    ----------
    x : ndarray, shape (6, ...)
    P : ndarray, shape (6, 6, ...)
    y : ndarray, shape (3, ...), metres
    R : ndarray, shape (3, 3, ...), m^2

    Returns
    -------
    x, P : ndarray, shapes (6, ...) and (6, 6, ...)
        Updated state and exactly symmetric covariance (new arrays).
    """
    Ppp = P[:3, :3]
    # S = L L^T (lower triangles of P_pos and R)
    s00 = Ppp[0, 0] + R[0, 0]
    s10 = Ppp[1, 0] + R[1, 0]
    s20 = Ppp[2, 0] + R[2, 0]
    s11 = Ppp[1, 1] + R[1, 1]
    s21 = Ppp[2, 1] + R[2, 1]
    s22 = Ppp[2, 2] + R[2, 2]
    l11 = np.sqrt(s00)
    l21 = s10 / l11
    l31 = s20 / l11
    l22 = np.sqrt(s11 - l21 * l21)
    l32 = (s21 - l31 * l21) / l22
    l33 = np.sqrt(s22 - l31 * l31 - l32 * l32)
    # K^T = S^-1 H P (3 x 6): forward then backward substitution, all six columns at once
    HP = P[:3]
    w1 = HP[0] / l11
    w2 = (HP[1] - l21 * w1) / l22
    w3 = (HP[2] - l31 * w1 - l32 * w2) / l33
    K = np.empty((6, 3, *P.shape[2:]))  # K[i, j] = K^T[j, i]
    k3 = np.divide(w3, l33, out=K[:, 2])
    k2 = np.divide(w2 - l32 * k3, l22, out=K[:, 1])
    np.divide(w1 - l21 * k2 - l31 * k3, l11, out=K[:, 0])

    # x = x + K (y - H x)
    x_new = matvec_first(K, y - x[:3])  # fixed summation order (core.fixed_order)
    x_new += x

    # P = (I - K H) P (I - K H)^T + K R K^T, then (P + P^T) / 2
    L = np.negative(K)
    for i in range(3):
        L[i, i] += 1.0
    M = matmul_first(L, HP)
    M[3:] += P[3:]
    P_new = matmul_first(M[:, :3], L.swapaxes(0, 1))
    P_new[:, 3:] += M[:, 3:]
    KR = matmul_first(K, R)
    P_new += matmul_first(KR, K.swapaxes(0, 1))
    out = np.add(P_new, P_new.swapaxes(0, 1))
    out *= 0.5
    return x_new, out


def _to_cm(a: ArrayLike, n_mat: int) -> NDArray[np.float64]:
    """Object-major ``(..., m[, m])`` to contiguous component-major ``(m[, m], ...)``."""
    a = np.asarray(a, dtype=np.float64)
    axes = tuple(range(a.ndim - n_mat, a.ndim)) + tuple(range(a.ndim - n_mat))
    return np.ascontiguousarray(a.transpose(axes))


def _from_cm(a: NDArray[np.float64], n_mat: int) -> NDArray[np.float64]:
    """Inverse of :func:`_to_cm`."""
    axes = tuple(range(n_mat, a.ndim)) + tuple(range(n_mat))
    return np.ascontiguousarray(a.transpose(axes))

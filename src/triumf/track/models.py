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


def _per_axis(block: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """Kronecker ``I_3 (x) block`` laid out with all positions first, then velocities, ...

    ``block`` has shape (..., n, n) over the derivatives of one axis; the result (..., 3n, 3n)
    uses the state order ``[p_e, p_n, p_u, v_e, v_n, v_u, ...]``.
    """
    out = np.zeros((*block.shape[:-2], 3 * n, 3 * n))
    for i in range(n):
        for j in range(n):
            for a in range(3):
                out[..., 3 * i + a, 3 * j + a] = block[..., i, j]
    return out


def ca_transition(dt: ArrayLike) -> NDArray[np.float64]:
    """Transition of the nearly constant acceleration (CA) model, state ``[p, v, a]`` (9).

    Per axis ``[[1, dt, dt^2/2], [0, 1, dt], [0, 0, 1]]`` (Bar-Shalom, Li & Kirubarajan 2001,
    sec. 6.2.3).

    Parameters
    ----------
    dt : array_like, shape (...), seconds

    Returns
    -------
    F : ndarray, shape (..., 9, 9)
    """
    dt = np.asarray(dt, dtype=np.float64)
    one = np.ones_like(dt)
    zero = np.zeros_like(dt)
    block = np.stack(
        [np.stack([one, dt, dt * dt / 2], -1), np.stack([zero, one, dt], -1),
         np.stack([zero, zero, one], -1)], -2)
    return _per_axis(block, 3)


def ca_process_noise(dt: ArrayLike, q: ArrayLike) -> NDArray[np.float64]:
    """Process noise of the CA model driven by continuous white jerk of PSD ``q**2`` (m^2/s^5).

    Per axis ``q^2 [[dt^5/20, dt^4/8, dt^3/6], [dt^4/8, dt^3/3, dt^2/2], [dt^3/6, dt^2/2, dt]]``
    (Bar-Shalom et al. 2001, sec. 6.2.3).

    Parameters
    ----------
    dt : array_like, shape (...), seconds
    q : array_like, broadcast with ``dt``, m / s^(5/2)
        Square root of the jerk PSD.

    Returns
    -------
    Q : ndarray, shape (..., 9, 9)
    """
    dt, q = np.broadcast_arrays(np.asarray(dt, np.float64), np.asarray(q, np.float64))
    T = dt[..., None, None]
    p = np.array([[5, 4, 3], [4, 3, 2], [3, 2, 1]], dtype=np.float64)
    c = np.array([[1 / 20, 1 / 8, 1 / 6], [1 / 8, 1 / 3, 1 / 2], [1 / 6, 1 / 2, 1.0]])
    return _per_axis((q * q)[..., None, None] * c * T**p, 3)


def singer_transition(dt: ArrayLike, tau: ArrayLike) -> NDArray[np.float64]:
    """Transition of the Singer model: acceleration a first-order Markov process.

    ``da/dt = -a / tau + w``; per axis, with ``b = dt / tau``
    (Singer, IEEE TAES 6(4), 1970)::

        [[1, dt, tau^2 (b - 1 + e^-b)], [0, 1, tau (1 - e^-b)], [0, 0, e^-b]]

    Parameters
    ----------
    dt : array_like, shape (...), seconds
    tau : array_like, broadcast with ``dt``, seconds
        Manoeuvre time constant (> 0).

    Returns
    -------
    F : ndarray, shape (..., 9, 9)
        State order ``[p (3), v (3), a (3)]``.
    """
    dt, tau = np.broadcast_arrays(np.asarray(dt, np.float64), np.asarray(tau, np.float64))
    b = dt / tau
    e = np.exp(-b)
    one, zero = np.ones_like(dt), np.zeros_like(dt)
    block = np.stack(
        [np.stack([one, dt, tau * tau * (b - 1.0 + e)], -1),
         np.stack([zero, one, tau * (1.0 - e)], -1),
         np.stack([zero, zero, e], -1)], -2)
    return _per_axis(block, 3)


def singer_process_noise(dt: ArrayLike, tau: ArrayLike, sigma_a: ArrayLike) -> NDArray[np.float64]:
    """Process noise of the Singer model, exact discretisation.

    The acceleration has stationary standard deviation ``sigma_a`` and time constant ``tau``;
    the driving noise PSD is ``2 sigma_a^2 / tau``. With ``a = 1 / tau`` and ``T = dt`` the
    closed form per axis is ``Q = 2 a sigma_a^2 [q_ij]`` (Singer 1970; also Li & Jilkov,
    IEEE TAES 39(4), 2003, sec. V-A)::

        q11 = (1 - e^{-2aT} + 2aT + 2a^3T^3/3 - 2a^2T^2 - 4aT e^{-aT}) / (2 a^5)
        q12 = (e^{-2aT} + 1 - 2e^{-aT} + 2aT e^{-aT} - 2aT + a^2T^2) / (2 a^4)
        q13 = (1 - e^{-2aT} - 2aT e^{-aT}) / (2 a^3)
        q22 = (4e^{-aT} - 3 - e^{-2aT} + 2aT) / (2 a^3)
        q23 = (e^{-2aT} + 1 - 2e^{-aT}) / (2 a^2)
        q33 = (1 - e^{-2aT}) / (2 a)

    Parameters
    ----------
    dt : array_like, shape (...), seconds
    tau : array_like, seconds
    sigma_a : array_like, m/s^2

    Returns
    -------
    Q : ndarray, shape (..., 9, 9)
    """
    dt, tau, sa = np.broadcast_arrays(
        np.asarray(dt, np.float64), np.asarray(tau, np.float64), np.asarray(sigma_a, np.float64)
    )
    a = 1.0 / tau
    aT = a * dt
    e1, e2 = np.exp(-aT), np.exp(-2.0 * aT)
    q11 = (1 - e2 + 2 * aT + 2 * aT**3 / 3 - 2 * aT**2 - 4 * aT * e1) / (2 * a**5)
    q12 = (e2 + 1 - 2 * e1 + 2 * aT * e1 - 2 * aT + aT**2) / (2 * a**4)
    q13 = (1 - e2 - 2 * aT * e1) / (2 * a**3)
    q22 = (4 * e1 - 3 - e2 + 2 * aT) / (2 * a**3)
    q23 = (e2 + 1 - 2 * e1) / (2 * a**2)
    q33 = (1 - e2) / (2 * a)
    block = np.stack(
        [np.stack([q11, q12, q13], -1), np.stack([q12, q22, q23], -1),
         np.stack([q13, q23, q33], -1)], -2)
    return _per_axis((2.0 * a * sa * sa)[..., None, None] * block, 3)


def ct_predict(
    x: NDArray[np.float64], dt: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nearly coordinated turn in the horizontal plane: state and Jacobian.

    State ``[e, n, u, ve, vn, vu, w]`` (7) with turn rate ``w`` (rad/s, positive
    counter-clockwise seen from above); the horizontal velocity turns at rate ``w``, the
    vertical motion is constant velocity (Bar-Shalom et al. 2001, sec. 11.7.1)::

        e' = e + sin(wT)/w ve - (1 - cos(wT))/w vn
        n' = n + (1 - cos(wT))/w ve + sin(wT)/w vn
        ve' = cos(wT) ve - sin(wT) vn,   vn' = sin(wT) ve + cos(wT) vn

    with series expansions for ``|w T| < 1e-3``.

    Parameters
    ----------
    x : ndarray, shape (..., 7)
    dt : array_like, broadcast to (...), seconds

    Returns
    -------
    x_new : ndarray, shape (..., 7)
    F : ndarray, shape (..., 7, 7)
        Jacobian ``d x_new / d x``.
    """
    x = np.asarray(x, dtype=np.float64)
    T = np.broadcast_to(np.asarray(dt, dtype=np.float64), x.shape[:-1])
    w = x[..., 6]
    wT = w * T
    small = np.abs(wT) < 1e-3
    ws = np.where(small, 1.0, w)
    s, c = np.sin(wT), np.cos(wT)
    # a = sin(wT)/w, b = (1 - cos(wT))/w and their derivatives in w
    a = np.where(small, T * (1 - wT**2 / 6), s / ws)
    b = np.where(small, w * T**2 / 2 * (1 - wT**2 / 12), (1 - c) / ws)
    da = np.where(small, -w * T**3 / 3, (T * c * w - s) / ws**2)
    db = np.where(small, T**2 / 2 * (1 - wT**2 / 4), (T * s * w - (1 - c)) / ws**2)
    ve, vn = x[..., 3], x[..., 4]
    out = x.copy()
    out[..., 0] = x[..., 0] + a * ve - b * vn
    out[..., 1] = x[..., 1] + b * ve + a * vn
    out[..., 2] = x[..., 2] + T * x[..., 5]
    out[..., 3] = c * ve - s * vn
    out[..., 4] = s * ve + c * vn
    F = np.broadcast_to(np.eye(7), (*x.shape[:-1], 7, 7)).copy()
    F[..., 0, 3], F[..., 0, 4] = a, -b
    F[..., 1, 3], F[..., 1, 4] = b, a
    F[..., 2, 5] = T
    F[..., 3, 3], F[..., 3, 4] = c, -s
    F[..., 4, 3], F[..., 4, 4] = s, c
    F[..., 0, 6] = da * ve - db * vn
    F[..., 1, 6] = db * ve + da * vn
    F[..., 3, 6] = -T * s * ve - T * c * vn
    F[..., 4, 6] = T * c * ve - T * s * vn
    return out, F


def ct_process_noise(dt: ArrayLike, q: ArrayLike, q_turn: ArrayLike) -> NDArray[np.float64]:
    """Process noise of the coordinated-turn model, state ``[e, n, u, ve, vn, vu, w]``.

    CWNA (:func:`cv_process_noise`) on the three axes plus a random walk of the turn rate
    with PSD ``q_turn**2`` (rad^2/s^3).

    Parameters
    ----------
    dt : array_like, shape (...), seconds
    q : array_like, m / s^(3/2)
        Square root of the acceleration noise PSD.
    q_turn : array_like, rad / s^(3/2)
        Square root of the turn-rate noise PSD.

    Returns
    -------
    Q : ndarray, shape (..., 7, 7)
    """
    dt, q, qw = np.broadcast_arrays(
        np.asarray(dt, np.float64), np.asarray(q, np.float64), np.asarray(q_turn, np.float64)
    )
    Q = np.zeros((*dt.shape, 7, 7))
    Q[..., :6, :6] = cv_process_noise(dt, q)
    Q[..., 6, 6] = qw * qw * dt
    return Q

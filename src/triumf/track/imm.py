"""Interacting multiple model (IMM) filter: constant velocity mixed with coordinated turn.

Both modes share the state ``[e, n, u, ve, vn, vu, w]`` (turn rate ``w`` last, rad/s). Mode 0
is constant velocity (CWNA noise ``q_cv``; ``w`` is carried unchanged and unused); mode 1 is the
nearly coordinated turn (:func:`triumf.track.models.ct_predict`, EKF, CWNA noise ``q_ct`` and
turn-rate noise ``q_turn``). One cycle (Blom & Bar-Shalom, IEEE TAC 33(8), 1988; Bar-Shalom et
al. 2001, sec. 11.6.6): mix the mode estimates with the Markov switching matrix, predict each
mode, update each mode with the same measurement (:func:`triumf.track.ekf.ekf_update`, so a
range rate is used where present), reweight the modes by their likelihoods, combine. All
functions broadcast over leading axes, e.g. (R, K).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.track.ekf import ekf_update
from triumf.track.models import ct_predict, ct_process_noise, cv_process_noise, cv_transition

N_STATE = 7
N_MODES = 2


@dataclass(frozen=True)
class ImmParams:
    """IMM settings (all [E] tuning values, meant to be swept).

    Attributes
    ----------
    q_cv : float, m / s^(3/2)
        Square root of the acceleration PSD of the CV mode.
    q_ct : float, m / s^(3/2)
        Same for the coordinated-turn mode.
    q_turn : float, rad / s^(3/2)
        Square root of the turn-rate PSD of the coordinated-turn mode.
    p_stay : float
        Probability of staying in the same mode from one scan to the next (for a 1 s scan;
        other intervals use ``p_stay ** dt``).
    """

    q_cv: float = 1.0
    q_ct: float = 3.0
    q_turn: float = 0.02
    p_stay: float = 0.95

    def __post_init__(self) -> None:
        if not 0.0 < self.p_stay < 1.0:
            raise ValueError("p_stay must be in (0, 1)")
        if min(self.q_cv, self.q_ct, self.q_turn) < 0.0:
            raise ValueError("noise intensities must be >= 0")


def switching_matrix(p_stay: float, dt: ArrayLike) -> NDArray[np.float64]:
    """Two-mode Markov matrix ``Pi[i, j] = P(mode j at k+1 | mode i at k)``.

    Parameters
    ----------
    p_stay : float
        Probability of staying over 1 s.
    dt : array_like, shape (...), seconds

    Returns
    -------
    ndarray, shape (..., 2, 2)
    """
    stay = np.asarray(p_stay, dtype=np.float64) ** np.asarray(dt, dtype=np.float64)
    out = np.empty((*stay.shape, 2, 2))
    out[..., 0, 0] = out[..., 1, 1] = stay
    out[..., 0, 1] = out[..., 1, 0] = 1.0 - stay
    return out


def imm_init(
    x: NDArray[np.float64], P: NDArray[np.float64], turn_std: float = 0.1
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """IMM state from a CV estimate: both modes start there, equal probabilities.

    Parameters
    ----------
    x : ndarray, shape (..., 6)
    P : ndarray, shape (..., 6, 6)
    turn_std : float, rad/s
        Prior standard deviation of the turn rate (mean 0).

    Returns
    -------
    xm : ndarray, shape (..., 2, 7)
    Pm : ndarray, shape (..., 2, 7, 7)
    mu : ndarray, shape (..., 2)
    """
    lead = x.shape[:-1]
    xm = np.zeros((*lead, N_MODES, N_STATE))
    xm[..., :6] = x[..., None, :]
    Pm = np.zeros((*lead, N_MODES, N_STATE, N_STATE))
    Pm[..., :6, :6] = P[..., None, :, :]
    Pm[..., 6, 6] = turn_std**2
    return xm, Pm, np.full((*lead, N_MODES), 1.0 / N_MODES)


def imm_mix(
    x: NDArray[np.float64], P: NDArray[np.float64], mu: NDArray[np.float64], Pi: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Interaction step: mixed initial conditions of each mode.

    ``c_j = sum_i Pi_ij mu_i``, ``mu_i|j = Pi_ij mu_i / c_j``,
    ``x0_j = sum_i mu_i|j x_i``, ``P0_j = sum_i mu_i|j (P_i + (x_i - x0_j)(x_i - x0_j)^T)``.

    Parameters
    ----------
    x : ndarray, shape (..., M, n)
    P : ndarray, shape (..., M, n, n)
    mu : ndarray, shape (..., M)
    Pi : ndarray, shape (..., M, M)

    Returns
    -------
    x0, P0 : ndarray, shapes (..., M, n) and (..., M, n, n)
    c : ndarray, shape (..., M)
        Predicted mode probabilities.
    """
    w = Pi * mu[..., :, None]  # (..., i, j)
    c = w.sum(axis=-2)
    # a mode of probability 0 that no mode can switch into now (dt = 0: two scans in one
    # instant) has no mixture: it keeps its own estimate (0 / 0 would make the track NaN)
    empty = c <= 0.0
    w = np.where(empty[..., None, :], np.eye(mu.shape[-1]),
                 w / np.where(empty, 1.0, c)[..., None, :])
    x0 = np.einsum("...ij,...in->...jn", w, x)
    dx = x[..., None, :, :] - x0[..., :, None, :]  # (..., j, i, n)
    spread = np.einsum("...ij,...jin,...jim->...jnm", w, dx, dx)
    P0 = np.einsum("...ij,...inm->...jnm", w, P) + spread
    return x0, 0.5 * (P0 + np.swapaxes(P0, -1, -2)), c


def imm_predict(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    mu: NDArray[np.float64],
    dt: ArrayLike,
    params: ImmParams,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Mix, then predict each mode over ``dt``.

    Parameters
    ----------
    x : ndarray, shape (..., 2, 7)
    P : ndarray, shape (..., 2, 7, 7)
    mu : ndarray, shape (..., 2)
    dt : array_like, broadcast to (...), seconds
    params : ImmParams

    Returns
    -------
    x, P : ndarray
        Predicted mode estimates.
    mu : ndarray, shape (..., 2)
        Predicted mode probabilities.
    """
    dt = np.broadcast_to(np.asarray(dt, dtype=np.float64), mu.shape[:-1])
    x0, P0, c = imm_mix(x, P, mu, switching_matrix(params.p_stay, dt))
    x_new = np.empty_like(x0)
    P_new = np.empty_like(P0)
    # mode 0: constant velocity, turn rate carried
    F = np.broadcast_to(np.eye(N_STATE), (*dt.shape, N_STATE, N_STATE)).copy()
    F[..., :6, :6] = cv_transition(dt)
    Q = np.zeros((*dt.shape, N_STATE, N_STATE))
    Q[..., :6, :6] = cv_process_noise(dt, params.q_cv)
    x_new[..., 0, :] = np.einsum("...ij,...j->...i", F, x0[..., 0, :])
    P_new[..., 0, :, :] = F @ P0[..., 0, :, :] @ np.swapaxes(F, -1, -2) + Q
    # mode 1: coordinated turn (EKF)
    x1, F1 = ct_predict(x0[..., 1, :], dt)
    x_new[..., 1, :] = x1
    P_new[..., 1, :, :] = (
        F1 @ P0[..., 1, :, :] @ np.swapaxes(F1, -1, -2)
        + ct_process_noise(dt, params.q_ct, params.q_turn)
    )
    return x_new, 0.5 * (P_new + np.swapaxes(P_new, -1, -2)), c


def imm_update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    mu: NDArray[np.float64],
    z: NDArray[np.float64],
    z_cov: NDArray[np.float64],
    sensor_pos: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Update every mode with one measurement and reweight the modes.

    Parameters
    ----------
    x : ndarray, shape (..., 2, 7)
    P : ndarray, shape (..., 2, 7, 7)
    mu : ndarray, shape (..., 2)
        Predicted mode probabilities.
    z : ndarray, shape (..., 4)
        Position (m) and range rate (m/s, NaN if not measured); see
        :func:`triumf.track.ekf.ekf_update`.
    z_cov : ndarray, shape (..., 4, 4)
    sensor_pos : array_like, shape (..., 3)

    Returns
    -------
    x, P, mu : ndarray
        Updated mode estimates and probabilities.
    d2 : ndarray, shape (...)
        Squared Mahalanobis distance of the innovation of the combined prediction
        (mode-probability weighted), for gating.
    """
    z = np.asarray(z, dtype=np.float64)[..., None, :]
    z_cov = np.asarray(z_cov, dtype=np.float64)[..., None, :, :]
    s = np.asarray(sensor_pos, dtype=np.float64)[..., None, :]
    xc, Pc = imm_combine(x, P, mu)
    _, _, d2, _ = ekf_update(xc, Pc, z[..., 0, :], z_cov[..., 0, :, :], s[..., 0, :])
    x_new, P_new, _, loglik = ekf_update(x, P, z, z_cov, s)
    # mu_j ~ Lambda_j c_j, computed in logs for robustness
    logw = loglik + np.log(np.maximum(mu, 1e-300))
    logw -= logw.max(axis=-1, keepdims=True)
    w = np.exp(logw)
    return x_new, P_new, w / w.sum(axis=-1, keepdims=True), d2


def imm_combine(
    x: NDArray[np.float64], P: NDArray[np.float64], mu: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Combined estimate ``x = sum mu_j x_j``, ``P = sum mu_j (P_j + dx_j dx_j^T)``.

    Parameters
    ----------
    x : ndarray, shape (..., M, n)
    P : ndarray, shape (..., M, n, n)
    mu : ndarray, shape (..., M)

    Returns
    -------
    x, P : ndarray, shapes (..., n) and (..., n, n)
    """
    xc = np.einsum("...j,...jn->...n", mu, x)
    dx = x - xc[..., None, :]
    Pc = np.einsum("...j,...jnm->...nm", mu, P + dx[..., :, None] * dx[..., None, :])
    return xc, 0.5 * (Pc + np.swapaxes(Pc, -1, -2))

"""Tests of the CV model and the converted-measurement Kalman filter kernels."""

from __future__ import annotations

import numpy as np
import pymap3d
from filterpy.common import Q_continuous_white_noise
from filterpy.kalman import KalmanFilter
from scipy.linalg import solve_discrete_are
from scipy.spatial.transform import Rotation

from triumf.track.kalman import converted_measurement, predict, predict_linear, update
from triumf.track.models import cv_process_noise, cv_transition

H = np.hstack([np.eye(3), np.zeros((3, 3))])


def _random_spd(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    A = rng.normal(size=(n, n)) * scale
    return A @ A.T + n * scale**2 * np.eye(n)


def test_process_noise_matches_filterpy() -> None:
    """CWNA Q equals filterpy's Q_continuous_white_noise with spectral density q^2."""
    for dt, q in [(0.5, 3.0), (2.0, 30.0), (7.3, 0.1)]:
        ref = Q_continuous_white_noise(
            dim=2, dt=dt, spectral_density=q**2, block_size=3, order_by_dim=False
        )
        np.testing.assert_allclose(cv_process_noise(dt, q), ref, rtol=1e-12, atol=0)


def test_transition_moves_position_by_velocity_times_dt() -> None:
    """F maps [p, v] to [p + v dt, v] for per-object dt of shape (R, K)."""
    rng = np.random.default_rng(1)
    dt = rng.uniform(0, 10, size=(4, 5))
    x = rng.normal(size=(4, 5, 6))
    moved = np.einsum("...ij,...j->...i", cv_transition(dt), x)
    np.testing.assert_allclose(moved[..., :3], x[..., :3] + dt[..., None] * x[..., 3:])
    np.testing.assert_allclose(moved[..., 3:], x[..., 3:])


def test_predict_update_matches_filterpy() -> None:
    """One batched predict + update equals filterpy.kalman.KalmanFilter per object."""
    rng = np.random.default_rng(2)
    R, K = 3, 4
    x = rng.normal(scale=[1e4, 1e4, 1e3, 300, 300, 50], size=(R, K, 6))
    P = np.stack([_random_spd(rng, 6, 100.0) for _ in range(R * K)]).reshape(R, K, 6, 6)
    dt = rng.uniform(0.1, 12.0, size=(R, K))
    q = 25.0
    y = x[..., :3] + rng.normal(scale=200.0, size=(R, K, 3))
    Rm = np.stack([_random_spd(rng, 3, 50.0) for _ in range(R * K)]).reshape(R, K, 3, 3)

    xp, Pp = predict(x, P, dt, q)
    xu, Pu = update(xp, Pp, y, Rm)
    for r in range(R):
        for k in range(K):
            kf = KalmanFilter(dim_x=6, dim_z=3)
            kf.x = x[r, k].copy()
            kf.P = P[r, k].copy()
            kf.F = np.eye(6) + np.diag(np.full(3, dt[r, k]), 3)
            kf.Q = Q_continuous_white_noise(
                dim=2, dt=dt[r, k], spectral_density=q**2, block_size=3, order_by_dim=False
            )
            kf.H = H
            kf.R = Rm[r, k]
            kf.predict()
            np.testing.assert_allclose(xp[r, k], kf.x, rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(Pp[r, k], kf.P, rtol=1e-9, atol=1e-9)
            kf.update(y[r, k])
            np.testing.assert_allclose(xu[r, k], kf.x, rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(Pu[r, k], kf.P, rtol=1e-9, atol=1e-9)


def test_predict_linear_with_cv_matrices_equals_predict() -> None:
    """The generic F P F^T + Q prediction with CV matrices equals the block CV prediction."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 6))
    P = np.stack([_random_spd(rng, 6, 3.0) for _ in range(5)])
    dt = rng.uniform(0, 5, size=5)
    xa, Pa = predict(x, P, dt, 7.0)
    xb, Pb = predict_linear(x, P, cv_transition(dt), cv_process_noise(dt, 7.0))
    np.testing.assert_allclose(xa, xb, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Pa, Pb, rtol=1e-12, atol=1e-12)


def _kalata_alpha_beta(lam: float) -> tuple[float, float]:
    """Kalata (IEEE TAES 20(2), 1984) steady-state alpha-beta gains for tracking index lam."""
    r = (4.0 + lam - np.sqrt(8.0 * lam + lam * lam)) / 4.0
    alpha = 1.0 - r * r
    beta = 2.0 * (2.0 - alpha) - 4.0 * np.sqrt(1.0 - alpha)
    return alpha, beta


def test_steady_state_gain_matches_kalata() -> None:
    """Steady-state gains with piecewise-constant white acceleration equal Kalata's alpha-beta."""
    for T, sigma_w, sigma_v in [(1.0, 5.0, 50.0), (2.0, 30.0, 100.0), (10.0, 3.0, 20.0)]:
        g = np.array([T * T / 2.0, T])
        Q1 = sigma_w**2 * np.outer(g, g)
        Q = np.zeros((6, 6))
        for i in range(3):
            Q[np.ix_([i, i + 3], [i, i + 3])] = Q1
        F = cv_transition(T)
        Rm = sigma_v**2 * np.eye(3)
        x = np.zeros(6)
        P = np.diag([1e6, 1e6, 1e6, 1e4, 1e4, 1e4])
        for _ in range(3000):
            x, P = predict_linear(x, P, F, Q)
            x, P = update(x, P, x[:3], Rm)
        # optimal gain K = P+ H^T R^-1
        alpha = P[0, 0] / sigma_v**2
        beta = T * P[3, 0] / sigma_v**2
        a_ref, b_ref = _kalata_alpha_beta(sigma_w * T * T / sigma_v)
        np.testing.assert_allclose([alpha, beta], [a_ref, b_ref], rtol=1e-8)


def test_steady_state_cwna_covariance_matches_dare() -> None:
    """Iterating predict/update with the CWNA Q converges to scipy's discrete Riccati solution."""
    T, q, sigma_v = 3.0, 30.0, 80.0
    F = cv_transition(T)
    Q = cv_process_noise(T, q)
    Rm = sigma_v**2 * np.eye(3)
    x = np.zeros(6)
    P = np.diag([1e6, 1e6, 1e6, 1e4, 1e4, 1e4])
    for _ in range(2000):
        x, P = predict(x, P, T, q)
        P_pred = P
        x, P = update(x, P, x[:3], Rm)
    ref = solve_discrete_are(F.T, H.T, Q, Rm)
    np.testing.assert_allclose(P_pred, ref, rtol=1e-8)


def test_covariance_stays_symmetric_positive_definite() -> None:
    """P stays exactly symmetric and positive definite over 1000 random predict/update steps."""
    rng = np.random.default_rng(4)
    n = 20
    x = np.zeros((n, 6))
    P = np.tile(np.diag([1e6, 1e6, 1e6, 5e5, 5e5, 5e5]), (n, 1, 1))
    for _ in range(1000):
        dt = rng.uniform(0.0, 12.0, size=n)
        x, P = predict(x, P, dt, rng.uniform(0.0, 50.0))
        z = np.stack(
            [
                rng.uniform(1e3, 4e5, n),
                rng.uniform(-np.pi, np.pi, n),
                rng.uniform(-0.05, 1.4, n),
            ],
            axis=-1,
        )
        sigma = np.stack(
            [rng.uniform(1.0, 300.0, n), rng.uniform(1e-4, 1e-2, n), rng.uniform(1e-4, 1e-2, n)],
            axis=-1,
        )
        y, Rm = converted_measurement(z, sigma, np.zeros(3), np.eye(3))
        x, P = update(x, P, y, Rm)
        assert np.array_equal(P, np.swapaxes(P, -1, -2))
        assert np.all(np.linalg.eigvalsh(P) > 0.0)


def test_converted_position_matches_pymap3d() -> None:
    """Converted position equals sensor_pos + rot @ pymap3d.aer2enu(az, el, range)."""
    rng = np.random.default_rng(5)
    z = np.stack(
        [rng.uniform(1e3, 5e5, 50), rng.uniform(0, 2 * np.pi, 50), rng.uniform(-0.1, 1.5, 50)],
        axis=-1,
    ).reshape(5, 10, 3)
    rot = Rotation.random(random_state=6).as_matrix()
    pos = np.array([1000.0, -2000.0, 35.0])
    y, _ = converted_measurement(z, np.full_like(z, 1e-3), pos, rot)
    e, n, u = pymap3d.aer2enu(z[..., 1], z[..., 2], z[..., 0], deg=False)
    ref = pos + np.stack([e, n, u], axis=-1) @ rot.T
    np.testing.assert_allclose(y, ref, rtol=1e-12, atol=1e-6)


def test_converted_covariance_is_linearised_pymap3d() -> None:
    """Rcart equals rot J diag(sigma^2) J^T rot^T with J by finite differences of pymap3d."""
    rng = np.random.default_rng(7)
    rot = Rotation.random(random_state=8).as_matrix()
    for _ in range(10):
        z = np.array([rng.uniform(1e3, 4e5), rng.uniform(0, 2 * np.pi), rng.uniform(-0.1, 1.4)])
        sigma = np.array([rng.uniform(1, 100), rng.uniform(1e-4, 1e-2), rng.uniform(1e-4, 1e-2)])
        _, Rc = converted_measurement(z, sigma, np.zeros(3), rot)
        J = np.zeros((3, 3))
        for i, h in enumerate([1e-3, 1e-8, 1e-8]):
            dz = np.zeros(3)
            dz[i] = h
            hi = np.array(pymap3d.aer2enu(*(z + dz)[[1, 2, 0]], deg=False))
            lo = np.array(pymap3d.aer2enu(*(z - dz)[[1, 2, 0]], deg=False))
            J[:, i] = (hi - lo) / (2 * h)
        ref = rot @ J @ np.diag(sigma**2) @ J.T @ rot.T
        np.testing.assert_allclose(Rc, ref, rtol=1e-5, atol=1e-6 * np.abs(ref).max())

"""IMM (CV + coordinated turn) and the EKF update with range rate."""

from __future__ import annotations

import numpy as np
from filterpy.kalman import ExtendedKalmanFilter

from triumf.track.ekf import ekf_update, position_rangerate_model
from triumf.track.gating import gate_threshold, innovation_distance
from triumf.track.imm import ImmParams, imm_combine, imm_init, imm_predict, imm_update
from triumf.track.kalman import predict, update
from triumf.track.models import ct_predict

SIGMA_M = 50.0
GATE = gate_threshold(0.9997, 3)


def _turning_target(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """250 m/s: straight 20 s, a 0.1 rad/s (2.5 g) turn for 40 s, straight 30 s; 1 s scans."""
    rng = np.random.default_rng(seed)
    x = np.array([0.0, 0.0, 3000.0, 250.0, 0.0, 0.0, 0.0])
    truth = []
    for k in range(90):
        x = x.copy()
        x[6] = 0.1 if 20 <= k < 60 else 0.0
        truth.append(x)
        x, _ = ct_predict(x, 1.0)
    truth_a = np.array(truth)
    return truth_a, truth_a[:, :3] + SIGMA_M * rng.normal(size=(90, 3))


def _longest_run(flags: list[bool]) -> int:
    best = run = 0
    for f in flags:
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def _x0() -> tuple[np.ndarray, np.ndarray]:
    return np.diag([SIGMA_M**2] * 3 + [100.0**2] * 3), np.eye(3) * SIGMA_M**2


def test_imm_holds_turn_that_cv_loses() -> None:
    """A 2.5 g turn: CV (same q as the IMM's CV mode) misses >= 5 gates in a row, IMM none.

    "Loses" = five consecutive chi-square (99.97 %) gate misses, the tracker's deletion rule.
    """
    truth, z = _turning_target(0)
    P0, Rc = _x0()
    params = ImmParams()
    x, P = np.r_[z[0], 250.0, 0.0, 0.0], P0
    cv_miss = []
    for k in range(1, 90):
        x, P = predict(x, P, 1.0, params.q_cv)
        d2 = innovation_distance(x[None], P[None], z[k][None], Rc[None])[0][0, 0]
        cv_miss.append(bool(d2 > GATE))
        if d2 <= GATE:
            x, P = update(x, P, z[k], Rc)
    xm, Pm, mu = imm_init(np.r_[z[0], 250.0, 0.0, 0.0], P0)
    Rz = np.zeros((4, 4))
    Rz[:3, :3] = Rc
    imm_miss = []
    for k in range(1, 90):
        xm, Pm, mu = imm_predict(xm, Pm, mu, 1.0, params)
        xn, Pn, mun, d2 = imm_update(xm, Pm, mu, np.r_[z[k], np.nan], Rz, np.zeros(3))
        imm_miss.append(bool(d2 > GATE))
        if d2 <= GATE:
            xm, Pm, mu = xn, Pn, mun
    assert _longest_run(cv_miss) >= 5
    assert not any(imm_miss)
    xc, _ = imm_combine(xm, Pm, mu)
    assert np.linalg.norm(xc[:3] - truth[-1, :3]) < 4 * SIGMA_M


def test_imm_batched_equals_loop() -> None:
    """IMM cycles on a (3, 2) batch equal the same cycles run object by object."""
    rng = np.random.default_rng(1)
    P0, Rc = _x0()
    x0 = np.concatenate([rng.normal(0, 1e3, (3, 2, 3)), rng.normal(0, 200, (3, 2, 3))], -1)
    xm, Pm, mu = imm_init(x0, np.broadcast_to(P0, (3, 2, 6, 6)))
    mu = np.stack([rng.uniform(0.1, 0.9, (3, 2)), np.zeros((3, 2))], -1)
    mu[..., 1] = 1 - mu[..., 0]
    Rz = np.zeros((4, 4))
    Rz[:3, :3] = Rc
    Rz[3, 3] = 4.0
    z = np.concatenate([rng.normal(0, 1e3, (3, 2, 3)), rng.normal(0, 100, (3, 2, 1))], -1)
    z[0, 1, 3] = np.nan  # one object without range rate
    dt = rng.uniform(0.5, 3.0, (3, 2))
    params = ImmParams()
    bx, bP, bmu = imm_predict(xm, Pm, mu, dt, params)
    bx, bP, bmu, bd2 = imm_update(bx, bP, bmu, z, Rz, np.zeros(3))
    for i in range(3):
        for j in range(2):
            lx, lP, lmu = imm_predict(xm[i, j], Pm[i, j], mu[i, j], dt[i, j], params)
            lx, lP, lmu, ld2 = imm_update(lx, lP, lmu, z[i, j], Rz, np.zeros(3))
            np.testing.assert_allclose(bx[i, j], lx, rtol=1e-12)
            np.testing.assert_allclose(bP[i, j], lP, rtol=1e-10, atol=1e-9)
            np.testing.assert_allclose(bmu[i, j], lmu, rtol=1e-12)


def test_imm_covariances_stay_symmetric_positive_definite() -> None:
    """Through a whole turning track every mode covariance is symmetric positive definite."""
    _, z = _turning_target(2)
    P0, Rc = _x0()
    xm, Pm, mu = imm_init(np.r_[z[0], 250.0, 0.0, 0.0], P0)
    Rz = np.zeros((4, 4))
    Rz[:3, :3] = Rc
    for k in range(1, 90):
        xm, Pm, mu = imm_predict(xm, Pm, mu, 1.0, ImmParams())
        xm, Pm, mu, _ = imm_update(xm, Pm, mu, np.r_[z[k], np.nan], Rz, np.zeros(3))
        np.testing.assert_array_equal(Pm, np.swapaxes(Pm, -1, -2))
        assert np.linalg.eigvalsh(Pm).min() > 0.0


def test_ekf_range_rate_update_equals_filterpy() -> None:
    """Position + range-rate EKF update equals FilterPy's ExtendedKalmanFilter to 1e-9."""
    rng = np.random.default_rng(3)
    x = np.array([3e4, 4e4, 5e3, -200.0, 150.0, 10.0])
    A = rng.normal(size=(6, 6))
    P = A @ A.T + np.diag([1e4] * 3 + [1e2] * 3)
    s = np.array([100.0, -200.0, 30.0])
    Rz = np.diag([2500.0, 2500.0, 2500.0, 4.0])
    z = position_rangerate_model(x, s)[0] + rng.normal(0, [50, 50, 50, 2])
    ekf = ExtendedKalmanFilter(dim_x=6, dim_z=4)
    ekf.x, ekf.P, ekf.R = x.copy(), P.copy(), Rz
    ekf.update(z, lambda xx: position_rangerate_model(xx, s)[1],
               lambda xx: position_rangerate_model(xx, s)[0])
    x_new, P_new, _, _ = ekf_update(x, P, z, Rz, s)
    np.testing.assert_allclose(x_new, ekf.x, rtol=1e-9)
    np.testing.assert_allclose(P_new, 0.5 * (ekf.P + ekf.P.T), rtol=1e-9, atol=1e-9)


def test_ekf_without_range_rate_equals_position_update() -> None:
    """A NaN range rate gives exactly the position-only Kalman update."""
    rng = np.random.default_rng(4)
    x = np.array([3e4, 4e4, 5e3, -200.0, 150.0, 10.0])
    A = rng.normal(size=(6, 6))
    P = A @ A.T + np.diag([1e4] * 3 + [1e2] * 3)
    Rz = np.diag([2500.0, 2500.0, 2500.0, 4.0])
    y = x[:3] + rng.normal(0, 50, 3)
    x1, P1, _, _ = ekf_update(x, P, np.r_[y, np.nan], Rz, np.zeros(3))
    x2, P2 = update(x, P, y, Rz[:3, :3])
    np.testing.assert_allclose(x1, x2, rtol=1e-10)
    np.testing.assert_allclose(P1, P2, rtol=1e-9, atol=1e-9)

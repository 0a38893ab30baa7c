"""CA, Singer and coordinated-turn models against Van Loan's method and closed forms."""

from __future__ import annotations

import numpy as np
from scipy.linalg import expm

from triumf.track.models import (
    ca_process_noise,
    ca_transition,
    ct_predict,
    ct_process_noise,
    cv_process_noise,
    cv_transition,
    singer_process_noise,
    singer_transition,
)


def _van_loan(A: np.ndarray, Qc: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact discretisation of dx = A x dt + dw (Van Loan, IEEE TAC 23(3), 1978)."""
    n = A.shape[0]
    M = np.zeros((2 * n, 2 * n))
    M[:n, :n] = -A
    M[:n, n:] = Qc
    M[n:, n:] = A.T
    E = expm(M * dt)
    F = E[n:, n:].T
    return F, F @ E[:n, n:]


def _axis(M: np.ndarray, axis: int) -> np.ndarray:
    """The per-axis block of a (9, 9) matrix in [p(3), v(3), a(3)] order."""
    idx = np.array([0, 3, 6]) + axis
    return M[np.ix_(idx, idx)]


def test_ca_equals_van_loan() -> None:
    """CA transition and white-jerk noise equal the exact discretisation of the SDE."""
    A = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    Qc = np.diag([0.0, 0.0, 2.5**2])
    F_ref, Q_ref = _van_loan(A, Qc, 1.7)
    for axis in range(3):
        np.testing.assert_allclose(_axis(ca_transition(1.7), axis), F_ref, rtol=1e-12)
        np.testing.assert_allclose(_axis(ca_process_noise(1.7, 2.5), axis), Q_ref, rtol=1e-10)


def test_singer_equals_van_loan() -> None:
    """Singer transition and closed-form noise equal the exact discretisation of the SDE."""
    tau, sigma_a, dt = 8.0, 30.0, 2.3
    A = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, -1.0 / tau]])
    Qc = np.diag([0.0, 0.0, 2.0 * sigma_a**2 / tau])
    F_ref, Q_ref = _van_loan(A, Qc, dt)
    np.testing.assert_allclose(_axis(singer_transition(dt, tau), 1), F_ref, rtol=1e-12)
    np.testing.assert_allclose(
        _axis(singer_process_noise(dt, tau, sigma_a), 1), Q_ref, rtol=1e-8
    )


def test_ct_jacobian_equals_finite_differences() -> None:
    """The coordinated-turn Jacobian equals central differences, turning and nearly straight."""
    for w in (0.12, -0.05, 1e-7):
        x = np.array([1e3, -2e3, 500.0, 220.0, -90.0, 5.0, w])
        _, F = ct_predict(x, 1.5)
        num = np.zeros((7, 7))
        for j in range(7):
            h = 1e-6 * max(abs(x[j]), 1.0)
            xp, xm = x.copy(), x.copy()
            xp[j] += h
            xm[j] -= h
            num[:, j] = (ct_predict(xp, 1.5)[0] - ct_predict(xm, 1.5)[0]) / (2 * h)
        np.testing.assert_allclose(F, num, rtol=1e-6, atol=1e-6)


def test_ct_full_circle_returns_to_start() -> None:
    """After one period 2 pi / w the turning target is back where it started, same speed."""
    w = 0.1
    x = np.array([0.0, 0.0, 0.0, 250.0, 0.0, 0.0, w])
    out, _ = ct_predict(x, 2 * np.pi / w)
    np.testing.assert_allclose(out[:6], x[:6], atol=1e-8)


def test_ct_without_turn_is_cv() -> None:
    """With zero turn rate the coordinated-turn model is the CV model, noise included."""
    x = np.array([1.0, 2.0, 3.0, 40.0, -50.0, 6.0, 0.0])
    out, F = ct_predict(x, 2.0)
    np.testing.assert_allclose(out[:6], cv_transition(2.0) @ x[:6], rtol=1e-14)
    np.testing.assert_allclose(F[:6, :6], cv_transition(2.0), atol=1e-14)
    np.testing.assert_allclose(ct_process_noise(2.0, 3.0, 0.0)[:6, :6], cv_process_noise(2.0, 3.0))

"""Tests of validation gating and pair likelihoods."""

from __future__ import annotations

import numpy as np
from scipy.stats import multivariate_normal

from triumf.track.gating import (
    gate_threshold,
    innovation_distance,
    log_likelihood,
    mahalanobis,
    pair_distance,
    trace_bound_candidates,
)


def _random_case(seed: int, R: int = 3, K: int = 4, D: int = 5):
    rng = np.random.default_rng(seed)
    x = rng.normal(scale=1e3, size=(R, K, 6))
    A = rng.normal(scale=30.0, size=(R, K, 6, 6))
    P = A @ np.swapaxes(A, -1, -2) + 1.0 * np.eye(6)
    y = rng.normal(scale=1e3, size=(R, D, 3))
    B = rng.normal(scale=[[200.0, 5.0, 5.0]] * 3, size=(R, D, 3, 3))  # anisotropic
    Rm = B @ np.swapaxes(B, -1, -2) + 1e-2 * np.eye(3)
    return x, P, y, Rm


def test_mahalanobis_matches_direct_solve() -> None:
    """d2 equals nu^T (P_pos + R)^-1 nu computed with numpy.linalg for every pair."""
    x, P, y, Rm = _random_case(1)
    d2 = mahalanobis(x, P, y, Rm)
    R, K, D = d2.shape
    for r in range(R):
        for k in range(K):
            for d in range(D):
                S = P[r, k, :3, :3] + Rm[r, d]
                nu = y[r, d] - x[r, k, :3]
                np.testing.assert_allclose(d2[r, k, d], nu @ np.linalg.solve(S, nu), rtol=1e-9)


def test_log_likelihood_matches_scipy() -> None:
    """Pair log-likelihood equals scipy.stats.multivariate_normal.logpdf of the innovation."""
    x, P, y, Rm = _random_case(2)
    ll = log_likelihood(x, P, y, Rm)
    R, K, D = ll.shape
    for r in range(R):
        for k in range(K):
            for d in range(D):
                S = P[r, k, :3, :3] + Rm[r, d]
                ref = multivariate_normal(mean=x[r, k, :3], cov=S).logpdf(y[r, d])
                np.testing.assert_allclose(ll[r, k, d], ref, rtol=1e-9)


def test_gate_threshold_matches_chi_square_table() -> None:
    """Gate thresholds equal tabulated chi-square quantiles (e.g. 3 dof: 11.345 at 0.99)."""
    assert abs(gate_threshold(0.95, 3) - 7.8147) < 1e-4
    assert abs(gate_threshold(0.99, 3) - 11.3449) < 1e-4
    assert abs(gate_threshold(0.99, 2) - 9.2103) < 1e-4


def test_gate_keeps_its_probability_mass() -> None:
    """Innovations drawn from N(0, S) fall inside the gate with the gate probability."""
    rng = np.random.default_rng(3)
    n = 200_000
    P = np.zeros((1, 1, 6, 6))
    P[0, 0, :3, :3] = np.array([[4e4, 1e4, 0.0], [1e4, 9e4, 2e3], [0.0, 2e3, 1e3]])
    Rm = np.array([[[2500.0, 0.0, 0.0], [0.0, 100.0, 0.0], [0.0, 0.0, 400.0]]])
    S = P[0, 0, :3, :3] + Rm[0]
    y = rng.multivariate_normal(np.zeros(3), S, size=n)[None]
    d2 = mahalanobis(np.zeros((1, 1, 6)), P, y, np.broadcast_to(Rm, (1, n, 3, 3)))
    frac = np.mean(d2 <= gate_threshold(0.99, 3))
    assert abs(frac - 0.99) < 5 * np.sqrt(0.99 * 0.01 / n)


def test_non_positive_definite_innovation_is_never_gated() -> None:
    """A pair whose S is not positive definite gets d2 = inf and log-likelihood -inf."""
    x = np.zeros((1, 1, 6))
    P = np.zeros((1, 1, 6, 6))
    y = np.ones((1, 1, 3))
    Rm = np.diag([1.0, 0.0, 1.0])[None, None]
    assert np.isinf(mahalanobis(x, P, y, Rm)).all()
    assert np.all(log_likelihood(x, P, y, Rm) == -np.inf)


def test_pair_distance_equals_dense_distance() -> None:
    """pair_distance on a list of (track, detection) pairs equals innovation_distance's table."""
    x, P, y, Rm = _random_case(4)
    d2, logdet = innovation_distance(x, P, y, Rm)
    r, k, d = np.nonzero(np.ones(d2.shape, dtype=bool))
    nu = (y[r, d] - x[r, k, :3]).T
    pd2, plogdet = pair_distance(
        P[r, k, :3, :3].transpose(1, 2, 0), Rm[r, d].transpose(1, 2, 0), nu
    )
    np.testing.assert_array_equal(pd2, d2[r, k, d])
    np.testing.assert_array_equal(plogdet, logdet[r, k, d])


def test_trace_bound_never_drops_a_gated_pair() -> None:
    """Every pair inside the chi-square gate passes the trace pre-filter (d2 >= |nu|^2 / tr S)."""
    rng = np.random.default_rng(5)
    n = 100_000
    A = rng.normal(size=(n, 3, 3)) * rng.uniform(1.0, 1e3, size=(n, 3, 1))  # anisotropic
    S = A @ np.swapaxes(A, -1, -2) + 1e-6 * np.eye(3)
    # innovations near the gate surface, in all directions
    gate = gate_threshold(0.9997, 3)
    L = np.linalg.cholesky(S)
    u = rng.normal(size=(n, 3))
    u *= np.sqrt(gate * rng.uniform(0.5, 1.0, n))[:, None] / np.linalg.norm(u, axis=1)[:, None]
    nu = np.einsum("nij,nj->ni", L, u)
    d2 = np.einsum("ni,ni->n", nu, np.linalg.solve(S, nu[..., None])[..., 0])
    inside = d2 <= gate
    assert inside.mean() > 0.9
    nu2 = np.einsum("ni,ni->n", nu, nu)
    keep = trace_bound_candidates(nu2, np.trace(S, axis1=1, axis2=2), gate)
    assert keep[inside].all()
    # and the bound is tight enough to be useful: far pairs are dropped
    assert not trace_bound_candidates(np.array([1e6]), np.array([1.0]), gate).any()

"""JPDA marginals against brute-force enumeration of the joint association events."""

from __future__ import annotations

import itertools

import numpy as np

from triumf.track.jpda import jpda_cheap, jpda_exact, jpda_probabilities, pda_update
from triumf.track.kalman import update


def _brute_force(w: np.ndarray, miss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """List every joint event (each track: miss or one distinct gated measurement)."""
    K, D = w.shape
    beta = np.zeros((K, D))
    beta_miss = np.zeros(K)
    total = 0.0
    for choice in itertools.product(range(-1, D), repeat=K):
        used = [c for c in choice if c >= 0]
        if len(used) != len(set(used)):
            continue
        weight = 1.0
        for t, c in enumerate(choice):
            weight *= miss[t] if c < 0 else w[t, c]
        if weight == 0.0:
            continue
        total += weight
        for t, c in enumerate(choice):
            if c < 0:
                beta_miss[t] += weight
            else:
                beta[t, c] += weight
    return beta / total, beta_miss / total


def _problems(seed: int, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        K, D = rng.integers(1, 5), rng.integers(1, 6)
        w = rng.exponential(1.0, (K, D)) * (rng.random((K, D)) < 0.7)  # some pairs not gated
        out.append((w, rng.uniform(0.05, 0.5, K)))
    return out


def test_exact_jpda_equals_enumeration() -> None:
    """Exact JPDA marginals equal the enumeration of joint events on small random problems."""
    for w, miss in _problems(0, 30):
        beta, beta_miss = jpda_exact(w[None], miss[None])
        ref_b, ref_m = _brute_force(w, miss)
        np.testing.assert_allclose(beta[0], ref_b, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(beta_miss[0], ref_m, rtol=1e-10, atol=1e-14)


def test_clustered_jpda_equals_enumeration() -> None:
    """Batched, clustered JPDA over replications equals the enumeration of each replication."""
    rng = np.random.default_rng(1)
    R, K, D = 5, 4, 5
    loglik = rng.normal(-10.0, 2.0, (R, K, D))
    gated = rng.random((R, K, D)) < 0.4
    pd, lam = 0.8, 1e-5
    beta, beta_miss = jpda_probabilities(loglik, gated, pd, lam)
    for r in range(R):
        w = np.where(gated[r], np.exp(loglik[r]) * pd / lam, 0.0)
        ref_b, ref_m = _brute_force(w, np.full(K, 1 - pd))
        np.testing.assert_allclose(beta[r], ref_b, rtol=1e-9, atol=1e-14)
        np.testing.assert_allclose(beta_miss[r], ref_m, rtol=1e-9, atol=1e-14)


def test_cheap_jpda_is_a_distribution() -> None:
    """Cheap JPDA probabilities of each track are non-negative and sum to one."""
    for w, miss in _problems(2, 10):
        beta, beta_miss = jpda_cheap(w[None], miss[None])
        assert (beta >= 0).all() and (beta_miss >= 0).all()
        np.testing.assert_allclose(beta.sum(-1) + beta_miss, 1.0, rtol=1e-12)


def test_pda_with_certain_association_is_kalman() -> None:
    """With beta = 1 on one measurement the PDA update is that Kalman update."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=6)
    A = rng.normal(size=(6, 6))
    P = A @ A.T + np.eye(6)
    ys = rng.normal(size=(2, 3))
    Rm = np.eye(3)
    upd = [update(x, P, y, Rm) for y in ys]
    xu = np.stack([u[0] for u in upd])
    Pu = np.stack([u[1] for u in upd])
    xp, Pp = pda_update(x, P, xu, Pu, np.array([0.0, 1.0]), np.array(0.0))
    np.testing.assert_allclose(xp, upd[1][0], rtol=1e-12)
    np.testing.assert_allclose(Pp, upd[1][1], rtol=1e-12)

"""IMM mixing when a mode has probability 0 and no mode can switch into it (dt = 0)."""

import numpy as np

from triumf.track.imm import imm_mix


def test_mix_with_identity_switching_and_empty_mode_keeps_each_mode():
    """Pi = I and mu = [1, 0]: mu_i|j = delta_ij (closed form), finite, each mode unchanged."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7))
    a = rng.normal(size=(2, 7, 7))
    P = a @ np.swapaxes(a, -1, -2) + 7 * np.eye(7)
    x0, P0, c = imm_mix(x, P, np.array([1.0, 0.0]), np.eye(2))
    assert np.array_equal(c, [1.0, 0.0])
    assert np.allclose(x0, x) and np.allclose(P0, P)


def test_mix_with_positive_probabilities_matches_the_formula():
    """With both modes possible the mixture is the textbook one (Bar-Shalom, IMM step 1)."""
    x = np.array([[1.0] * 7, [3.0] * 7])
    P = np.stack([np.eye(7), 2 * np.eye(7)])
    mu = np.array([0.25, 0.75])
    Pi = np.array([[0.9, 0.1], [0.2, 0.8]])
    x0, _, c = imm_mix(x, P, mu, Pi)
    c_ref = Pi.T @ mu
    w = Pi * mu[:, None] / c_ref[None, :]
    assert np.allclose(c, c_ref)
    assert np.allclose(x0, w.T @ x)

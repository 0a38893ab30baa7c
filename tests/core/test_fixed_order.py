"""Fixed-order matrix products: the einsum results, and the same bits in any batch."""

import numpy as np

from triumf.core.fixed_order import dot_first, matmul_first, matvec_first, matvec_last

G = np.random.default_rng(7)


def test_products_match_einsum():
    """Each helper agrees with np.einsum on the same contraction to rounding."""
    A, B = G.normal(size=(6, 3, 5)), G.normal(size=(3, 6, 5))
    v, x, F = G.normal(size=(3, 5)), G.normal(size=(5, 6)), G.normal(size=(5, 6, 6))
    np.testing.assert_allclose(matmul_first(A, B), np.einsum("ik...,kj...->ij...", A, B))
    np.testing.assert_allclose(matvec_first(A, v), np.einsum("ik...,k...->i...", A, v))
    np.testing.assert_allclose(dot_first(v, v), np.einsum("ij,ij->j", v, v))
    np.testing.assert_allclose(matvec_last(F, x), np.einsum("...ij,...j->...i", F, x))


def test_unbatched_left_operand_broadcasts():
    """A rotation without batch axes multiplies every batch element."""
    rot, J = G.normal(size=(3, 3)), G.normal(size=(3, 3, 4))
    np.testing.assert_allclose(matmul_first(rot, J), np.einsum("ik,kj...->ij...", rot, J))


def test_element_alone_equals_element_in_batch_bit_for_bit():
    """Column b of a batch product equals the product of column b alone, exactly."""
    A, B = G.normal(size=(6, 6, 9)), G.normal(size=(6, 6, 9))
    full = matmul_first(A, B)
    for b in range(9):
        alone = matmul_first(A[..., b : b + 1], B[..., b : b + 1])[..., 0]
        assert np.array_equal(full[..., b], alone)

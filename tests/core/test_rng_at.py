"""Sparse draws of the counter-based generator equal the same elements of the full draw."""

import numpy as np

from triumf.core import rng


def keys(n: int) -> np.ndarray:
    return rng.stage_keys(rng.replication_keys(5, range(n)), rng.Stage.ENGAGE)


def test_uniform_at_equals_the_full_draw_bit_for_bit() -> None:
    """uniform_at(keys, c, (M,), r, m) == uniform(keys, c, (M,))[r, m] exactly."""
    k = keys(6)
    r, m = np.array([0, 2, 2, 5, 1]), np.array([3, 0, 7, 7, 1])
    np.testing.assert_array_equal(rng.uniform_at(k, 41, (8,), r, m),
                                  rng.uniform(k, 41, (8,))[r, m])


def test_normal_at_keeps_trailing_axes_and_equals_the_full_draw() -> None:
    """normal_at over shape (M, 2) indexed by (r, m) gives (n, 2) equal to the full draw."""
    k = keys(4)
    r, m = np.array([3, 0, 1]), np.array([2, 2, 0])
    got = rng.normal_at(k, 1234567, (5, 2), r, m)
    assert got.shape == (3, 2)
    np.testing.assert_array_equal(got, rng.normal(k, 1234567, (5, 2))[r, m])


def test_uniform_rows_equals_the_full_draw_bit_for_bit() -> None:
    """uniform_rows(keys, c, (B, N), i0, i1) == uniform(keys, c, (B, N))[:, i0:i1] exactly."""
    k = keys(3)
    full = rng.uniform(k, 0x5EED, (7, 11))
    for i0, i1 in ((0, 7), (2, 5), (6, 7), (3, 3)):
        np.testing.assert_array_equal(rng.uniform_rows(k, 0x5EED, (7, 11), i0, i1),
                                      full[:, i0:i1])

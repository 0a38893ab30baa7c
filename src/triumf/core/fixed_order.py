"""Small matrix products summed in a fixed order, whatever the batch shape.

``np.einsum`` and ``np.matmul`` choose their inner loops (and so the order in which products
are added, with SIMD partial sums) from the shapes and strides of the whole batch: a track
alone and the same track in a batch of 200 can differ in the last bit. These helpers add the
products left to right, one vectorised multiply-add per term, so each element's value depends
on that element only: Monte Carlo results are identical bit for bit whatever the chunking.

Axis convention: the contracted (matrix) axes come first and the batch axes last, as in the
track filters, e.g. ``A`` (i, k, ...) and ``B`` (k, j, ...).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def _pad(a: FloatArray, ndim: int) -> FloatArray:
    """``a`` with trailing length-1 axes up to ``ndim`` (so batch axes line up)."""
    return a.reshape(a.shape + (1,) * (ndim - a.ndim)) if a.ndim < ndim else a


def dot_first(a: FloatArray, b: FloatArray) -> FloatArray:
    """``sum_k a[k] b[k]`` over the first axis, shape (...): ``einsum("k...,k...->...")``."""
    out = a[0] * b[0]
    for k in range(1, a.shape[0]):
        out += a[k] * b[k]
    return out


def matmul_first(A: FloatArray, B: FloatArray) -> FloatArray:
    """``C[i, j, ...] = sum_k A[i, k, ...] B[k, j, ...]``: ``einsum("ik...,kj...->ij...")``."""
    nd = max(A.ndim, B.ndim)
    A, B = _pad(A, nd), _pad(B, nd)
    out = A[:, 0][:, None] * B[0][None]
    for k in range(1, A.shape[1]):
        out += A[:, k][:, None] * B[k][None]
    return out


def matvec_first(A: FloatArray, v: FloatArray) -> FloatArray:
    """``y[i, ...] = sum_k A[i, k, ...] v[k, ...]``: ``einsum("ik...,k...->i...")``."""
    nd = max(A.ndim - 1, v.ndim)
    A, v = _pad(A, nd + 1), _pad(v, nd)
    out = A[:, 0] * v[0][None]
    for k in range(1, A.shape[1]):
        out += A[:, k] * v[k][None]
    return out


def matvec_last(F: FloatArray, x: FloatArray) -> FloatArray:
    """``y[..., i] = sum_j F[..., i, j] x[..., j]``: ``einsum("...ij,...j->...i")``."""
    out = F[..., :, 0] * x[..., None, 0]
    for j in range(1, F.shape[-1]):
        out += F[..., :, j] * x[..., None, j]
    return out

"""Engageability: predicted intercept points (PIP) of every fire unit, track and missile type.

For a constant-velocity target ``P(t) = p + v t`` and a missile launched ``launch_delay_s``
from now, the intercept time solves the fixed-point equation::

    t = phi(t) = launch_delay + tof(ground_range(launcher, P(t)), altitude(P(t)))

with ``tof`` the fly-out table of the missile type (:class:`triumf.core.tables.FlyoutTable`).
The plain iteration ``t <- phi(t)`` converges only while the target's range rate is below
the missile speed. It is accelerated here by a Newton relaxation,
``t <- t + (phi(t) - t) / (1 - phi'(t))``, with ``phi'`` from a finite difference at the
start and from the secant through the last two iterates afterwards; this converges in a few
steps and also when a ballistic target outruns the missile. Cases that do not converge and
whose target is fast are retried once from the earliest launch time, which finds the first
intercept of fast crossing targets. Cases whose target cannot come within ``max_range_m``
within the launch delay plus the table's longest time of flight are not iterated (reason
OUT_OF_RANGE, NaN intercept time). Grazing solutions, where ``phi(t) - t`` only touches zero,
may be reported as not converged (OUT_OF_RANGE).

All valid (R, W, K, Mt) cases are solved in one flat batch; Python loops run over the
iterations (and over missile types for the initial guess) only. The target's geometry relative
to each launcher is reduced once to a few coefficients in closed form in ``t`` (the ground
range and altitude of ``P(t)`` then cost a dozen operations), the fly-out tables of all missile
types are read together through a bucketed cell lookup instead of a binary search, the
iteration writes into scratch arrays kept between calls, and a case whose residual has reached
rounding level leaves the batch (its remaining iterations would move it by rounding-level
amounts only). The results equal those of the plain batched iteration to about 1e-10 relative.

So that the iteration is defined everywhere, ``tof`` is continued outside the table's
reachable set (NaN cells and outside the grid) by the time of flight to the nearest reachable
grid node plus the remaining distance at that node's speed. The continuation only steers the
iteration: feasibility is judged on the real table at the converged PIP.

A PIP is feasible when all the tests pass; ``reason`` holds the first failed one, in this
order: the iteration did not converge or the PIP's ground range is outside
``[min_range_m, max_range_m]`` (OUT_OF_RANGE); PIP altitude below ``min_altitude_m``
(BELOW_MIN_ALTITUDE) or above ``max_altitude_m`` (ABOVE_MAX_ALTITUDE); the PIP is outside the
table's reachable set (OUT_OF_RANGE); the engagement radar does not see the PIP, being below
its 4/3-Earth radar horizon or beyond its range (NOT_VISIBLE); the intercept comes after the
threat reaches its keep-out distance, ``t_intercept > t_go`` (TOO_LATE).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from triumf.c2.base import Engageability, NoFireReason
from triumf.core.earth import (
    EARTH_RADIUS_M,
    EFFECTIVE_EARTH_FACTOR,
    altitude_m,
    horizon_range_m,
)

if TYPE_CHECKING:
    from triumf.core.tables import FlyoutTable

__all__ = ["intercept_solutions"]

FloatArray = NDArray[np.float64]


class _ContinuedFlyout:
    """Time of flight continued outside the reachable set of a fly-out table (iteration only).

    At every grid node the time and speed are those of the table where reachable; elsewhere
    ``tof(nearest reachable node) + distance / speed(nearest node)`` in the (range, altitude)
    plane. Outside the grid rectangle the point is clamped to it and the same continuation
    is applied to the clamped distance.
    """

    def __init__(self, table: FlyoutTable) -> None:
        t = table.time_s
        xg, yg = np.asarray(t.x, np.float64), np.asarray(t.y, np.float64)
        tof = np.asarray(t.values, np.float64)
        spd = np.asarray(table.speed_mps.values, np.float64)
        X, Y = np.meshgrid(xg, yg, indexing="ij")
        ok = np.isfinite(tof) & np.isfinite(spd) & (spd > 0.0)
        self.empty = not ok.any()
        self.x, self.y = xg, yg
        if self.empty:
            self.tof = np.full_like(tof, np.nan)
            self.spd = np.full_like(tof, np.nan)
            self.mean_speed = self.min_speed = self.max_tof = np.nan
            return
        pts = np.stack([X[ok], Y[ok]], axis=-1)
        _, near = cKDTree(pts).query(np.stack([X.ravel(), Y.ravel()], axis=-1))
        d = np.hypot(X.ravel() - pts[near, 0], Y.ravel() - pts[near, 1]).reshape(X.shape)
        self.tof = tof[ok][near].reshape(X.shape) + d / spd[ok][near].reshape(X.shape)
        self.spd = spd[ok][near].reshape(X.shape)
        self.tof[ok], self.spd[ok] = tof[ok], spd[ok]
        # representative average speed (distance / time) for the initial guess
        dist = np.hypot(X[ok], Y[ok])
        pos = (tof[ok] > 0.0) & (dist > 0.0)
        self.mean_speed = float(np.median(dist[pos] / tof[ok][pos])) if pos.any() else 1.0
        self.min_speed = float(spd[ok].min())
        self.max_tof = float(tof[ok].max())

    def __call__(self, rng_m: FloatArray, alt_m: FloatArray) -> FloatArray:
        """Continued time of flight, seconds, shape of the broadcast inputs."""
        xq = np.clip(rng_m, self.x[0], self.x[-1])
        yq = np.clip(alt_m, self.y[0], self.y[-1])
        extra = np.hypot(rng_m - xq, alt_m - yq)
        i = np.clip(np.searchsorted(self.x, xq, side="right") - 1, 0, self.x.size - 2)
        j = np.clip(np.searchsorted(self.y, yq, side="right") - 1, 0, self.y.size - 2)
        u = (xq - self.x[i]) / (self.x[i + 1] - self.x[i])
        w = (yq - self.y[j]) / (self.y[j + 1] - self.y[j])
        k = i * self.y.size + j  # flat index of the cell's lower-left node
        ny = self.y.size

        def interp(g: FloatArray) -> FloatArray:
            g00, g10 = np.take(g, k), np.take(g, k + ny)
            g01, g11 = np.take(g, k + 1), np.take(g, k + ny + 1)
            return (1.0 - w) * (g00 + u * (g10 - g00)) + w * (g01 + u * (g11 - g01))

        out = interp(self.tof)
        outside = extra > 0.0
        if outside.any():
            out = np.where(outside, out + extra / interp(self.spd), out)
        return out


@lru_cache(maxsize=64)
def _continued(table: FlyoutTable) -> _ContinuedFlyout:
    """Continuation of a fly-out table, built once per table object."""
    return _ContinuedFlyout(table)


def _atan2(y: FloatArray, x: FloatArray) -> FloatArray:
    """``arctan2(y, x)``, as ``arctan(y / x)`` (twice as fast) where ``x > 0``.

    The formula is chosen element by element (never for the whole batch), so an element's
    value does not depend on the other elements (bit-identical results whatever the batch).
    """
    pos = x > 0.0
    out = np.arctan(y / np.where(pos, x, 1.0))
    if not pos.all():
        out = np.where(pos, out, np.arctan2(y, x))
    return out


# maximum number of buckets of an axis lookup (see _Axis)
_MAX_BUCKETS = 1 << 16
# a case leaves the iteration once |phi(t) - t| <= _FREEZE_REL * max(|t|, 1)
_FREEZE_REL = 1e-11
# the batch is compressed once this fraction of it has left
_COMPRESS_FRACTION = 0.2
# converged cases are judged in blocks of this many
_BLOCK = 8192


class _Axis:
    """Cell lookup along one axis of several grids at once, without a binary search.

    The grids of all missile types are stored one after the other, type ``m`` from
    ``m * npad``. A query ``q`` of type ``m``, clipped to its grid, falls in the uniform bucket
    ``b = int((q - lo) * inv_h)`` (``1 / inv_h`` at most the smallest spacing); ``lut[b]`` counts
    the interior nodes in earlier buckets, and ``npass`` comparisons with the next node finish
    the search. The cell index is ``clip(searchsorted(grid, q, 'right') - 1, 0, n - 2)``,
    exactly, and the fraction ``u`` is computed as in :class:`_ContinuedFlyout`.
    """

    def __init__(self, grids: Sequence[FloatArray], npad: int) -> None:
        mt = len(grids)
        self.lo = np.array([g[0] for g in grids])
        self.hi = np.array([g[-1] for g in grids])
        self.inv_h = np.empty(mt)
        self.node = np.zeros(mt * npad)
        self.width = np.ones(mt * npad)
        self.next_node = np.full(mt * npad, np.inf)  # grid[j + 1]; inf in the last cell
        self.offset = np.empty(mt, dtype=np.intp)
        luts = []
        self.npass = 0
        n_lut = 0
        for m, g in enumerate(grids):
            n, base = g.size, m * npad
            self.node[base : base + n] = g
            self.width[base : base + n - 1] = g[1:] - g[:-1]
            self.next_node[base : base + n - 2] = g[1 : n - 1]
            span = g[-1] - g[0]
            inv_h = 1.0 / max(float(np.min(np.diff(g))), span / _MAX_BUCKETS)
            self.inv_h[m] = inv_h
            n_buckets = int((g[-1] - g[0]) * inv_h) + 1
            # bucket of every interior node, by the same arithmetic as the queries
            b_node = ((g[1 : n - 1] - g[0]) * inv_h).astype(np.intp)
            luts.append(base + np.searchsorted(b_node, np.arange(n_buckets), side="left"))
            if b_node.size:
                self.npass = max(self.npass, int(np.bincount(b_node).max()))
            self.offset[m] = n_lut
            n_lut += n_buckets
        self.lut = np.concatenate(luts)

    def cell(
        self, q: FloatArray, m: NDArray[np.intp]
    ) -> tuple[FloatArray, NDArray[np.intp], FloatArray]:
        """Clipped query, global cell index and fraction within the cell, per case.

        Parameters
        ----------
        q : ndarray, shape (N,)
        m : ndarray of int, shape (N,)
            Missile type of each query.
        """
        lo = self.lo[m]
        qc = np.fmin(np.fmax(q, lo), self.hi[m])  # NaN -> lo (callers test the query)
        b = ((qc - lo) * self.inv_h[m]).astype(np.intp)
        b += self.offset[m]
        j = self.lut.take(b)
        for _ in range(self.npass):
            j += qc >= self.next_node.take(j)
        u = (qc - self.node.take(j)) / self.width.take(j)
        return qc, j, u


class _FusedFlyout:
    """The fly-out tables of several missile types, read in one batch.

    The continued tables (:class:`_ContinuedFlyout`, for the iteration) are stored on a padded
    (Mt, NX, NY) grid as the terms of their bilinear formula, ``g00, g10 - g00, g01, g11 - g01``
    at each cell's lower-left node, and the real tables (for the feasibility test) as their four
    corner values; lookups return the same numbers as the per-type objects.
    """

    def __init__(self, tables: tuple[FlyoutTable, ...]) -> None:
        parts = [_continued(t) for t in tables]
        mt = len(parts)
        nx = max(c.x.size for c in parts)
        ny = max(c.y.size for c in parts)
        self.ny = ny
        self.x = _Axis([c.x for c in parts], nx)
        self.y = _Axis([c.y for c in parts], ny)
        tof = np.zeros((mt, nx, ny))
        spd = np.ones((mt, nx, ny))
        real_tof = np.full((mt, nx, ny), np.nan)
        real_spd = np.full((mt, nx, ny), np.nan)
        # the speed table shares the time table's grid (FlyoutTable; _ContinuedFlyout too)
        for m, (c, table) in enumerate(zip(parts, tables, strict=True)):
            if not c.empty:
                tof[m, : c.x.size, : c.y.size] = c.tof
                spd[m, : c.x.size, : c.y.size] = c.spd
            real_tof[m, : c.x.size, : c.y.size] = table.time_s.values
            real_spd[m, : c.x.size, : c.y.size] = table.speed_mps.values
        self.tof = self._terms(tof)
        self.spd = self._terms(spd)
        self.real_tof = self._corners(real_tof)
        self.real_spd = self._corners(real_spd)
        self.k_shift = -np.arange(mt, dtype=np.intp) * ny
        self.empty = np.array([c.empty for c in parts], dtype=bool)
        self.max_tof = np.array([c.max_tof for c in parts])
        self.mean_speed = np.array([c.mean_speed for c in parts])
        self.min_speed = np.array([c.min_speed for c in parts])

    def _corners(self, g: FloatArray) -> FloatArray:
        """(4, Mt*NX*NY) values g00, g10, g01, g11 of the cell at each lower-left node."""
        ny = self.ny
        flat = np.concatenate([g.ravel(), np.zeros(ny + 1)])
        n = g.size
        return np.stack([flat[:n], flat[ny : ny + n], flat[1 : n + 1], flat[ny + 1 : ny + 1 + n]])

    def _terms(self, g: FloatArray) -> FloatArray:
        """(4, Mt*NX*NY) terms g00, g10 - g00, g01, g11 - g01 of each cell."""
        c = self._corners(g)
        return np.stack([c[0], c[1] - c[0], c[2], c[3] - c[2]])

    def _locate(
        self, rng_m: FloatArray, alt_m: FloatArray, m: NDArray[np.intp]
    ) -> tuple[FloatArray, FloatArray, NDArray[np.intp], FloatArray, FloatArray]:
        """Clipped range and altitude, flat cell index and fractions u, w."""
        xq, i, u = self.x.cell(rng_m, m)
        yq, j, w = self.y.cell(alt_m, m)
        k = i * self.ny
        k += j
        k += self.k_shift[m]
        return xq, yq, k, u, w

    def __call__(self, rng_m: FloatArray, alt_m: FloatArray, m: NDArray[np.intp]) -> FloatArray:
        """Continued time of flight, seconds, shape (N,), of missile types ``m`` (N,).

        The reference for :func:`_phi`, which computes the same in scratch arrays.
        """
        xq, yq, k, u, w = self._locate(rng_m, alt_m, m)
        out = self._interp(self.tof, k, u, w)
        dx = rng_m - xq
        dy = alt_m - yq
        outside = np.flatnonzero((dx != 0.0) | (dy != 0.0))
        if outside.size:
            do, eo = dx[outside], dy[outside]
            spd = self._interp(self.spd, k[outside], u[outside], w[outside])
            out[outside] = out[outside] + np.sqrt(do * do + eo * eo) / spd
        return out

    def real(
        self, rng_m: FloatArray, alt_m: FloatArray, m: NDArray[np.intp]
    ) -> tuple[FloatArray, FloatArray]:
        """The real tables' time of flight (s) and speed (m/s), shape (N,), NaN outside.

        Same numbers as ``flyout[m].time_s(rng_m, alt_m)`` and ``.speed_mps(...)``.
        """
        xq, yq, k, u, w = self._locate(rng_m, alt_m, m)
        inside = (rng_m == xq) & (alt_m == yq)
        a, b = 1.0 - u, 1.0 - w
        c00, c10, c01, c11 = a * b, u * b, a * w, u * w

        def bilinear(v: FloatArray) -> FloatArray:
            out = c00 * v[0].take(k) + c10 * v[1].take(k) + c01 * v[2].take(k)
            out += c11 * v[3].take(k)
            return np.where(inside, out, np.nan)

        return bilinear(self.real_tof), bilinear(self.real_spd)

    @staticmethod
    def _interp(terms: FloatArray, k: NDArray[np.intp], u: FloatArray, w: FloatArray) -> FloatArray:
        """(1 - w) (g00 + u (g10 - g00)) + w (g01 + u (g11 - g01))."""
        lo = terms[1].take(k)
        lo *= u
        lo += terms[0].take(k)
        hi = terms[3].take(k)
        hi *= u
        hi += terms[2].take(k)
        lo *= 1.0 - w
        hi *= w
        lo += hi
        return lo


@lru_cache(maxsize=64)
def _fused(tables: tuple[FlyoutTable, ...]) -> _FusedFlyout:
    """Fused fly-out tables, built once per tuple of table objects."""
    return _FusedFlyout(tables)


# rows of the per-case geometry constants (see intercept_solutions)
_A, _ALPHA, _Q, _D0, _D1, _N0, _N1, _N2, _DELAY = range(9)


class _Arena:
    """Scratch memory of the solver, kept between calls (one per thread).

    Rows ``f[0:7]``, ``i[0:3]``, ``m[0:2]`` are the scratch arrays of :func:`_phi`, ``f[7:12]``
    the iteration state, ``g``, ``fl`` and ``ints`` the per-case constants; the solver works on
    prefixes ``[:n]``. Kept rather than allocated per call: large temporaries allocated and
    freed at every call make the C allocator hand memory back to the system and fault it in
    again, which at the command post's batch sizes costs as much as the arithmetic. About
    300 bytes per case of the largest batch seen.
    """

    def __init__(self) -> None:
        self.cap = -1
        self.reserve(0)

    def reserve(self, n: int) -> None:
        """Make room for ``n`` cases."""
        if n <= self.cap:
            return
        cap = max(n, int(1.25 * self.cap), 1024)
        self.cap = cap
        self.f = np.empty((12, cap))
        self.i = np.empty((3, cap), dtype=np.intp)
        self.m = np.empty((2, cap), dtype=bool)
        self.g = np.empty((9, cap))
        self.fl = np.empty((6, cap))
        self.ints = np.empty((3, cap), dtype=np.intp)

    def views(
        self, n: int
    ) -> tuple[list[FloatArray], list[NDArray[np.intp]], list[NDArray[np.bool_]]]:
        """Prefixes of length ``n`` of the scratch rows of :func:`_phi`."""
        return [a[:n] for a in self.f[:7]], [a[:n] for a in self.i], [a[:n] for a in self.m]


_LOCAL = threading.local()


def _arena(n: int) -> _Arena:
    """This thread's solver memory, with room for ``n`` cases."""
    arena: _Arena | None = getattr(_LOCAL, "arena", None)
    if arena is None:
        arena = _LOCAL.arena = _Arena()
    arena.reserve(n)
    return arena


def _phi(
    tof: _FusedFlyout,
    g: FloatArray,
    fl: FloatArray,
    ints: NDArray[np.intp],
    t: FloatArray,
    work: _Arena,
    out: FloatArray,
) -> None:
    """``out = phi(t) = delay + tof(ground_range(launcher, P(t)), altitude(P(t)))``, per case.

    Parameters
    ----------
    tof : _FusedFlyout
    g : ndarray, shape (9, N)
        Geometry constants (rows ``_A`` ... ``_DELAY``, see :func:`intercept_solutions`).
    fl, ints : ndarray, shapes (6, N) and (3, N)
        Lookup constants of each case's missile type (:meth:`_FusedFlyout.case_constants`).
    t : ndarray, shape (N,), seconds
    work : _Arena
    out : ndarray, shape (N,), seconds
        Receives ``phi(t)``.

    Notes
    -----
    ``ground_range = R atan2(|c|, d)`` with ``|c|^2 = A (1 + alpha t)^2 + q t^2`` and
    ``d = d0 + d1 t``; ``altitude = n / (sqrt(R^2 + n) + R)`` with ``n = n0 + n1 t + n2 t^2``.
    The fly-out lookup is :meth:`_FusedFlyout.__call__`, written in place.
    """
    R = EARTH_RADIUS_M
    (a, b, c, d, e, f1, f2), (ib, i, j), (mask, mask2) = work.views(t.size)
    mul, add, sub, div, take = np.multiply, np.add, np.subtract, np.divide, np.ndarray.take
    # a = |c(t)|, b = d(t)
    mul(g[_ALPHA], t, a)
    a += 1.0
    mul(a, a, a)
    a *= g[_A]
    mul(t, t, b)
    b *= g[_Q]
    a += b
    np.sqrt(a, a)
    mul(g[_D1], t, b)
    b += g[_D0]
    # a = ground range
    np.greater(b, 0.0, mask)
    if mask.all():
        div(a, b, a)
        np.arctan(a, a)
    else:
        # element by element as above where b > 0 (same bits whatever else is in the batch)
        q = np.arctan(a / np.where(mask, b, 1.0))
        np.copyto(q, np.arctan2(a, b), where=~mask)
        a[...] = q
    a *= R
    # b = altitude
    mul(g[_N2], t, b)
    b += g[_N1]
    b *= t
    b += g[_N0]
    add(b, R * R, c)
    np.sqrt(c, c)
    c += R
    div(b, c, b)
    # range axis: c = clipped range, i = cell, d = u; then c = range - clipped range
    ax = tof.x
    np.fmax(a, fl[0], out=c)
    np.fmin(c, fl[1], out=c)
    sub(c, fl[0], d)
    d *= fl[2]
    np.copyto(ib, d, casting="unsafe")  # truncation = floor, d >= 0
    ib += ints[0]
    take(ax.lut, ib, out=i, mode="clip")
    for _ in range(ax.npass):
        take(ax.next_node, i, out=d, mode="clip")
        np.greater_equal(c, d, mask)
        i += mask
    take(ax.node, i, out=d, mode="clip")
    sub(c, d, d)
    take(ax.width, i, out=e, mode="clip")
    div(d, e, d)
    sub(a, c, c)
    # altitude axis: a = clipped altitude, j = cell, e = w; then b = altitude - clipped
    ax = tof.y
    np.fmax(b, fl[3], out=a)
    np.fmin(a, fl[4], out=a)
    sub(a, fl[3], e)
    e *= fl[5]
    np.copyto(ib, e, casting="unsafe")
    ib += ints[1]
    take(ax.lut, ib, out=j, mode="clip")
    for _ in range(ax.npass):
        take(ax.next_node, j, out=e, mode="clip")
        np.greater_equal(a, e, mask)
        j += mask
    take(ax.node, j, out=e, mode="clip")
    sub(a, e, e)
    take(ax.width, j, out=f1, mode="clip")
    div(e, f1, e)
    sub(b, a, b)
    # i = flat cell index; a = (1 - w) (g00 + u dg0) + w (g01 + u dg1)
    i *= tof.ny
    i += j
    i += ints[2]
    terms = tof.tof
    take(terms[1], i, out=a, mode="clip")
    a *= d
    take(terms[0], i, out=f1, mode="clip")
    a += f1
    take(terms[3], i, out=f1, mode="clip")
    f1 *= d
    take(terms[2], i, out=f2, mode="clip")
    f1 += f2
    sub(1.0, e, f2)
    a *= f2
    f1 *= e
    a += f1
    # continuation outside the grid: + |overshoot| / speed at the clipped point
    np.not_equal(c, 0.0, mask)
    np.not_equal(b, 0.0, mask2)
    mask |= mask2
    n_out = int(np.count_nonzero(mask))
    if n_out > t.size // 4:
        # dense (zero overshoot adds exactly 0): cheaper than gathering many cases
        mul(c, c, c)
        mul(b, b, b)
        c += b
        np.sqrt(c, c)
        terms = tof.spd
        take(terms[1], i, out=b, mode="clip")
        b *= d
        take(terms[0], i, out=f1, mode="clip")
        b += f1
        take(terms[3], i, out=f1, mode="clip")
        f1 *= d
        take(terms[2], i, out=d, mode="clip")
        f1 += d
        b *= f2
        f1 *= e
        b += f1
        c /= b
        a += c
    elif n_out:
        o = np.flatnonzero(mask)
        co, bo = c[o], b[o]
        a[o] = a[o] + np.sqrt(co * co + bo * bo) / tof._interp(tof.spd, i[o], d[o], e[o])
    add(a, g[_DELAY], out)


def _compact(row: NDArray[Any], keep: NDArray[np.intp], scratch: NDArray[Any]) -> None:
    """``row[:m] = row[keep]`` (``m = keep.size``) through ``scratch``, without allocating."""
    m = keep.size
    row.take(keep, out=scratch[:m], mode="clip")
    row[:m] = scratch[:m]


def _solve(
    tof: _FusedFlyout,
    geom: FloatArray,
    pair: NDArray[np.intp],
    mt: NDArray[np.intp],
    t0: FloatArray,
    n_iter: int,
    tol_s: float,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Accelerated fixed-point iteration for the intercept time, flat over N cases.

    Parameters
    ----------
    tof : _FusedFlyout
    geom : ndarray, shape (9, P)
        Geometry constants of each (fire unit, track) pair (rows ``_A`` ... ``_DELAY``).
    pair : ndarray of int, shape (N,)
        Pair of each case.
    mt : ndarray of int, shape (N,)
        Missile type of each case.
    t0 : ndarray, shape (N,), seconds
        Initial guess.
    n_iter : int
    tol_s : float, seconds

    Returns
    -------
    t : ndarray, shape (N,), seconds
    converged : ndarray of bool, shape (N,)
        ``|phi(t) - t| <= tol_s``.

    Notes
    -----
    Newton-relaxed fixed point ``t <- t + (phi - t) / (1 - phi')``, ``phi'`` from a finite
    difference at the start and from the secant through the last two iterates afterwards.
    A case whose residual has reached rounding level (``_FREEZE_REL``) leaves the batch: its
    remaining iterations would move it by rounding-level amounts only. The batch is
    compressed once a fifth of it has left.
    """
    n = pair.size
    ar = _arena(n)
    G, FL, IN = ar.g, ar.fl, ar.ints
    for r in range(9):
        geom[r].take(pair, out=G[r, :n], mode="clip")
    x, y = tof.x, tof.y
    for r, src in enumerate((x.lo, x.hi, x.inv_h, y.lo, y.hi, y.inv_h)):
        src.take(mt, out=FL[r, :n], mode="clip")
    for r, isrc in enumerate((x.offset, y.offset, tof.k_shift)):
        isrc.take(mt, out=IN[r, :n], mode="clip")
    t, f, slope, t_new, f_new = ar.f[7:12]  # full rows; the state is their prefix [:n]
    t_out = np.empty(n)
    f_out = np.empty(n)
    active = np.arange(n)
    frozen = np.zeros(n, dtype=bool)
    t[:n] = t0
    _phi(tof, G[:, :n], FL[:, :n], IN[:, :n], t[:n], ar, f[:n])
    # slope = (phi(t + h) - f) / h, h = 1e-3 max(t, 1)
    h = f_new[:n]
    np.maximum(t[:n], 1.0, out=h)
    h *= 1e-3
    np.add(t[:n], h, t_new[:n])
    _phi(tof, G[:, :n], FL[:, :n], IN[:, :n], t_new[:n], ar, slope[:n])
    slope[:n] -= f[:n]
    slope[:n] /= h
    for it in range(n_iter):
        (a, b, c, *_), _, (mask, *_) = ar.views(n)
        tn, fn, sn, tnew, fnew, dly = t[:n], f[:n], slope[:n], t_new[:n], f_new[:n], G[_DELAY, :n]
        # t_new = max(t + (f - t) / max(1 - slope, 0.05), delay)
        np.subtract(1.0, sn, a)
        np.maximum(a, 0.05, out=a)
        np.subtract(fn, tn, b)
        b /= a
        b += tn
        np.maximum(b, dly, out=tnew)
        _phi(tof, G[:, :n], FL[:, :n], IN[:, :n], tnew, ar, fnew)
        # secant slope where t moved: (f_new - f) / (t_new - t)
        np.subtract(tnew, tn, a)
        np.abs(tn, b)
        np.maximum(b, 1.0, out=b)
        b *= 1e-9
        np.abs(a, c)
        np.greater(c, b, mask)
        np.subtract(fnew, fn, c)
        np.divide(c, a, out=c, where=mask)
        np.copyto(sn, c, where=mask)
        t, t_new = t_new, t
        f, f_new = f_new, f
        tn, fn = tnew, fnew
        if it == n_iter - 1:
            break
        # cases converged to rounding level leave the batch
        np.subtract(fn, tn, a)
        np.abs(a, a)
        np.abs(tn, b)
        np.maximum(b, 1.0, out=b)
        b *= _FREEZE_REL
        np.less_equal(a, b, mask)
        n_done = int(np.count_nonzero(mask))
        if n_done:
            # a case's result is its value when it first froze, whether or not the batch is
            # compressed now (which depends on the other cases): results do not depend on
            # what else is in the batch, bit for bit
            stop = np.flatnonzero(mask)
            new = stop[~frozen[active[stop]]]
            t_out[active[new]] = tn[new]
            f_out[active[new]] = fn[new]
            frozen[active[new]] = True
        if n_done and n_done >= _COMPRESS_FRACTION * n:
            keep = np.flatnonzero(~mask)
            active = active[keep]
            for row in (t, f, slope, *G, *FL):
                _compact(row[:n], keep, t_new)
            for irow in IN:
                _compact(irow[:n], keep, ar.i[0])
            n = keep.size
            if n == 0:
                break
    last = ~frozen[active]
    t_out[active[last]] = t[:n][last]
    f_out[active[last]] = f[:n][last]
    converged = np.isfinite(t_out) & (np.abs(f_out - t_out) <= tol_s)
    return t_out, converged


Vec = tuple[FloatArray, FloatArray, FloatArray]


def _cross(a: Vec, b: Vec) -> Vec:
    """Cross product by components (the operations of ``np.cross``)."""
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _dot(a: Vec, b: Vec) -> FloatArray:
    """Dot product by components."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _ravel(a: Vec) -> Vec:
    """Components flattened."""
    return a[0].ravel(), a[1].ravel(), a[2].ravel()


def _available_accel(flyout: Sequence[FlyoutTable], gr: FloatArray, alt: FloatArray,
                     mt: NDArray[np.intp]) -> FloatArray:
    """Lateral acceleration left at (ground range, altitude) for each case's missile type
    (inf for types whose table has no acceleration), m/s^2."""
    out = np.full(gr.shape, np.inf)
    for m in np.unique(mt):
        table = flyout[int(m)].accel_mps2
        if table is not None:
            sel = mt == m
            out[sel] = table(gr[sel], alt[sel])
    return out


def intercept_solutions(
    x: ArrayLike,
    launcher_pos: ArrayLike,
    launch_delay_s: ArrayLike,
    flyout: Sequence[FlyoutTable],
    min_altitude_m: ArrayLike,
    max_altitude_m: ArrayLike,
    max_range_m: ArrayLike,
    min_range_m: ArrayLike,
    t_go_s: ArrayLike,
    engagement_radar_pos: ArrayLike,
    engagement_radar_range_m: ArrayLike,
    n_iter: int = 8,
    valid: ArrayLike | None = None,
    tol_s: float = 1e-3,
    min_accel_mps2: float = 0.0,
) -> Engageability:
    """Predicted intercept point of every (fire unit, track, missile type).

    Parameters
    ----------
    x : array_like, shape (R, K, 6)
        Track states ``[e, n, u, ve, vn, vu]``, metres and m/s, engine ENU.
    launcher_pos : array_like, shape (W, 3), metres, engine ENU
        Launcher position of each fire unit.
    launch_delay_s : float or array_like, shape (W,), seconds
        Time from now to launch (reaction time, remaining ripple interval).
    flyout : sequence of FlyoutTable, length Mt
        Fly-out table of each missile type, indexed by (ground range from the launcher, m;
        intercept altitude, m).
    min_altitude_m, max_altitude_m : array_like, shape (Mt,), metres
        Engagement altitude band of each missile type.
    max_range_m, min_range_m : array_like, shape (Mt,), metres
        Engagement ground-range band of each missile type.
    t_go_s : array_like, shape (R, K), seconds
        Time until each threat reaches its keep-out distance (``inf``: no limit), from
        :func:`triumf.c2.evaluation.evaluate_threats`.
    engagement_radar_pos : array_like, shape (W, 3), metres, engine ENU
        Antenna of each fire unit's engagement (fire-control) radar.
    engagement_radar_range_m : float or array_like, shape (W,), metres
        Its maximum (slant) range.
    n_iter : int
        Iterations of the (accelerated) fixed-point solver.
    valid : array_like of bool, shape (R, K), optional
        Tracks to consider; the others get NOT_CONFIRMED.
    tol_s : float, seconds
        Convergence test: ``|phi(t) - t| <= tol_s`` after the last iteration.
    min_accel_mps2 : float, m/s^2
        Lateral acceleration the missile must still have at the PIP (its fly-out table's
        ``accel_mps2``; types without that table are not tested); below it the reason is
        INSUFFICIENT_MANOEUVRE. 0: no test.

    Returns
    -------
    Engageability
        Arrays of shape (R, W, K, Mt) (PIP (R, W, K, Mt, 3)); see
        :class:`triumf.c2.base.Engageability`. Where the iteration did not converge, the
        missile speed is NaN like the PIP.
    """
    s = np.asarray(x, dtype=np.float64)
    R, K = s.shape[:2]
    L = np.asarray(launcher_pos, dtype=np.float64).reshape(-1, 3)
    W = L.shape[0]
    Mt = len(flyout)
    radius = EARTH_RADIUS_M

    def per_type(a: ArrayLike) -> FloatArray:
        return np.broadcast_to(np.asarray(a, dtype=np.float64), (Mt,))

    hmin, hmax = per_type(min_altitude_m), per_type(max_altitude_m)
    rmax, rmin = per_type(max_range_m), per_type(min_range_m)
    delay = np.broadcast_to(np.asarray(launch_delay_s, dtype=np.float64), (W,))
    radar = np.asarray(engagement_radar_pos, dtype=np.float64).reshape(W, 3)
    radar_rng = np.broadcast_to(np.asarray(engagement_radar_range_m, dtype=np.float64), (W,))
    t_go = np.broadcast_to(np.asarray(t_go_s, dtype=np.float64), (R, K))
    ok = (
        np.ones((R, K), dtype=bool)
        if valid is None
        else np.broadcast_to(np.asarray(valid, dtype=bool), (R, K))
    )

    shape = (R, W, K, Mt)
    reason = np.full(shape, NoFireReason.OUT_OF_RANGE, dtype=np.int8)
    if not ok.all():
        reason[np.broadcast_to(~ok[:, None, :, None], shape)] = NoFireReason.NOT_CONFIRMED
    t_out = np.full(shape, np.nan)
    pip = np.full(shape + (3,), np.nan)
    speed = np.full(shape, np.nan)
    conv = np.zeros(shape, dtype=bool)

    def result() -> Engageability:
        return Engageability(
            feasible=reason == NoFireReason.NONE,
            t_intercept_s=t_out,
            pip=pip,
            reason=reason,
            missile_speed_mps=speed,
            converged=conv,
        )

    # the valid tracks, and every (fire unit, valid track) pair, pair index w * Nt + j
    trk = np.flatnonzero(ok.ravel())
    Nt = trk.size
    if Nt == 0 or W == 0 or Mt == 0:
        return result()
    st = s.reshape(-1, 6)[trk]
    px, py, pz, vx, vy, vz = (np.ascontiguousarray(st[:, i]) for i in range(6))
    pw = np.repeat(np.arange(W), Nt)  # fire unit of each pair
    pj = np.tile(np.arange(Nt), W)  # valid track of each pair

    # geocentric launcher r_L = L + R z_hat and target r_P(t) = r_p + v t, r_p = p + R z_hat;
    # c(t) = r_L x r_P(t) = c0 + c1 t and d(t) = r_L . r_P(t) = d0 + d1 t, shape (W, Nt)
    rl = (L[:, 0:1], L[:, 1:2], L[:, 2:3] + radius)
    rp = (px, py, pz + radius)
    vel = (vx, vy, vz)
    c0 = _ravel(_cross(rl, rp))
    c1 = _ravel(_cross(rl, vel))
    d0 = _dot(rl, rp).ravel()
    d1 = _dot(rl, vel).ravel()
    a0 = _dot(c0, c0)
    gr_now = radius * _atan2(np.sqrt(a0), d0)  # ground_range_m(launcher, p)
    # c1 = alpha c0 + c1_perp, so |c(t)|^2 = A (1 + alpha t)^2 + q t^2 with A = |c0|^2 and
    # q = |c1_perp|^2: a sum of two squares, no cancellation
    has_a = a0 > 0.0
    alpha = np.where(has_a, _dot(c0, c1) / np.where(has_a, a0, 1.0), 0.0)
    perp = (c1[0] - alpha * c0[0], c1[1] - alpha * c0[1], c1[2] - alpha * c0[2])
    # |r_P(t)|^2 - R^2 = |P|^2 + 2 R P_z = n0 + n1 t + n2 t^2
    n0 = px * px + py * py + pz * pz + 2.0 * radius * pz
    n1 = 2.0 * (px * vx + py * vy + pz * vz + radius * vz)
    n2 = vx * vx + vy * vy + vz * vz
    vmag = np.sqrt(n2)[pj]
    dly = delay[pw]
    geom = np.stack([a0, alpha, _dot(perp, perp), d0, d1, n0[pj], n1[pj], n2[pj], dly])

    # initial guess, constant-speed missile: first root of |r0 + v tau| = s tau
    dw = delay[:, None]
    r0 = (
        (px + vx * dw - L[:, 0:1]).ravel(),
        (py + vy * dw - L[:, 1:2]).ravel(),
        (pz + vz * dw - L[:, 2:3]).ravel(),
    )
    b_all = _dot(r0, (vx[pj], vy[pj], vz[pj]))
    c_all = _dot(r0, r0)

    tof = _fused(tuple(flyout))
    cases, starts, counts = [], [], np.zeros(Mt, dtype=np.intp)
    for m in range(Mt):
        if tof.empty[m]:
            continue
        # a feasible PIP is reached within delay + (longest time of flight): skip the cases
        # that cannot come within max range by then (1 % + 1 km slack for arc vs chord)
        near = gr_now - 1.01 * vmag * (dly + tof.max_tof[m]) - 1000.0 <= rmax[m]
        cand = np.flatnonzero(near)
        if cand.size == 0:
            continue
        sm = tof.mean_speed[m]
        a, b, c = n2[pj[cand]] - sm * sm, b_all[cand], c_all[cand]
        disc = b * b - a * c
        den = np.sqrt(np.maximum(disc, 0.0)) - b
        good = (disc >= 0.0) & (den > 0.0)
        tau = np.where(good, c / np.where(good, den, 1.0), np.sqrt(c) / sm)
        cases.append(cand)
        starts.append(dly[cand] + tau)
        counts[m] = cand.size
    if not cases:
        return result()
    case = np.concatenate(cases)  # pair of each case, grouped by missile type
    mt = np.repeat(np.arange(Mt), counts)
    t, cc = _solve(tof, geom, case, mt, np.concatenate(starts), n_iter, tol_s)
    # fast targets can leave the first attempt on a far branch: retry from the earliest
    # launch time
    retry = np.flatnonzero(~cc & (vmag[case] > 0.5 * tof.min_speed[mt]))
    if retry.size:
        t2, c2 = _solve(tof, geom, case[retry], mt[retry], dly[case[retry]], n_iter, tol_s)
        t[retry] = np.where(c2, t2, t[retry])
        cc[retry] = c2

    # judge the converged PIPs on the real tables, by components (contiguous arrays) and in
    # blocks (the allocator reuses small temporaries, large ones are faulted in afresh)
    hit = np.flatnonzero(cc)
    h_radar = horizon_range_m(altitude_m(radar), 0.0, EFFECTIVE_EARTH_FACTOR)
    t_go_flat = t_go.ravel()
    lx, ly, lz = L[:, 0].copy(), L[:, 1].copy(), L[:, 2] + radius
    ax, ay, az = radar[:, 0].copy(), radar[:, 1].copy(), radar[:, 2].copy()
    reason_f, t_f, speed_f, conv_f = (a.reshape(-1) for a in (reason, t_out, speed, conv))
    pip_f = pip.reshape(-1, 3)
    for lo in range(0, hit.size, _BLOCK):
        hb = hit[lo : lo + _BLOCK]
        pair, mh, th = case[hb], mt[hb], t[hb]
        w, j = pw[pair], pj[pair]
        # PIP P = p + v t and its geocentric z
        P = (px[j] + vx[j] * th, py[j] + vy[j] * th, pz[j] + vz[j] * th)
        Pzr = P[2] + radius
        # ground range from the launcher (triumf.core.earth.ground_range_m) and altitude
        rP = (P[0], P[1], Pzr)
        rl_w = (lx[w], ly[w], lz[w])
        cr = _cross(rl_w, rP)
        gr = radius * _atan2(np.sqrt(_dot(cr, cr)), _dot(rl_w, rP))
        h2 = P[0] * P[0] + P[1] * P[1]
        alt = (h2 + P[2] * P[2] + 2.0 * radius * P[2]) / (np.sqrt(h2 + Pzr * Pzr) + radius)
        table_tof, spd = tof.real(gr, alt, mh)
        # the engagement radar sees the PIP: within range and above its 4/3-Earth horizon
        # (triumf.core.earth.above_radar_horizon)
        rx, ry, rz = ax[w], ay[w], az[w]
        d = (P[0] - rx, P[1] - ry, P[2] - rz)
        slant = np.sqrt(_dot(d, d))
        rr = (rx, ry, rz + radius)
        cr = _cross(rr, rP)
        gr_radar = radius * _atan2(np.sqrt(_dot(cr, cr)), _dot(rr, rP))
        horizon = h_radar[w] + horizon_range_m(0.0, alt, EFFECTIVE_EARTH_FACTOR)
        visible = (gr_radar <= horizon) & (slant <= radar_rng[w])
        tr = trk[j]
        # the first failed test, from the last to the first
        why = np.where(th > t_go_flat[tr], NoFireReason.TOO_LATE, NoFireReason.NONE)
        why[~visible] = NoFireReason.NOT_VISIBLE
        if min_accel_mps2 > 0.0:
            why[np.isfinite(table_tof) & ~(_available_accel(flyout, gr, alt, mh)
                                           >= min_accel_mps2)] = NoFireReason.INSUFFICIENT_MANOEUVRE
        why[~np.isfinite(table_tof)] = NoFireReason.OUT_OF_RANGE
        why[alt > hmax[mh]] = NoFireReason.ABOVE_MAX_ALTITUDE
        why[alt < hmin[mh]] = NoFireReason.BELOW_MIN_ALTITUDE
        why[(gr > rmax[mh]) | (gr < rmin[mh])] = NoFireReason.OUT_OF_RANGE
        # flat output index of (r, w, k, m)
        r_i, k_i = np.divmod(tr, K)
        out = ((r_i * W + w) * K + k_i) * Mt + mh
        reason_f[out] = why
        t_f[out] = th
        for i in range(3):
            pip_f[out, i] = P[i]
        speed_f[out] = spd
        conv_f[out] = True
    return result()

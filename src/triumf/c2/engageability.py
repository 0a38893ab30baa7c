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
OUT_OF_RANGE, NaN intercept time). Batched over the valid (R, W, K) cases; Python loops run
over missile types (each has its own table) and iterations only. Grazing solutions, where
``phi(t) - t`` only touches zero, may be reported as not converged (OUT_OF_RANGE).

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

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from triumf.c2.base import Engageability, NoFireReason
from triumf.core.earth import above_radar_horizon, altitude_m, ground_range_m

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


def _solve_pip(
    tof: _ContinuedFlyout,
    p: FloatArray,
    v: FloatArray,
    launcher: FloatArray,
    delay: FloatArray,
    t0: FloatArray,
    n_iter: int,
    tol_s: float,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Accelerated fixed-point iteration for the intercept time, flat over N cases.

    Parameters
    ----------
    tof : _ContinuedFlyout
    p, v : ndarray, shape (N, 3)
        Target position (m) and velocity (m/s), engine ENU.
    launcher : ndarray, shape (N, 3), metres, engine ENU
    delay : ndarray, shape (N,), seconds
    t0 : ndarray, shape (N,), seconds
        Initial guess.
    n_iter : int
    tol_s : float, seconds

    Returns
    -------
    t : ndarray, shape (N,), seconds
    converged : ndarray of bool, shape (N,)
        ``|phi(t) - t| <= tol_s``.
    """

    def phi(t: FloatArray) -> FloatArray:
        P = p + v * t[:, None]
        return delay + tof(ground_range_m(launcher, P), altitude_m(P))

    # Newton-relaxed fixed point t <- t + (phi - t) / (1 - phi'); phi' from a finite difference
    # at the start, then from the secant through the last two iterates
    t = t0
    f = phi(t)
    h = 1e-3 * np.maximum(t, 1.0)
    slope = (phi(t + h) - f) / h
    for _ in range(n_iter):
        t_new = np.maximum(t + (f - t) / np.maximum(1.0 - slope, 0.05), delay)
        f_new = phi(t_new)
        step = t_new - t
        moved = np.abs(step) > 1e-9 * np.maximum(np.abs(t), 1.0)
        slope = np.where(moved, (f_new - f) / np.where(moved, step, 1.0), slope)
        t, f = t_new, f_new
    converged = np.isfinite(t) & (np.abs(f - t) <= tol_s)
    return t, converged


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

    Returns
    -------
    Engageability
        Arrays of shape (R, W, K, Mt) (PIP (R, W, K, Mt, 3)); see
        :class:`triumf.c2.base.Engageability`.
    """
    s = np.asarray(x, dtype=np.float64)
    R, K = s.shape[:2]
    L = np.asarray(launcher_pos, dtype=np.float64).reshape(-1, 3)
    W = L.shape[0]
    Mt = len(flyout)

    def per_type(a: ArrayLike) -> FloatArray:
        return np.broadcast_to(np.asarray(a, dtype=np.float64), (Mt,))

    hmin, hmax = per_type(min_altitude_m), per_type(max_altitude_m)
    rmax, rmin = per_type(max_range_m), per_type(min_range_m)
    delay = np.broadcast_to(np.asarray(launch_delay_s, dtype=np.float64), (W,))[None, :, None]
    radar = np.asarray(engagement_radar_pos, dtype=np.float64).reshape(W, 3)[None, :, None, :]
    radar_rng = np.broadcast_to(np.asarray(engagement_radar_range_m, dtype=np.float64), (W,))[
        None, :, None
    ]
    t_go = np.broadcast_to(np.asarray(t_go_s, dtype=np.float64), (R, K))[:, None, :]
    ok = (
        np.ones((R, K), dtype=bool)
        if valid is None
        else np.broadcast_to(np.asarray(valid, dtype=bool), (R, K))
    )[:, None, :]

    # flatten the valid (R, W, K) cases for the iteration
    sel = np.flatnonzero(np.broadcast_to(ok, (R, W, K)))
    p = np.broadcast_to(s[:, None, :, :3], (R, W, K, 3)).reshape(-1, 3)[sel]
    v = np.broadcast_to(s[:, None, :, 3:], (R, W, K, 3)).reshape(-1, 3)[sel]
    Lf = np.broadcast_to(L[None, :, None, :], (R, W, K, 3)).reshape(-1, 3)[sel]
    df = np.broadcast_to(delay, (R, W, K)).reshape(-1)[sel]
    gr_now = ground_range_m(Lf, p)
    vmag = np.linalg.norm(v, axis=-1)

    shape = (R, W, K, Mt)
    feasible = np.zeros(shape, dtype=bool)
    t_out = np.full(shape, np.nan)
    pip = np.full(shape + (3,), np.nan)
    reason = np.zeros(shape, dtype=np.int8)
    speed = np.full(shape, np.nan)
    conv = np.zeros(shape, dtype=bool)

    for m, table in enumerate(flyout):
        tof = _continued(table)
        t = np.full(R * W * K, np.nan)
        converged = np.zeros(R * W * K, dtype=bool)
        # a feasible PIP is reached within delay + (longest time of flight): skip the cases
        # that cannot come within max range by then (1 % + 1 km slack for arc vs chord)
        near = gr_now - 1.01 * vmag * (df + tof.max_tof) - 1000.0 <= rmax[m]
        near &= not tof.empty
        cand = np.flatnonzero(near)
        if cand.size:
            pc, vc, Lc, dc = p[cand], v[cand], Lf[cand], df[cand]
            # initial guess: constant-speed missile, first root of |r' + v tau| = s tau
            sm = tof.mean_speed
            r0 = pc + vc * dc[:, None] - Lc
            a = np.sum(vc * vc, axis=-1) - sm * sm
            b = np.sum(r0 * vc, axis=-1)
            c = np.sum(r0 * r0, axis=-1)
            disc = b * b - a * c
            den = np.sqrt(np.maximum(disc, 0.0)) - b
            good = (disc >= 0.0) & (den > 0.0)
            tau = np.where(good, c / np.where(good, den, 1.0), np.sqrt(c) / sm)
            tc, cc = _solve_pip(tof, pc, vc, Lc, dc, dc + tau, n_iter, tol_s)
            # fast targets can leave the first attempt on a far branch: retry from the
            # earliest launch time
            retry = np.flatnonzero(~cc & (vmag[cand] > 0.5 * tof.min_speed))
            if retry.size:
                t2, c2 = _solve_pip(
                    tof, pc[retry], vc[retry], Lc[retry], dc[retry], dc[retry], n_iter, tol_s
                )
                tc[retry] = np.where(c2, t2, tc[retry])
                cc[retry] = c2
            t[sel[cand]] = tc
            converged[sel[cand]] = cc
        t = t.reshape(R, W, K)
        converged = converged.reshape(R, W, K)

        P = s[:, None, :, :3] + s[:, None, :, 3:] * t[..., None]
        gr = ground_range_m(L[None, :, None, :], P)
        alt = altitude_m(P)
        table_tof = table.time_s(gr, alt)
        visible = above_radar_horizon(radar, P) & (np.linalg.norm(P - radar, axis=-1) <= radar_rng)
        checks = [
            (~ok, NoFireReason.NOT_CONFIRMED),
            (~converged | (gr > rmax[m]) | (gr < rmin[m]), NoFireReason.OUT_OF_RANGE),
            (alt < hmin[m], NoFireReason.BELOW_MIN_ALTITUDE),
            (alt > hmax[m], NoFireReason.ABOVE_MAX_ALTITUDE),
            (~np.isfinite(table_tof), NoFireReason.OUT_OF_RANGE),
            (~visible, NoFireReason.NOT_VISIBLE),
            (t > t_go, NoFireReason.TOO_LATE),
        ]
        conds = [np.broadcast_to(cnd, (R, W, K)) for cnd, _ in checks]
        why = np.select(conds, [int(r) for _, r in checks], default=int(NoFireReason.NONE))
        reason[..., m] = why
        feasible[..., m] = why == NoFireReason.NONE
        t_out[..., m] = np.where(converged, t, np.nan)
        pip[..., m, :] = np.where(converged[..., None], P, np.nan)
        speed[..., m] = table.speed_mps(gr, alt)
        conv[..., m] = converged
    return Engageability(
        feasible=feasible,
        t_intercept_s=t_out,
        pip=pip,
        reason=reason,
        missile_speed_mps=speed,
        converged=conv,
    )

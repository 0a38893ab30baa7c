"""Command-post kernels and Earth helpers: the optimised code against the previous one.

Times ``triumf.c2.engageability.intercept_solutions``, ``triumf.c2.evaluation.evaluate_threats``
and the ``triumf.core.earth`` helpers on a synthetic case shaped like the engine's calls
(one flat batch ``x (1, N, 6)``, eight fire units, four missile types), and in the same run a
straightforward copy of the previous implementation kept below as the baseline. Prints JSON:
the median time of each (seconds, over ``--repeats`` interleaved repeats), the ratio
baseline / optimised, and how far the results differ.

Usage::

    python benchmarks/bench_c2.py [--repeats 7] [--quick] [--real]

``--real`` uses the fly-out tables and battalion of the shipped ``demo`` scenario (compiling
it builds the tables by simulation, some 15 s) instead of synthetic tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from triumf.c2.base import Engageability, NoFireReason, ThreatPicture
from triumf.c2.engageability import intercept_solutions
from triumf.c2.evaluation import evaluate_threats
from triumf.core import earth
from triumf.core.earth import EARTH_RADIUS_M, EFFECTIVE_EARTH_FACTOR, MU_EARTH_M3PS2, map_to_enu
from triumf.core.frames import enu_to_aer
from triumf.core.tables import FlyoutTable, RegularGridTable

FloatArray = NDArray[np.float64]

# ---------------------------------------------------------------------------------------------
# Baseline: the previous implementation, copied as it was (Earth helpers, engageability,
# threat evaluation), so that both run on the same machine in the same process.
# ---------------------------------------------------------------------------------------------


def _b_geocentric(pos: ArrayLike, radius_m: float) -> FloatArray:
    p = np.asarray(pos, dtype=np.float64)
    return p + np.array([0.0, 0.0, radius_m])


def b_altitude_m(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    p = np.asarray(pos, dtype=np.float64)
    r = _b_geocentric(p, radius_m)
    num = np.sum(p * p, axis=-1) + 2.0 * radius_m * p[..., 2]
    return num / (np.linalg.norm(r, axis=-1) + radius_m)


def b_up_unit(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    r = _b_geocentric(pos, radius_m)
    return r / np.linalg.norm(r, axis=-1, keepdims=True)


def _b_central_angle(r_a: FloatArray, r_b: FloatArray) -> FloatArray:
    cross = np.linalg.norm(np.cross(r_a, r_b), axis=-1)
    dot = np.sum(r_a * r_b, axis=-1)
    return np.arctan2(cross, dot)


def b_ground_range_m(a: ArrayLike, b: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    return radius_m * _b_central_angle(_b_geocentric(a, radius_m), _b_geocentric(b, radius_m))


def b_gravity_mps2(
    pos: ArrayLike, radius_m: float = EARTH_RADIUS_M, mu_m3ps2: float = MU_EARTH_M3PS2
) -> FloatArray:
    r = _b_geocentric(pos, radius_m)
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    return -mu_m3ps2 * r / rn**3


def b_horizon_range_m(
    h1_m: ArrayLike, h2_m: ArrayLike, k: float = EFFECTIVE_EARTH_FACTOR,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    ka = k * radius_m
    h1 = np.maximum(np.asarray(h1_m, dtype=np.float64), 0.0)
    h2 = np.maximum(np.asarray(h2_m, dtype=np.float64), 0.0)
    return np.sqrt(2.0 * ka * h1) + np.sqrt(2.0 * ka * h2)


def b_above_radar_horizon(
    observer_pos: ArrayLike, target_pos: ArrayLike, k: float = EFFECTIVE_EARTH_FACTOR,
    radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.bool_]:
    s = b_ground_range_m(observer_pos, target_pos, radius_m)
    h1 = b_altitude_m(observer_pos, radius_m)
    h2 = b_altitude_m(target_pos, radius_m)
    return np.asarray(s <= b_horizon_range_m(h1, h2, k, radius_m))


def b_local_frame(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    u = b_up_unit(pos, radius_m)
    ux, uy, c = u[..., 0], u[..., 1], u[..., 2]
    q = 1.0 / (1.0 + c)
    rot = np.empty(u.shape[:-1] + (3, 3))
    rot[..., 0, 0] = 1.0 - ux * ux * q
    rot[..., 0, 1] = -ux * uy * q
    rot[..., 0, 2] = ux
    rot[..., 1, 0] = -ux * uy * q
    rot[..., 1, 1] = 1.0 - uy * uy * q
    rot[..., 1, 2] = uy
    rot[..., 2, 0] = -ux
    rot[..., 2, 1] = -uy
    rot[..., 2, 2] = c
    return rot


def b_local_aer(
    observer_pos: ArrayLike, target_pos: ArrayLike, radius_m: float = EARTH_RADIUS_M
) -> tuple[FloatArray, FloatArray, FloatArray]:
    obs = np.asarray(observer_pos, dtype=np.float64)
    d = np.asarray(target_pos, dtype=np.float64) - obs
    rot = b_local_frame(obs, radius_m)
    v_local = np.einsum("...ji,...j->...i", rot, d)
    return enu_to_aer(v_local)


class _BContinuedFlyout:
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
        dist = np.hypot(X[ok], Y[ok])
        pos = (tof[ok] > 0.0) & (dist > 0.0)
        self.mean_speed = float(np.median(dist[pos] / tof[ok][pos])) if pos.any() else 1.0
        self.min_speed = float(spd[ok].min())
        self.max_tof = float(tof[ok].max())

    def __call__(self, rng_m: FloatArray, alt_m: FloatArray) -> FloatArray:
        xq = np.clip(rng_m, self.x[0], self.x[-1])
        yq = np.clip(alt_m, self.y[0], self.y[-1])
        extra = np.hypot(rng_m - xq, alt_m - yq)
        i = np.clip(np.searchsorted(self.x, xq, side="right") - 1, 0, self.x.size - 2)
        j = np.clip(np.searchsorted(self.y, yq, side="right") - 1, 0, self.y.size - 2)
        u = (xq - self.x[i]) / (self.x[i + 1] - self.x[i])
        w = (yq - self.y[j]) / (self.y[j + 1] - self.y[j])
        k = i * self.y.size + j
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


_B_CONTINUED: dict[int, _BContinuedFlyout] = {}


def _b_continued(table: FlyoutTable) -> _BContinuedFlyout:
    if id(table) not in _B_CONTINUED:
        _B_CONTINUED[id(table)] = _BContinuedFlyout(table)
    return _B_CONTINUED[id(table)]


def _b_solve_pip(
    tof: _BContinuedFlyout, p: FloatArray, v: FloatArray, launcher: FloatArray,
    delay: FloatArray, t0: FloatArray, n_iter: int, tol_s: float,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    def phi(t: FloatArray) -> FloatArray:
        P = p + v * t[:, None]
        return delay + tof(b_ground_range_m(launcher, P), b_altitude_m(P))

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


def b_intercept_solutions(
    x: ArrayLike, launcher_pos: ArrayLike, launch_delay_s: ArrayLike,
    flyout: Sequence[FlyoutTable], min_altitude_m: ArrayLike, max_altitude_m: ArrayLike,
    max_range_m: ArrayLike, min_range_m: ArrayLike, t_go_s: ArrayLike,
    engagement_radar_pos: ArrayLike, engagement_radar_range_m: ArrayLike, n_iter: int = 8,
    valid: ArrayLike | None = None, tol_s: float = 1e-3,
) -> Engageability:
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
    sel = np.flatnonzero(np.broadcast_to(ok, (R, W, K)))
    p = np.broadcast_to(s[:, None, :, :3], (R, W, K, 3)).reshape(-1, 3)[sel]
    v = np.broadcast_to(s[:, None, :, 3:], (R, W, K, 3)).reshape(-1, 3)[sel]
    Lf = np.broadcast_to(L[None, :, None, :], (R, W, K, 3)).reshape(-1, 3)[sel]
    df = np.broadcast_to(delay, (R, W, K)).reshape(-1)[sel]
    gr_now = b_ground_range_m(Lf, p)
    vmag = np.linalg.norm(v, axis=-1)
    shape = (R, W, K, Mt)
    feasible = np.zeros(shape, dtype=bool)
    t_out = np.full(shape, np.nan)
    pip = np.full(shape + (3,), np.nan)
    reason = np.zeros(shape, dtype=np.int8)
    speed = np.full(shape, np.nan)
    conv = np.zeros(shape, dtype=bool)
    for m, table in enumerate(flyout):
        tof = _b_continued(table)
        t = np.full(R * W * K, np.nan)
        converged = np.zeros(R * W * K, dtype=bool)
        near = gr_now - 1.01 * vmag * (df + tof.max_tof) - 1000.0 <= rmax[m]
        near &= not tof.empty
        cand = np.flatnonzero(near)
        if cand.size:
            pc, vc, Lc, dc = p[cand], v[cand], Lf[cand], df[cand]
            sm = tof.mean_speed
            r0 = pc + vc * dc[:, None] - Lc
            a = np.sum(vc * vc, axis=-1) - sm * sm
            b = np.sum(r0 * vc, axis=-1)
            c = np.sum(r0 * r0, axis=-1)
            disc = b * b - a * c
            den = np.sqrt(np.maximum(disc, 0.0)) - b
            good = (disc >= 0.0) & (den > 0.0)
            tau = np.where(good, c / np.where(good, den, 1.0), np.sqrt(c) / sm)
            tc, cc = _b_solve_pip(tof, pc, vc, Lc, dc, dc + tau, n_iter, tol_s)
            retry = np.flatnonzero(~cc & (vmag[cand] > 0.5 * tof.min_speed))
            if retry.size:
                t2, c2 = _b_solve_pip(
                    tof, pc[retry], vc[retry], Lc[retry], dc[retry], dc[retry], n_iter, tol_s
                )
                tc[retry] = np.where(c2, t2, tc[retry])
                cc[retry] = c2
            t[sel[cand]] = tc
            converged[sel[cand]] = cc
        t = t.reshape(R, W, K)
        converged = converged.reshape(R, W, K)
        P = s[:, None, :, :3] + s[:, None, :, 3:] * t[..., None]
        gr = b_ground_range_m(L[None, :, None, :], P)
        alt = b_altitude_m(P)
        table_tof = table.time_s(gr, alt)
        visible = b_above_radar_horizon(radar, P) & (
            np.linalg.norm(P - radar, axis=-1) <= radar_rng
        )
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
        feasible=feasible, t_intercept_s=t_out, pip=pip, reason=reason,
        missile_speed_mps=speed, converged=conv,
    )


def b_classify_ballistic(
    x: ArrayLike, ballistic_speed_mps: float = 1000.0, ballistic_altitude_m: float = 20_000.0,
    ballistic_path_angle_rad: float = np.deg2rad(10.0),
) -> NDArray[np.bool_]:
    s = np.asarray(x, dtype=np.float64)
    pos, vel = s[..., :3], s[..., 3:]
    speed = np.linalg.norm(vel, axis=-1)
    vertical = np.sum(vel * b_up_unit(pos), axis=-1)
    steep = np.abs(vertical) >= np.sin(ballistic_path_angle_rad) * speed
    high = b_altitude_m(pos) > ballistic_altitude_m
    return np.asarray((speed > ballistic_speed_mps) | (high & steep & (speed > 0.0)))


def _b_deriv(s: FloatArray) -> FloatArray:
    return np.concatenate([s[:, 3:], b_gravity_mps2(s[:, :3])], axis=-1)


def b_predict_ballistic_impact(
    x: ArrayLike, asset_pos: ArrayLike | None = None, keep_out_m: ArrayLike = 0.0,
    n_steps: int = 24, max_steps_factor: float = 4.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    s = np.array(x, dtype=np.float64).reshape(-1, 6)
    N = s.shape[0]
    assets = np.zeros((0, 3)) if asset_pos is None else np.asarray(asset_pos, np.float64)
    A = assets.shape[0]
    ko = np.broadcast_to(np.asarray(keep_out_m, dtype=np.float64), (A,))
    impact = np.full((N, 3), np.nan)
    t_imp = np.full(N, np.nan)
    t_keep = np.full((N, A), np.nan)
    if N == 0:
        return impact, t_imp, t_keep
    h = b_altitude_m(s[:, :3])
    up = b_up_unit(s[:, :3])
    vu = np.sum(s[:, 3:] * up, axis=-1)
    g = np.linalg.norm(b_gravity_mps2(s[:, :3]), axis=-1)
    t_fall = (vu + np.sqrt(vu * vu + 2.0 * g * np.maximum(h, 0.0))) / g
    dt = np.maximum(t_fall / n_steps, 1e-3)[:, None]
    dist = np.linalg.norm(s[:, None, :3] - assets, axis=-1)
    t_keep = np.where(dist <= ko, 0.0, t_keep)
    done = h <= 0.0
    impact[done] = s[done, :3]
    t_imp[done] = 0.0
    a = np.flatnonzero(~done)
    sa, da, ta, dta = s[a], dist[a], np.zeros(a.size), dt[a]
    for _ in range(int(np.ceil(max_steps_factor * n_steps))):
        if a.size == 0:
            break
        k1 = _b_deriv(sa)
        k2 = _b_deriv(sa + 0.5 * dta * k1)
        k3 = _b_deriv(sa + 0.5 * dta * k2)
        k4 = _b_deriv(sa + dta * k3)
        s1 = sa + dta / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        hit = b_altitude_m(s1[:, :3]) <= 0.0
        d1 = np.linalg.norm(s1[:, None, :3] - assets, axis=-1)
        enter = np.isnan(t_keep[a]) & (d1 <= ko)
        if enter.any():
            frac = np.clip((da - ko) / np.where(da > d1, da - d1, 1.0), 0.0, 1.0)
            t_keep[a] = np.where(enter, ta[:, None] + frac * dta, t_keep[a])
        if hit.any():
            pi, ti = _b_hermite_ground_crossing(
                sa[hit], s1[hit], k1[hit], _b_deriv(s1[hit]), dta[hit]
            )
            impact[a[hit]] = pi
            t_imp[a[hit]] = ta[hit] + ti
        go = ~hit
        a, sa, da, ta, dta = a[go], s1[go], d1[go], (ta + dta[:, 0])[go], dta[go]
    t_keep = np.where(t_keep > t_imp[:, None], np.nan, t_keep)
    return impact, t_imp, t_keep


def _b_hermite_ground_crossing(
    s0: FloatArray, s1: FloatArray, d0: FloatArray, d1: FloatArray, dt: FloatArray
) -> tuple[FloatArray, FloatArray]:
    p0, p1 = s0[:, :3], s1[:, :3]
    m0, m1 = d0[:, :3] * dt, d1[:, :3] * dt

    def arc(u: FloatArray) -> FloatArray:
        uu = u[:, None]
        h00 = 2 * uu**3 - 3 * uu**2 + 1
        h10 = uu**3 - 2 * uu**2 + uu
        h01 = -2 * uu**3 + 3 * uu**2
        h11 = uu**3 - uu**2
        return h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1

    lo = np.zeros(p0.shape[0])
    hi = np.ones(p0.shape[0])
    for _ in range(40):
        u = 0.5 * (lo + hi)
        above = b_altitude_m(arc(u)) > 0.0
        lo = np.where(above, u, lo)
        hi = np.where(above, hi, u)
    u = 0.5 * (lo + hi)
    return arc(u), u * dt[:, 0]


def b_evaluate_threats(
    x: ArrayLike, valid: ArrayLike, asset_pos: ArrayLike, asset_radius_m: ArrayLike,
    asset_value: ArrayLike, keep_out_m: ArrayLike, margin_m: float = 2000.0,
    ballistic_margin_m: float = 0.0, horizontal: bool = True,
    ballistic_speed_mps: float = 1000.0, ballistic_altitude_m: float = 20_000.0,
    ballistic_path_angle_rad: float = np.deg2rad(10.0), n_steps: int = 24,
) -> ThreatPicture:
    s = np.asarray(x, dtype=np.float64)
    ok = np.asarray(valid, dtype=bool)
    ap = np.asarray(asset_pos, dtype=np.float64).reshape(-1, 3)
    A = ap.shape[0]
    radius = np.broadcast_to(np.asarray(asset_radius_m, dtype=np.float64), (A,))
    val = np.broadcast_to(np.asarray(asset_value, dtype=np.float64), (A,))
    ko = np.broadcast_to(np.asarray(keep_out_m, dtype=np.float64), (A,))
    lead = s.shape[:-1]
    ballistic = (
        b_classify_ballistic(
            s, ballistic_speed_mps, ballistic_altitude_m, ballistic_path_angle_rad
        )
        & ok
    )
    axes = slice(0, 2) if horizontal else slice(0, 3)
    r = s[..., None, axes] - ap[:, axes]
    v = np.broadcast_to(s[..., None, 3:][..., axes], r.shape)
    vv = np.sum(v * v, axis=-1)
    rv = np.sum(r * v, axis=-1)
    rr = np.sum(r * r, axis=-1)
    t_cpa = np.where(vv > 0.0, np.maximum(-rv / np.where(vv > 0.0, vv, 1.0), 0.0), 0.0)
    miss = np.sqrt(np.maximum(rr + 2.0 * rv * t_cpa + vv * t_cpa**2, 0.0))
    c = rr - ko**2
    disc = rv**2 - vv * c
    reaches = (c > 0.0) & (rv < 0.0) & (disc >= 0.0)
    t_enter = np.where(reaches, c / np.where(reaches, -rv + np.sqrt(np.abs(disc)), 1.0), t_cpa)
    t_go = np.where(c <= 0.0, 0.0, t_enter)
    cpa_point = s[..., None, :3] + s[..., None, 3:] * t_cpa[..., None]
    tol = radius + margin_m
    if ballistic.any():
        idx = np.nonzero(ballistic)
        imp, t_imp, t_keep = b_predict_ballistic_impact(s[idx], ap, ko, n_steps=n_steps)
        b_miss = b_ground_range_m(imp[:, None, :], ap)
        b_miss = np.where(np.isfinite(b_miss), b_miss, np.inf)
        miss[idx] = b_miss
        t_cpa[idx] = t_imp[:, None]
        t_go[idx] = np.where(np.isnan(t_keep), t_imp[:, None], t_keep)
        cpa_point[idx] = imp[:, None, :]
        tol = np.where(ballistic[..., None], radius + ballistic_margin_m, tol)
    tol = np.broadcast_to(tol, miss.shape)
    norm_miss = miss / np.maximum(tol, 1.0)
    threat = (miss <= tol) & ok[..., None]
    score = np.where(threat, norm_miss, np.inf)
    if A:
        best = np.argmin(score, axis=-1)
        nearest = np.argmin(np.where(np.isnan(norm_miss), np.inf, norm_miss), axis=-1)
        any_threat = np.take_along_axis(threat, best[..., None], -1)[..., 0]
        pick = np.where(any_threat, best, nearest)
    else:
        any_threat = np.zeros(lead, dtype=bool)
        pick = np.zeros(lead, dtype=np.int64)

    def take(a: FloatArray) -> FloatArray:
        if not A:
            return np.full(lead, np.inf)
        return np.take_along_axis(a, pick[..., None], -1)[..., 0]

    asset = np.where(any_threat, pick, -1).astype(np.int64)
    miss_k = np.where(ok, take(miss), np.inf)
    t_cpa_k = np.where(ok, take(t_cpa), np.inf)
    t_go_k = np.where(any_threat, take(t_go), np.inf)
    if A:
        point = np.take_along_axis(cpa_point, pick[..., None, None], -2)[..., 0, :]
    else:
        point = np.full(lead + (3,), np.nan)
    point = np.where(ok[..., None], point, np.nan)
    value = np.where(any_threat, val[pick] if A else 0.0, 0.0)
    return ThreatPicture(
        asset=asset, t_go_s=t_go_k, t_cpa_s=t_cpa_k, miss_m=miss_k, impact_point=point,
        value=value, ballistic=ballistic,
    )


# ---------------------------------------------------------------------------------------------
# The synthetic case
# ---------------------------------------------------------------------------------------------

_ALTITUDES_M = np.array(
    [5.0, 50.0, 200.0, 500.0, 1000.0, 2000.0, 4000.0, 7000.0, 10000.0, 14000.0, 19000.0,
     25000.0, 31000.0]
)


@dataclass
class Battalion:
    """Fire units, missile types and defended assets of the benchmark."""

    launcher_pos: FloatArray
    delay_s: FloatArray
    radar_pos: FloatArray
    radar_range_m: FloatArray
    flyout: list[FlyoutTable]
    min_altitude_m: FloatArray
    max_altitude_m: FloatArray
    max_range_m: FloatArray
    min_range_m: FloatArray
    asset_pos: FloatArray
    asset_radius_m: FloatArray
    asset_value: FloatArray
    keep_out_m: float


def synthetic_table(max_range_m: float, v_max: float, ceiling_m: float) -> FlyoutTable:
    """A fly-out table on 48 ranges x 13 altitudes: boost to ``v_max``, then drag decay.

    Time of flight over the slant distance d with a 3 s boost and speed decaying as
    exp(-t / tau); unreachable (NaN) beyond the kinematic range, above the ceiling (lower at
    long range) and for very low points at the longest ranges.
    """
    xr = np.linspace(1000.0, 1.15 * max_range_m, 48)
    X, Y = np.meshgrid(xr, _ALTITUDES_M, indexing="ij")
    d = np.hypot(X, Y)
    tau = 1.2 * max_range_m / v_max
    # distance flown by time t: v_max t^2 / 6 during the boost (3 s), then
    # d_boost + v_max tau (1 - exp(-(t - 3) / tau))
    d_boost = 1.5 * v_max
    frac = np.clip((d - d_boost) / (v_max * tau), -1.0, 0.999)
    t = np.where(d <= d_boost, np.sqrt(2.0 * d * 3.0 / v_max), 3.0 - tau * np.log1p(-frac))
    spd = np.where(d <= d_boost, v_max * t / 3.0, v_max * np.exp(-(t - 3.0) / tau))
    bad = (d > 1.05 * max_range_m) | (Y > ceiling_m * (1.0 - 0.4 * X / xr[-1]))
    bad |= (Y < 60.0) & (X > 0.9 * max_range_m)
    t = np.where(bad, np.nan, t)
    spd = np.where(bad, np.nan, spd)
    return FlyoutTable(
        RegularGridTable(xr, _ALTITUDES_M, t), RegularGridTable(xr, _ALTITUDES_M, spd)
    )


def synthetic_battalion() -> Battalion:
    """Eight launchers a few km apart, four missile types (400/250/200/120 km class)."""
    rng = np.random.default_rng(7)
    launchers = map_to_enu(rng.uniform(-9e3, -3e3, 8), rng.uniform(-7e3, 0.0, 8), 0.0)
    radar = np.repeat(map_to_enu(-6e3, -3e3, 25.0)[None], 8, axis=0)
    types = [(380e3, 2000.0, 30e3), (250e3, 2000.0, 30e3), (200e3, 1900.0, 27e3),
             (120e3, 1000.0, 30e3)]
    return Battalion(
        launcher_pos=launchers,
        delay_s=np.full(8, 10.0),
        radar_pos=radar,
        radar_range_m=np.full(8, 400e3),
        flyout=[synthetic_table(*t) for t in types],
        min_altitude_m=np.array([10.0, 10.0, 10.0, 5.0]),
        max_altitude_m=np.array([30e3, 30e3, 27e3, 30e3]),
        max_range_m=np.array([t[0] for t in types]),
        min_range_m=np.array([5e3, 3e3, 3e3, 1e3]),
        asset_pos=map_to_enu(np.array([12e3, 8e3]), np.array([8e3, -18e3]), 0.0),
        asset_radius_m=np.array([2500.0, 6000.0]),
        asset_value=np.array([10.0, 8.0]),
        keep_out_m=5000.0,
    )


def demo_battalion() -> Battalion:
    """The battalion and fly-out tables of the shipped demo scenario."""
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import example_path, load_scenario

    db = load_database()
    scn = load_scenario(example_path("demo"), db)[0]
    c2 = compile_scenario(scn, db).c2
    bat = c2.launcher_battalion
    return Battalion(
        launcher_pos=c2.launcher_pos,
        delay_s=c2.reaction_time_s[bat],
        radar_pos=c2.radar_pos[bat],
        radar_range_m=c2.radar_range_m[bat],
        flyout=list(c2.flyout),
        min_altitude_m=c2.min_altitude_m,
        max_altitude_m=c2.max_altitude_m,
        max_range_m=c2.max_range_m,
        min_range_m=c2.min_range_m,
        asset_pos=c2.asset_pos,
        asset_radius_m=c2.asset_radius_m,
        asset_value=c2.asset_value,
        keep_out_m=float(np.max(c2.keep_out_m)),
    )


def tracks(n: int, centre: FloatArray, seed: int = 0) -> FloatArray:
    """``n`` hostile tracks, shape (1, n, 6): 5-300 km out, 70 % air-breathing, 30 % ballistic.

    Air-breathing: 50-1000 m/s, 10 m-15 km (log-uniform), nearly level, heading roughly at the
    battalion. Ballistic: 1000-2500 m/s, 5-30 km, diving at 17-57 degrees.
    """
    rng = np.random.default_rng(seed)
    s = rng.uniform(5e3, 300e3, n)
    brg = rng.uniform(0.0, 2.0 * np.pi, n)
    bal = rng.random(n) < 0.3
    alt = np.where(
        bal, rng.uniform(5e3, 30e3, n), np.exp(rng.uniform(np.log(10.0), np.log(15e3), n))
    )
    pos = map_to_enu(centre[0] + s * np.sin(brg), centre[1] + s * np.cos(brg), alt)
    spd = np.where(bal, rng.uniform(1000.0, 2500.0, n), rng.uniform(50.0, 1000.0, n))
    hd = brg + np.pi + rng.normal(0.0, 0.4, n)
    gam = np.where(bal, -rng.uniform(0.3, 1.0, n), rng.normal(0.0, 0.03, n))
    vel = np.stack(
        [spd * np.cos(gam) * np.sin(hd), spd * np.cos(gam) * np.cos(hd), spd * np.sin(gam)], -1
    )
    return np.concatenate([pos, vel], -1)[None]


# ---------------------------------------------------------------------------------------------
# Timing and comparison
# ---------------------------------------------------------------------------------------------


def _median_times(
    fns: dict[str, Callable[[], Any]], repeats: int, min_time_s: float = 0.05
) -> dict[str, float]:
    """Median seconds per call of each function, repeats interleaved (shared noisy machine)."""
    loops = {}
    for name, fn in fns.items():
        fn()  # warm up (caches, lazily built tables)
        t0 = time.perf_counter()
        fn()
        once = time.perf_counter() - t0
        loops[name] = max(1, int(min_time_s / max(once, 1e-7)))
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            n = loops[name]
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            samples[name].append((time.perf_counter() - t0) / n)
    return {name: statistics.median(v) for name, v in samples.items()}


def _max_rel(a: Any, b: Any, mask: Any = None, vector: bool = False) -> float:
    """Largest relative difference ``|a - b| / max(|b|, 1)`` over finite pairs.

    NaN and inf must agree (else ``inf``). With ``vector``, the last axis is a vector and the
    difference is the norm of the vector difference over the norm of ``b``.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if mask is not None:
        a, b = a[mask], b[mask]
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    finite = np.isfinite(a) & np.isfinite(b)
    if not np.all(finite | same):
        return float("inf")
    if vector:
        ok = np.all(finite, axis=-1)
        num = np.linalg.norm(a[ok] - b[ok], axis=-1)
        den = np.maximum(np.linalg.norm(b[ok], axis=-1), 1.0)
    else:
        num, den = np.abs(a[finite] - b[finite]), np.maximum(np.abs(b[finite]), 1.0)
    return float(np.max(num / den)) if num.size else 0.0


def compare_engageability(new: Engageability, old: Engageability) -> dict[str, Any]:
    """Differences between two engageability results (new against baseline)."""
    both = new.converged & old.converged
    return {
        "cases": int(new.reason.size),
        "reason_mismatch": int(np.count_nonzero(new.reason != old.reason)),
        "feasible_mismatch": int(np.count_nonzero(new.feasible != old.feasible)),
        "converged_mismatch": int(np.count_nonzero(new.converged != old.converged)),
        "t_intercept_max_rel": _max_rel(new.t_intercept_s, old.t_intercept_s, both),
        "pip_max_rel": _max_rel(new.pip, old.pip, both, vector=True),
        # the baseline also reports a speed where the iteration did not converge
        "speed_max_rel": _max_rel(new.missile_speed_mps, old.missile_speed_mps, both),
    }


def compare_threats(new: ThreatPicture, old: ThreatPicture) -> dict[str, Any]:
    """Differences between two threat pictures (new against baseline)."""
    return {
        "asset_mismatch": int(np.count_nonzero(new.asset != old.asset)),
        "ballistic_mismatch": int(np.count_nonzero(new.ballistic != old.ballistic)),
        "t_go_max_rel": _max_rel(new.t_go_s, old.t_go_s),
        "t_cpa_max_rel": _max_rel(new.t_cpa_s, old.t_cpa_s),
        "miss_max_rel": _max_rel(new.miss_m, old.miss_m),
        "impact_point_max_rel": _max_rel(new.impact_point, old.impact_point, vector=True),
        "value_max_rel": _max_rel(new.value, old.value),
    }


def _bench_intercept(bat: Battalion, n: int, repeats: int) -> dict[str, Any]:
    """intercept_solutions on ``n`` tracks against all fire units and missile types."""
    x = tracks(n, bat.launcher_pos.mean(axis=0), seed=n)
    args: dict[str, Any] = dict(
        x=x, launcher_pos=bat.launcher_pos, launch_delay_s=bat.delay_s, flyout=bat.flyout,
        min_altitude_m=bat.min_altitude_m, max_altitude_m=bat.max_altitude_m,
        max_range_m=bat.max_range_m, min_range_m=bat.min_range_m,
        t_go_s=np.full((1, n), 300.0), engagement_radar_pos=bat.radar_pos,
        engagement_radar_range_m=bat.radar_range_m,
    )
    t = _median_times(
        {"optimised": partial(intercept_solutions, **args),
         "baseline": partial(b_intercept_solutions, **args)},
        repeats,
    )
    new = intercept_solutions(**args)
    old = b_intercept_solutions(**args)
    return {
        "n_tracks": n, "fire_units": int(bat.launcher_pos.shape[0]),
        "missile_types": len(bat.flyout), "optimised_s": t["optimised"],
        "baseline_s": t["baseline"], "speedup": t["baseline"] / t["optimised"],
        "feasible_fraction": float(old.feasible.mean()),
        "converged_fraction": float(old.converged.mean()),
        "diff": compare_engageability(new, old),
    }


def _bench_threats(bat: Battalion, n: int, repeats: int) -> dict[str, Any]:
    """evaluate_threats on ``n`` tracks against the assets."""
    x = tracks(n, bat.launcher_pos.mean(axis=0), seed=10_000 + n)
    args = (x, np.ones((1, n), bool), bat.asset_pos, bat.asset_radius_m, bat.asset_value,
            bat.keep_out_m)
    t = _median_times(
        {"optimised": partial(evaluate_threats, *args),
         "baseline": partial(b_evaluate_threats, *args)},
        repeats,
    )
    new = evaluate_threats(*args)
    old = b_evaluate_threats(*args)
    return {
        "n_tracks": n, "optimised_s": t["optimised"], "baseline_s": t["baseline"],
        "speedup": t["baseline"] / t["optimised"],
        "ballistic_fraction": float(old.ballistic.mean()),
        "diff": compare_threats(new, old),
    }


_EARTH: list[tuple[str, Callable[..., Any], Callable[..., Any], int]] = [
    ("ground_range_m", earth.ground_range_m, b_ground_range_m, 2),
    ("altitude_m", earth.altitude_m, b_altitude_m, 1),
    ("above_radar_horizon", earth.above_radar_horizon, b_above_radar_horizon, 2),
    ("up_unit", earth.up_unit, b_up_unit, 1),
    ("gravity_mps2", earth.gravity_mps2, b_gravity_mps2, 1),
    ("local_aer", earth.local_aer, b_local_aer, 2),
]


def _bench_earth(shape: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    """The Earth helpers on random points of the given shape (..., 3)."""
    rng = np.random.default_rng(3)
    scale = np.array([1.0, 1.0, 0.03])
    pts = (rng.uniform(-3e5, 3e5, shape) * scale, rng.uniform(-3e5, 3e5, shape) * scale)
    out = []
    for name, fast, slow, n_args in _EARTH:
        args = pts[:n_args]
        t = _median_times(
            {"optimised": partial(fast, *args), "baseline": partial(slow, *args)},
            repeats, min_time_s=0.02,
        )
        out.append({
            "function": name, "shape": list(shape), "optimised_s": t["optimised"],
            "baseline_s": t["baseline"], "speedup": t["baseline"] / t["optimised"],
            "max_rel_diff": _max_rel(fast(*args), slow(*args)),
        })
    return out


def bench(repeats: int, quick: bool, real: bool) -> dict[str, Any]:
    """Run every benchmark; return the JSON-ready results."""
    bat = demo_battalion() if real else synthetic_battalion()
    sizes_eng = [100, 1000] if quick else [100, 500, 1000, 2000]
    sizes_eval = [200, 4000] if quick else [200, 1000, 4000]
    return {
        "machine": {"python": platform.python_version(), "numpy": np.__version__,
                    "processor": platform.machine(), "cpus": os.cpu_count()},
        "repeats": repeats,
        "timing": "median seconds per call; optimised and baseline interleaved",
        "tables": "demo scenario" if real else "synthetic 48 ranges x 13 altitudes",
        "intercept_solutions": [_bench_intercept(bat, n, repeats) for n in sizes_eng],
        "evaluate_threats": [_bench_threats(bat, n, repeats) for n in sizes_eval],
        "earth": [r for shape in [(3,), (1000, 3), (50, 200, 3)]
                  for r in _bench_earth(shape, repeats)],
    }


def main() -> None:
    """Parse the options, run, print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7, help="timed repeats (medians), >= 5")
    ap.add_argument("--quick", action="store_true", help="fewer sizes")
    ap.add_argument("--real", action="store_true", help="demo scenario's fly-out tables")
    opts = ap.parse_args()
    print(json.dumps(bench(max(opts.repeats, 1), opts.quick, opts.real), indent=2))


if __name__ == "__main__":
    main()

"""Threat evaluation: which defended asset each track threatens, how soon and how much.

The command post sees only track states ``x`` (R, K, 6) = ``[e, n, u, ve, vn, vu]`` in the
engine ENU frame. Each valid track is classified as air-breathing or ballistic and its path is
predicted:

* Air-breathing: a straight line at constant velocity. The closest point of approach (CPA) to
  each asset is computed in the local horizontal plane by default (an aircraft overflying an
  asset threatens it at any altitude), or in 3-D. The track threatens an asset when the CPA
  distance is at most ``asset_radius_m + margin_m``.
* Ballistic: the track follows its vacuum orbit under central gravity
  (:func:`triumf.core.earth.gravity_mps2`) on the spherical Earth until altitude 0, sampled
  at a per-track step of 1/``n_steps`` of the flat-Earth fall time (cubic-Hermite root in the
  last step), batched over all ballistic tracks. The samples come from Kepler's equation
  (exact), or from RK4 integration for large batches and non-elliptic orbits (the two agree
  to about 1e-13 relative on descending tracks, 1e-8 on long lofted arcs). There is no
  drag, so the prediction overshoots for low re-entry; Earth curvature and the decrease of
  gravity with height are included. The track threatens an asset when the predicted impact
  point lies within ``asset_radius_m + ballistic_margin_m`` of it (great-circle distance).

Classification rule (estimates [E], parameters): a track is ballistic when its speed exceeds
``ballistic_speed_mps`` (1000 m/s: faster than aircraft and cruise missiles, including
BrahMos-class at Mach 2.8), or when it flies above ``ballistic_altitude_m`` (20 km) on a steep
path, ``|flight-path angle| >= ballistic_path_angle_rad`` (10 deg), climbing or descending.

Where several assets are threatened, the track is assigned to its most likely aim point: the
asset with the smallest normalised miss ``miss / (radius + margin)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.c2.base import ThreatPicture
from triumf.core.earth import (
    EARTH_RADIUS_M,
    MU_EARTH_M3PS2,
    altitude_m,
    gravity_mps2,
    ground_range_m,
    up_unit,
)
from triumf.core.fixed_order import dot_first

__all__ = ["evaluate_threats", "classify_ballistic", "predict_ballistic_impact"]

FloatArray = NDArray[np.float64]


def classify_ballistic(
    x: ArrayLike,
    ballistic_speed_mps: float = 1000.0,
    ballistic_altitude_m: float = 20_000.0,
    ballistic_path_angle_rad: float = np.deg2rad(10.0),
) -> NDArray[np.bool_]:
    """Whether a track is ballistic (see the module notes for the rule).

    Parameters
    ----------
    x : array_like, shape (..., 6)
        Track state ``[e, n, u, ve, vn, vu]``, metres and m/s, engine ENU.
    ballistic_speed_mps : float, m/s
    ballistic_altitude_m : float, metres
    ballistic_path_angle_rad : float, radians

    Returns
    -------
    ndarray of bool, shape (...)
    """
    s = np.asarray(x, dtype=np.float64)
    pos, vel = s[..., :3], s[..., 3:]
    speed = np.linalg.norm(vel, axis=-1)
    vertical = np.sum(vel * up_unit(pos), axis=-1)
    # |sin(gamma)| >= sin(gamma_min), written without dividing by the speed
    steep = np.abs(vertical) >= np.sin(ballistic_path_angle_rad) * speed
    high = altitude_m(pos) > ballistic_altitude_m
    return np.asarray((speed > ballistic_speed_mps) | (high & steep & (speed > 0.0)))


def _deriv(s: FloatArray, out: FloatArray, rn2: FloatArray | None = None) -> FloatArray:
    """Vacuum ballistic derivative ``[v, -mu r / |r|^3]`` of geocentric states as rows (6, N).

    ``s`` rows are ``r = p + R z_hat`` and ``v``; ``rn2`` is ``|r|^2`` if already known.
    """
    np.copyto(out[:3], s[3:])
    if rn2 is None:
        rn2 = dot_first(s[:3], s[:3])
    k = np.sqrt(rn2)
    k *= rn2
    np.divide(-MU_EARTH_M3PS2, k, out=k)
    np.multiply(s[:3], k, out=out[3:])
    return out


def _enu_deriv(p: FloatArray, v: FloatArray) -> FloatArray:
    """Derivative ``[v, g(p)]`` of engine-frame positions and velocities as rows, (6, M)."""
    return np.concatenate([v, gravity_mps2(p.T).T])


class _Kepler:
    """Vacuum central-gravity (Kepler) orbits through states ``(p0, v0)``, sampled at times.

    Parameters
    ----------
    p0, v0 : ndarray, shape (3, n)
        Engine-frame positions (m) and velocities (m/s) at time 0, as rows.
    t : ndarray, shape (n, K), seconds

    Attributes
    ----------
    p : ndarray, shape (3, n, K)
        Positions at the times ``t``; :meth:`velocity` gives velocities where needed.
    ok : ndarray of bool, shape (n,)
        The orbit is an ellipse and Kepler's equation was solved.

    Notes
    -----
    Lagrange's f and g in the eccentric-anomaly difference ``dE`` (Battin 1999, ch. 4):
    ``sqrt(mu) t = a^1.5 (dE - sin dE) + sigma0 a (1 - cos dE) + r0 sqrt(a) sin dE`` with
    ``1/a = 2/r0 - v0^2/mu`` and ``sigma0 = r0 . v0 / sqrt(mu)``, solved by Newton's method
    (the derivative is ``sqrt(a) r > 0``); then ``r = f r0 + g v0``, ``v = f' r0 + g' v0``.
    ``1 - cos dE`` is taken as ``sin^2 dE / (1 + cos dE)`` where ``cos dE >= 0``, and the
    position is kept in the engine frame as ``p = p0 + (f - 1) r0 + g v0``, so that nothing
    cancels. Exact, where RK4 has a truncation error: at the step of
    :func:`predict_ballistic_impact` the two agree to about 1e-13 on a descending track and
    1e-8 on a long lofted arc (25 s steps).
    """

    def __init__(self, p0: FloatArray, v0: FloatArray, t: FloatArray) -> None:
        mu = MU_EARTH_M3PS2
        r0v = p0 + np.array([[0.0], [0.0], [EARTH_RADIUS_M]])
        r0 = np.sqrt(dot_first(r0v, r0v))
        v2 = dot_first(v0, v0)
        inv_a = 2.0 / r0 - v2 / mu
        ellipse = inv_a > 0.0
        a = 1.0 / np.where(ellipse, inv_a, 1.0)
        sqa = np.sqrt(a)
        smu = np.sqrt(mu)
        sigma = dot_first(r0v, v0) / smu
        c1 = (a * sqa)[:, None]
        c2 = (sigma * a)[:, None]
        c3 = (r0 * sqa)[:, None]
        target = smu * t
        dE = target / c3  # first order
        small = np.zeros(dE.shape, dtype=bool)
        # an element stops at its own convergence (its last sin, cos and step are kept), not
        # when the whole batch has converged: its result does not depend on the other elements
        sn = cs = step = np.zeros(dE.shape)
        for _ in range(50):
            sn_i, cs_i = np.sin(dE), np.cos(dE)
            omc = 1.0 - cs_i
            step_i = c1 * (dE - sn_i)
            step_i += c2 * omc
            step_i += c3 * sn_i
            step_i -= target
            step_i /= c1 * omc + c2 * sn_i + c3 * cs_i
            sn, cs = np.where(small, sn, sn_i), np.where(small, cs, cs_i)
            step = np.where(small, step, step_i)
            dE = np.where(small, dE, dE - step_i)
            # Newton's error after a step is about (F'' / 2 F') step^2, F'' / F' = O(1) here:
            # a step below 1e-8 leaves an error below 1e-16
            small |= np.abs(step) <= 1e-8 * np.maximum(np.abs(dE), 1.0)
            if small[ellipse].all():
                break
        self.ok = ellipse & np.all(small, axis=1)
        # sin and cos at the final iterate, rotated from the last ones by the last step
        sn, cs = sn - cs * step, cs + sn * step
        # 1 - cos dE without cancellation on either side of pi / 2
        omc = np.where(cs >= 0.0, sn * sn / (1.0 + np.abs(cs)), 1.0 - cs)
        self._r = r0[:, None] - (r0 - a)[:, None] * omc + (sigma * sqa)[:, None] * sn
        self._sn, self._omc = sn, omc
        self._a, self._r0, self._k = a, r0, smu * sqa
        fm1 = -(a / r0)[:, None] * omc  # f - 1
        g = (c2 * omc + c3 * sn) / smu
        self.p = p0[:, :, None] + fm1 * r0v[:, :, None] + g * v0[:, :, None]
        self._r0v, self._v0 = r0v, v0

    def velocity(self, i: NDArray[np.intp], k: NDArray[np.intp]) -> FloatArray:
        """Velocities (3, M) of orbits ``i`` at samples ``k``: ``v = v0 + f' r0 + (g' - 1) v0``."""
        sn, omc, r = self._sn[i, k], self._omc[i, k], self._r[i, k]
        fdot = -self._k[i] * sn / (r * self._r0[i])
        gm1 = -(self._a[i] / r) * omc
        return self._v0[:, i] + fdot * self._r0v[:, i] + gm1 * self._v0[:, i]


# steps propagated per batch by the Kepler path (a track usually lands within 26)
_KEPLER_CHUNK = 32
# tracks per block of the Kepler path (a few dozen array operations per block)
_KEPLER_MAX_TRACKS = 384


def predict_ballistic_impact(
    x: ArrayLike,
    asset_pos: ArrayLike | None = None,
    keep_out_m: ArrayLike = 0.0,
    n_steps: int = 24,
    max_steps_factor: float = 4.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Vacuum impact point under central gravity, and keep-out entry times, batched.

    Parameters
    ----------
    x : array_like, shape (N, 6)
        Track states, metres and m/s, engine ENU.
    asset_pos : array_like, shape (A, 3), metres, engine ENU, optional
        Assets for the keep-out entry times.
    keep_out_m : float or array_like, shape (A,), metres
        Keep-out distance (3-D) around each asset.
    n_steps : int
        Steps per flat-Earth fall time ``(vu + sqrt(vu^2 + 2 g h)) / g``.
    max_steps_factor : float
        Give up (NaN impact) after ``max_steps_factor * n_steps`` steps.

    Returns
    -------
    impact : ndarray, shape (N, 3), metres, engine ENU
        Point where the trajectory reaches altitude 0; NaN if it does not within the step limit.
        A track already at or below altitude 0 impacts where it is.
    t_impact_s : ndarray, shape (N,), seconds from now
    t_keep_out_s : ndarray, shape (N, A), seconds from now
        First time the trajectory is within ``keep_out_m`` of each asset (0 if already);
        NaN if it never is before impact.

    Notes
    -----
    The trajectory is sampled at a fixed step per track: the impact lies on the cubic Hermite
    arc between the last two samples, a keep-out entry is interpolated linearly in distance
    within its step. The samples of an elliptic orbit (every sub-orbital track) come from
    Kepler's equation (:class:`_Kepler`), all steps at once, in blocks of
    ``_KEPLER_MAX_TRACKS`` tracks (the method never depends on the batch size, so replications
    do not interact); other orbits are integrated by RK4, step by step. The
    two agree to about 1e-13 relative on descending tracks and 1e-8 on long lofted arcs
    (RK4's truncation error).
    """
    s = np.array(x, dtype=np.float64).reshape(-1, 6)
    N = s.shape[0]
    assets = np.zeros((0, 3)) if asset_pos is None else np.asarray(asset_pos, np.float64)
    A = assets.shape[0]
    ko = np.broadcast_to(np.asarray(keep_out_m, dtype=np.float64), (A,))
    impact = np.full((N, 3), np.nan)
    t_imp = np.full(N, np.nan)
    if N == 0:
        return impact, t_imp, np.full((N, A), np.nan)

    h = altitude_m(s[:, :3])
    up = up_unit(s[:, :3])
    vu = np.sum(s[:, 3:] * up, axis=-1)
    g = np.linalg.norm(gravity_mps2(s[:, :3]), axis=-1)
    t_fall = (vu + np.sqrt(vu * vu + 2.0 * g * np.maximum(h, 0.0))) / g
    dt = np.maximum(t_fall / n_steps, 1e-3)
    # asset-major (A, N) inside: NumPy loops are slow over a short last axis
    dist = _distance(s[:, 0], s[:, 1], s[:, 2], assets)
    t_keep = np.where(dist <= ko[:, None], 0.0, np.nan)
    done = h <= 0.0
    impact[done] = s[done, :3]
    t_imp[done] = 0.0
    max_steps = int(np.ceil(max_steps_factor * n_steps))
    fly = np.flatnonzero(~done)
    if fly.size and max_steps > 0:
        # Kepler for every elliptic track, in blocks, so that a track's prediction does not
        # depend on how many others share the batch (replications must not interact)
        parts = [
            _kepler_impact(s, fly[i:i + _KEPLER_MAX_TRACKS], dt, dist, assets, ko, max_steps,
                           impact, t_imp, t_keep)
            for i in range(0, fly.size, _KEPLER_MAX_TRACKS)
        ]
        rest = np.concatenate(parts)
        if rest.size:
            _rk4_impact(s, rest, dt, dist, assets, ko, max_steps, impact, t_imp, t_keep)
    # a keep-out entry found in the impact step may fall after the impact
    t_keep = np.where(t_keep > t_imp, np.nan, t_keep)
    return impact, t_imp, np.ascontiguousarray(t_keep.T)


def _distance(x: FloatArray, y: FloatArray, z: FloatArray, assets: FloatArray) -> FloatArray:
    """Distance from points (components of shape (...)) to every asset, shape (A, ...)."""
    extra = (None,) * np.ndim(x)
    dx = x - assets[(slice(None), 0, *extra)]
    dy = y - assets[(slice(None), 1, *extra)]
    dz = z - assets[(slice(None), 2, *extra)]
    return np.sqrt(dx * dx + dy * dy + dz * dz)


def _kepler_impact(
    s: FloatArray,
    fly: NDArray[np.intp],
    dt: FloatArray,
    dist: FloatArray,
    assets: FloatArray,
    ko: FloatArray,
    max_steps: int,
    impact: FloatArray,
    t_imp: FloatArray,
    t_keep: FloatArray,
) -> NDArray[np.intp]:
    """Sample the tracks ``fly`` on their Kepler orbits; fill the outputs in place.

    ``dist`` and ``t_keep`` are asset-major, (A, N). Returns the tracks whose orbit is not an
    ellipse (left for :func:`_rk4_impact`).
    """
    p0 = s[fly, :3].T.copy()
    v0 = s[fly, 3:].T.copy()
    n, A = fly.size, assets.shape[0]
    # the tracks still flying (local indices) and, aligned with them, the time, asset
    # distances and state of their last sample, and the keep-out distances not entered yet
    pending = np.arange(n)
    t0 = np.zeros(n)
    d_prev = dist[:, fly]
    p_prev, v_prev = p0, v0
    open_ko = np.isnan(t_keep[:, fly])
    rejected = np.zeros(n, dtype=bool)
    k_done = 0
    while pending.size and k_done < max_steps:
        K = min(_KEPLER_CHUNK, max_steps - k_done)
        m = pending.size
        dtp = dt[fly[pending]]
        # sample times as the step-by-step sum t <- t + dt (a cumulative sum, same rounding)
        steps = np.empty((m, K + 1))
        steps[:, 0] = t0
        steps[:, 1:] = dtp[:, None]
        times = np.cumsum(steps, axis=1)[:, 1:]  # (m, K)
        orbit = _Kepler(p0[:, pending], v0[:, pending], times)
        p, ok = orbit.p, orbit.ok
        # altitude <= 0: |p|^2 + 2 R p_z <= 0
        num = dot_first(p, p)
        num += 2.0 * EARTH_RADIUS_M * p[2]
        hit = num <= 0.0
        has_hit = hit.any(axis=1) & ok
        k_hit = np.where(has_hit, np.argmax(hit, axis=1), K - 1)  # last sample examined
        d = np.empty((0, m, K))
        if A:
            # keep-out entries up to the impact sample, linear in distance within the step
            d = _distance(p[0], p[1], p[2], assets)  # (A, m, K)
            upto = np.arange(K) <= k_hit[:, None]
            inside = (d <= ko[:, None, None]) & (upto & ok[:, None]) & open_ko[:, :, None]
            entered = inside.any(axis=2)  # (A, m)
            if entered.any():
                cols, rows = np.nonzero(entered)
                kk = np.argmax(inside, axis=2)[cols, rows]
                kb = np.maximum(kk - 1, 0)
                d1 = d[cols, rows, kk]
                d0 = np.where(kk > 0, d[cols, rows, kb], d_prev[cols, rows])
                ts = np.where(kk > 0, times[rows, kb], t0[rows])
                frac = np.clip((d0 - ko[cols]) / np.where(d0 > d1, d0 - d1, 1.0), 0.0, 1.0)
                t_keep[cols, fly[pending[rows]]] = ts + frac * dtp[rows]
                open_ko[cols, rows] = False
        if has_hit.any():
            # impact on the Hermite arc between the last sample above ground and the first below
            hi = np.flatnonzero(has_hit)
            kh = k_hit[hi]
            first = kh == 0
            kb = np.maximum(kh - 1, 0)
            pa = np.where(first, p_prev[:, hi], p[:, hi, kb])
            va = np.where(first, v_prev[:, hi], orbit.velocity(hi, kb))
            pb, vb = p[:, hi, kh], orbit.velocity(hi, kh)
            ts = np.where(first, t0[hi], times[hi, kb])
            pi, ti = _hermite_ground_crossing(
                np.concatenate([pa, va]),
                np.concatenate([pb, vb]),
                _enu_deriv(pa, va),
                _enu_deriv(pb, vb),
                dtp[hi],
            )
            impact[fly[pending[hi]]] = pi
            t_imp[fly[pending[hi]]] = ts + ti
        rejected[pending[~ok]] = True
        go = np.flatnonzero(~has_hit & ok)
        pending, t0, open_ko = pending[go], times[go, -1], open_ko[:, go]
        d_prev = d[:, go, -1] if A else d_prev[:, go]
        last = np.full(go.size, K - 1)
        p_prev, v_prev = p[:, go, -1], orbit.velocity(go, last)
        k_done += K
    return fly[rejected]


def _rk4_impact(
    s: FloatArray,
    fly: NDArray[np.intp],
    dt: FloatArray,
    dist: FloatArray,
    assets: FloatArray,
    ko: FloatArray,
    max_steps: int,
    impact: FloatArray,
    t_imp: FloatArray,
    t_keep: FloatArray,
) -> None:
    """Integrate the tracks ``fly`` by RK4 at their steps; fill the outputs in place.

    ``dist`` and ``t_keep`` are asset-major, (A, N).
    """
    geo_assets = assets + np.array([0.0, 0.0, EARTH_RADIUS_M])

    def distance(st: FloatArray) -> FloatArray:
        """Distance of geocentric states as rows (6, n) to every asset, (A, n)."""
        return _distance(st[0], st[1], st[2], geo_assets)

    # states as rows (6, n), geocentric (z + R) so that gravity and the ground test need no
    # offset; open_ko: keep-out distances not entered yet, (A, n)
    a = fly
    sa = s[a].T.copy()
    sa[2] += EARTH_RADIUS_M
    da, ta, dta = dist[:, a], np.zeros(a.size), dt[a]
    open_ko = np.isnan(t_keep[:, a])
    rr = EARTH_RADIUS_M * EARTH_RADIUS_M
    rn2 = dot_first(sa[:3], sa[:3])
    k1, k2, k3, k4, s1 = (np.empty_like(sa) for _ in range(5))
    half, sixth = 0.5 * dta, dta / 6.0
    for _ in range(max_steps):
        if a.size == 0:
            break
        # s1 = s + dt/6 (k1 + 2 k2 + 2 k3 + k4)
        _deriv(sa, k1, rn2)
        np.multiply(k1, half, out=s1)
        s1 += sa
        _deriv(s1, k2)
        np.multiply(k2, half, out=s1)
        s1 += sa
        _deriv(s1, k3)
        np.multiply(k3, dta, out=s1)
        s1 += sa
        _deriv(s1, k4)
        k2 += k3
        k2 *= 2.0
        k2 += k1
        k2 += k4
        k2 *= sixth
        np.add(sa, k2, out=s1)
        rn2 = dot_first(s1[:3], s1[:3])
        hit = rn2 <= rr  # altitude <= 0
        d1 = distance(s1)
        enter = open_ko & (d1 <= ko[:, None])
        if enter.any():
            kcol = ko[:, None]
            frac = np.clip((da - kcol) / np.where(da > d1, da - d1, 1.0), 0.0, 1.0)
            ea, et = np.nonzero(enter)
            t_keep[ea, a[et]] = ta[et] + frac[ea, et] * dta[et]
            open_ko &= ~enter
        if hit.any():
            hi = np.flatnonzero(hit)
            s0h, s1h = sa[:, hi], s1[:, hi]
            d1h = _deriv(s1h, np.empty_like(s1h), rn2[hi])
            s0h[2] -= EARTH_RADIUS_M  # back to the engine frame
            s1h[2] -= EARTH_RADIUS_M
            pi, ti = _hermite_ground_crossing(s0h, s1h, k1[:, hi], d1h, dta[hi])
            impact[a[hi]] = pi
            t_imp[a[hi]] = ta[hi] + ti
            go = np.flatnonzero(~hit)
            a, da, ta, dta, rn2 = a[go], d1[:, go], (ta + dta)[go], dta[go], rn2[go]
            sa, open_ko = s1[:, go], open_ko[:, go]
            k1, k2, k3, k4, s1 = (np.empty_like(sa) for _ in range(5))
            half, sixth = 0.5 * dta, dta / 6.0
        else:
            sa, s1 = s1, sa
            da = d1
            ta += dta


# the ground crossing's position on the Hermite arc (u in [0, 1]) is found to this accuracy;
# rounding in the altitude limits it to about 1e-15
_U_TOL = 1e-13
# a Newton step below this leaves an error below _U_TOL
_U_STEP = 3e-7


def _hermite_ground_crossing(
    s0: FloatArray, s1: FloatArray, d0: FloatArray, d1: FloatArray, dt: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Root of altitude on the cubic Hermite arc between two RK4 states.

    States and derivatives are rows (6, M). Returns the crossing point (M, 3) and its time
    after ``s0`` (M,), seconds.

    Safeguarded Newton on ``h(u) = altitude(arc(u))``, ``u`` in [0, 1]: ``h(0) > 0 >= h(1)``
    brackets the root; a Newton step that leaves the bracket is replaced by bisection.
    Stops when the error is below ``_U_TOL`` (1e-13, finer than the ``2**-41`` of 40
    bisections), after a few steps.
    """
    p0, p1 = s0[:3], s1[:3]
    m0, m1 = d0[:3] * dt, d1[:3] * dt  # tangents scaled to the unit interval
    R = EARTH_RADIUS_M

    def arc(u: FloatArray, p0: FloatArray, p1: FloatArray, m0: FloatArray, m1: FloatArray
            ) -> FloatArray:
        uu = u * u
        uuu = uu * u
        h00 = 2 * uuu - 3 * uu + 1
        h10 = uuu - 2 * uu + u
        h01 = -2 * uuu + 3 * uu
        h11 = uuu - uu
        return h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1

    def height(p: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Altitude and |r| of positions as rows (3, m)."""
        x, y, z = p[0], p[1], p[2]
        h2 = x * x + y * y
        zr = z + R
        rn = np.sqrt(h2 + zr * zr)
        return (h2 + z * z + 2.0 * R * z) / (rn + R), rn

    M = p0.shape[1]
    lo = np.zeros(M)
    hi = np.ones(M)
    h_lo, _ = height(p0)
    h_hi, _ = height(p1)
    # start from the chord's root
    u = np.clip(h_lo / np.where(h_lo > h_hi, h_lo - h_hi, 1.0), 0.0, 1.0)
    idx = np.arange(M)
    out_u = np.empty(M)
    for _ in range(100):
        if idx.size == 0:
            break
        a0, a1, b0, b1 = p0[:, idx], p1[:, idx], m0[:, idx], m1[:, idx]
        ui = u
        pt = arc(ui, a0, a1, b0, b1)
        hgt, rn = height(pt)
        # d arc / du
        uu = ui * ui
        tan = (6 * uu - 6 * ui) * (a0 - a1) + (3 * uu - 4 * ui + 1) * b0 + (3 * uu - 2 * ui) * b1
        dh = (pt[0] * tan[0] + pt[1] * tan[1] + (pt[2] + R) * tan[2]) / rn
        above = hgt > 0.0
        lo[idx] = np.where(above, ui, lo[idx])
        hi[idx] = np.where(above, hi[idx], ui)
        nz = dh != 0.0
        step = np.where(nz, hgt / np.where(nz, dh, 1.0), np.inf)
        u_nt = ui - step
        l_i, h_i = lo[idx], hi[idx]
        # converged: Newton's error after a step is about (h'' / 2 h') step^2, with
        # |h'' / h'| < 1 over one step of a ballistic arc; or the bracket is below the tolerance
        fin = np.abs(step) <= _U_STEP
        bad = ~fin & ~((u_nt > l_i) & (u_nt < h_i))
        u_new = np.where(bad, 0.5 * (l_i + h_i), u_nt)
        fin |= h_i - l_i <= _U_TOL
        out_u[idx[fin]] = u_new[fin]
        keep = ~fin
        idx, u = idx[keep], u_new[keep]
    out_u[idx] = u
    pts = arc(out_u, p0, p1, m0, m1)
    return pts.T.copy(), out_u * dt


def evaluate_threats(
    x: ArrayLike,
    valid: ArrayLike,
    asset_pos: ArrayLike,
    asset_radius_m: ArrayLike,
    asset_value: ArrayLike,
    keep_out_m: ArrayLike,
    margin_m: float = 2000.0,
    ballistic_margin_m: float = 0.0,
    horizontal: bool = True,
    ballistic_speed_mps: float = 1000.0,
    ballistic_altitude_m: float = 20_000.0,
    ballistic_path_angle_rad: float = np.deg2rad(10.0),
    n_steps: int = 24,
) -> ThreatPicture:
    """Evaluate every track against every defended asset.

    Parameters
    ----------
    x : array_like, shape (R, K, 6)
        Track states ``[e, n, u, ve, vn, vu]``, metres and m/s, engine ENU.
    valid : array_like of bool, shape (R, K)
        Tracks to evaluate (e.g. confirmed and not friendly); the others get asset -1.
    asset_pos : array_like, shape (A, 3), metres, engine ENU
    asset_radius_m : array_like, shape (A,), metres
        Radius of each defended area.
    asset_value : array_like, shape (A,)
        Value of each asset (any non-negative unit).
    keep_out_m : float or array_like, shape (A,), metres
        Distance from the asset inside which the threat must already be dead (weapon release
        or debris distance). Horizontal or 3-D like the CPA for air-breathing tracks, 3-D for
        ballistic ones.
    margin_m : float, metres
        Extra CPA tolerance for air-breathing tracks (they manoeuvre) [E].
    ballistic_margin_m : float, metres
        Extra impact-point tolerance for ballistic tracks [E].
    horizontal : bool
        Air-breathing CPA in the local horizontal plane (True) or in 3-D (False).
    ballistic_speed_mps, ballistic_altitude_m, ballistic_path_angle_rad : float
        Classification thresholds, see :func:`classify_ballistic`.
    n_steps : int
        Integration steps per flat-Earth fall time of ballistic tracks.

    Returns
    -------
    ThreatPicture
        Fields of shape (R, K) (impact point (R, K, 3)); see :class:`triumf.c2.base.ThreatPicture`.
        ``t_go_s`` is the time until the track is within ``keep_out_m`` of its asset: 0 when
        already inside, the time to CPA (impact) when it never gets that close, ``inf`` when it
        threatens no asset.
    """
    s = np.asarray(x, dtype=np.float64)
    lead = s.shape[:-1]
    ok = np.broadcast_to(np.asarray(valid, dtype=bool), lead)
    ap = np.asarray(asset_pos, dtype=np.float64).reshape(-1, 3)
    A = ap.shape[0]
    radius = np.broadcast_to(np.asarray(asset_radius_m, dtype=np.float64), (A,))
    val = np.broadcast_to(np.asarray(asset_value, dtype=np.float64), (A,))
    ko = np.broadcast_to(np.asarray(keep_out_m, dtype=np.float64), (A,))

    ballistic = (
        classify_ballistic(s, ballistic_speed_mps, ballistic_altitude_m, ballistic_path_angle_rad)
        & ok
    )
    # flat over the tracks, components as contiguous rows
    st = s.reshape(-1, 6).T.copy()
    n = st.shape[1]
    okf = ok.reshape(-1)
    if A == 0:
        return ThreatPicture(
            asset=np.full(lead, -1, dtype=np.int64),
            t_go_s=np.full(lead, np.inf),
            t_cpa_s=np.full(lead, np.inf),
            miss_m=np.full(lead, np.inf),
            impact_point=np.full(lead + (3,), np.nan),
            value=np.zeros(lead),
            ballistic=ballistic,
        )

    # --- air-breathing: straight-line CPA to every asset; asset-major arrays (A, n), as NumPy
    # loops are slow over a short last axis
    dims = 2 if horizontal else 3
    r = [st[i] - ap[:, i, None] for i in range(dims)]
    v = [st[3 + i] for i in range(dims)]
    vv = v[0] * v[0] + v[1] * v[1]
    rv = r[0] * v[0] + r[1] * v[1]
    rr = r[0] * r[0] + r[1] * r[1]
    if dims == 3:
        vv += v[2] * v[2]
        rv += r[2] * v[2]
        rr += r[2] * r[2]
    moving = vv > 0.0
    t_cpa = np.where(moving, np.maximum(-rv / np.where(moving, vv, 1.0), 0.0), 0.0)
    miss = np.sqrt(np.maximum(rr + 2.0 * rv * t_cpa + vv * t_cpa**2, 0.0))
    # first root of |r + v t|^2 = keep_out^2 (approaching, r.v < 0), in the stable form
    # t = c / (-r.v + sqrt((r.v)^2 - |v|^2 c)), c = |r|^2 - keep_out^2 > 0
    c = rr - (ko**2)[:, None]
    disc = rv**2 - vv * c
    reaches = (c > 0.0) & (rv < 0.0) & (disc >= 0.0)
    t_enter = np.where(reaches, c / np.where(reaches, -rv + np.sqrt(np.abs(disc)), 1.0), t_cpa)
    t_go = np.where(c <= 0.0, 0.0, t_enter)
    tol = np.broadcast_to((radius + margin_m)[:, None], (A, n))

    # --- ballistic: integrate the tracks classified as ballistic
    bal = np.flatnonzero(ballistic.reshape(-1))
    if bal.size:
        imp, t_imp, t_keep = predict_ballistic_impact(st[:, bal].T, ap, ko, n_steps=n_steps)
        b_miss = ground_range_m(imp, ap[:, None, :])  # (A, Nb), NaN if no impact
        miss[:, bal] = np.where(np.isfinite(b_miss), b_miss, np.inf)
        t_cpa[:, bal] = t_imp
        t_go[:, bal] = np.where(np.isnan(t_keep.T), t_imp, t_keep.T)
        tol = tol.copy()
        tol[:, bal] = (radius + ballistic_margin_m)[:, None]

    norm_miss = miss / np.maximum(tol, 1.0)
    threat = (miss <= tol) & okf
    best = np.argmin(np.where(threat, norm_miss, np.inf), axis=0)
    nearest = np.argmin(np.where(np.isnan(norm_miss), np.inf, norm_miss), axis=0)
    cols = np.arange(n)
    any_threat = threat[best, cols]
    pick = np.where(any_threat, best, nearest)
    at = (pick, cols)

    asset = np.where(any_threat, pick, -1).astype(np.int64)
    miss_k = np.where(okf, miss[at], np.inf)
    t_cpa_k = t_cpa[at]
    t_go_k = np.where(any_threat, t_go[at], np.inf)
    # predicted closest approach (air-breathing) or impact point (ballistic)
    point = st[:3].T + st[3:].T * t_cpa_k[:, None]
    if bal.size:
        point[bal] = imp
    point = np.where(okf[:, None], point, np.nan)
    value = np.where(any_threat, val[pick], 0.0)
    return ThreatPicture(
        asset=asset.reshape(lead),
        t_go_s=t_go_k.reshape(lead),
        t_cpa_s=np.where(okf, t_cpa_k, np.inf).reshape(lead),
        miss_m=miss_k.reshape(lead),
        impact_point=point.reshape(lead + (3,)),
        value=value.reshape(lead),
        ballistic=ballistic,
    )

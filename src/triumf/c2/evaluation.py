"""Threat evaluation: which defended asset each track threatens, how soon and how much.

The command post sees only track states ``x`` (R, K, 6) = ``[e, n, u, ve, vn, vu]`` in the
engine ENU frame. Each valid track is classified as air-breathing or ballistic and its path is
predicted:

* Air-breathing: a straight line at constant velocity. The closest point of approach (CPA) to
  each asset is computed in the local horizontal plane by default (an aircraft overflying an
  asset threatens it at any altitude), or in 3-D. The track threatens an asset when the CPA
  distance is at most ``asset_radius_m + margin_m``.
* Ballistic: the track state is integrated in vacuum under central gravity
  (:func:`triumf.core.earth.gravity_mps2`) on the spherical Earth until altitude 0 (RK4, a
  per-track step of 1/``n_steps`` of the flat-Earth fall time, cubic-Hermite root of the last
  step), batched over all ballistic tracks. There is no drag, so the prediction overshoots
  for low re-entry; Earth curvature and the decrease of gravity with height are included.
  The track threatens an asset when the predicted impact point lies within
  ``asset_radius_m + ballistic_margin_m`` of it (great-circle distance).

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
from triumf.core.earth import altitude_m, gravity_mps2, ground_range_m, up_unit

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


def _deriv(s: FloatArray) -> FloatArray:
    """Vacuum ballistic state derivative [v, g(p)], shape (N, 6)."""
    return np.concatenate([s[:, 3:], gravity_mps2(s[:, :3])], axis=-1)


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
        RK4 steps per flat-Earth fall time ``(vu + sqrt(vu^2 + 2 g h)) / g``.
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
    """
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

    h = altitude_m(s[:, :3])
    up = up_unit(s[:, :3])
    vu = np.sum(s[:, 3:] * up, axis=-1)
    g = np.linalg.norm(gravity_mps2(s[:, :3]), axis=-1)
    t_fall = (vu + np.sqrt(vu * vu + 2.0 * g * np.maximum(h, 0.0))) / g
    dt = np.maximum(t_fall / n_steps, 1e-3)[:, None]  # (N, 1)

    dist = np.linalg.norm(s[:, None, :3] - assets, axis=-1)  # (N, A)
    t_keep = np.where(dist <= ko, 0.0, t_keep)
    done = h <= 0.0
    impact[done] = s[done, :3]
    t_imp[done] = 0.0

    # integrate only the tracks still in flight: a = their indices, the rest is compressed
    a = np.flatnonzero(~done)
    sa, da, ta, dta = s[a], dist[a], np.zeros(a.size), dt[a]
    for _ in range(int(np.ceil(max_steps_factor * n_steps))):
        if a.size == 0:
            break
        # RK4 on ds/dt = [v, g(p)]
        k1 = _deriv(sa)
        k2 = _deriv(sa + 0.5 * dta * k1)
        k3 = _deriv(sa + 0.5 * dta * k2)
        k4 = _deriv(sa + dta * k3)
        s1 = sa + dta / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        hit = altitude_m(s1[:, :3]) <= 0.0
        # keep-out entries during this step (linear in distance)
        d1 = np.linalg.norm(s1[:, None, :3] - assets, axis=-1)
        enter = np.isnan(t_keep[a]) & (d1 <= ko)
        if enter.any():
            frac = np.clip((da - ko) / np.where(da > d1, da - d1, 1.0), 0.0, 1.0)
            t_keep[a] = np.where(enter, ta[:, None] + frac * dta, t_keep[a])
        if hit.any():
            pi, ti = _hermite_ground_crossing(sa[hit], s1[hit], k1[hit], _deriv(s1[hit]), dta[hit])
            impact[a[hit]] = pi
            t_imp[a[hit]] = ta[hit] + ti
        go = ~hit
        a, sa, da, ta, dta = a[go], s1[go], d1[go], (ta + dta[:, 0])[go], dta[go]
    # a keep-out entry found in the impact step may fall after the impact
    t_keep = np.where(t_keep > t_imp[:, None], np.nan, t_keep)
    return impact, t_imp, t_keep


def _hermite_ground_crossing(
    s0: FloatArray, s1: FloatArray, d0: FloatArray, d1: FloatArray, dt: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Root of altitude on the cubic Hermite arc between two RK4 states.

    Returns the crossing point (M, 3) and its time after ``s0`` (M,), seconds.
    """
    p0, p1 = s0[:, :3], s1[:, :3]
    m0, m1 = d0[:, :3] * dt, d1[:, :3] * dt  # tangents scaled to the unit interval

    def arc(u: FloatArray) -> FloatArray:
        uu = u[:, None]
        h00 = 2 * uu**3 - 3 * uu**2 + 1
        h10 = uu**3 - 2 * uu**2 + uu
        h01 = -2 * uu**3 + 3 * uu**2
        h11 = uu**3 - uu**2
        return h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1

    # bisection on altitude(arc(u)); h(0) > 0 >= h(1) brackets the root
    lo = np.zeros(p0.shape[0])
    hi = np.ones(p0.shape[0])
    for _ in range(40):
        u = 0.5 * (lo + hi)
        above = altitude_m(arc(u)) > 0.0
        lo = np.where(above, u, lo)
        hi = np.where(above, hi, u)
    u = 0.5 * (lo + hi)
    return arc(u), u * dt[:, 0]


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
    ok = np.asarray(valid, dtype=bool)
    ap = np.asarray(asset_pos, dtype=np.float64).reshape(-1, 3)
    A = ap.shape[0]
    radius = np.broadcast_to(np.asarray(asset_radius_m, dtype=np.float64), (A,))
    val = np.broadcast_to(np.asarray(asset_value, dtype=np.float64), (A,))
    ko = np.broadcast_to(np.asarray(keep_out_m, dtype=np.float64), (A,))
    lead = s.shape[:-1]

    ballistic = (
        classify_ballistic(s, ballistic_speed_mps, ballistic_altitude_m, ballistic_path_angle_rad)
        & ok
    )

    # --- air-breathing: straight-line CPA to every asset, shape (..., A)
    axes = slice(0, 2) if horizontal else slice(0, 3)
    r = s[..., None, axes] - ap[:, axes]
    v = np.broadcast_to(s[..., None, 3:][..., axes], r.shape)
    vv = np.sum(v * v, axis=-1)
    rv = np.sum(r * v, axis=-1)
    rr = np.sum(r * r, axis=-1)
    t_cpa = np.where(vv > 0.0, np.maximum(-rv / np.where(vv > 0.0, vv, 1.0), 0.0), 0.0)
    miss = np.sqrt(np.maximum(rr + 2.0 * rv * t_cpa + vv * t_cpa**2, 0.0))
    # first root of |r + v t|^2 = keep_out^2 (approaching, r.v < 0), in the stable form
    # t = c / (-r.v + sqrt((r.v)^2 - |v|^2 c)), c = |r|^2 - keep_out^2 > 0
    c = rr - ko**2
    disc = rv**2 - vv * c
    reaches = (c > 0.0) & (rv < 0.0) & (disc >= 0.0)
    t_enter = np.where(reaches, c / np.where(reaches, -rv + np.sqrt(np.abs(disc)), 1.0), t_cpa)
    t_go = np.where(c <= 0.0, 0.0, t_enter)
    cpa_point = s[..., None, :3] + s[..., None, 3:] * t_cpa[..., None]
    tol = radius + margin_m

    # --- ballistic: integrate the tracks classified as ballistic
    if ballistic.any():
        idx = np.nonzero(ballistic)
        imp, t_imp, t_keep = predict_ballistic_impact(s[idx], ap, ko, n_steps=n_steps)
        b_miss = ground_range_m(imp[:, None, :], ap)  # (Nb, A), NaN if no impact
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
        asset=asset,
        t_go_s=t_go_k,
        t_cpa_s=t_cpa_k,
        miss_m=miss_k,
        impact_point=point,
        value=value,
        ballistic=ballistic,
    )

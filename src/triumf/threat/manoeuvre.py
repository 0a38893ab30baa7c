"""Shapes of route flight: coordinated turns, S-turns, terrain following, evasive breaks.

Route flyers (cruise missiles, aircraft, helicopters, drones) fly at constant speed along a
path that is an analytic function of arc length, so their position at any time costs a few
array operations and has no integration error. Why analytic rather than integrated: these
bodies fly at constant speed with bounded turn rates, and every manoeuvre below has a closed
form whose limits (radius, amplitude, load factor, climb angle) can be checked exactly.

- **Coordinated turns** (:func:`fillet_routes`): each corner of a route is replaced by a
  circular arc of radius ``r = v^2 / (g tan phi)`` tangent to both legs (a level turn at bank
  ``phi``: lateral acceleration ``g tan phi``, turn rate ``v / r``), sampled at
  ``ARC_POINTS`` points.
- **S-turn** (:func:`s_turn_offset`): over the last ``L`` metres the body weaves about its
  track, offset ``y(s) = A sin^3(2 pi (s - s0) / lambda)`` to the left, with ``n`` whole
  periods ``lambda = L / n``: it leaves and rejoins the track (at the aim point) with zero
  offset, slope and curvature, and swings ``A`` to each side. The lateral acceleration
  ``v^2 y''`` peaks at the swings, ``3 A (2 pi v / lambda)^2``.
- **Terrain following** (:func:`climb_limited_floor`): the height above the sphere is the
  upper envelope of ``ground + clearance`` with slopes at most ``tan(gamma_max)``, looking
  ahead (the body climbs before a ridge) and behind (it descends after it).
- **Evasive break** (:func:`break_position`): a level coordinated turn at the break bank angle
  away from the closest interceptor through ``break_turn`` radians, then straight flight (the
  attack is abandoned).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ARC_POINTS",
    "turn_radius_m",
    "fillet_routes",
    "s_turn_wavelength_m",
    "s_turn_offset",
    "climb_limited_floor",
    "break_position",
]

FloatArray = NDArray[np.float64]

ARC_POINTS = 13
"""Points per corner arc (12 chords: a 90 deg turn is sampled every 7.5 deg); model constant."""


def turn_radius_m(speed_mps: ArrayLike, bank_rad: ArrayLike, g_mps2: float) -> FloatArray:
    """Radius of a level coordinated turn, ``v^2 / (g tan phi)`` (inf at zero bank).

    Parameters
    ----------
    speed_mps, bank_rad : array_like, shape (...)
    g_mps2 : float, acceleration of gravity

    Returns
    -------
    ndarray, shape (...), metres
    """
    v = np.asarray(speed_mps, dtype=np.float64)
    t = np.tan(np.asarray(bank_rad, dtype=np.float64))
    with np.errstate(divide="ignore"):
        return np.where(t > 0.0, v * v / (g_mps2 * np.where(t > 0.0, t, 1.0)), np.inf)


def fillet_routes(points: FloatArray, radius_m: ArrayLike) -> FloatArray:
    """Replace every interior corner of routes by a circular arc tangent to both legs.

    Parameters
    ----------
    points : ndarray, shape (..., P, 3)
        Map coordinates (east, north, altitude); padded routes repeat their last point.
    radius_m : array_like, shape (...)
        Turn radius (0 or inf: keep the corners; no arc).

    Returns
    -------
    ndarray, shape (..., 2 + (P - 2) * ARC_POINTS, 3)
        The first and last points unchanged; each interior point becomes ``ARC_POINTS``
        points on its arc (all equal to the corner where there is no turn). Where a leg is
        too short for the full radius, the arc's tangent length is cut to half the shorter
        leg (a tighter turn).
    """
    p = np.asarray(points, dtype=np.float64)
    n_pts = p.shape[-2]
    if n_pts < 3:
        return p.copy()
    r = np.asarray(radius_m, dtype=np.float64)
    r = np.where(np.isfinite(r), r, 0.0)[..., None]
    a, b, c = p[..., :-2, :], p[..., 1:-1, :], p[..., 2:, :]
    d1, d2 = b[..., :2] - a[..., :2], c[..., :2] - b[..., :2]
    l1 = np.linalg.norm(d1, axis=-1)
    l2 = np.linalg.norm(d2, axis=-1)
    u1 = np.divide(d1, l1[..., None], out=np.zeros_like(d1), where=l1[..., None] > 0)
    u2 = np.divide(d2, l2[..., None], out=np.zeros_like(d2), where=l2[..., None] > 0)
    cross = u1[..., 0] * u2[..., 1] - u1[..., 1] * u2[..., 0]
    dot = np.sum(u1 * u2, axis=-1)
    turn = np.arctan2(cross, dot)  # signed heading change, + to the left
    tang = r * np.tan(0.5 * np.abs(turn))
    tang = np.minimum(tang, 0.5 * np.minimum(l1, l2))
    tang = np.where((l1 > 0) & (l2 > 0), tang, 0.0)
    t1 = b[..., :2] - u1 * tang[..., None]
    # arc: heading goes from that of u1 to that of u2; the centre is on the inner side
    f = np.linspace(0.0, 1.0, ARC_POINTS)
    half = 0.5 * np.abs(turn)
    rad_eff = np.divide(tang, np.tan(half), out=np.zeros_like(tang), where=half > 1e-12)
    left = np.stack([-u1[..., 1], u1[..., 0]], axis=-1)
    sgn = np.sign(turn)
    centre = t1 + (sgn * rad_eff)[..., None] * left
    ang = turn[..., None] * f  # heading change along the arc, shape (..., P-2, N)
    # position on the arc: centre - sgn r left rotated by ang
    rel = -(sgn * rad_eff)[..., None, None] * left[..., None, :]
    ca, sa = np.cos(ang)[..., None], np.sin(ang)[..., None]
    rot = np.concatenate([ca * rel[..., :1] - sa * rel[..., 1:],
                          sa * rel[..., :1] + ca * rel[..., 1:]], axis=-1)
    arc_xy = centre[..., None, :] + rot
    # altitude: linear from the tangent point on the first leg to that on the second
    w1 = np.divide(tang, l1, out=np.zeros_like(tang), where=l1 > 0)
    w2 = np.divide(tang, l2, out=np.zeros_like(tang), where=l2 > 0)
    h1 = b[..., 2] + w1 * (a[..., 2] - b[..., 2])
    h2 = b[..., 2] + w2 * (c[..., 2] - b[..., 2])
    arc_h = h1[..., None] + f * (h2 - h1)[..., None]
    arc = np.concatenate([arc_xy, arc_h[..., None]], axis=-1)
    arc = arc.reshape(arc.shape[:-3] + (-1, 3))
    return np.concatenate([p[..., :1, :], arc, p[..., -1:, :]], axis=-2)


def s_turn_wavelength_m(speed_mps: ArrayLike, period_s: ArrayLike, amplitude_m: ArrayLike,
                        max_accel_mps2: ArrayLike) -> FloatArray:
    """Wavelength of an S-turn: ``v P``, stretched so the peak lateral acceleration fits.

    The peak of ``3 A (2 pi v / lambda)^2`` stays below ``a_max`` when
    ``lambda >= 2 pi v sqrt(3 A / a_max)``.

    Parameters
    ----------
    speed_mps, period_s, amplitude_m, max_accel_mps2 : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...), metres
    """
    v = np.asarray(speed_mps, dtype=np.float64)
    a = np.asarray(amplitude_m, dtype=np.float64)
    amax = np.asarray(max_accel_mps2, dtype=np.float64)
    shortest = 2.0 * np.pi * v * np.sqrt(np.divide(3.0 * a, amax, out=np.full(np.broadcast_shapes(
        a.shape, amax.shape), np.inf), where=amax > 0))
    return np.maximum(v * np.asarray(period_s, dtype=np.float64), shortest)


def s_turn_offset(s: ArrayLike, total_m: ArrayLike, range_m: ArrayLike, wavelength_m: ArrayLike,
                  amplitude_m: ArrayLike) -> FloatArray:
    """Signed lateral offset (left of track) of an S-turn over the last ``range_m`` of a route.

    Parameters
    ----------
    s : array_like, shape (...), arc length flown, metres
    total_m : array_like, shape (...), route length
    range_m : array_like, shape (...), length of the weave (0: none)
    wavelength_m : array_like, shape (...), nominal wavelength (rounded to fit whole periods)
    amplitude_m : array_like, shape (...), signed (the sign picks the first side)

    Notes
    -----
    ``n = floor(L / lambda)`` whole periods of ``L / n`` (>= lambda, so the lateral
    acceleration only falls); when ``L < lambda``, one period of ``L`` with the amplitude
    scaled by ``(L / lambda)^2``.

    Returns
    -------
    ndarray, shape (...), metres
    """
    s = np.asarray(s, dtype=np.float64)
    length = np.minimum(np.asarray(range_m, dtype=np.float64), np.asarray(total_m, np.float64))
    lam = np.asarray(wavelength_m, dtype=np.float64)
    ratio = np.divide(length, lam, out=np.zeros_like(length * lam), where=lam > 0)
    n = np.maximum(np.floor(ratio), 1.0)
    # shorter than one wavelength: one period over the length, amplitude cut by (L/lambda)^2
    # so that the peak lateral acceleration 3 A (2 pi v / L)^2 stays that of the nominal weave
    amp = np.asarray(amplitude_m, dtype=np.float64) * np.minimum(ratio, 1.0) ** 2
    s0 = np.asarray(total_m, dtype=np.float64) - length
    x = np.clip(s - s0, 0.0, length)
    phase = np.divide(2.0 * np.pi * n * x, length, out=np.zeros_like(x * length),
                      where=length > 0)
    return np.asarray(amp * np.sin(phase) ** 3, dtype=np.float64)


def climb_limited_floor(s: FloatArray, floor_m: FloatArray, max_climb_rad: ArrayLike
                        ) -> FloatArray:
    """Lowest profile above a floor whose slope never exceeds the climb angle.

    ``e(s_i) = max_j (f_j - tan(gamma) |s_i - s_j|)``: computed with one reverse and one
    forward running maximum.

    Parameters
    ----------
    s : ndarray, shape (N,) or (..., N), ascending arc lengths, metres
    floor_m : ndarray, shape (..., N), minimum height above the sphere at each sample
    max_climb_rad : array_like, shape (...)

    Returns
    -------
    ndarray, shape (..., N), metres
    """
    k = np.tan(np.asarray(max_climb_rad, dtype=np.float64))[..., None]
    ahead = np.flip(np.maximum.accumulate(np.flip(floor_m - k * s, -1), axis=-1), -1) + k * s
    behind = np.maximum.accumulate(floor_m + k * s, axis=-1) - k * s
    return np.maximum(ahead, behind)


def break_position(start_en: FloatArray, heading_rad: ArrayLike, sign: ArrayLike,
                   radius_m: ArrayLike, turn_rad: ArrayLike, speed_mps: ArrayLike,
                   dt_s: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Ground position and heading during and after a level evasive break turn.

    Parameters
    ----------
    start_en : ndarray, shape (..., 2), map east/north at the start of the break, metres
    heading_rad : array_like, shape (...), clockwise from north at the start
    sign : array_like, shape (...), +1 turns right (clockwise), -1 left
    radius_m, turn_rad, speed_mps : array_like, shape (...)
    dt_s : array_like, shape (...), time since the start of the break (>= 0)

    Returns
    -------
    en : ndarray, shape (..., 2), metres
    heading : ndarray, shape (...), radians clockwise from north
    """
    p0 = np.asarray(start_en, dtype=np.float64)
    psi0 = np.asarray(heading_rad, dtype=np.float64)
    sg = np.asarray(sign, dtype=np.float64)
    r = np.asarray(radius_m, dtype=np.float64)
    v = np.asarray(speed_mps, dtype=np.float64)
    t = np.maximum(np.asarray(dt_s, dtype=np.float64), 0.0)
    t_turn = np.asarray(turn_rad, dtype=np.float64) * r / v
    tt = np.minimum(t, t_turn)
    dpsi = sg * v * tt / r
    psi = psi0 + dpsi
    # arc: centre at r to the turn side; east = sin(psi), north = cos(psi)
    ce = p0[..., 0] + sg * r * np.cos(psi0)
    cn = p0[..., 1] - sg * r * np.sin(psi0)
    e = ce - sg * r * np.cos(psi)
    n = cn + sg * r * np.sin(psi)
    straight = t - tt
    e = e + straight * v * np.sin(psi)
    n = n + straight * v * np.cos(psi)
    return np.stack([e, n], axis=-1), psi

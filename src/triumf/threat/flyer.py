"""Route flyers with manoeuvres: position and velocity at any time, batched over (R, T).

The route (already filleted into coordinated turns, :func:`triumf.threat.manoeuvre.fillet_routes`)
gives the ground track; an S-turn offsets it sideways over the last kilometres; with terrain
following, the height comes from a climb-limited profile sampled along the route. Velocity is
the derivative of the position, taken over ``_VELOCITY_STEP_S``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.core.earth import map_to_enu
from triumf.core.terrain import Terrain
from triumf.threat.manoeuvre import climb_limited_floor, s_turn_offset
from triumf.threat.route import route_point

__all__ = ["FlyerShape", "terrain_profile", "flyer_map_position", "flyer_state"]

FloatArray = NDArray[np.float64]

# time offset used to differentiate the position for the velocity, seconds (as in route.py)
_VELOCITY_STEP_S = 0.05
# sampling of terrain-following profiles along the route: at least this step (m) and at
# most this many samples per route (model constants: a 300 km route is sampled every 150 m)
_PROFILE_MIN_STEP_M = 50.0
_PROFILE_MAX_SAMPLES = 2000


@dataclass
class FlyerShape:
    """Manoeuvres of route flyers, arrays of shape (R, T') for the T' route slots.

    Attributes
    ----------
    s_turn_range_m, s_turn_wavelength_m, s_turn_amplitude_m : ndarray
        S-turn over the last ``s_turn_range_m`` (0: none); the amplitude is signed (side of
        the first swing, drawn per replication).
    profile_step_m : float
        Arc-length step of ``profile_m`` (0: no terrain following anywhere).
    profile_m : ndarray, shape (R, T', N) or None
        Height above the sphere along the route every ``profile_step_m``; NaN where the slot
        does not follow terrain (its route altitude applies).
    """

    s_turn_range_m: FloatArray
    s_turn_wavelength_m: FloatArray
    s_turn_amplitude_m: FloatArray
    profile_step_m: float = 0.0
    profile_m: FloatArray | None = None


def terrain_profile(route: FloatArray, cumlen: FloatArray, follow: NDArray[np.bool_],
                    max_climb_rad: FloatArray, terrain: Terrain | None
                    ) -> tuple[float, FloatArray | None]:
    """Climb-limited height profiles of terrain-following slots.

    The floor is ``ground(s) + route altitude(s)`` (the route's altitude is read as the
    clearance above the ground), smoothed by
    :func:`triumf.threat.manoeuvre.climb_limited_floor`.

    Parameters
    ----------
    route : ndarray, shape (R, T, P, 3), map coordinates
    cumlen : ndarray, shape (R, T, P)
    follow : ndarray of bool, shape (T,)
    max_climb_rad : ndarray, shape (T,)
    terrain : Terrain or None (None: no profile; routes fly their own altitudes)

    Returns
    -------
    step_m : float
    profile : ndarray, shape (R, T, N) or None
    """
    if terrain is None or not follow.any():
        return 0.0, None
    longest = float(cumlen[..., -1].max())
    step = max(_PROFILE_MIN_STEP_M, longest / (_PROFILE_MAX_SAMPLES - 1))
    s = np.arange(0.0, longest + step, step)
    sub = route[:, follow]
    pts = route_point(sub[..., None, :, :], cumlen[:, follow][..., None, :],
                      np.broadcast_to(s, sub.shape[:2] + s.shape))
    floor = terrain.height_at(pts[..., 0], pts[..., 1]) + pts[..., 2]
    env = climb_limited_floor(s, floor, max_climb_rad[follow][None, :])
    profile = np.full(route.shape[:2] + s.shape, np.nan)
    profile[:, follow] = env
    return step, profile


def _pick(a: FloatArray, idx: NDArray[np.intp], n_tail: int) -> FloatArray:
    """``a[..., idx, tail]`` per leading element: ``take_along_axis`` without its overhead.

    ``a`` has shape ``lead + (P,) + tail`` with ``len(tail) == n_tail`` and ``idx`` shape
    ``lead``; returns shape ``lead + tail`` (the same elements, bit for bit).
    """
    lead = idx.shape
    if a.shape[:len(lead)] != lead:  # broadcast leading axes: the general path
        ix = idx.reshape(lead + (1,) * (n_tail + 1))
        out = np.take_along_axis(a, ix, axis=len(lead))
        return np.asarray(out.reshape(lead + a.shape[len(lead) + 1:]))
    flat = a.reshape((-1,) + a.shape[len(lead):])
    return np.asarray(flat[np.arange(flat.shape[0]), idx.ravel()].reshape(
        lead + a.shape[len(lead) + 1:]))


def _locate(route: FloatArray, cumlen: FloatArray, s: FloatArray
            ) -> tuple[FloatArray, FloatArray]:
    """Map point at arc length ``s`` and the unit ground direction of its segment.

    Same interpolation as :func:`triumf.threat.route.route_point` (one segment search for
    both results).
    """
    total = cumlen[..., -1]
    s = np.clip(s, 0.0, total)
    n_seg = route.shape[-2] - 1
    idx = (np.sum(cumlen[..., 1:-1] <= s[..., None], axis=-1) if n_seg > 1
           else np.zeros(s.shape, dtype=np.int64))
    idx = np.minimum(idx, n_seg - 1)
    idx = np.broadcast_to(idx, np.broadcast_shapes(idx.shape, cumlen.shape[:-1],
                                                   route.shape[:-2]))
    s0, s1 = _pick(cumlen, idx, 0), _pick(cumlen, idx + 1, 0)
    p0, p1 = _pick(route, idx, 1), _pick(route, idx + 1, 1)
    seg = s1 - s0
    frac = np.divide(s - s0, seg, out=np.zeros_like(s), where=seg > 0)
    d = p1[..., :2] - p0[..., :2]
    dn = np.linalg.norm(d, axis=-1, keepdims=True)
    return p0 + frac[..., None] * (p1 - p0), np.divide(d, dn, out=np.zeros_like(d),
                                                        where=dn > 0)


def flyer_map_position(route: FloatArray, cumlen: FloatArray, s: FloatArray,
                       shape: FlyerShape) -> FloatArray:
    """Map position (east, north, altitude) at arc length ``s``, shape (R, T', 3)."""
    total = cumlen[..., -1]
    p, d = _locate(route, cumlen, s)
    amp = shape.s_turn_amplitude_m
    if np.any((amp != 0.0) & (s > total - shape.s_turn_range_m)):
        off = s_turn_offset(s, total, shape.s_turn_range_m, shape.s_turn_wavelength_m, amp)
        left = np.stack([-d[..., 1], d[..., 0]], axis=-1)
        p[..., :2] += off[..., None] * left
    if shape.profile_m is not None and shape.profile_step_m > 0.0:
        prof = shape.profile_m
        x = np.clip(s / shape.profile_step_m, 0.0, prof.shape[-1] - 1.0)
        i = np.minimum(x.astype(np.intp), prof.shape[-1] - 2)
        w = x - i
        h0 = np.take_along_axis(prof, i[..., None], axis=-1)[..., 0]
        h1 = np.take_along_axis(prof, i[..., None] + 1, axis=-1)[..., 0]
        h = h0 + w * (h1 - h0)
        p[..., 2] = np.where(np.isnan(h), p[..., 2], h)
    return p


def flyer_state(route: FloatArray, cumlen: FloatArray, speed_mps: FloatArray,
                t_since_launch_s: FloatArray, shape: FlyerShape
                ) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Position, velocity and arrival of non-looping route flyers.

    Parameters
    ----------
    route : ndarray, shape (R, T', P, 3), map coordinates
    cumlen : ndarray, shape (R, T', P)
    speed_mps : ndarray, shape (T',) or (R, T'), ground speed along the route
    t_since_launch_s : ndarray, shape (R, T')
    shape : FlyerShape

    Returns
    -------
    pos : ndarray, shape (R, T', 3), metres, engine ENU
    vel : ndarray, shape (R, T', 3), m/s (zero before launch and after arrival)
    arrived : ndarray of bool, shape (R, T')
    """
    total = cumlen[..., -1]
    tau = np.maximum(t_since_launch_s, 0.0)
    s = speed_mps * tau
    arrived = (s >= total) & (t_since_launch_s >= 0)
    p_now = flyer_map_position(route, cumlen, np.minimum(s, total), shape)
    p_next = flyer_map_position(route, cumlen, np.minimum(s + speed_mps * _VELOCITY_STEP_S,
                                                          total), shape)
    pos = map_to_enu(p_now[..., 0], p_now[..., 1], p_now[..., 2])
    nxt = map_to_enu(p_next[..., 0], p_next[..., 1], p_next[..., 2])
    moving = (t_since_launch_s >= 0) & ~arrived
    vel = np.where(moving[..., None], (nxt - pos) / _VELOCITY_STEP_S, 0.0)
    return pos, vel, arrived

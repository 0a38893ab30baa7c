"""Flight along waypoints at a set altitude profile: cruise missiles, aircraft, drones.

A route is a polyline in map coordinates (ground east, ground north, altitude above the Earth
sphere; see `triumf.core.earth.map_to_enu`). The body flies it at constant ground speed; the
altitude is interpolated linearly between waypoints, which gives sea-skimming legs, terminal
dives and climbs. Position is an analytic function of time, so a tick costs a few array ops
whatever the step.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from triumf.core.earth import map_to_enu

# time offset used to differentiate the route numerically for the velocity, seconds
_VELOCITY_STEP_S = 0.05


def route_lengths(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cumulative ground length along a route.

    Parameters
    ----------
    points : ndarray, shape (..., P, 3)
        Waypoints (east m, north m, altitude m) in map coordinates. Padded routes repeat their
        last point.

    Returns
    -------
    ndarray, shape (..., P)
        Cumulative 3-D length (m) from the first point to each waypoint.
    """
    seg = np.linalg.norm(np.diff(points, axis=-2), axis=-1)
    zero = np.zeros(points.shape[:-2] + (1,))
    return np.concatenate([zero, np.cumsum(seg, axis=-1)], axis=-1)


def route_point(
    points: NDArray[np.float64], cumlen: NDArray[np.float64], s: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Map position at arc length ``s`` along each route.

    Parameters
    ----------
    points : ndarray, shape (..., P, 3)
    cumlen : ndarray, shape (..., P)
        From `route_lengths`.
    s : ndarray, shape (...)
        Arc length, clipped to [0, total length].

    Returns
    -------
    ndarray, shape (..., 3)
        Map coordinates (east m, north m, altitude m).
    """
    s = np.asarray(s, dtype=float)
    lead = np.broadcast_shapes(s.shape, cumlen.shape[:-1], points.shape[:-2])
    points = np.broadcast_to(points, lead + points.shape[-2:])
    cumlen = np.broadcast_to(cumlen, lead + cumlen.shape[-1:])
    s = np.broadcast_to(s, lead)
    total = cumlen[..., -1]
    s = np.clip(s, 0.0, total)
    n_seg = points.shape[-2] - 1
    # index of the segment holding s: number of interior breakpoints passed
    idx = np.sum(cumlen[..., 1:-1] <= s[..., None], axis=-1) if n_seg > 1 else np.zeros(
        s.shape, dtype=np.int64
    )
    idx = np.minimum(idx, n_seg - 1)
    s0 = np.take_along_axis(cumlen, idx[..., None], axis=-1)[..., 0]
    s1 = np.take_along_axis(cumlen, idx[..., None] + 1, axis=-1)[..., 0]
    p0 = np.take_along_axis(points, idx[..., None, None], axis=-2)[..., 0, :]
    p1 = np.take_along_axis(points, idx[..., None, None] + 1, axis=-2)[..., 0, :]
    seg = s1 - s0
    frac = np.divide(s - s0, seg, out=np.zeros_like(s), where=seg > 0)
    return p0 + frac[..., None] * (p1 - p0)


def route_state(
    points: NDArray[np.float64],
    cumlen: NDArray[np.float64],
    speed_mps: NDArray[np.float64],
    t_since_launch_s: NDArray[np.float64],
    loop: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
    """Position, velocity and arrival of bodies flying their routes.

    Parameters
    ----------
    points : ndarray, shape (..., P, 3)
        Routes in map coordinates. Looping routes must end where they start.
    cumlen : ndarray, shape (..., P)
    speed_mps : ndarray, shape (...)
        Speed along the route, m/s.
    t_since_launch_s : ndarray, shape (...)
        Time since launch (negative before launch: the body waits at the first point).
    loop : ndarray of bool, shape (...)
        Routes flown round and round (combat air patrols).

    Returns
    -------
    pos : ndarray, shape (..., 3), metres, engine ENU
    vel : ndarray, shape (..., 3), m/s, engine ENU (zero before launch and after arrival)
    arrived : ndarray of bool, shape (...)
        True once a non-looping body has reached the end of its route.
    """
    total = cumlen[..., -1]
    tau = np.maximum(t_since_launch_s, 0.0)
    s = speed_mps * tau
    safe_total = np.where(total > 0, total, 1.0)
    s = np.where(loop, np.mod(s, safe_total), s)
    arrived = ~loop & (s >= total) & (t_since_launch_s >= 0)
    p_now = route_point(points, cumlen, s)
    ds = speed_mps * _VELOCITY_STEP_S
    s_next = np.where(loop, np.mod(s + ds, safe_total), s + ds)
    p_next = route_point(points, cumlen, s_next)
    pos = map_to_enu(p_now[..., 0], p_now[..., 1], p_now[..., 2])
    nxt = map_to_enu(p_next[..., 0], p_next[..., 1], p_next[..., 2])
    moving = (t_since_launch_s >= 0) & ~arrived
    vel = np.where(moving[..., None], (nxt - pos) / _VELOCITY_STEP_S, 0.0)
    return pos, vel, arrived

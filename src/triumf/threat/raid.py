"""Raids in motion: per-replication launch times and points, then flight each tick."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.earth import altitude_m, map_to_enu
from triumf.threat.ballistic import launch_velocity, propagate
from triumf.threat.base import ThreatParams, Truth
from triumf.threat.route import route_lengths, route_state

# random-draw counters of the threat stage (draws happen once, at initialisation)
_DRAW_LAUNCH_TIME = 1
_DRAW_LAUNCH_RADIUS = 2
_DRAW_LAUNCH_ANGLE = 3
_DRAW_AIM = 4


def init_truth(params: ThreatParams, keys: NDArray[np.uint64]) -> Truth:
    """Draw each replication's launch times, launch points and aim points.

    Parameters
    ----------
    params : ThreatParams
    keys : ndarray of uint64, shape (R,)
        Threat-stage keys (`triumf.core.rng.stage_keys(..., Stage.THREAT)`).
    """
    n_rep, n_thr = keys.shape[0], params.count
    shape = (n_thr,)
    w = params.launch_window_s
    t_launch = w[:, 0] + rng.uniform(keys, _DRAW_LAUNCH_TIME, shape) * (w[:, 1] - w[:, 0])
    # uniform in a disc: radius ~ sqrt(u)
    rad = params.launch_radius_m * np.sqrt(rng.uniform(keys, _DRAW_LAUNCH_RADIUS, shape))
    ang = 2.0 * np.pi * rng.uniform(keys, _DRAW_LAUNCH_ANGLE, shape)
    aim = rng.normal(keys, _DRAW_AIM, shape + (2,)) * params.aim_error_m[:, None]

    route = np.broadcast_to(params.route, (n_rep,) + params.route.shape).copy()
    route[:, :, 0, 0] += rad * np.sin(ang)
    route[:, :, 0, 1] += rad * np.cos(ang)
    # aim scatter moves every padded copy of the last point (hostile slots only)
    last = _last_index(params.route)
    hostile = params.hostile
    for t in np.flatnonzero(hostile):
        route[:, t, last[t]:, :2] += aim[:, t, None, :]
    cumlen = route_lengths(route)

    zeros = np.zeros((n_rep, n_thr, 3))
    v0 = zeros.copy()
    ball = params.ballistic
    if ball.any():
        start = route[:, ball, 0, :]
        end = route[:, ball, -1, :]
        p0 = map_to_enu(start[..., 0], start[..., 1], np.zeros(start.shape[:-1]))
        p1 = map_to_enu(end[..., 0], end[..., 1], np.zeros(end.shape[:-1]))
        gamma = np.broadcast_to(params.flight_path_angle_rad[ball], p0.shape[:-1])
        v0[:, ball] = launch_velocity(p0, p1, gamma)
    truth = Truth(
        pos=zeros.copy(), vel=zeros.copy(),
        launched=np.zeros((n_rep, n_thr), bool), alive=np.ones((n_rep, n_thr), bool),
        arrived=np.zeros((n_rep, n_thr), bool), t_launch=t_launch, route=route,
        cumlen=cumlen, ballistic_v0=v0,
    )
    advance(truth, params, 0.0, 0.0)
    return truth


def _last_index(route: NDArray[np.float64]) -> NDArray[np.int64]:
    """Index of the first copy of the last waypoint of each padded route, shape (T,)."""
    same = np.all(route == route[:, -1:, :], axis=-1)
    # first index from which every later point equals the last point
    tail = np.flip(np.cumprod(np.flip(same, axis=1), axis=1), axis=1).astype(bool)
    return np.argmax(tail, axis=1).astype(np.int64)


def advance(truth: Truth, params: ThreatParams, t_prev: float, t: float) -> NDArray[np.bool_]:
    """Move every body from ``t_prev`` to ``t`` (in place).

    Returns
    -------
    ndarray of bool, shape (R, T)
        Bodies that arrived (route end or ground) during this step.
    """
    was_arrived = truth.arrived.copy()
    truth.launched |= truth.t_launch <= t
    route_slots = ~params.ballistic
    if route_slots.any():
        tau = t - truth.t_launch[:, route_slots]
        pos, vel, arrived = route_state(
            truth.route[:, route_slots], truth.cumlen[:, route_slots],
            params.speed_mps[route_slots], tau, params.loop[route_slots],
        )
        frozen = ~truth.alive[:, route_slots] | was_arrived[:, route_slots]
        truth.pos[:, route_slots] = np.where(frozen[..., None], truth.pos[:, route_slots], pos)
        truth.vel[:, route_slots] = np.where(frozen[..., None], 0.0, vel)
        truth.arrived[:, route_slots] |= arrived & truth.alive[:, route_slots]
    if params.ballistic.any():
        _advance_ballistic(truth, params, t_prev, t)
    return truth.arrived & ~was_arrived


def _advance_ballistic(truth: Truth, params: ThreatParams, t_prev: float, t: float) -> None:
    """Free flight of ballistic slots; before launch they sit at their launch point."""
    b = params.ballistic
    start = truth.route[:, b, 0, :]
    p_launch = map_to_enu(start[..., 0], start[..., 1], np.zeros(start.shape[:-1]))
    t_l = truth.t_launch[:, b]
    pos = truth.pos[:, b]
    vel = truth.vel[:, b]
    waiting = t_l > t
    new = (t_l <= t) & (t_l > t_prev) | ((t_l <= t) & (t == t_prev))
    flying = (t_l <= t_prev) & truth.alive[:, b] & ~truth.arrived[:, b] & (t > t_prev)
    # newly launched: start at the launch point with the launch velocity, fly the remainder
    pos = np.where((waiting | new)[..., None], p_launch, pos)
    vel = np.where(new[..., None], truth.ballistic_v0[:, b], np.where(waiting[..., None], 0, vel))
    dt = np.where(new, t - t_l, np.where(flying, t - t_prev, 0.0))
    moving = (new | flying) & (dt > 0)
    if moving.any():
        p_new, v_new = propagate(pos, vel, dt, n_substeps=2)
        # ground impact during the step (the launch itself is at altitude 0: ignore the
        # first second of flight); stop at the surface crossing, linear in altitude
        h0, h1 = altitude_m(pos), altitude_m(p_new)
        hit = moving & (h1 <= 0) & (t - t_l > 1.0)
        frac = np.clip(np.divide(h0, h0 - h1, out=np.ones_like(h0), where=(h0 - h1) != 0), 0, 1)
        p_hit = pos + frac[..., None] * (p_new - pos)
        pos = np.where(moving[..., None], np.where(hit[..., None], p_hit, p_new), pos)
        vel = np.where(moving[..., None], v_new, vel)
        arrived = truth.arrived[:, b] | hit
        truth.arrived[:, b] = arrived
        vel = np.where(arrived[..., None], 0.0, vel)
    truth.pos[:, b] = pos
    truth.vel[:, b] = vel

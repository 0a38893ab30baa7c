"""Raids in motion: per-replication launch times, points and manoeuvres, then flight each tick.

Which model flies a slot:

- ballistic with a motor (``ThreatParams.powered``): integrated point mass
  (:mod:`triumf.threat.powered`: boost, drag, re-entry, terminal weave), RK4 sub-steps of at
  most ``_POWERED_SUBSTEP_S``;
- ballistic without one: Keplerian free flight (:mod:`triumf.threat.ballistic`);
- route flyers: analytic positions along their routes (:mod:`triumf.threat.flyer`: coordinated
  turns, S-turns, terrain following), an analytic break turn once an interceptor comes close;
  looping routes (friendly patrols) by :func:`triumf.threat.route.route_state`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.earth import altitude_m, enu_to_map, ground_range_m, map_to_enu, up_unit
from triumf.core.terrain import Terrain
from triumf.threat.ballistic import launch_velocity, propagate
from triumf.threat.base import ThreatParams, Truth
from triumf.threat.flyer import FlyerShape, flyer_state, terrain_profile
from triumf.threat.manoeuvre import break_position, fillet_routes, s_turn_wavelength_m
from triumf.threat.powered import (
    elevation_for_range,
    launch_direction,
    range_table,
    rk4_step,
    step_to_burnout,
)
from triumf.threat.route import route_lengths, route_state

# random-draw counters of the threat stage (draws happen once, at initialisation)
_DRAW_LAUNCH_TIME = 1
_DRAW_LAUNCH_RADIUS = 2
_DRAW_LAUNCH_ANGLE = 3
_DRAW_AIM = 4
_DRAW_ROUTE_JITTER = 5
_DRAW_S_TURN_SIDE = 6
_DRAW_WEAVE_PHASE = 7
# route-jitter counters carry the raid index above this bit (below it: the purpose code)
_RAID_COUNTER_SHIFT = 8

# largest RK4 sub-step of powered ballistic flight, s (tests: halving it moves the impact
# point by less than a metre)
_POWERED_SUBSTEP_S = 0.25
# after launch, the ground is not checked for this long (the launch itself is at altitude 0), s
_GROUND_GRACE_S = 1.0
# time offset used to differentiate break-turn positions for the velocity, s
_VELOCITY_STEP_S = 0.05


def init_truth(params: ThreatParams, keys: NDArray[np.uint64],
               terrain: Terrain | None = None) -> Truth:
    """Draw each replication's launch times, launch points, aim points and manoeuvres.

    Parameters
    ----------
    params : ThreatParams
    keys : ndarray of uint64, shape (R,)
        Threat-stage keys (`triumf.core.rng.stage_keys(..., Stage.THREAT)`).
    terrain : Terrain, optional
        Ground heights for terrain-following slots (None: the bare sphere).
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
    jit = params.route_jitter_m
    if np.any(jit > 0):
        route[..., :2] += _route_jitter(params, keys, last)
    if np.any(params.turn_radius_m > 0):
        radius = np.where(params.loop | params.ballistic, 0.0, params.turn_radius_m)
        route = fillet_routes(route, np.broadcast_to(radius, (n_rep, n_thr)))
    cumlen = route_lengths(route)

    zeros = np.zeros((n_rep, n_thr, 3))
    v0 = zeros.copy()
    ball = params.ballistic & ~params.powered
    if ball.any():
        start = route[:, ball, 0, :]
        end = route[:, ball, -1, :]
        p0 = map_to_enu(start[..., 0], start[..., 1], np.zeros(start.shape[:-1]))
        p1 = map_to_enu(end[..., 0], end[..., 1], np.zeros(end.shape[:-1]))
        gamma = np.broadcast_to(params.flight_path_angle_rad[ball], p0.shape[:-1])
        v0[:, ball] = launch_velocity(p0, p1, gamma)
    thrust_dir = zeros.copy()
    pw = params.powered
    if pw.any():
        thrust_dir[:, pw], v0[:, pw] = _powered_launch(params, route)
    side = np.where(rng.uniform(keys, _DRAW_S_TURN_SIDE, shape) < 0.5, -1.0, 1.0)
    flyers = ~params.ballistic & ~params.loop
    step, profile = terrain_profile(route[:, flyers], cumlen[:, flyers],
                                    params.terrain_following[flyers],
                                    params.max_climb_rad[flyers], terrain)
    lam = s_turn_wavelength_m(params.speed_mps, params.s_turn_period_s,
                              params.s_turn_amplitude_m, params.max_lateral_accel_mps2)
    shape_ = FlyerShape(
        s_turn_range_m=np.broadcast_to(params.s_turn_range_m[flyers], (n_rep, int(flyers.sum()))),
        s_turn_wavelength_m=np.broadcast_to(lam[flyers], (n_rep, int(flyers.sum()))),
        s_turn_amplitude_m=params.s_turn_amplitude_m[flyers] * side[:, flyers],
        profile_step_m=step, profile_m=profile,
    )
    truth = Truth(
        pos=zeros.copy(), vel=zeros.copy(),
        launched=np.zeros((n_rep, n_thr), bool), alive=np.ones((n_rep, n_thr), bool),
        arrived=np.zeros((n_rep, n_thr), bool), t_launch=t_launch, route=route,
        cumlen=cumlen, ballistic_v0=v0, thrust_dir=thrust_dir,
        weave_phase=2.0 * np.pi * rng.uniform(keys, _DRAW_WEAVE_PHASE, shape),
        s_turn_sign=side, t_break=np.full((n_rep, n_thr), np.nan),
        break_start=zeros.copy(), break_heading=np.zeros((n_rep, n_thr)),
        break_sign=np.zeros((n_rep, n_thr)), shape=shape_,
    )
    advance(truth, params, 0.0, 0.0)
    return truth


def _route_jitter(params: ThreatParams, keys: NDArray[np.uint64],
                  last: NDArray[np.int64]) -> NDArray[np.float64]:
    """Horizontal offsets of the interior waypoints, shape (R, T, P, 2), metres.

    Each draw is keyed by (raid, threat within the raid, waypoint): the counter carries the
    raid (group) index and the slot layout covers only that raid's own waypoints, so adding a
    waypoint or a threat to one raid leaves every other raid's draws unchanged (common random
    numbers across scenario variants).
    """
    n_pts = params.route.shape[1]
    out = np.zeros((keys.shape[0], params.count, n_pts, 2))
    idx = np.arange(n_pts)
    for g in np.unique(params.group):
        slots = np.flatnonzero((params.group == g) & (params.route_jitter_m > 0))
        if slots.size == 0:
            continue
        first = np.flatnonzero(params.group == g)
        n_own = int(last[first].max()) + 1  # the raid's own waypoints, padding excluded
        counter = _DRAW_ROUTE_JITTER | ((int(g) + 1) << _RAID_COUNTER_SHIFT)
        d = rng.normal(keys, counter, (first.size, n_own, 2))
        within = np.searchsorted(first, slots)  # index of each slot within its raid
        interior = (idx[None, :n_own] >= 1) & (idx[None, :n_own] < last[slots, None])
        out[:, slots, :n_own] = (d[:, within] * (params.route_jitter_m[slots, None, None]
                                                 * interior[..., None]))
    return out


def _last_index(route: NDArray[np.float64]) -> NDArray[np.int64]:
    """Index of the first copy of the last waypoint of each padded route, shape (T,)."""
    same = np.all(route == route[:, -1:, :], axis=-1)
    # first index from which every later point equals the last point
    tail = np.flip(np.cumprod(np.flip(same, axis=1), axis=1), axis=1).astype(bool)
    return np.argmax(tail, axis=1).astype(np.int64)


def advance(truth: Truth, params: ThreatParams, t_prev: float, t: float,
            interceptor_pos: NDArray[np.float64] | None = None,
            interceptor_active: NDArray[np.bool_] | None = None) -> NDArray[np.bool_]:
    """Move every body from ``t_prev`` to ``t`` (in place).

    Parameters
    ----------
    truth : Truth
    params : ThreatParams
    t_prev, t : float, seconds
    interceptor_pos : ndarray, shape (R, M, 3), optional
        Interceptors in flight (engine ENU), seen by the threats' warning receivers: an
        aircraft with a break range breaks away from the closest one inside it.
    interceptor_active : ndarray of bool, shape (R, M), optional

    Returns
    -------
    ndarray of bool, shape (R, T)
        Bodies that arrived (route end or ground) during this step.
    """
    was_arrived = truth.arrived.copy()
    truth.launched |= truth.t_launch <= t
    if interceptor_pos is not None and interceptor_active is not None:
        _start_breaks(truth, params, t_prev, interceptor_pos, interceptor_active)
    flyers = ~params.ballistic & ~params.loop
    if flyers.any() and isinstance(truth.shape, FlyerShape):
        _advance_flyers(truth, params, flyers, was_arrived, t)
    route_slots = ~params.ballistic & params.loop
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
    if (params.ballistic & ~params.powered).any():
        _advance_ballistic(truth, params, t_prev, t)
    if params.powered.any():
        _advance_powered(truth, params, t_prev, t)
    return truth.arrived & ~was_arrived


def _advance_flyers(truth: Truth, params: ThreatParams, flyers: NDArray[np.bool_],
                    was_arrived: NDArray[np.bool_], t: float) -> None:
    """Route flyers at ``t`` (in place), computed only for the (replication, slot) pairs still
    flying or waiting; destroyed and arrived ones keep their position with zero velocity.

    The kernels are elementwise over the leading axes, so the compressed pairs get exactly the
    numbers a full (R, T') evaluation would give them.
    """
    assert isinstance(truth.shape, FlyerShape)
    f_idx = np.flatnonzero(flyers)
    live = truth.alive[:, f_idx] & ~was_arrived[:, f_idx]
    vel_f = truth.vel[:, f_idx]
    vel_f[~live] = 0.0
    truth.vel[:, f_idx] = vel_f
    r, j = np.nonzero(live)
    if r.size == 0:
        return
    ti = f_idx[j]
    sh = truth.shape
    sub = FlyerShape(
        s_turn_range_m=sh.s_turn_range_m[r, j], s_turn_wavelength_m=sh.s_turn_wavelength_m[r, j],
        s_turn_amplitude_m=sh.s_turn_amplitude_m[r, j], profile_step_m=sh.profile_step_m,
        profile_m=None if sh.profile_m is None else sh.profile_m[r, j])
    pos, vel, arrived = flyer_state(truth.route[r, ti], truth.cumlen[r, ti],
                                    params.speed_mps[ti], t - truth.t_launch[r, ti], sub)
    _apply_breaks_at(truth, params, r, ti, t, pos, vel, arrived)
    truth.pos[r, ti] = pos
    truth.vel[r, ti] = vel
    truth.arrived[r, ti] |= arrived


def _advance_ballistic(truth: Truth, params: ThreatParams, t_prev: float, t: float) -> None:
    """Free flight of ballistic slots; before launch they sit at their launch point."""
    b = params.ballistic & ~params.powered
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


def _powered_launch(params: ThreatParams, route: NDArray[np.float64]
                    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Launch attitude and rail-exit velocity of powered slots, each shape (R, Tp, 3).

    The elevation reaches the replication's aim point according to the slot's range table,
    on the branch of its nominal elevation.
    """
    assert params.body is not None
    idx = np.flatnonzero(params.powered)
    start, end = route[:, idx, 0, :], route[:, idx, -1, :]
    p0 = map_to_enu(start[..., 0], start[..., 1], np.zeros(start.shape[:-1]))
    p1 = map_to_enu(end[..., 0], end[..., 1], np.zeros(end.shape[:-1]))
    want = ground_range_m(p0, p1)
    elev = np.zeros(want.shape)
    have = params.range_table_m.ndim == 2
    for j, t in enumerate(idx):
        if have:
            el, rng_m = params.range_table_elevation_rad[t], params.range_table_m[t]
        else:
            el, rng_m = range_table(params.body.take(int(t)))
        lofted = params.flight_path_angle_rad[t] > el[int(np.nanargmax(rng_m))]
        elev[:, j] = elevation_for_range(el, rng_m, want[:, j], lofted)
    u = launch_direction(p0, p1, elev)
    rail = np.asarray(params.body.rail_speed_mps)[idx]
    return u, u * rail[None, :, None]


def _advance_powered(truth: Truth, params: ThreatParams, t_prev: float, t: float) -> None:
    """Integrated flight of powered ballistic slots (boost, drag, re-entry, terminal weave)."""
    assert params.body is not None
    idx = np.flatnonzero(params.powered)
    t_l = truth.t_launch[:, idx]
    waiting = t_l > t
    new = ((t_l <= t) & (t_l > t_prev)) | ((t_l <= t) & (t == t_prev))
    flying = (t_l <= t_prev) & truth.alive[:, idx] & ~truth.arrived[:, idx] & (t > t_prev)
    if t > t_prev and not (new | flying).any():
        return  # nothing moves (waiting bodies were put on their launch points at t = 0)
    start = truth.route[:, idx, 0, :]
    p_launch = map_to_enu(start[..., 0], start[..., 1], np.zeros(start.shape[:-1]))
    pos, vel = truth.pos[:, idx], truth.vel[:, idx]
    pos = np.where((waiting | new)[..., None], p_launch, pos)
    vel = np.where(new[..., None], truth.ballistic_v0[:, idx],
                   np.where(waiting[..., None], 0.0, vel))
    tau = np.where(new, 0.0, t_prev - t_l)
    dt = np.where(new, t - t_l, np.where(flying, t - t_prev, 0.0))
    moving = (new | flying) & (dt > 0)
    if moving.any():
        body = params.body.take(idx)
        end = truth.route[:, idx, -1, :]
        aim = map_to_enu(end[..., 0], end[..., 1], np.zeros(end.shape[:-1]))
        # each body's own number of equal sub-steps (not the batch's largest), so a body's
        # path does not depend on what the other replications in the batch are doing
        n_own = np.maximum(1.0, np.ceil(dt / _POWERED_SUBSTEP_S - 1e-9))
        n_sub = int(n_own[moving].max())
        h_nominal = np.where(moving, dt / n_own, 0.0)
        left = h_nominal * n_own
        hit = np.zeros(moving.shape, bool)
        weave = params.weave_accel_mps2[idx]
        period = np.where(params.weave_period_s[idx] > 0, params.weave_period_s[idx], 1.0)
        t_range = params.terminal_range_m[idx]
        # one extra sub-step: steps are cut at burnout (no step straddles the thrust cut-off)
        for _ in range(n_sub + 1):
            h = np.where(hit, 0.0, step_to_burnout(tau, np.minimum(h_nominal, left), body))
            if not np.any(h > 0.0):
                break
            cmd: NDArray[np.float64] | float = 0.0
            if np.any(weave > 0):
                up = up_unit(pos)
                descending = np.sum(vel * up, axis=-1) < 0.0
                near = ground_range_m(pos, aim) < t_range
                phase = 2.0 * np.pi * (tau + 0.5 * h) / period + truth.weave_phase[:, idx]
                cmd = np.where(descending & near, weave * np.sin(phase), 0.0)
            p_new, v_new = rk4_step(pos, vel, tau, h, body, truth.thrust_dir[:, idx], cmd)
            h0, h1 = altitude_m(pos), altitude_m(p_new)
            down = (h > 0) & (h1 <= 0.0) & (tau + h > _GROUND_GRACE_S)
            frac = np.clip(np.divide(h0, h0 - h1, out=np.ones_like(h0), where=h0 != h1), 0, 1)
            p_new = np.where(down[..., None], pos + frac[..., None] * (p_new - pos), p_new)
            pos, vel = p_new, v_new
            tau = tau + h
            left = left - h
            hit |= down
        arrived = truth.arrived[:, idx] | hit
        truth.arrived[:, idx] = arrived
        vel = np.where(arrived[..., None], 0.0, vel)
    truth.pos[:, idx] = pos
    truth.vel[:, idx] = vel


def _start_breaks(truth: Truth, params: ThreatParams, t_now: float,
                  icp_pos: NDArray[np.float64], icp_active: NDArray[np.bool_]) -> None:
    """Start evasive breaks of slots with an interceptor inside their break range."""
    can = np.flatnonzero(params.break_range_m > 0)
    if can.size == 0 or not icp_active.any():
        return
    cand = truth.active[:, can] & np.isnan(truth.t_break[:, can])
    if not cand.any():
        return
    p = truth.pos[:, can]
    rel = icp_pos[:, None, :, :] - p[:, :, None, :]  # (R, Tc, M, 3)
    d = np.sqrt(np.sum(rel * rel, axis=-1))
    d = np.where(icp_active[:, None, :], d, np.inf)
    m = np.argmin(d, axis=-1)
    trig = cand & (np.min(d, axis=-1) < params.break_range_m[can])
    if not trig.any():
        return
    r, j = np.nonzero(trig)
    t = can[j]
    here = np.stack(enu_to_map(truth.pos[r, t]), axis=-1)
    ahead = np.stack(enu_to_map(truth.pos[r, t] + truth.vel[r, t]), axis=-1)
    threat_m = np.stack(enu_to_map(icp_pos[r, m[r, j]]), axis=-1)
    v = ahead[:, :2] - here[:, :2]
    w = threat_m[:, :2] - here[:, :2]
    # interceptor on the left (v x w > 0): break right (clockwise, +1)
    cross = v[:, 0] * w[:, 1] - v[:, 1] * w[:, 0]
    truth.t_break[r, t] = t_now
    truth.break_start[r, t] = here
    truth.break_heading[r, t] = np.arctan2(v[:, 0], v[:, 1])
    truth.break_sign[r, t] = np.where(cross > 0, 1.0, -1.0)


def _apply_breaks_at(truth: Truth, params: ThreatParams, r: NDArray[np.intp],
                     t_idx: NDArray[np.intp], t: float, pos: NDArray[np.float64],
                     vel: NDArray[np.float64], arrived: NDArray[np.bool_]) -> None:
    """Replace route positions of breaking pairs (r, t_idx) by their break turn (in place;
    ``pos``, ``vel``, ``arrived`` have shape (N, ...) aligned with the pairs)."""
    tb = truth.t_break[r, t_idx]
    broke = ~np.isnan(tb)
    if not broke.any():
        return
    k = np.flatnonzero(broke)
    rb, tk = r[k], t_idx[k]
    args = (truth.break_start[rb, tk, :2], truth.break_heading[rb, tk],
            truth.break_sign[rb, tk], params.break_radius_m[tk],
            params.break_turn_rad[tk], params.speed_mps[tk])
    dt = t - tb[k]
    en, _ = break_position(*args, dt)
    en2, _ = break_position(*args, dt + _VELOCITY_STEP_S)
    alt = truth.break_start[rb, tk, 2]
    p1 = map_to_enu(en[:, 0], en[:, 1], alt)
    p2 = map_to_enu(en2[:, 0], en2[:, 1], alt)
    pos[k] = p1
    vel[k] = (p2 - p1) / _VELOCITY_STEP_S
    arrived[k] = False

"""Interceptors in flight over one engine tick: launch, guidance, dynamics, endgame.

Midcourse, an interceptor flies proportional navigation toward a lofted aim point above the
predicted intercept point, which is rebuilt from the uplinked track at every step (command
guidance from the engagement radar: engage sees what the command post's track says, not
truth). Within its seeker's acquisition range it locks onto the body nearest the uplinked
estimate and homes on it (the seeker sees truth: it is a physical sensor).
Each sub-step checks the closest approach with the relative motion taken as linear over the
sub-step, so miss distances do not depend on the step size; the endgame then draws the kill
from the miss distance.

Only the interceptors in flight are computed (gathered into flat arrays), so the cost scales
with what flies, not with magazine size.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.earth import altitude_m, up_unit
from triumf.engage.base import Interceptors, InterceptorStatus, MissileTypes
from triumf.engage.dynamics import MissileKinematics, lateral_limit_mps2, step, thrust_and_mass
from triumf.engage.endgame import closest_approach, kill_probability
from triumf.engage.guidance import intercept_command
from triumf.engage.homing import (
    lag_step,
    noisy_relative_velocity,
    seeker_can_acquire,
)

# an interceptor at least this far in time from its target may step a whole tick at once, s
COARSE_MIN_TGO_S = 10.0
# the fuze fires if the closest approach is inside this many lethal radii
FUZE_LETHAL_RADII = 5.0
# the seeker locks onto a body this close to the uplinked estimate, metres
ACQUISITION_BASKET_M = 3000.0
# a miss counts as g-limited if the homing command exceeded the available lateral acceleration
# within this many seconds before the closest approach (a modelling convention, not a figure)
G_LIMIT_WINDOW_S = 1.0


def _dot3(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise dot product of (..., 3) arrays (the values of ``np.sum(a * b, axis=-1)``)."""
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


def _norm(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise length of (..., 3) vectors (the values of ``np.linalg.norm(a, axis=-1)``)."""
    return np.sqrt(_dot3(a, a))


class EndCause(IntEnum):
    """Why an interceptor's flight ended (``FlightEvents.end_cause``)."""

    KILL = 0
    MISS = 1
    G_LIMITED_MISS = 2
    SEEKER_NOT_ACQUIRED = 3
    OUT_OF_ENERGY = 4
    TARGET_GONE = 5
    GROUND = 6


@dataclass(frozen=True)
class FlightEvents:
    """What happened to interceptors during the tick (flat arrays, one entry per event)."""

    launched_r: NDArray[np.intp]
    launched_m: NDArray[np.intp]
    launched_t: NDArray[np.float64]
    end_r: NDArray[np.intp]
    end_m: NDArray[np.intp]
    end_t: NDArray[np.float64]
    end_threat: NDArray[np.int64]
    end_miss_m: NDArray[np.float64]
    end_kill: NDArray[np.bool_]
    end_lost: NDArray[np.bool_]
    """Interceptors that ended without an endgame (out of time, energy or target)."""
    end_cause: NDArray[np.intp]
    """`EndCause` code of each ended interceptor."""


def fly(
    icp: Interceptors,
    types: MissileTypes,
    launcher_pos: NDArray[np.float64],
    truth_pos: NDArray[np.float64],
    truth_vel: NDArray[np.float64],
    truth_active: NDArray[np.bool_],
    t_prev: float,
    t: float,
    dt_sub: float,
    keys: NDArray[np.uint64],
    counter: int,
) -> FlightEvents:
    """Advance every scheduled and flying interceptor from ``t_prev`` to ``t`` (in place).

    Parameters
    ----------
    icp : Interceptors
        Slots, shape (R, M); ``aim``/``aim_time`` hold the latest uplinked target state.
    launcher_pos : ndarray, shape (W, 3)
    truth_pos, truth_vel : ndarray, shape (R, T, 3)
        Truth at ``t`` (threats are moved before interceptors); positions at sub-step times
        are extrapolated back linearly.
    truth_active : ndarray of bool, shape (R, T)
        Bodies alive and in the air (modified in place when killed).
    dt_sub : float
        Integration sub-step, s.
    keys : ndarray of uint64, shape (R,)
        Engage-stage keys; ``counter`` is this tick's first draw counter (one per sub-step).
    """
    n_sub = max(1, int(np.ceil((t - t_prev) / dt_sub - 1e-9)))
    h = (t - t_prev) / n_sub
    ev: dict[str, list[NDArray[np.generic]]] = {k: [] for k in FlightEvents.__dataclass_fields__}
    # midcourse coasting far from the target: one step for the whole tick (see `_coarse`)
    coarse = _coarse(icp, types, t_prev, t)
    if coarse.any():
        r, m = np.nonzero(coarse)
        _substep(icp, types, r, m, truth_pos, truth_vel, truth_active, t, t, t - t_prev,
                 keys, counter + n_sub, ev, _Fixed.gather(icp, types, r, m))
    fixed: _Fixed | None = None
    r_prev = m_prev = np.zeros(0, np.intp)
    for i in range(n_sub):
        ts = t_prev + (i + 1) * h
        _launch(icp, types, launcher_pos, ts, ev)
        r, m = np.nonzero((icp.status == InterceptorStatus.FLYING) & ~coarse)
        if r.size:
            # the flying set rarely changes within a tick: reuse what is fixed during the tick
            if fixed is None or not (np.array_equal(r, r_prev) and np.array_equal(m, m_prev)):
                fixed, r_prev, m_prev = _Fixed.gather(icp, types, r, m), r, m
            _substep(icp, types, r, m, truth_pos, truth_vel, truth_active, t, ts, h,
                     keys, counter + i, ev, fixed)
    out = {}
    for k, v in ev.items():
        if v:
            out[k] = np.concatenate(v)
        else:
            out[k] = np.zeros(0, np.float64 if k.endswith(("_t", "_miss_m")) else np.intp)
    out["end_kill"] = out["end_kill"].astype(bool)
    out["end_lost"] = out["end_lost"].astype(bool)
    return FlightEvents(**out)


def _coarse(icp: Interceptors, types: MissileTypes, t_prev: float, t: float
            ) -> NDArray[np.bool_]:
    """Interceptors that may take the whole tick in one step, shape (R, M).

    Those past the vertical launch phase, without seeker lock, whose uplinked target is more
    than `COARSE_MIN_TGO_S` away at the current closing speed and beyond seeker range for the
    next few ticks (RK4 over half a second of boost or coast errs by centimetres). PN is
    stable with such steps while the step is a small fraction of the time to go; the fly-out
    tables use the same step growth.
    """
    flying = icp.status == InterceptorStatus.FLYING
    if not flying.any():
        return flying
    r, m = np.nonzero(flying)
    mt = icp.mtype[r, m]
    t_fly = t_prev - icp.t_launch[r, m]
    aim = icp.aim[r, m]
    est = aim[:, :3] + aim[:, 3:] * (t_prev - icp.aim_time[r, m])[:, None]
    rel = est - icp.pos[r, m]
    rng_m = _norm(rel)
    v_rel = aim[:, 3:] - icp.vel[r, m]
    closing = -_dot3(rel, v_rel) / np.maximum(rng_m, 1.0)
    speed = _norm(icp.vel[r, m])
    ok = (
        (t_fly > types.setting("vertical_phase_s")[mt] + 1.0)
        & (icp.locked[r, m] < 0)
        & (rng_m > types.seeker_range_m[mt] + 3.0 * speed * (t - t_prev))
        & (rng_m > COARSE_MIN_TGO_S * np.maximum(closing, 1.0))
    )
    out = np.zeros_like(flying)
    out[r[ok], m[ok]] = True
    return out


def _launch(icp: Interceptors, types: MissileTypes, launcher_pos: NDArray[np.float64], ts: float,
            ev: dict[str, list[NDArray[np.generic]]]) -> None:
    """Scheduled interceptors whose launch time has come leave the canister vertically."""
    due = (icp.status == InterceptorStatus.SCHEDULED) & (icp.t_launch <= ts)
    if not due.any():
        return
    r, m = np.nonzero(due)
    p0 = launcher_pos[icp.launcher[r, m]]
    icp.pos[r, m] = p0
    icp.vel[r, m] = up_unit(p0) * types.setting("ejection_speed_mps")[icp.mtype[r, m], None]
    icp.status[r, m] = InterceptorStatus.FLYING
    ev["launched_r"].append(r)
    ev["launched_m"].append(m)
    ev["launched_t"].append(icp.t_launch[r, m])


@dataclass(frozen=True, eq=False)
class _Fixed:
    """What does not change during a tick for a set of flying slots (r, m), shape (n, ...).

    Type parameters, launch times and the uplinked aim (the engine updates it between ticks
    only), gathered once per tick instead of at every sub-step.
    """

    mt: NDArray[np.intp]
    kin: MissileKinematics
    t_launch: NDArray[np.float64]
    aim: NDArray[np.float64]
    aim_time: NDArray[np.float64]
    aim_accel: NDArray[np.float64]
    t_intercept_pred: NDArray[np.float64]
    seeker_range_m: NDArray[np.float64]
    field_of_regard_rad: NDArray[np.float64]
    sigma: NDArray[np.float64]
    tau: NDArray[np.float64]
    nav_gain: NDArray[np.float64]
    loft_factor: NDArray[np.float64]
    max_loft_m: NDArray[np.float64]
    handover_range_m: NDArray[np.float64]
    turn_gain_per_s: NDArray[np.float64]
    turn_threshold_rad: NDArray[np.float64]
    vertical_phase_s: NDArray[np.float64]
    lethal_radius_m: NDArray[np.float64]
    pk_max: NDArray[np.float64]
    max_flight_time_s: NDArray[np.float64]
    min_speed_mps: NDArray[np.float64]

    @classmethod
    def gather(cls, icp: Interceptors, types: MissileTypes, r: NDArray[np.intp],
               m: NDArray[np.intp]) -> _Fixed:
        """Gather the fixed values of slots (r, m)."""
        mt = icp.mtype[r, m]
        return cls(
            mt, types.kin.take(mt), icp.t_launch[r, m], icp.aim[r, m], icp.aim_time[r, m],
            icp.aim_accel[r, m], icp.t_intercept_pred[r, m], types.seeker_range_m[mt],
            types.setting("seeker_field_of_regard_rad")[mt],
            types.setting("seeker_angle_noise_rad")[mt],
            types.setting("guidance_time_constant_s")[mt], types.nav_gain[mt],
            types.loft_factor[mt], types.max_loft_m[mt],
            types.setting("loft_handover_range_m")[mt], types.setting("turn_gain_per_s")[mt],
            types.setting("turn_threshold_rad")[mt], types.setting("vertical_phase_s")[mt],
            types.lethal_radius_m[mt], types.pk_max[mt], types.max_flight_time_s[mt],
            types.min_speed_mps[mt],
        )


def _substep(
    icp: Interceptors, types: MissileTypes, r: NDArray[np.intp], m: NDArray[np.intp],
    truth_pos: NDArray[np.float64], truth_vel: NDArray[np.float64],
    truth_active: NDArray[np.bool_], t: float, ts: float, h: float,
    keys: NDArray[np.uint64], counter: int, ev: dict[str, list[NDArray[np.generic]]],
    fx: _Fixed,
) -> None:
    """One guidance and integration sub-step ending at ``ts`` for the flying slots (r, m),
    whose values fixed during the tick are ``fx`` (shape (n, ...))."""
    kin = fx.kin
    pos, vel = icp.pos[r, m], icp.vel[r, m]
    t_fly = ts - h - fx.t_launch

    # uplinked estimate, extrapolated to the start of the sub-step
    aim = fx.aim
    dt_aim = (ts - h - fx.aim_time)[:, None]
    acc = fx.aim_accel
    est_pos = aim[:, :3] + aim[:, 3:] * dt_aim + 0.5 * acc * dt_aim**2
    est_vel = aim[:, 3:] + acc * dt_aim

    # seeker acquisition: lock onto the active body nearest the estimate that is inside the
    # seeker's acquisition range and field of regard
    locked = icp.locked[r, m]
    near = _norm(est_pos - pos) < fx.seeker_range_m
    want = (locked < 0) & near
    if want.any():
        back = ts - h - t
        cand = truth_pos[r[want]] + truth_vel[r[want]] * back  # (n, T, 3)
        d = _norm(cand - est_pos[want, None, :])
        seen = seeker_can_acquire(
            cand - pos[want, None, :], vel[want, None, :],
            fx.seeker_range_m[want, None],
            fx.field_of_regard_rad[want, None],
        )
        d = np.where(truth_active[r[want]] & seen, d, np.inf)
        best = np.argmin(d, axis=-1)
        ok = np.take_along_axis(d, best[:, None], axis=-1)[:, 0] < ACQUISITION_BASKET_M
        new_lock = np.where(ok, best, -1)
        locked = locked.copy()
        locked[want] = new_lock
        icp.locked[r, m] = locked
    has_lock = locked >= 0
    lk = np.maximum(locked, 0)
    tgt_pos0 = truth_pos[r, lk] + truth_vel[r, lk] * (ts - h - t)
    tgt_vel = truth_vel[r, lk]
    # a locked target that has been destroyed or has landed: nothing left to home on
    target_gone = has_lock & ~truth_active[r, lk]

    # the guidance law the fly-out tables were built with: lofted PN toward the uplinked
    # estimate in midcourse, then toward the seeker's target; the loft fades out inside the
    # hand-over range either way, so acquisition does not jerk the trajectory
    # midcourse flies at the predicted intercept point (the uplinked track extrapolated to the
    # predicted intercept time) as at a fixed point, exactly as the fly-out tables were built,
    # so the thin-air part of a lofted flight is already aimed; the seeker then homes with PN
    tgo_pred = np.maximum(fx.t_intercept_pred - (ts - h), 0.0)[:, None]
    pip = est_pos + est_vel * tgo_pred + 0.5 * fx.aim_accel * tgo_pred**2
    # the seeker measures the line-of-sight rate with an error sigma / tau
    # (see triumf.engage.homing)
    sigma = fx.sigma
    tau = fx.tau
    # (the angle error itself, of order |r| sigma across the line of sight, is negligible
    # next to the rate error for proportional navigation and is not applied here)
    seen_vel = tgt_vel
    if has_lock.any() and np.any(sigma[has_lock] > 0.0):
        hl = np.nonzero(has_lock)[0]
        draws = rng.normal_at(keys, counter, (icp.status.shape[1], 2), r[hl], m[hl])
        sigma_rate = np.where(tau > 0.0, sigma / np.where(tau > 0.0, tau, 1.0), 0.0)[hl]
        seen_vel = tgt_vel.copy()
        seen_vel[hl] = vel[hl] + noisy_relative_velocity(
            tgt_pos0[hl] - pos[hl], tgt_vel[hl] - vel[hl], sigma_rate, draws)
    homing_pos = np.where(has_lock[:, None], tgt_pos0, pip)
    homing_vel = np.where(has_lock[:, None], seen_vel, 0.0)
    a_cmd = intercept_command(
        pos, vel, homing_pos, homing_vel, fx.nav_gain, fx.loft_factor, fx.max_loft_m,
        handover_range_m=fx.handover_range_m,
        turn_gain_per_s=fx.turn_gain_per_s,
        turn_threshold_rad=fx.turn_threshold_rad,
    )
    vertical = t_fly < fx.vertical_phase_s
    a_cmd = np.where(vertical[:, None], 0.0, a_cmd)
    # the guidance and autopilot lag: the missile flies the mean achieved acceleration
    a_end, a_fly = lag_step(icp.accel[r, m], a_cmd, tau, h)
    icp.accel[r, m] = np.where(vertical[:, None], 0.0, a_end)
    if has_lock.any():
        # homing demands beyond the available lateral acceleration (for g-limited misses)
        _, mass = thrust_and_mass(t_fly, kin)
        limit = lateral_limit_mps2(pos, vel, mass, kin)
        saturated = has_lock & (_norm(a_cmd) > limit)
        icp.t_saturated[r[saturated], m[saturated]] = ts
    new_pos, new_vel = step(pos, vel, t_fly, a_fly, h, kin)

    # endgame: closest approach during the sub-step, relative motion taken as linear
    r0 = tgt_pos0 - pos
    v_avg = tgt_vel - 0.5 * (vel + new_vel)
    t_star, miss = closest_approach(r0, v_avg, h)
    lethal = fx.lethal_radius_m
    passing = has_lock & ~target_gone & (t_star < h) & (_dot3(r0, v_avg) < 0)
    # closest approach inside the sub-step (t* strictly before its end)
    fuze = passing & (miss < FUZE_LETHAL_RADII * lethal)
    missed_pass = passing & ~fuze
    pk = kill_probability(miss, lethal, fx.pk_max)
    u = rng.uniform_at(keys, counter, (icp.status.shape[1],), r, m)
    kill = fuze & (u < pk) & truth_active[r, lk]
    if kill.any():
        truth_active[r[kill], lk[kill]] = False

    # no lock when the uplinked estimate is passed inside seeker range: the seeker never acquired
    est_rel = est_pos - pos
    est_vrel = est_vel - 0.5 * (vel + new_vel)
    t_est, _ = closest_approach(est_rel, est_vrel, h)
    no_acq = (~has_lock & near & (t_est < h) & (_dot3(est_rel, est_vrel) < 0)
              & ~vertical)

    speed = _norm(new_vel)
    burnt = t_fly + h > kin.boost_time_s + kin.sustain_time_s
    energy = (t_fly + h > fx.max_flight_time_s) | (burnt & (speed < fx.min_speed_mps))
    ground = (altitude_m(new_pos) < 0) & (t_fly > 5.0)
    lost = ~(fuze | missed_pass) & (energy | ground | target_gone | no_acq)
    ended = fuze | missed_pass | lost
    g_limited = ~kill & (fuze | missed_pass) & (miss > lethal) & (
        ts - icp.t_saturated[r, m] < G_LIMIT_WINDOW_S)
    cause = np.select(
        [kill, g_limited, fuze | missed_pass, target_gone, no_acq, energy, ground],
        [EndCause.KILL, EndCause.G_LIMITED_MISS, EndCause.MISS, EndCause.TARGET_GONE,
         EndCause.SEEKER_NOT_ACQUIRED, EndCause.OUT_OF_ENERGY, EndCause.GROUND],
        EndCause.MISS,
    )
    icp.pos[r, m] = new_pos
    icp.vel[r, m] = new_vel
    if ended.any():
        icp.status[r[ended], m[ended]] = InterceptorStatus.DONE
        ev["end_r"].append(r[ended])
        ev["end_m"].append(m[ended])
        ev["end_t"].append(np.where(fuze | missed_pass, ts - h + t_star, ts)[ended])
        ev["end_threat"].append(np.where(has_lock, locked, -1)[ended])
        ev["end_miss_m"].append(np.where(fuze | missed_pass, miss, np.nan)[ended])
        ev["end_kill"].append(kill[ended])
        ev["end_lost"].append(lost[ended])
        ev["end_cause"].append(cause[ended])

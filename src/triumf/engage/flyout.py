"""Fly-out tables: time of flight and speed of an interceptor to every point of a grid.

The command post predicts intercept points from these tables (through
:class:`triumf.core.tables.FlyoutTable`, without importing this stage). The table is built by
flying the guided missile, with the same dynamics (:func:`triumf.engage.dynamics.step`) and
guidance law (:func:`triumf.engage.guidance.intercept_command`) as the engine, against every
stationary grid point at once: one batch of ``Nr * Na`` missiles, each a row of the state
arrays, finished rows dropped as they end.

Each missile leaves the launcher at the ENU origin (altitude 0) vertically at the canister
ejection speed, flies straight up for ``vertical_phase_s`` (cold launch, then ignition and
pitch-over), then steers toward its (lofted) aim point. A grid point is reached when the
closest approach to it, with the motion taken as linear over the step, falls inside the step
and within ``fuze_radius_m``; the time of flight and speed are those at that closest approach.
The point is unreachable (NaN) if the missile passes it farther than the fuze radius but inside
its own turn radius (it could not come back without looping), runs out of time, falls below
``min_speed_mps`` after motor burnout, or hits the ground.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import altitude_m, map_to_enu, up_unit
from triumf.core.tables import FlyoutTable, RegularGridTable
from triumf.engage.dynamics import MissileKinematics, lateral_limit_mps2, step, thrust_and_mass
from triumf.engage.endgame import closest_approach
from triumf.engage.guidance import (
    LOFT_HANDOVER_RANGE_M,
    TURN_GAIN_PER_S,
    TURN_THRESHOLD_RAD,
    intercept_command,
)

__all__ = [
    "EJECTION_SPEED_MPS",
    "FUZE_RADIUS_M",
    "VERTICAL_PHASE_S",
    "build_flyout_table",
]

FloatArray = NDArray[np.float64]

EJECTION_SPEED_MPS = 30.0
"""Speed at which a cold-launched missile leaves its canister, m/s [E]."""
VERTICAL_PHASE_S = 1.0
"""Vertical flight after ejection before guidance starts, seconds [E]."""
FUZE_RADIUS_M = 50.0
"""A grid point counts as reached when the closest approach is within this distance, metres."""
_MIDCOURSE_STEP_FRACTION = 0.05


def build_flyout_table(
    kin: MissileKinematics,
    nav_gain: float,
    loft_factor: float,
    max_loft_m: float,
    ground_ranges_m: ArrayLike,
    altitudes_m: ArrayLike,
    max_flight_time_s: float,
    min_speed_mps: float,
    dt: float = 0.05,
    *,
    fuze_radius_m: float = FUZE_RADIUS_M,
    launch_speed_mps: float = EJECTION_SPEED_MPS,
    vertical_phase_s: float = VERTICAL_PHASE_S,
    handover_range_m: float = LOFT_HANDOVER_RANGE_M,
    turn_gain_per_s: float = TURN_GAIN_PER_S,
    turn_threshold_rad: float = TURN_THRESHOLD_RAD,
    include_gravity: bool = True,
    max_dt_s: float | None = None,
) -> FlyoutTable:
    """Fly one missile type against a grid of stationary points and tabulate the results.

    Parameters
    ----------
    kin : MissileKinematics
        One missile type (scalar fields, or fields of shape (1,)).
    nav_gain : float
        Proportional-navigation ratio N'.
    loft_factor, max_loft_m : float
        Loft of the aim point (see :func:`triumf.engage.guidance.loft_aim_point`).
    ground_ranges_m : array_like, shape (Nr,), metres, ascending
        Great-circle ground range of the grid points from the launcher (east of it).
    altitudes_m : array_like, shape (Na,), metres, ascending
    max_flight_time_s : float
        Self-destruct time, seconds.
    min_speed_mps : float
        After motor burnout a missile slower than this is no longer effective, m/s.
    dt : float
        Integration step, seconds, during the vertical phase, the motor burn and the terminal
        phase. In midcourse the step grows to 5 % of the time to go, up to ``max_dt_s``.
    fuze_radius_m : float
        Closest-approach distance that counts as reaching a point, metres.
    launch_speed_mps : float
        Speed at launch, along the local vertical, m/s (> 0).
    vertical_phase_s : float
        Unguided vertical flight after launch, seconds.
    handover_range_m, turn_gain_per_s, turn_threshold_rad : float
        Guidance settings (see :func:`triumf.engage.guidance.intercept_command`).
    include_gravity : bool
        False flies without gravity (and without gravity compensation), for tests.
    max_dt_s : float, optional
        Longest midcourse step, seconds (default ``10 dt``; ``dt`` gives fixed steps).

    Returns
    -------
    FlyoutTable
        ``time_s``, ``speed_mps`` and ``accel_mps2`` (lateral acceleration available at the
        point) on the (ground range, altitude) grid, NaN where the point cannot be reached.
    """
    ranges = np.asarray(ground_ranges_m, dtype=np.float64)
    alts = np.asarray(altitudes_m, dtype=np.float64)
    rr, aa = np.meshgrid(ranges, alts, indexing="ij")
    targets_all = map_to_enu(rr.ravel(), np.zeros(rr.size), aa.ravel())
    n = targets_all.shape[0]

    scalar = {
        name: np.reshape(np.asarray(getattr(kin, name)), -1)[0] for name in kin.__dataclass_fields__
    }
    one = MissileKinematics(**scalar)
    burn_end_s = float(one.boost_time_s + one.sustain_time_s)

    tof = np.full(n, np.nan)
    speed_at = np.full(n, np.nan)
    accel_at = np.full(n, np.nan)
    live = np.arange(n)
    targets = targets_all
    pos = np.zeros((n, 3))
    vel = up_unit(pos) * launch_speed_mps
    t = np.zeros(n)
    zero_vel = np.zeros((n, 3))
    h_max = 10.0 * dt if max_dt_s is None else max(float(max_dt_s), dt)
    eps = 1e-6 * dt

    while live.size:
        # step size per missile: dt during the vertical phase, the burn and the terminal
        # phase; 5 % of the time to go (up to h_max) in midcourse; never across a boundary
        r0 = targets - pos
        dist = np.sqrt(np.sum(r0 * r0, axis=-1))
        speed0 = np.sqrt(np.sum(vel * vel, axis=-1))
        h = np.clip(_MIDCOURSE_STEP_FRACTION * dist / np.maximum(speed0, 1.0), dt, h_max)
        for boundary in (vertical_phase_s, burn_end_s):
            before = t < boundary - eps
            h = np.where(before, np.minimum(dt, boundary - t), h)
        h = np.minimum(h, max_flight_time_s - t)

        guided = t >= vertical_phase_s - eps
        a_cmd = np.zeros_like(vel)
        if guided.any():
            a_cmd[guided] = intercept_command(
                pos[guided],
                vel[guided],
                targets[guided],
                zero_vel[: int(guided.sum())],
                nav_gain,
                loft_factor,
                max_loft_m,
                handover_range_m=handover_range_m,
                turn_gain_per_s=turn_gain_per_s,
                turn_threshold_rad=turn_threshold_rad,
                compensate_gravity=include_gravity,
            )
        new_pos, new_vel = step(pos, vel, t, a_cmd, h, one, include_gravity=include_gravity)

        # closest approach over the step, relative motion linear (secant of the step)
        v_rel = -(new_pos - pos) / h[:, None]
        t_star, miss = closest_approach(r0, v_rel, h)
        passing = (np.sum(r0 * v_rel, axis=-1) < 0.0) & (t_star < h)
        hit = passing & (miss <= fuze_radius_m)
        frac = (t_star / h)[:, None]
        speed = np.sqrt(np.sum((vel + frac * (new_vel - vel)) ** 2, axis=-1))
        hit &= (speed >= min_speed_mps) | (t + t_star <= burn_end_s)
        tof[live[hit]] = t[hit] + t_star[hit]
        speed_at[live[hit]] = speed[hit]
        if hit.any():
            # lateral acceleration still available at the point
            f_hit = frac[hit]
            p_hit = pos[hit] + f_hit * (new_pos[hit] - pos[hit])
            v_hit = vel[hit] + f_hit * (new_vel[hit] - vel[hit])
            _, m_hit = thrust_and_mass(t[hit] + t_star[hit], one)
            accel_at[live[hit]] = lateral_limit_mps2(p_hit, v_hit, m_hit, one)

        # a pass outside the fuze radius ends the flight only if the missile could not come
        # back without looping: the miss is inside its turn radius v^2 / a_max (a pass at a
        # 90-degree heading error far from the point, e.g. while still turning, is no miss)
        wide = passing & ~hit
        if wide.any():
            _, mass = thrust_and_mass(t[wide] + t_star[wide], one)
            a_max = lateral_limit_mps2(new_pos[wide], new_vel[wide], mass, one)
            turn_radius = speed[wide] ** 2 / np.maximum(a_max, 1e-9)
            wide[wide] = miss[wide] < turn_radius
        t = t + h
        new_speed = np.sqrt(np.sum(new_vel * new_vel, axis=-1))
        lost = (
            hit
            | wide
            | (t >= max_flight_time_s - eps)
            | ((t > burn_end_s) & (new_speed < min_speed_mps))
            | ((altitude_m(new_pos) < 0.0) & (t > vertical_phase_s))
        )
        keep = ~(hit | lost)
        live = live[keep]
        targets = targets[keep]
        pos = new_pos[keep]
        vel = new_vel[keep]
        t = t[keep]

    shape = rr.shape
    return FlyoutTable(
        time_s=RegularGridTable(ranges, alts, tof.reshape(shape)),
        speed_mps=RegularGridTable(ranges, alts, speed_at.reshape(shape)),
        accel_mps2=RegularGridTable(ranges, alts, accel_at.reshape(shape)),
    )

"""Interceptor flights end with the right cause: kill or miss, seeker not acquired, energy."""

from __future__ import annotations

import dataclasses

import numpy as np

from triumf.core import rng
from triumf.core.earth import map_to_enu
from triumf.engage.base import Interceptors, InterceptorStatus
from triumf.engage.flight import EndCause, fly
from triumf.equipment.database import load_database
from triumf.scenario.compile import missile_types


def _fly_one(ground_range_m: float, **overrides: object) -> int:
    """Fly one 9M96E2 at a slow target at 5 km altitude; the flight's end cause."""
    types = missile_types(["9M96E2"], load_database())
    if overrides:
        types = dataclasses.replace(types, **overrides)  # type: ignore[arg-type]
    icp = Interceptors.empty(1, 1)
    tgt = map_to_enu(np.array([ground_range_m]), np.zeros(1), np.array([5000.0]))[0]
    tgt_vel = np.array([-50.0, 0.0, 0.0])
    icp.status[0, 0] = InterceptorStatus.SCHEDULED
    icp.mtype[0, 0] = 0
    icp.launcher[0, 0] = 0
    icp.t_launch[0, 0] = 0.0
    icp.target_slot[0, 0] = 0
    icp.aim[0, 0] = np.concatenate([tgt, tgt_vel])
    icp.aim_time[0, 0] = 0.0
    icp.t_intercept_pred[0, 0] = ground_range_m / 800.0
    keys = rng.stage_keys(rng.replication_keys(1, range(1)), rng.Stage.ENGAGE)
    active = np.ones((1, 1), bool)
    t, tick = 0.0, 1.0
    for i in range(400):
        pos = (tgt + tgt_vel * (t + tick))[None, None, :]
        vel = tgt_vel[None, None, :]
        ev = fly(icp, types, np.zeros((1, 3)), pos, vel, active, t, t + tick, 0.1, keys,
                 i * 64)
        if ev.end_cause.size:
            return int(ev.end_cause[0])
        t += tick
    raise AssertionError("the flight did not end")


def test_reachable_target_ends_in_an_endgame() -> None:
    """A slow target 40 km out is reached: the flight ends in a kill or a miss."""
    assert _fly_one(40e3) in (EndCause.KILL, EndCause.MISS)


def test_seeker_without_field_of_regard_never_acquires() -> None:
    """A seeker with a near-zero field of regard never locks: seeker_not_acquired."""
    tiny = np.array([1e-6])
    assert _fly_one(40e3, seeker_field_of_regard_rad=tiny) == EndCause.SEEKER_NOT_ACQUIRED


def test_target_beyond_reach_runs_out_of_energy() -> None:
    """A target far beyond the 9M96E2's 120 km: the missile slows below its minimum speed."""
    assert _fly_one(400e3) == EndCause.OUT_OF_ENERGY

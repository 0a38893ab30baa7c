"""Interceptor types and the interceptor state, batched over replications."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from triumf.core.tables import FlyoutTable
from triumf.engage.dynamics import MissileKinematics


@dataclass(frozen=True)
class MissileTypes:
    """Every interceptor type in the scenario (arrays of shape (Mt,)).

    Attributes
    ----------
    names : tuple of str
    kin : MissileKinematics
        Mass, thrust, drag and manoeuvre limits, arrays of shape (Mt,).
    nav_gain : ndarray
        Proportional-navigation constant N'.
    loft_factor, max_loft_m : ndarray
        Midcourse loft (see `triumf.engage.guidance.loft_aim_point`).
    seeker_range_m : ndarray
        Range to go at which the seeker acquires the target.
    max_flight_time_s, min_speed_mps : ndarray
        Self-destruct when exceeded / after burnout below.
    lethal_radius_m, pk_max : ndarray
        Endgame lethality (see `triumf.engage.endgame.kill_probability`).
    min_altitude_m, max_altitude_m, min_range_m, max_range_m : ndarray
        Published engagement envelope.
    cost_usd : ndarray
    flyout : tuple of FlyoutTable
        Time of flight and speed to (ground range, altitude), one per type.
    """

    names: tuple[str, ...]
    kin: MissileKinematics
    nav_gain: NDArray[np.float64]
    loft_factor: NDArray[np.float64]
    max_loft_m: NDArray[np.float64]
    seeker_range_m: NDArray[np.float64]
    max_flight_time_s: NDArray[np.float64]
    min_speed_mps: NDArray[np.float64]
    lethal_radius_m: NDArray[np.float64]
    pk_max: NDArray[np.float64]
    min_altitude_m: NDArray[np.float64]
    max_altitude_m: NDArray[np.float64]
    min_range_m: NDArray[np.float64]
    max_range_m: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    flyout: tuple[FlyoutTable, ...]

    @property
    def count(self) -> int:
        """Number of types Mt."""
        return len(self.names)


class InterceptorStatus(IntEnum):
    """Life of an interceptor slot."""

    FREE = 0
    SCHEDULED = 1
    FLYING = 2
    DONE = 3


@dataclass
class Interceptors:
    """Interceptor slots, shape (R, M, ...) (updated in place by the engine).

    Attributes
    ----------
    status : ndarray of int8
        `InterceptorStatus`.
    mtype, launcher, battalion : ndarray of int
        Missile type, fire unit and battalion of each slot.
    t_launch : ndarray
        Scheduled or actual launch time, s.
    pos, vel : ndarray, shape (R, M, 3)
        Engine ENU, m and m/s.
    target_slot, target_track_id : ndarray of int
        The track the interceptor was fired at (slot in the track arrays and its number).
    aim : ndarray, shape (R, M, 6)
        Last uplinked target estimate [position, velocity] and ``aim_time`` its time.
    aim_accel : ndarray, shape (R, M, 3)
        Acceleration the command post assumes for the target (gravity for ballistic tracks).
    locked : ndarray of int
        Truth index the seeker has locked on, -1 before acquisition.
    t_intercept_pred : ndarray
        Predicted intercept time at firing, s.
    """

    status: NDArray[np.int8]
    mtype: NDArray[np.int64]
    launcher: NDArray[np.int64]
    battalion: NDArray[np.int64]
    t_launch: NDArray[np.float64]
    pos: NDArray[np.float64]
    vel: NDArray[np.float64]
    target_slot: NDArray[np.int64]
    target_track_id: NDArray[np.int64]
    aim: NDArray[np.float64]
    aim_time: NDArray[np.float64]
    aim_accel: NDArray[np.float64]
    locked: NDArray[np.int64]
    t_intercept_pred: NDArray[np.float64]

    @classmethod
    def empty(cls, n_rep: int, n_slots: int) -> Interceptors:
        """All slots free."""
        shape = (n_rep, n_slots)
        return cls(
            status=np.zeros(shape, np.int8),
            mtype=np.zeros(shape, np.int64),
            launcher=np.full(shape, -1, np.int64),
            battalion=np.zeros(shape, np.int64),
            t_launch=np.full(shape, np.inf),
            pos=np.zeros(shape + (3,)),
            vel=np.zeros(shape + (3,)),
            target_slot=np.full(shape, -1, np.int64),
            target_track_id=np.full(shape, -1, np.int64),
            aim=np.zeros(shape + (6,)),
            aim_time=np.zeros(shape),
            aim_accel=np.zeros(shape + (3,)),
            locked=np.full(shape, -1, np.int64),
            t_intercept_pred=np.full(shape, np.inf),
        )

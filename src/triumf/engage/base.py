"""Interceptor types and the interceptor state, batched over replications."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from triumf.core.tables import FlyoutTable
from triumf.engage.dynamics import MissileKinematics
from triumf.engage.flyout import EJECTION_SPEED_MPS, VERTICAL_PHASE_S
from triumf.engage.guidance import LOFT_HANDOVER_RANGE_M, TURN_GAIN_PER_S, TURN_THRESHOLD_RAD


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
    loft_handover_range_m, turn_gain_per_s, turn_threshold_rad : ndarray, optional
        Guidance settings (see `triumf.engage.guidance.intercept_command`); default the
        module constants of `triumf.engage.guidance`.
    guidance_time_constant_s : ndarray, optional
        First-order lag of the guidance and autopilot loop, s (default 0: no lag).
    seeker_field_of_regard_rad : ndarray, optional
        Half-angle off the velocity within which the seeker can acquire, rad (default pi).
    seeker_angle_noise_rad : ndarray, optional
        Standard deviation of the seeker's line-of-sight angle per axis, rad (default 0).
    uplink_interval_s : ndarray, optional
        Interval between midcourse target updates, s (default 0: every track update).
    ejection_speed_mps, vertical_phase_s : ndarray, optional
        Canister ejection speed, m/s, and unguided vertical flight after it, s (defaults
        `triumf.engage.flyout.EJECTION_SPEED_MPS` and ``VERTICAL_PHASE_S``).
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
    loft_handover_range_m: NDArray[np.float64] | None = field(default=None)
    turn_gain_per_s: NDArray[np.float64] | None = field(default=None)
    turn_threshold_rad: NDArray[np.float64] | None = field(default=None)
    guidance_time_constant_s: NDArray[np.float64] | None = field(default=None)
    seeker_field_of_regard_rad: NDArray[np.float64] | None = field(default=None)
    seeker_angle_noise_rad: NDArray[np.float64] | None = field(default=None)
    uplink_interval_s: NDArray[np.float64] | None = field(default=None)
    ejection_speed_mps: NDArray[np.float64] | None = field(default=None)
    vertical_phase_s: NDArray[np.float64] | None = field(default=None)

    def __post_init__(self) -> None:
        defaults = {
            "loft_handover_range_m": LOFT_HANDOVER_RANGE_M, "turn_gain_per_s": TURN_GAIN_PER_S,
            "turn_threshold_rad": TURN_THRESHOLD_RAD, "guidance_time_constant_s": 0.0,
            "seeker_field_of_regard_rad": np.pi, "seeker_angle_noise_rad": 0.0,
            "uplink_interval_s": 0.0, "ejection_speed_mps": EJECTION_SPEED_MPS,
            "vertical_phase_s": VERTICAL_PHASE_S,
        }
        n = len(self.names)
        for name, value in defaults.items():
            given = getattr(self, name)
            arr = np.full(n, value) if given is None else np.asarray(given, dtype=np.float64)
            object.__setattr__(self, name, np.broadcast_to(arr, (n,)).astype(np.float64))

    def setting(self, name: str) -> NDArray[np.float64]:
        """An optional per-type setting filled in by ``__post_init__`` (shape (Mt,))."""
        value = getattr(self, name)
        assert value is not None
        return np.asarray(value, dtype=np.float64)

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
    accel : ndarray, shape (R, M, 3)
        Guidance command after the first-order guidance lag, m/s^2: not yet limited; the
        dynamics fly only its part across the velocity, clipped to the available lateral
        acceleration (`triumf.engage.dynamics.acceleration`).
    t_saturated : ndarray
        Last time the homing command exceeded the available lateral acceleration, s (-inf:
        never).
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
    accel: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0, 3)))
    t_saturated: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))

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
            accel=np.zeros(shape + (3,)),
            t_saturated=np.full(shape, -np.inf),
        )

"""Truth: the parameters and the state of every body the battalion may see.

Threat slots ``T`` hold hostile raids and friendly aircraft alike; a slot is ballistic (free
flight under gravity) or a route flyer (waypoints at a set altitude profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.threat.powered import BallisticBody

_PROFILE_FIELDS = ("weave_accel_mps2", "weave_period_s", "terminal_range_m", "turn_radius_m",
                   "s_turn_amplitude_m", "s_turn_period_s", "s_turn_range_m",
                   "max_lateral_accel_mps2", "max_climb_rad", "break_range_m",
                   "break_radius_m", "break_turn_rad", "route_jitter_m")


def _empty() -> NDArray[np.float64]:
    return np.zeros((0,))


def _empty_bool() -> NDArray[np.bool_]:
    return np.zeros((0,), bool)


@dataclass(frozen=True)
class ThreatParams:
    """Static description of the threat slots (shape (T, ...)).

    Attributes
    ----------
    label : tuple of str, length T
        Readable name of each slot, e.g. ``"cruise-missiles#3"``.
    type_name : tuple of str, length T
        Equipment type of each slot.
    group : ndarray of int, shape (T,)
        Index of the raid (or friendly flight) the slot belongs to.
    group_names : tuple of str
        Raid and friendly-flight names by group index.
    hostile : ndarray of bool, shape (T,)
    ballistic : ndarray of bool, shape (T,)
    route : ndarray, shape (T, P, 3)
        Nominal route in map coordinates (east m, north m, altitude m); the first point is the
        centre of the launch area, the last the aim point. Padded by repeating the last point.
    launch_radius_m : ndarray, shape (T,)
        Launch points are drawn uniformly in a disc of this radius about the first point.
    aim_error_m : ndarray, shape (T,)
        One-sigma (per axis) scatter of the aim point about the last point.
    aim_asset : ndarray of int, shape (T,)
        Index of the aimed asset, -1 for friendlies.
    speed_mps : ndarray, shape (T,)
    loop : ndarray of bool, shape (T,)
        Fly the route round and round (friendly patrols).
    launch_window_s : ndarray, shape (T, 2)
        Launch times are uniform in [start, end].
    rcs_m2 : ndarray, shape (T,)
        Mean radar cross-section.
    swerling : ndarray of int, shape (T,)
    flight_path_angle_rad : ndarray, shape (T,)
        Launch flight-path angle of ballistic slots (Keplerian) or the nominal launch elevation
        of powered ones (it picks the depressed or the lofted branch of the range table).

    The remaining fields describe the flight profiles (see ``docs/model.md``); each defaults
    to "off" (an empty default is replaced by zeros of shape (T,)), so a slot without them flies as
    before: Keplerian free flight or straight legs with sharp corners.

    body : BallisticBody or None
        Motor and drag figures of ballistic slots, fields shape (T,); a slot with
        ``thrust_n > 0`` is flown by :mod:`triumf.threat.powered` (boost, drag, re-entry).
    weave_accel_mps2, weave_period_s : ndarray, shape (T,)
        Terminal weave of powered ballistic slots: lateral command amplitude and period.
    terminal_range_m : ndarray, shape (T,)
        Ground range to the aim point inside which the terminal weave is flown.
    turn_radius_m : ndarray, shape (T,)
        Radius of coordinated turns at route corners (0: sharp corners).
    s_turn_amplitude_m, s_turn_period_s, s_turn_range_m : ndarray, shape (T,)
        Terminal S-turn of route flyers (amplitude 0: none); the wavelength is speed x
        period, stretched so that the lateral acceleration stays within the limit.
    max_lateral_accel_mps2 : ndarray, shape (T,)
        Lateral acceleration limit, m/s^2 (0: unlimited for the S-turn wavelength).
    terrain_following : ndarray of bool, shape (T,)
        Fly the route's altitude as a clearance above the terrain (with a terrain).
    max_climb_rad : ndarray, shape (T,)
        Steepest climb or descent of terrain following.
    break_range_m, break_radius_m, break_turn_rad : ndarray, shape (T,)
        Evasive break: when an interceptor comes within ``break_range_m`` (0: never), turn
        away at radius ``break_radius_m`` through ``break_turn_rad`` then fly straight.
    route_jitter_m : ndarray, shape (T,)
        One-sigma (per axis) scatter of interior waypoints, drawn per replication.
    range_table_elevation_rad, range_table_m : ndarray, shape (T, N)
        Range tables of powered slots (:func:`triumf.threat.powered.range_table`), built
        once when the scenario is compiled so that worker processes need not; empty: built
        when the truth is initialised.
    """

    label: tuple[str, ...]
    type_name: tuple[str, ...]
    group: NDArray[np.int64]
    group_names: tuple[str, ...]
    hostile: NDArray[np.bool_]
    ballistic: NDArray[np.bool_]
    route: NDArray[np.float64]
    launch_radius_m: NDArray[np.float64]
    aim_error_m: NDArray[np.float64]
    aim_asset: NDArray[np.int64]
    speed_mps: NDArray[np.float64]
    loop: NDArray[np.bool_]
    launch_window_s: NDArray[np.float64]
    rcs_m2: NDArray[np.float64]
    swerling: NDArray[np.int64]
    flight_path_angle_rad: NDArray[np.float64]
    body: BallisticBody | None = None
    weave_accel_mps2: NDArray[np.float64] = field(default_factory=_empty)
    weave_period_s: NDArray[np.float64] = field(default_factory=_empty)
    terminal_range_m: NDArray[np.float64] = field(default_factory=_empty)
    turn_radius_m: NDArray[np.float64] = field(default_factory=_empty)
    s_turn_amplitude_m: NDArray[np.float64] = field(default_factory=_empty)
    s_turn_period_s: NDArray[np.float64] = field(default_factory=_empty)
    s_turn_range_m: NDArray[np.float64] = field(default_factory=_empty)
    max_lateral_accel_mps2: NDArray[np.float64] = field(default_factory=_empty)
    terrain_following: NDArray[np.bool_] = field(default_factory=_empty_bool)
    max_climb_rad: NDArray[np.float64] = field(default_factory=_empty)
    break_range_m: NDArray[np.float64] = field(default_factory=_empty)
    break_radius_m: NDArray[np.float64] = field(default_factory=_empty)
    break_turn_rad: NDArray[np.float64] = field(default_factory=_empty)
    route_jitter_m: NDArray[np.float64] = field(default_factory=_empty)
    range_table_elevation_rad: NDArray[np.float64] = field(default_factory=_empty)
    range_table_m: NDArray[np.float64] = field(default_factory=_empty)

    def __post_init__(self) -> None:
        n = len(self.label)
        for name in _PROFILE_FIELDS:
            if np.size(getattr(self, name)) == 0:
                object.__setattr__(self, name, np.zeros(n))
        if np.size(self.terrain_following) == 0:
            object.__setattr__(self, "terrain_following", np.zeros(n, bool))
        if self.body is None:
            z, one = np.zeros(n), np.ones(n)
            object.__setattr__(self, "body", BallisticBody(
                launch_mass_kg=one, burnout_mass_kg=one, thrust_n=z, burn_time_s=one,
                ref_area_m2=z, cd_subsonic=z, cd_peak=z, cd_hypersonic=z, cn_max=z,
                max_lateral_accel_mps2=z, rail_speed_mps=z))

    @property
    def powered(self) -> NDArray[np.bool_]:
        """Ballistic slots flown with motor and drag, shape (T,)."""
        assert self.body is not None
        return self.ballistic & (np.asarray(self.body.thrust_n) > 0.0)

    @property
    def count(self) -> int:
        """Number of slots T."""
        return len(self.label)


@dataclass
class Truth:
    """Truth state, batched over replications (arrays updated in place by the engine).

    Attributes
    ----------
    pos, vel : ndarray, shape (R, T, 3)
        Position (m) and velocity (m/s), engine ENU.
    launched : ndarray of bool, shape (R, T)
    alive : ndarray of bool, shape (R, T)
        Not destroyed by an interceptor.
    arrived : ndarray of bool, shape (R, T)
        Reached the end of its route or the ground (a leak when hostile and alive).
    t_launch : ndarray, shape (R, T)
        Launch time of this replication, s.
    route : ndarray, shape (R, T, P, 3)
        The replication's route (jittered launch and aim points), map coordinates.
    cumlen : ndarray, shape (R, T, P)
        Cumulative route length, m.
    ballistic_v0 : ndarray, shape (R, T, 3)
        Launch velocity of ballistic slots (rail-exit velocity of powered ones).
    thrust_dir : ndarray, shape (R, T, 3)
        Launch attitude of powered ballistic slots (unit vector), held through the burn.
    weave_phase : ndarray, shape (R, T)
        Phase of the terminal weave, radians (drawn per replication).
    s_turn_sign : ndarray, shape (R, T)
        Side of the first S-turn swing, +1 left or -1 right (drawn per replication).
    t_break : ndarray, shape (R, T)
        Start of the evasive break, s (NaN: none yet).
    break_start : ndarray, shape (R, T, 3)
        Map position (east, north, altitude) at the start of the break.
    break_heading : ndarray, shape (R, T)
        Heading at the start of the break, radians clockwise from north.
    break_sign : ndarray, shape (R, T)
        +1 breaks right, -1 left.
    shape : object
        Route-flyer manoeuvres of this batch (a :class:`triumf.threat.flyer.FlyerShape`).
    """

    pos: NDArray[np.float64]
    vel: NDArray[np.float64]
    launched: NDArray[np.bool_]
    alive: NDArray[np.bool_]
    arrived: NDArray[np.bool_]
    t_launch: NDArray[np.float64]
    route: NDArray[np.float64]
    cumlen: NDArray[np.float64]
    ballistic_v0: NDArray[np.float64]
    thrust_dir: NDArray[np.float64] = field(default_factory=_empty)
    weave_phase: NDArray[np.float64] = field(default_factory=_empty)
    s_turn_sign: NDArray[np.float64] = field(default_factory=_empty)
    t_break: NDArray[np.float64] = field(default_factory=_empty)
    break_start: NDArray[np.float64] = field(default_factory=_empty)
    break_heading: NDArray[np.float64] = field(default_factory=_empty)
    break_sign: NDArray[np.float64] = field(default_factory=_empty)
    shape: object = None

    @property
    def active(self) -> NDArray[np.bool_]:
        """Flying now: launched, alive, not arrived, shape (R, T)."""
        return self.launched & self.alive & ~self.arrived

"""Truth: the parameters and the state of every body the battalion may see.

Threat slots ``T`` hold hostile raids and friendly aircraft alike; a slot is ballistic (free
flight under gravity) or a route flyer (waypoints at a set altitude profile).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


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
        Launch flight-path angle of ballistic slots.
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
        Launch velocity of ballistic slots.
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

    @property
    def active(self) -> NDArray[np.bool_]:
        """Flying now: launched, alive, not arrived, shape (R, T)."""
        return self.launched & self.alive & ~self.arrived

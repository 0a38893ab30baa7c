"""Engagement envelopes (ground range against altitude) from the interceptor dynamics.

The envelope of a missile type is the set of intercept points it can reach: for every altitude,
the least and greatest ground range at which :func:`triumf.engage.flyout.build_flyout_table`
finds a finite time of flight (the missile arrives with at least its minimum speed, inside its
maximum flight time, before touching the ground). The points are stationary, which is the
envelope against a non-manoeuvring target: the target only decides *when* it is at the point,
not whether the missile can get there. The launcher is at altitude 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.tables import FlyoutTable
from triumf.engage.dynamics import MissileKinematics
from triumf.engage.flyout import build_flyout_table
from triumf.engage.guidance import LOFT_HANDOVER_RANGE_M, TURN_GAIN_PER_S, TURN_THRESHOLD_RAD

__all__ = ["Envelope", "envelope_from_table", "compute_envelope"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Envelope:
    """Reachable ground ranges per altitude.

    Attributes
    ----------
    altitude_m : ndarray, shape (Na,)
    min_range_m, max_range_m : ndarray, shape (Na,), metres; NaN where nothing is reachable
    table : FlyoutTable
        The fly-out table the envelope was read from.
    """

    altitude_m: FloatArray
    min_range_m: FloatArray
    max_range_m: FloatArray
    table: FlyoutTable

    def max_range_at(self, altitude_m: float) -> float:
        """Greatest reachable ground range at an altitude (linear between grid altitudes), m."""
        return float(np.interp(altitude_m, self.altitude_m, self.max_range_m))


def envelope_from_table(table: FlyoutTable) -> Envelope:
    """Read the envelope out of a fly-out table.

    Parameters
    ----------
    table : FlyoutTable
        Grid of ground range (Nr,) by altitude (Na,).

    Returns
    -------
    Envelope
        Per altitude, the smallest and largest grid range with a finite time of flight.
    """
    ranges = table.time_s.x
    ok = np.isfinite(table.time_s.values)  # (Nr, Na)
    any_ok = ok.any(axis=0)
    big = np.where(ok, ranges[:, None], -np.inf).max(axis=0)
    small = np.where(ok, ranges[:, None], np.inf).min(axis=0)
    return Envelope(
        altitude_m=np.asarray(table.time_s.y, dtype=np.float64),
        min_range_m=np.where(any_ok, small, np.nan),
        max_range_m=np.where(any_ok, big, np.nan),
        table=table,
    )


def compute_envelope(
    kin: MissileKinematics,
    nav_gain: float,
    loft_factor: float,
    max_loft_m: float,
    max_flight_time_s: float,
    min_speed_mps: float,
    ground_ranges_m: ArrayLike,
    altitudes_m: ArrayLike,
    *,
    dt: float = 0.05,
    handover_range_m: float = LOFT_HANDOVER_RANGE_M,
    turn_gain_per_s: float = TURN_GAIN_PER_S,
    turn_threshold_rad: float = TURN_THRESHOLD_RAD,
) -> Envelope:
    """Fly one missile type against a (ground range, altitude) grid and read its envelope.

    Parameters
    ----------
    kin : MissileKinematics
        One missile type (scalar fields).
    nav_gain, loft_factor, max_loft_m, max_flight_time_s, min_speed_mps : float
        As for :func:`triumf.engage.flyout.build_flyout_table`.
    ground_ranges_m : array_like, shape (Nr,), metres, ascending
        Should reach beyond the expected maximum range (the envelope cannot exceed the grid).
    altitudes_m : array_like, shape (Na,), metres, ascending
    dt : float
        Integration step, seconds.
    handover_range_m, turn_gain_per_s, turn_threshold_rad : float
        Guidance settings of the missile type.

    Returns
    -------
    Envelope
    """
    table = build_flyout_table(
        kin, nav_gain, loft_factor, max_loft_m, ground_ranges_m, altitudes_m,
        max_flight_time_s, min_speed_mps, dt=dt, handover_range_m=handover_range_m,
        turn_gain_per_s=turn_gain_per_s, turn_threshold_rad=turn_threshold_rad,
    )
    return envelope_from_table(table)

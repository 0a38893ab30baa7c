"""What the command post shares between its kernels: no-fire reasons and its internal records.

The command post never sees truth. Its kernels work on track states ``x`` (R, K, 6) =
``[e, n, u, ve, vn, vu]`` in the engine's local ENU frame (metres, m/s), the track covariance,
a confirmed mask, its own inventory and static parameters. Every decision not to engage a
track carries a :class:`NoFireReason`, so the event log can answer "why did the battalion not
fire at threat 17?".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

__all__ = ["NoFireReason", "ThreatPicture", "Engageability"]


class NoFireReason(IntEnum):
    """Why a track was not engaged (``NONE`` when it was, or could be).

    The integer values are stable: they are stored in event logs and result files.
    """

    NONE = 0
    NOT_CONFIRMED = 1
    FRIENDLY = 2
    WEAPONS_TIGHT = 3
    NOT_THREATENING = 4
    OUT_OF_RANGE = 5
    BELOW_MIN_ALTITUDE = 6
    ABOVE_MAX_ALTITUDE = 7
    NOT_VISIBLE = 8
    TOO_LATE = 9
    NO_TARGET_CHANNEL = 10
    NO_MISSILE_CHANNEL = 11
    MAGAZINE_EMPTY = 12
    LAUNCHER_BUSY = 13
    AWAITING_ASSESSMENT = 14
    ROUND_LIMIT = 15
    NOT_IDENTIFIED = 16
    HELD_IN_RESERVE = 17
    LOWER_PRIORITY = 18
    NO_FIRE_CONTROL_TRACK = 19
    FRIENDLY_CORRIDOR = 20
    OUTSIDE_ENGAGEMENT_ZONE = 21
    BOOSTING = 22
    INSUFFICIENT_MANOEUVRE = 23

    def describe(self) -> str:
        """Plain-English explanation of the reason, for logs and reports."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: dict[NoFireReason, str] = {
    NoFireReason.NONE: "No reason not to fire: the track was (or could be) engaged.",
    NoFireReason.NOT_CONFIRMED: "The track is not confirmed yet (tentative or lost).",
    NoFireReason.FRIENDLY: "The track is identified as friendly.",
    NoFireReason.WEAPONS_TIGHT: (
        "Weapons tight: only tracks positively identified as hostile may be engaged."
    ),
    NoFireReason.NOT_THREATENING: "The track is not predicted to threaten any defended asset.",
    NoFireReason.OUT_OF_RANGE: (
        "No predicted intercept point inside the missile's fly-out envelope (too far, too close "
        "or kinematically unreachable)."
    ),
    NoFireReason.BELOW_MIN_ALTITUDE: (
        "The predicted intercept point is below the missile's minimum engagement altitude."
    ),
    NoFireReason.ABOVE_MAX_ALTITUDE: (
        "The predicted intercept point is above the missile's maximum engagement altitude."
    ),
    NoFireReason.NOT_VISIBLE: (
        "The engagement radar cannot see the predicted intercept point (below its radar "
        "horizon or beyond its range)."
    ),
    NoFireReason.TOO_LATE: (
        "The intercept would come after the threat reaches its keep-out distance from the asset."
    ),
    NoFireReason.NO_TARGET_CHANNEL: "All target (fire-control) channels of the fire unit are busy.",
    NoFireReason.NO_MISSILE_CHANNEL: "All missile guidance channels of the fire unit are busy.",
    NoFireReason.MAGAZINE_EMPTY: "No ready missile of a suitable type is left on the launchers.",
    NoFireReason.LAUNCHER_BUSY: "The launchers are still in their ripple or reload interval.",
    NoFireReason.AWAITING_ASSESSMENT: (
        "Shoot-look-shoot: waiting for the kill assessment of the missiles already in flight."
    ),
    NoFireReason.NOT_IDENTIFIED: (
        "Identification pending: the track has not yet had enough IFF interrogations without "
        "a reply to be declared hostile."
    ),
    NoFireReason.ROUND_LIMIT: (
        "The doctrine's limit of interceptors per target (max_rounds_per_target) is spent."
    ),
    NoFireReason.HELD_IN_RESERVE: (
        "The only rounds that could engage it are the doctrine's reserve, released only "
        "against imminent threats (reserve_release_s)."
    ),
    NoFireReason.LOWER_PRIORITY: (
        "Engageable, but the weapon-target assignment gave the free fire channels and rounds "
        "to threats of higher value this cycle."
    ),
    NoFireReason.NO_FIRE_CONTROL_TRACK: (
        "The engagement radar of no fire unit that could intercept it holds the track yet."
    ),
    NoFireReason.FRIENDLY_CORRIDOR: (
        "The track is inside a friendly corridor (minimum-risk route), where the doctrine "
        "never fires."
    ),
    NoFireReason.OUTSIDE_ENGAGEMENT_ZONE: (
        "An intercept is possible, but only outside the doctrine's engagement zone of every "
        "missile type that could make it (layered defence keeps short-range rounds for "
        "closer threats)."
    ),
    NoFireReason.BOOSTING: (
        "The track is still speeding up along its path (a motor burning, or the track catching "
        "up with a burnt-out rocket): no intercept point can be predicted from it yet."
    ),
    NoFireReason.INSUFFICIENT_MANOEUVRE: (
        "The missile could reach the predicted intercept point, but with less lateral "
        "acceleration left there than the doctrine's minimum (thin air or a spent motor)."
    ),
}


@dataclass(frozen=True)
class ThreatPicture:
    """Threat evaluation of every track against the defended assets.

    Attributes
    ----------
    asset : ndarray of int, shape (R, K)
        Index of the asset the track threatens, -1 when it threatens none (or is invalid).
    t_go_s : ndarray, shape (R, K), seconds
        Time until the threat reaches the keep-out distance of ``asset`` (0 when already
        inside; time to closest approach when it never gets that close); ``inf`` when not
        threatening.
    t_cpa_s : ndarray, shape (R, K), seconds
        Time to the predicted closest approach (air-breathing) or impact (ballistic).
    miss_m : ndarray, shape (R, K), metres
        Predicted closest approach to the most likely aim asset (ballistic: ground distance
        from the predicted impact point); ``inf`` for invalid tracks or failed predictions.
    impact_point : ndarray, shape (R, K, 3), metres, ENU
        Predicted point of closest approach (air-breathing) or impact (ballistic); NaN when
        no prediction exists.
    value : ndarray, shape (R, K)
        Value of the threatened asset, 0 when not threatening.
    ballistic : ndarray of bool, shape (R, K)
        Whether the track was classified as ballistic.
    """

    asset: NDArray[np.int64]
    t_go_s: NDArray[np.float64]
    t_cpa_s: NDArray[np.float64]
    miss_m: NDArray[np.float64]
    impact_point: NDArray[np.float64]
    value: NDArray[np.float64]
    ballistic: NDArray[np.bool_]

    @property
    def threatening(self) -> NDArray[np.bool_]:
        """Tracks predicted to threaten an asset, shape (R, K)."""
        return self.asset >= 0


@dataclass(frozen=True)
class Engageability:
    """Predicted intercept points of every (fire unit, track, missile type).

    Attributes
    ----------
    feasible : ndarray of bool, shape (R, W, K, Mt)
        An intercept is possible if the missile is launched after the launch delay.
    t_intercept_s : ndarray, shape (R, W, K, Mt), seconds from now
        Predicted intercept time (launch delay plus time of flight); NaN when the iteration
        did not converge or was skipped (invalid track, target out of reach).
    pip : ndarray, shape (R, W, K, Mt, 3), metres, ENU
        Predicted intercept point (the constant-velocity target at ``t_intercept_s``); NaN
        where ``t_intercept_s`` is.
    reason : ndarray of int8, shape (R, W, K, Mt)
        :class:`NoFireReason` of the first failed test; ``NONE`` where feasible.
    missile_speed_mps : ndarray, shape (R, W, K, Mt), m/s
        Missile speed at the PIP from the fly-out table (NaN outside the table).
    converged : ndarray of bool, shape (R, W, K, Mt)
        Whether the PIP iteration converged.
    """

    feasible: NDArray[np.bool_]
    t_intercept_s: NDArray[np.float64]
    pip: NDArray[np.float64]
    reason: NDArray[np.int8]
    missile_speed_mps: NDArray[np.float64]
    converged: NDArray[np.bool_]

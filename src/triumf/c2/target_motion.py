"""The command post's estimate of a track's acceleration, for predicting ballistic targets.

The tracker delivers position and velocity (a constant-velocity or IMM state). A guided rocket
is not a constant-velocity target: it accelerates at 10-20 g while its motor burns, and after
burnout it follows a gravity arc slowed by drag. The command post therefore keeps, per track,
the velocity it saw at an earlier cycle and differentiates:

    a_est = (v(t) - v(t_prev)) / (t - t_prev),     t - t_prev >= ACCEL_BASELINE_S,

smoothed by an exponential average. Two uses follow:

* :func:`boosting`: a track that speeds up along its path faster than ``BOOST_ACCEL_MPS2``
  is under thrust (a coasting body's along-path acceleration is ``-g sin(gamma) - D/m <= g``),
  or is a track still catching up with one; a steeply climbing track whose acceleration is not
  known yet may be one. Only steeply climbing tracks are tested (a rocket burns on its way
  up). Its intercept point cannot be predicted, and the command post waits
  (``NoFireReason.BOOSTING``).
* :func:`ballistic_accel`: the acceleration a ballistic track is extrapolated with, gravity
  exactly plus the drag deceleration the track shows along its velocity (clipped to the
  physically possible sign: drag only slows the body). Gravity alone would predict a rocket
  that descends through the dense air too fast and, on the way up, too high.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import gravity_mps2, up_unit

__all__ = [
    "ACCEL_BASELINE_S",
    "ACCEL_SMOOTHING",
    "BOOST_ACCEL_MPS2",
    "CLIMB_ANGLE_RAD",
    "MAX_DRAG_DECEL_MPS2",
    "MIN_DIFFERENCES",
    "ballistic_accel",
    "boosting",
    "update_accel",
]

FloatArray = NDArray[np.float64]

ACCEL_BASELINE_S = 2.0
"""Shortest time between the two velocities differenced [E], s: long enough that the track's
velocity noise (a few m/s) gives an acceleration error of about 1 m/s^2, short next to a
rocket's 10-20 s boost."""
MIN_DIFFERENCES = 2
"""Differences needed before the estimate is used [E]: the first one starts from the velocity
of a newly initiated track, which is often tens of m/s off."""
ACCEL_SMOOTHING = 0.5
"""Weight of a new difference in the exponential average of the acceleration [E]."""
BOOST_ACCEL_MPS2 = 15.0
"""Along-path acceleration above which a track is taken as boosting [E], m/s^2. A coasting
body cannot exceed g = 9.8 m/s^2 along its path (falling vertically, no drag); the margin
covers the acceleration estimate's noise. Rocket motors give 5-20 g."""
CLIMB_ANGLE_RAD = np.deg2rad(10.0)
"""Flight-path angle above which a track without an acceleration estimate may be a rocket
under thrust [E] (the steep-path angle of :func:`triumf.c2.evaluation.classify_ballistic`)."""
MAX_DRAG_DECEL_MPS2 = 100.0
"""Largest drag deceleration believed from a track [E], m/s^2 (about 10 g; a guided rocket
re-entering at Mach 3 near the ground): larger values are taken as estimation noise."""


def update_accel(
    accel: ArrayLike,
    ref_vel: ArrayLike,
    ref_time_s: ArrayLike,
    vel: ArrayLike,
    time_s: ArrayLike,
    count: ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.int64]]:
    """One update of the differenced acceleration of tracks.

    Parameters
    ----------
    accel : array_like, shape (..., 3), m/s^2
        Current estimate (any value where not ``known``).
    ref_vel : array_like, shape (..., 3), m/s
        Velocity at ``ref_time_s``, the reference of the next difference.
    ref_time_s : array_like, shape (...), s
        Time of ``ref_vel`` (``-inf``: no reference yet).
    vel : array_like, shape (..., 3), m/s
        The track's velocity now, valid at ``time_s``.
    time_s : array_like, shape (...), s
    count : array_like of int, shape (...)
        Differences averaged into ``accel`` so far (0: none).

    Returns
    -------
    accel : ndarray, shape (..., 3), m/s^2
    ref_vel : ndarray, shape (..., 3), m/s
    ref_time_s : ndarray, shape (...), s
    count : ndarray of int, shape (...)
        Differences averaged into ``accel``, this one included.

    Notes
    -----
    Where ``time_s - ref_time_s >= ACCEL_BASELINE_S`` the difference is taken, averaged into
    ``accel`` (``ACCEL_SMOOTHING``; the first difference is taken as is) and the reference
    moves to now; elsewhere everything is kept, except that a missing reference is set.
    """
    a = np.asarray(accel, dtype=np.float64)
    v0 = np.asarray(ref_vel, dtype=np.float64)
    t0 = np.asarray(ref_time_s, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    t = np.asarray(time_s, dtype=np.float64)
    n = np.asarray(count, dtype=np.int64)
    dt = t - t0
    due = np.isfinite(t0) & (dt >= ACCEL_BASELINE_S)
    diff = (v - v0) / np.where(due, dt, 1.0)[..., None]
    w = np.where(n > 0, ACCEL_SMOOTHING, 1.0)[..., None]
    new_a = np.where(due[..., None], a + w * (diff - a), a)
    move = due | ~np.isfinite(t0)
    new_v0 = np.where(move[..., None], v, v0)
    new_t0 = np.where(move, t, t0)
    return new_a, new_v0, new_t0, n + due


def boosting(
    accel: ArrayLike, pos: ArrayLike, vel: ArrayLike, known: ArrayLike
) -> NDArray[np.bool_]:
    """Tracks that are, or may be, rockets under thrust, shape (...).

    Tracks climbing at ``CLIMB_ANGLE_RAD`` or more (a rocket burns on its way up; aircraft,
    cruise missiles and drones seldom climb so steeply) that speed up along their path faster
    than ``BOOST_ACCEL_MPS2``, or whose acceleration is not known yet. Level and descending
    tracks are never held: their differenced acceleration is mostly the tracker's velocity
    noise, which would hold them for nothing.

    Parameters
    ----------
    accel : array_like, shape (..., 3), m/s^2
    pos, vel : array_like, shape (..., 3), metres and m/s, engine ENU
    known : array_like of bool, shape (...)
        Where ``accel`` is an estimate.
    """
    a = np.asarray(accel, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    k = np.asarray(known, dtype=bool)
    speed = np.sqrt(np.sum(v * v, axis=-1))
    along = np.sum(a * v, axis=-1) / np.where(speed > 0.0, speed, 1.0)
    climb = np.sum(v * up_unit(pos), axis=-1) >= np.sin(CLIMB_ANGLE_RAD) * speed
    return (speed > 0.0) & climb & (~k | (along > BOOST_ACCEL_MPS2))


def ballistic_accel(
    pos: ArrayLike, vel: ArrayLike, accel: ArrayLike, known: ArrayLike
) -> FloatArray:
    """Acceleration to extrapolate a ballistic track with: gravity plus the drag it shows.

    ``a = g(p) - clip(-(a_est - g(p)) . v_hat, 0, MAX_DRAG_DECEL_MPS2) v_hat``: the part of
    the estimated acceleration that is not gravity, along the velocity and slowing the body;
    gravity alone where no estimate is known.

    Parameters
    ----------
    pos, vel : array_like, shape (..., 3), metres and m/s, engine ENU
    accel : array_like, shape (..., 3), m/s^2, the differenced estimate
    known : array_like of bool, shape (...)

    Returns
    -------
    ndarray, shape (..., 3), m/s^2
    """
    p = np.asarray(pos, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    a = np.asarray(accel, dtype=np.float64)
    g = gravity_mps2(p)
    speed = np.sqrt(np.sum(v * v, axis=-1))
    u = v / np.where(speed > 0.0, speed, 1.0)[..., None]
    drag = np.clip(-np.sum((a - g) * u, axis=-1), 0.0, MAX_DRAG_DECEL_MPS2)
    drag = np.where(np.asarray(known, dtype=bool), drag, 0.0)
    return g - drag[..., None] * u

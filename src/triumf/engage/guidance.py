"""Interceptor guidance laws: proportional navigation, lofting, and the initial turn.

All functions are pure and broadcast over leading axes. Vectors are ENU, metres and m/s.

The complete law an interceptor flies (:func:`intercept_command`, which the fly-out tables in
:mod:`triumf.engage.flyout` use, so the command post's predictions match the engine's flight) is

1. aim at :func:`loft_aim_point`, a virtual point above the target that makes long-range shots
   climb into thin air and dive onto the target;
2. :func:`pn_acceleration` (true proportional navigation) toward that point while closing;
3. plus an initial-turn term (:func:`turn_acceleration`) while the heading error to the line of
   sight exceeds ``turn_threshold_rad``: PN alone cannot turn a vertically launched missile
   toward a distant, low target (its command scales with the tiny initial LOS rate and reverses
   sign once the missile moves away). The S-300P/S-400 family pitch over right after the vertical
   launch; this term is that pitch-over, and it fades out before PN takes over.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import gravity_mps2, ground_range_m, up_unit

__all__ = [
    "LOFT_HANDOVER_RANGE_M",
    "TURN_GAIN_PER_S",
    "TURN_THRESHOLD_RAD",
    "intercept_command",
    "limit_acceleration",
    "loft_aim_point",
    "pn_acceleration",
    "turn_acceleration",
]

FloatArray = NDArray[np.float64]

LOFT_HANDOVER_RANGE_M = 20_000.0
"""Ground range to go inside which there is no loft [E]: the terminal (homing) phase, of the
order of a semi-active or active seeker's acquisition range against a fighter-sized target."""
TURN_GAIN_PER_S = 1.5
"""Initial-turn gain [E]: the commanded turn rate is this times the heading error in excess of
the threshold (rad/s per rad), before the lateral-acceleration limit."""
TURN_THRESHOLD_RAD = np.deg2rad(30.0)
"""Heading error above which the initial-turn term acts [E]; PN alone handles smaller errors,
including the lead angle of a collision course against targets slower than the interceptor."""


def _dot(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.sum(a * b, axis=-1)


def _remove_along(a: FloatArray, d: FloatArray) -> FloatArray:
    """Component of ``a`` perpendicular to ``d`` (``a`` itself where ``d`` is zero)."""
    d2 = _dot(d, d)
    coef = np.where(d2 > 0.0, _dot(a, d) / np.where(d2 > 0.0, d2, 1.0), 0.0)
    return a - coef[..., None] * d


def pn_acceleration(
    r_rel: ArrayLike, v_rel: ArrayLike, v_missile: ArrayLike, nav_gain: ArrayLike
) -> FloatArray:
    """True proportional navigation command.

    ``a = N' Vc (Omega x u)``, with ``u = r / |r|``, ``Omega = r x v / |r|^2`` (LOS rate) and
    ``Vc = -r . v / |r|`` (closing speed); equivalently ``a = N' Vc (v - u (u . v)) / |r|``.
    Only the component perpendicular to the missile's velocity is returned (a point-mass missile
    steers by lateral acceleration; the motor sets the axial one).

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), metres, target minus missile position
    v_rel : array_like, shape (..., 3), m/s, target minus missile velocity
    v_missile : array_like, shape (..., 3), m/s, missile velocity
    nav_gain : array_like, shape (...), effective navigation ratio N'

    Returns
    -------
    ndarray, shape (..., 3), m/s^2; zero where ``r_rel`` is zero
    """
    r = np.asarray(r_rel, dtype=np.float64)
    v = np.asarray(v_rel, dtype=np.float64)
    vm = np.asarray(v_missile, dtype=np.float64)
    rn = np.sqrt(_dot(r, r))
    ok = rn > 0.0
    inv_r = np.where(ok, 1.0 / np.where(ok, rn, 1.0), 0.0)
    u = r * inv_r[..., None]
    u_dot_v = _dot(u, v)
    closing = -u_dot_v  # Vc = -r.v/|r|
    # Omega x u = (v - u (u.v)) / |r|
    omega_x_u = (v - u * u_dot_v[..., None]) * inv_r[..., None]
    a = (np.asarray(nav_gain, dtype=np.float64) * closing)[..., None] * omega_x_u
    return _remove_along(a, vm)


def limit_acceleration(a: ArrayLike, a_max: ArrayLike) -> FloatArray:
    """Scale acceleration vectors down to a maximum norm, keeping their direction.

    Parameters
    ----------
    a : array_like, shape (..., 3), m/s^2
    a_max : array_like, shape (...), m/s^2, >= 0

    Returns
    -------
    ndarray, shape (..., 3), m/s^2
    """
    acc = np.asarray(a, dtype=np.float64)
    lim = np.asarray(a_max, dtype=np.float64)
    n = np.sqrt(_dot(acc, acc))
    scale = np.where(n > lim, lim / np.where(n > 0.0, n, 1.0), 1.0)
    return acc * scale[..., None]


def loft_aim_point(
    missile_pos: ArrayLike,
    aim_point: ArrayLike,
    loft_factor: ArrayLike,
    max_loft_m: ArrayLike,
    handover_range_m: ArrayLike = LOFT_HANDOVER_RANGE_M,
) -> FloatArray:
    """Virtual aim point above the real one, for lofted (climb-and-dive) trajectories.

    The point is raised along the local vertical at ``aim_point`` by

        loft = clip(loft_factor * (s - handover_range_m), 0, max_loft_m),

    where ``s`` is the great-circle ground range from the missile to the aim point. The loft is
    zero inside the hand-over range (default :data:`LOFT_HANDOVER_RANGE_M`, the terminal phase),
    grows in proportion to the ground range to go beyond it (so the aim point moves smoothly
    down onto the target as the missile closes), and is capped. Long-range S-400 interceptors
    (48N6, 40N6) are reported to fly such climb-and-dive profiles.

    Parameters
    ----------
    missile_pos : array_like, shape (..., 3), metres, ENU
    aim_point : array_like, shape (..., 3), metres, ENU
    loft_factor : array_like, shape (...), metres of loft per metre of ground range, >= 0
    max_loft_m : array_like, shape (...), metres
    handover_range_m : array_like, shape (...), metres

    Returns
    -------
    ndarray, shape (..., 3), metres, ENU
    """
    aim = np.asarray(aim_point, dtype=np.float64)
    s = ground_range_m(missile_pos, aim)
    loft = np.clip(
        np.asarray(loft_factor) * (s - np.asarray(handover_range_m)), 0.0, np.asarray(max_loft_m)
    )
    return aim + loft[..., None] * up_unit(aim)


def turn_acceleration(
    r_rel: ArrayLike,
    v_missile: ArrayLike,
    gain_per_s: ArrayLike = TURN_GAIN_PER_S,
    threshold_rad: ArrayLike = TURN_THRESHOLD_RAD,
) -> FloatArray:
    """Initial-turn command that swings the velocity toward the line of sight.

    ``a = K |v| max(theta - theta_0, 0) n``, where ``theta`` is the angle between the missile
    velocity and the line of sight and ``n`` the unit vector perpendicular to the velocity, in
    their plane, toward the line of sight: a turn rate proportional to the excess heading error.

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), metres, aim point minus missile position
    v_missile : array_like, shape (..., 3), m/s
    gain_per_s : array_like, shape (...), 1/s
    threshold_rad : array_like, shape (...), radians

    Returns
    -------
    ndarray, shape (..., 3), m/s^2, perpendicular to ``v_missile``; zero where the line of
    sight is exactly along or against the velocity, or either vector is zero
    """
    r = np.asarray(r_rel, dtype=np.float64)
    vm = np.asarray(v_missile, dtype=np.float64)
    speed = np.sqrt(_dot(vm, vm))
    perp = _remove_along(r, vm)
    perp_n = np.sqrt(_dot(perp, perp))
    theta = np.arctan2(perp_n, _dot(r, vm) / np.where(speed > 0.0, speed, 1.0))
    excess = np.maximum(theta - np.asarray(threshold_rad), 0.0)
    mag = np.asarray(gain_per_s) * speed * excess
    unit = perp / np.where(perp_n > 0.0, perp_n, 1.0)[..., None]
    return np.where((speed > 0.0)[..., None], mag[..., None] * unit, 0.0)


def intercept_command(
    missile_pos: ArrayLike,
    missile_vel: ArrayLike,
    target_pos: ArrayLike,
    target_vel: ArrayLike,
    nav_gain: ArrayLike,
    loft_factor: ArrayLike,
    max_loft_m: ArrayLike,
    *,
    handover_range_m: ArrayLike = LOFT_HANDOVER_RANGE_M,
    turn_gain_per_s: ArrayLike = TURN_GAIN_PER_S,
    turn_threshold_rad: ArrayLike = TURN_THRESHOLD_RAD,
    compensate_gravity: bool = True,
) -> FloatArray:
    """The interceptor's full guidance command: lofted PN plus the initial turn.

    ``a = PN(aim - missile, v_target - v_missile) [while closing] + turn(aim - missile)
    - g_perp`` with ``aim = loft_aim_point(...)``. PN is dropped where the closing speed on the
    aim point is not positive (PN's command would turn the missile away). ``g_perp``, the part
    of gravity across the velocity, is cancelled so that PN steers the kinematics rather than
    fighting the trajectory's sag (gravity-compensated PN). The result is not limited:
    :func:`triumf.engage.dynamics.step` clips it to the missile's lateral limit.

    Parameters
    ----------
    missile_pos, missile_vel : array_like, shape (..., 3), metres and m/s, ENU
    target_pos, target_vel : array_like, shape (..., 3), metres and m/s, ENU (the best estimate
        of the target: a track, or a stationary predicted intercept point)
    nav_gain : array_like, shape (...), N'
    loft_factor, max_loft_m : array_like, shape (...), see :func:`loft_aim_point`
    handover_range_m : array_like, shape (...), metres
    turn_gain_per_s, turn_threshold_rad : array_like, shape (...), see :func:`turn_acceleration`
        (a zero gain switches the initial turn off)
    compensate_gravity : bool
        Subtract the cross-velocity part of central gravity (False for gravity-free tests).

    Returns
    -------
    ndarray, shape (..., 3), m/s^2, perpendicular to ``missile_vel``
    """
    pos = np.asarray(missile_pos, dtype=np.float64)
    vm = np.asarray(missile_vel, dtype=np.float64)
    aim = loft_aim_point(pos, target_pos, loft_factor, max_loft_m, handover_range_m)
    r = aim - pos
    v = np.asarray(target_vel, dtype=np.float64) - vm
    closing = _dot(r, v) < 0.0
    a_pn = np.where(closing[..., None], pn_acceleration(r, v, vm, nav_gain), 0.0)
    a = a_pn + turn_acceleration(r, vm, turn_gain_per_s, turn_threshold_rad)
    if compensate_gravity:
        a = a - _remove_along(gravity_mps2(pos), vm)
    return a

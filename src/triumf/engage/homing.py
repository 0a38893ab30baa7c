"""Terminal homing: augmented proportional navigation, the guidance lag and the seeker.

All functions are pure and broadcast over leading axes; vectors are ENU, metres, m/s, m/s^2.

Guidance lag
------------
The guidance filter, autopilot and airframe are lumped into one first-order lag (Zarchan,
*Tactical and Strategic Missile Guidance*, ch. 6 "single time constant" guidance system):
``d a / dt = (a_cmd - a) / tau``. :func:`lag_step` advances it exactly over a step with the
command held, and returns the mean achieved acceleration over the step, which is what a
point-mass integrator should apply as a constant over that step.

Seeker
------
A seeker can acquire a body only inside its acquisition range and inside its field of regard
(the half-angle between the missile's velocity, taken as its axis, and the line of sight).
Its line-of-sight measurement carries an angle error per axis (:func:`noisy_line_of_sight`),
and the line-of-sight rate it derives from those angles a rate error
(:func:`noisy_relative_velocity`). The engine takes the rate error's standard deviation as the
angle noise over the guidance time constant, ``sigma_rate = sigma / tau`` (a first-order
differentiating filter with the loop's time constant; a modelling convention).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.engage.guidance import pn_acceleration

__all__ = [
    "apn_acceleration",
    "lag_step",
    "noisy_line_of_sight",
    "noisy_relative_velocity",
    "off_boresight_rad",
    "seeker_can_acquire",
]

FloatArray = NDArray[np.float64]


def _dot(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.sum(a * b, axis=-1)


def _cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cross product of (..., 3) arrays (cheaper than np.cross on small batches)."""
    return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                     a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                     a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)


def _perp(a: FloatArray, d: FloatArray) -> FloatArray:
    """Component of ``a`` perpendicular to ``d`` (``a`` where ``d`` is zero)."""
    d2 = _dot(d, d)
    c = np.where(d2 > 0.0, _dot(a, d) / np.where(d2 > 0.0, d2, 1.0), 0.0)
    return a - c[..., None] * d


def apn_acceleration(
    r_rel: ArrayLike,
    v_rel: ArrayLike,
    v_missile: ArrayLike,
    nav_gain: ArrayLike,
    target_accel: ArrayLike,
) -> FloatArray:
    """Augmented proportional navigation command.

    ``a = N' Vc (Omega x u) + (N' / 2) a_T,perp`` (Zarchan, ch. 8): true PN plus half the
    navigation ratio times the target's acceleration across the line of sight, then only the
    part perpendicular to the missile velocity. With ``target_accel = 0`` it is
    :func:`triumf.engage.guidance.pn_acceleration`.

    Parameters
    ----------
    r_rel, v_rel : array_like, shape (..., 3), target minus missile, m and m/s
    v_missile : array_like, shape (..., 3), m/s
    nav_gain : array_like, shape (...), N'
    target_accel : array_like, shape (..., 3), m/s^2, the (estimated) target acceleration

    Returns
    -------
    ndarray, shape (..., 3), m/s^2, perpendicular to ``v_missile``
    """
    r = np.asarray(r_rel, dtype=np.float64)
    vm = np.asarray(v_missile, dtype=np.float64)
    a_t = _perp(np.asarray(target_accel, dtype=np.float64), r)
    n = np.asarray(nav_gain, dtype=np.float64)
    a = pn_acceleration(r, v_rel, vm, n) + (0.5 * n)[..., None] * a_t
    return _perp(a, vm)


def lag_step(
    accel: ArrayLike, accel_cmd: ArrayLike, tau_s: ArrayLike, dt: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Advance a first-order lag ``da/dt = (a_cmd - a) / tau`` over a step, command held.

    Parameters
    ----------
    accel : array_like, shape (..., 3), m/s^2, achieved acceleration at the step start
    accel_cmd : array_like, shape (..., 3), m/s^2, command over the step
    tau_s : array_like, shape (...), seconds, >= 0 (0: no lag)
    dt : array_like, broadcastable to (...), seconds, > 0

    Returns
    -------
    accel_end : ndarray, shape (..., 3)
        ``a_cmd + (a - a_cmd) exp(-dt / tau)`` (exact).
    accel_mean : ndarray, shape (..., 3)
        Mean over the step, ``a_cmd + (a - a_cmd) (tau / dt) (1 - exp(-dt / tau))``; the
        command itself where ``tau`` is 0.
    """
    a0 = np.asarray(accel, dtype=np.float64)
    ac = np.asarray(accel_cmd, dtype=np.float64)
    tau = np.asarray(tau_s, dtype=np.float64)
    h = np.asarray(dt, dtype=np.float64)
    lagged = tau > 0.0
    x = h / np.where(lagged, tau, 1.0)
    decay = np.where(lagged, np.exp(-x), 0.0)
    mean_w = np.where(lagged, -np.expm1(-x) / x, 0.0)  # (tau / dt)(1 - e^{-dt/tau})
    diff = a0 - ac
    return ac + decay[..., None] * diff, ac + mean_w[..., None] * diff


def off_boresight_rad(r_rel: ArrayLike, v_missile: ArrayLike) -> FloatArray:
    """Angle between the missile velocity (its axis) and the line of sight, radians.

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), target minus missile, m
    v_missile : array_like, shape (..., 3), m/s

    Returns
    -------
    ndarray, shape (...), in [0, pi]; 0 where either vector is zero
    """
    r = np.asarray(r_rel, dtype=np.float64)
    v = np.asarray(v_missile, dtype=np.float64)
    cross = _cross(r, v)
    return np.asarray(np.arctan2(np.sqrt(_dot(cross, cross)), _dot(r, v)), dtype=np.float64)


def seeker_can_acquire(
    r_rel: ArrayLike,
    v_missile: ArrayLike,
    acquisition_range_m: ArrayLike,
    field_of_regard_rad: ArrayLike,
) -> NDArray[np.bool_]:
    """Whether a body is inside the seeker's acquisition range and field of regard.

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), body minus missile position, m
    v_missile : array_like, shape (..., 3), m/s
    acquisition_range_m, field_of_regard_rad : array_like, shape (...)

    Returns
    -------
    ndarray of bool, shape (...)
    """
    r = np.asarray(r_rel, dtype=np.float64)
    in_range = np.sqrt(_dot(r, r)) <= np.asarray(acquisition_range_m)
    in_field = off_boresight_rad(r, v_missile) <= np.asarray(field_of_regard_rad)
    return np.asarray(in_range & in_field)


def _los_basis(r: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Range, unit line of sight and two unit vectors across it, for (..., 3) vectors."""
    rn = np.sqrt(_dot(r, r))
    u = r / np.where(rn > 0.0, rn, 1.0)[..., None]
    # e1: perpendicular to u, built from the coordinate axis least aligned with u
    axis = np.zeros_like(u)
    idx = np.argmin(np.abs(u), axis=-1)
    np.put_along_axis(axis, idx[..., None], 1.0, axis=-1)
    e1 = _perp(axis, u)
    e1 = e1 / np.sqrt(_dot(e1, e1))[..., None]
    return rn, u, e1, _cross(u, e1)


def noisy_relative_velocity(
    r_rel: ArrayLike, v_rel: ArrayLike, sigma_rate_radps: ArrayLike, normal_draws: ArrayLike
) -> FloatArray:
    """Relative velocity as the seeker's line-of-sight-rate estimate implies it.

    The seeker estimates the line-of-sight rate from noisy angles; its error (standard
    deviation ``sigma_rate_radps`` per axis) shows as a cross-range velocity error
    ``|r| sigma_rate (n1 e1 + n2 e2)``, so proportional navigation
    (``a = N' Vc Omega x u``) sees the rate error directly.

    Parameters
    ----------
    r_rel, v_rel : array_like, shape (..., 3), m and m/s
    sigma_rate_radps : array_like, shape (...), rad/s
    normal_draws : array_like, shape (..., 2), standard normal numbers

    Returns
    -------
    ndarray, shape (..., 3), m/s
    """
    r = np.asarray(r_rel, dtype=np.float64)
    n = np.asarray(normal_draws, dtype=np.float64)
    rn, _, e1, e2 = _los_basis(r)
    scale = rn * np.asarray(sigma_rate_radps, dtype=np.float64)
    return np.asarray(
        np.asarray(v_rel, dtype=np.float64) + scale[..., None] * (n[..., 0:1] * e1
                                                                  + n[..., 1:2] * e2),
        dtype=np.float64,
    )


def noisy_line_of_sight(
    r_rel: ArrayLike, sigma_rad: ArrayLike, normal_draws: ArrayLike
) -> FloatArray:
    """Relative position as the seeker measures it: the line of sight turned by angle noise.

    The two angle errors (standard deviation ``sigma_rad`` each, small-angle) displace the
    position across the line of sight by ``|r| sigma (n1 e1 + n2 e2)``, with ``e1, e2`` two unit
    vectors perpendicular to the line of sight; the range is kept.

    Parameters
    ----------
    r_rel : array_like, shape (..., 3), m
    sigma_rad : array_like, shape (...), radians
    normal_draws : array_like, shape (..., 2), standard normal numbers

    Returns
    -------
    ndarray, shape (..., 3), m
    """
    r = np.asarray(r_rel, dtype=np.float64)
    n = np.asarray(normal_draws, dtype=np.float64)
    rn, _, e1, e2 = _los_basis(r)
    scale = rn * np.asarray(sigma_rad, dtype=np.float64)
    shift = n[..., 0:1] * e1 + n[..., 1:2] * e2
    measured = r + scale[..., None] * shift
    # keep the range
    mn = np.sqrt(_dot(measured, measured))
    return np.asarray(
        np.where((mn > 0.0)[..., None], measured * (rn / np.where(mn > 0.0, mn, 1.0))[..., None],
                 r),
        dtype=np.float64,
    )

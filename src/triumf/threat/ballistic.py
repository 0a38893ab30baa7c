"""Rockets and ballistic missiles in free flight over a round Earth.

Free flight is Keplerian: central gravity of :mod:`triumf.core.earth` (a sphere centred at
``(0, 0, -R)`` in the engine's ENU frame), no drag and no Earth rotation. Drag on re-entry is a
later addition.

Free-flight range equation
--------------------------
From the conic ``1/r(theta) = (1 - cos theta) / (lambda r0 cos^2 gamma) + cos(theta + gamma) /
(r0 cos gamma)``, with ``lambda = r0 V^2 / mu``, a body launched at radius ``r0`` with speed
``V`` and flight-path angle ``gamma`` above the local horizontal reaches radius ``rf`` after a
central (range) angle ``phi`` if

    V^2 = mu (1 - cos phi) / (r0 cos gamma (r0 cos gamma / rf - cos(phi + gamma)))

(e.g. Zarchan, *Tactical and Strategic Missile Guidance*, ch. on strategic considerations;
Regan & Anandakrishnan, *Dynamics of Atmospheric Re-entry*, ch. 3). For a short shot this
reduces to the flat-Earth ``V^2 = g X / sin 2 gamma``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import EARTH_RADIUS_M, MU_EARTH_M3PS2, gravity_mps2, ground_range_m

__all__ = ["impact_time", "launch_velocity", "propagate", "time_to_altitude"]

FloatArray = NDArray[np.float64]
_GEOCENTRE_OFFSET = np.array([0.0, 0.0, EARTH_RADIUS_M])


def _dot(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.sum(a * b, axis=-1)


def launch_velocity(
    launch_pos: ArrayLike, aim_pos: ArrayLike, flight_path_angle_rad: ArrayLike
) -> FloatArray:
    """Launch velocity that reaches ``aim_pos`` in Keplerian free flight.

    Parameters
    ----------
    launch_pos : array_like, shape (..., 3), metres, engine ENU (any altitude)
    aim_pos : array_like, shape (..., 3), metres, engine ENU (any altitude)
    flight_path_angle_rad : array_like, shape (...), radians above the local horizontal at
        ``launch_pos`` (45 deg is near minimum energy for short shots)

    Returns
    -------
    ndarray, shape (..., 3), m/s, engine ENU
        In the plane of the Earth's centre, the launch point and the aim point, heading toward
        the aim point. NaN where the angle cannot reach the aim point (the range equation's
        denominator is not positive) or the two points are at the same ground position.
    """
    p0 = np.asarray(launch_pos, dtype=np.float64)
    pf = np.asarray(aim_pos, dtype=np.float64)
    gamma = np.asarray(flight_path_angle_rad, dtype=np.float64)
    r0v = p0 + _GEOCENTRE_OFFSET
    rfv = pf + _GEOCENTRE_OFFSET
    r0 = np.sqrt(_dot(r0v, r0v))
    rf = np.sqrt(_dot(rfv, rfv))
    phi = ground_range_m(p0, pf) / EARTH_RADIUS_M  # central angle
    cg = np.cos(gamma)
    denom = r0 * cg * (r0 * cg / rf - np.cos(phi + gamma))
    with np.errstate(divide="ignore", invalid="ignore"):
        v2 = np.where(denom > 0.0, MU_EARTH_M3PS2 * (1.0 - np.cos(phi)) / denom, np.nan)
        up = r0v / r0[..., None]
        toward = rfv - _dot(rfv, up)[..., None] * up
        tn = np.sqrt(_dot(toward, toward))
        horiz = toward / np.where(tn > 0.0, tn, np.nan)[..., None]
    speed = np.sqrt(v2)
    return (speed * cg)[..., None] * horiz + (speed * np.sin(gamma))[..., None] * up


def propagate(
    pos: ArrayLike, vel: ArrayLike, dt: ArrayLike, n_substeps: int = 1
) -> tuple[FloatArray, FloatArray]:
    """Advance bodies in free flight under central gravity by classical RK4.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    vel : array_like, shape (..., 3), m/s, engine ENU
    dt : array_like, broadcastable to (...), seconds (0 leaves a body in place)
    n_substeps : int
        RK4 steps of ``dt / n_substeps`` each.

    Returns
    -------
    pos, vel : ndarray, shape (..., 3), at ``t + dt``

    Notes
    -----
    Gravity is :func:`triumf.core.earth.gravity_mps2`. The local truncation error is
    O((dt/T)^5) with T the time scale ``sqrt(r^3 / mu)`` (about 800 s near the surface): with
    steps of a few seconds, energy is conserved to about 1e-9 over a flight.
    """
    p = np.asarray(pos, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    h = (np.asarray(dt, dtype=np.float64) / n_substeps)[..., None]
    for _ in range(n_substeps):
        k1v = gravity_mps2(p)
        k2p = v + 0.5 * h * k1v
        k2v = gravity_mps2(p + 0.5 * h * v)
        k3p = v + 0.5 * h * k2v
        k3v = gravity_mps2(p + 0.5 * h * k2p)
        k4p = v + h * k3v
        k4v = gravity_mps2(p + h * k3p)
        p = p + (h / 6.0) * (v + 2.0 * k2p + 2.0 * k3p + k4p)
        v = v + (h / 6.0) * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return p, v


def time_to_altitude(pos: ArrayLike, vel: ArrayLike, altitude_m: ArrayLike = 0.0) -> FloatArray:
    """Time until a body in free flight descends through an altitude (Kepler's equation).

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    vel : array_like, shape (..., 3), m/s, engine ENU
    altitude_m : array_like, shape (...), metres above the sphere

    Returns
    -------
    ndarray, shape (...), seconds
        Time to the crossing of radius ``R + altitude_m`` on the descending branch of the
        current orbit revolution (negative if that crossing is already past: the body is
        below the altitude and descending). NaN for unbound orbits (v^2/2 >= mu/r) and for
        orbits that never reach the altitude.

    Notes
    -----
    With semi-major axis ``a = -mu / (2 E)``, eccentricity ``e``, eccentric anomaly ``E`` from
    ``r = a (1 - e cos E)`` and ``r . v = e sqrt(mu a) sin E``, the time between two anomalies
    is ``(M2 - M1) / n`` with ``M = E - e sin E`` and ``n = sqrt(mu / a^3)``.
    """
    p = np.asarray(pos, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    mu = MU_EARTH_M3PS2
    rv = p + _GEOCENTRE_OFFSET
    r = np.sqrt(_dot(rv, rv))
    v2 = _dot(v, v)
    energy = 0.5 * v2 - mu / r
    r_target = EARTH_RADIUS_M + np.asarray(altitude_m, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(energy < 0.0, -mu / (2.0 * energy), np.nan)
        hv = np.cross(rv, v)
        p_semi = _dot(hv, hv) / mu
        e = np.sqrt(np.maximum(1.0 - p_semi / a, 0.0))
        e_cos0 = 1.0 - r / a
        e_sin0 = _dot(rv, v) / np.sqrt(mu * a)
        ecc_anom0 = np.mod(np.arctan2(e_sin0, e_cos0), 2.0 * np.pi)
        cos_t = (1.0 - r_target / a) / e
        ecc_anom_t = 2.0 * np.pi - np.arccos(np.where(np.abs(cos_t) <= 1.0, cos_t, np.nan))
        m0 = ecc_anom0 - e * np.sin(ecc_anom0)
        mt = ecc_anom_t - e * np.sin(ecc_anom_t)
        n = np.sqrt(mu / a**3)
        return np.asarray((mt - m0) / n, dtype=np.float64)


def impact_time(pos: ArrayLike, vel: ArrayLike) -> FloatArray:
    """Time until a body in free flight reaches the ground (altitude 0), seconds, shape (...).

    Same as :func:`time_to_altitude` with ``altitude_m = 0``.
    """
    return time_to_altitude(pos, vel, 0.0)

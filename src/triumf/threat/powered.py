"""Point-mass flight of rockets and ballistic missiles: boost, free flight, re-entry with drag.

Equations of motion (point mass, no lift except a commanded lateral acceleration, engine ENU
frame, round non-rotating Earth of :mod:`triumf.core.earth`)::

    dp/dt = v
    dv/dt = g(p) + T(tau) / m(tau) * u_T - D / m(tau) * v_hat + a_lat * n_hat
    D     = 0.5 rho(h) |v|^2 C_D(M) A,      M = |v| / a(h)      (1976 atmosphere)
    m(tau) = m0 - (m0 - m_b) min(tau, t_b) / t_b,   T(tau) = T0 for tau < t_b, else 0

``tau`` is the time since launch. Thrust acts along ``u_T``, the launch attitude (elevation
above the local horizontal, toward the aim point) held through the burn: a constant-attitude
boost, as an inertially stabilised rocket flies it. The elevation is the range control: it is
chosen per shot from a range table (:func:`range_table`, :func:`elevation_for_range`), on the
depressed branch for quasi-ballistic missiles. ``n_hat`` is the
horizontal unit vector normal to the velocity (``up x v_hat``, normalised), so a lateral
command weaves the body left and right; its magnitude is capped by the structural load factor
and by the aerodynamic force available at the dynamic pressure ``q``:
``|a_lat| <= min(a_max, q A c_N,max / m)``.

Why integrated: thrust, mass flow and Mach-dependent drag in an exponential atmosphere have no
closed form. The integrator is classical RK4 at a fixed step (0.25 s in the engine); the tests
show that halving the step changes the impact point by less than a metre and that with thrust
and drag off it reproduces the Kepler two-body solution.

C_D(M) is piecewise linear through (0, cd_sub), (0.8, cd_sub), (1.1, cd_peak), (4, cd_hyp) and
flat beyond: the usual shape of a slender body's zero-lift drag, with the wave-drag peak just
above Mach 1 (Fleeman, *Tactical Missile Design*, 2nd ed., AIAA 2006, ch. 2). The node Mach
numbers are part of the model; the three coefficients are per-threat figures.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.atmosphere import density_and_sound_speed
from triumf.core.earth import EARTH_RADIUS_M, altitude_m, gravity_mps2, ground_range_m, map_to_enu

__all__ = [
    "CD_MACH_NODES",
    "BallisticBody",
    "drag_coefficient",
    "lateral_limit_mps2",
    "acceleration",
    "rk4_step",
    "step_to_burnout",
    "launch_direction",
    "range_table",
    "elevation_for_range",
]

FloatArray = NDArray[np.float64]

CD_MACH_NODES = np.array([0.0, 0.8, 1.1, 4.0])
"""Mach numbers of the drag-coefficient nodes (sub, sub, peak, hypersonic); model constant."""

_GEOCENTRE_OFFSET = np.array([0.0, 0.0, EARTH_RADIUS_M])


@dataclass(frozen=True)
class BallisticBody:
    """Mass, motor and aerodynamic figures of powered ballistic bodies, each shape (...).

    Attributes
    ----------
    launch_mass_kg, burnout_mass_kg : ndarray, kg
    thrust_n : ndarray, N (0: no motor, free flight from the launch velocity)
    burn_time_s : ndarray, s (> 0)
    ref_area_m2 : ndarray, m^2 (0: no drag)
    cd_subsonic, cd_peak, cd_hypersonic : ndarray
        Zero-lift drag coefficient below Mach 0.8, at Mach 1.1 and above Mach 4.
    cn_max : ndarray
        Largest normal-force coefficient the airframe trims to (lateral authority).
    max_lateral_accel_mps2 : ndarray, m/s^2
        Structural lateral acceleration limit.
    rail_speed_mps : ndarray, m/s
        Speed at rail exit, along the launch elevation.
    """

    launch_mass_kg: FloatArray
    burnout_mass_kg: FloatArray
    thrust_n: FloatArray
    burn_time_s: FloatArray
    ref_area_m2: FloatArray
    cd_subsonic: FloatArray
    cd_peak: FloatArray
    cd_hypersonic: FloatArray
    cn_max: FloatArray
    max_lateral_accel_mps2: FloatArray
    rail_speed_mps: FloatArray

    def take(self, index: int | NDArray[np.int64]) -> BallisticBody:
        """The bodies at ``index`` of the last axis (e.g. the ballistic slots)."""
        return BallisticBody(**{f.name: np.asarray(getattr(self, f.name))[..., index]
                                for f in fields(self)})

    def key(self) -> tuple[float, ...]:
        """Hashable figures of a single body (for caching its range table)."""
        return tuple(float(getattr(self, f.name)) for f in fields(self))


def drag_coefficient(mach: ArrayLike, cd_sub: ArrayLike, cd_peak: ArrayLike,
                     cd_hyp: ArrayLike) -> FloatArray:
    """Zero-lift drag coefficient at a Mach number (piecewise linear, flat beyond Mach 4).

    Parameters
    ----------
    mach : array_like, shape (...)
    cd_sub, cd_peak, cd_hyp : array_like, broadcastable to (...)

    Returns
    -------
    ndarray, shape (...)
    """
    m = np.asarray(mach, dtype=np.float64)
    c0 = np.asarray(cd_sub, dtype=np.float64)
    c1 = np.asarray(cd_peak, dtype=np.float64)
    c2 = np.asarray(cd_hyp, dtype=np.float64)
    m1, m2, m3 = CD_MACH_NODES[1], CD_MACH_NODES[2], CD_MACH_NODES[3]
    up = c0 + (c1 - c0) * np.clip((m - m1) / (m2 - m1), 0.0, 1.0)
    down = c1 + (c2 - c1) * np.clip((m - m2) / (m3 - m2), 0.0, 1.0)
    return np.where(m <= m2, up, down)


def lateral_limit_mps2(q_pa: ArrayLike, ref_area_m2: ArrayLike, cn_max: ArrayLike,
                       mass_kg: ArrayLike, max_accel_mps2: ArrayLike) -> FloatArray:
    """Largest lateral acceleration of an aerodynamically controlled body.

    ``min(a_max, q A c_N,max / m)``: the structural limit, or what the air can give at the
    dynamic pressure ``q`` (thin air at altitude, slow flight).

    Parameters
    ----------
    q_pa : array_like, shape (...), Pa
    ref_area_m2, cn_max, mass_kg, max_accel_mps2 : array_like, broadcastable to (...)

    Returns
    -------
    ndarray, shape (...), m/s^2
    """
    q = np.asarray(q_pa, dtype=np.float64)
    aero = q * np.asarray(ref_area_m2) * np.asarray(cn_max) / np.asarray(mass_kg)
    return np.minimum(np.asarray(max_accel_mps2, dtype=np.float64), aero)


def _mass_thrust(body: BallisticBody, tau: FloatArray, burning: NDArray[np.bool_] | None
                 ) -> tuple[FloatArray, FloatArray]:
    tb = body.burn_time_s
    if burning is None:
        burning = (tau >= 0.0) & (tau < tb)
    frac = np.clip(tau / tb, 0.0, 1.0)
    mass = body.launch_mass_kg - (body.launch_mass_kg - body.burnout_mass_kg) * frac
    thrust = np.where(burning, body.thrust_n, 0.0)
    return mass, thrust


def acceleration(pos: FloatArray, vel: FloatArray, tau: FloatArray, body: BallisticBody,
                 thrust_dir: FloatArray, lateral_cmd_mps2: ArrayLike = 0.0,
                 burning: NDArray[np.bool_] | None = None) -> FloatArray:
    """Acceleration of powered ballistic bodies (see the module equations).

    Parameters
    ----------
    pos : ndarray, shape (..., 3), metres, engine ENU
    vel : ndarray, shape (..., 3), m/s
    tau : ndarray, shape (...), seconds since launch
    body : BallisticBody, fields broadcastable to (...)
    thrust_dir : ndarray, shape (..., 3), unit vector of the thrust (the launch attitude)
    lateral_cmd_mps2 : array_like, shape (...), m/s^2
        Signed lateral command (positive to the left of the velocity), capped by
        :func:`lateral_limit_mps2`.
    burning : ndarray of bool, shape (...), optional
        Motor on (default: ``0 <= tau < burn_time_s``).

    Returns
    -------
    ndarray, shape (..., 3), m/s^2
    """
    vx, vy, vz = vel[..., 0], vel[..., 1], vel[..., 2]
    speed = np.sqrt(vx * vx + vy * vy + vz * vz)
    safe = np.where(speed > 0.0, speed, 1.0)
    v_hat = vel / safe[..., None]
    rho, sound = density_and_sound_speed(altitude_m(pos))
    q = 0.5 * rho * speed * speed
    cd = drag_coefficient(speed / sound, body.cd_subsonic, body.cd_peak, body.cd_hypersonic)
    mass, thrust = _mass_thrust(body, tau, burning)
    acc = (gravity_mps2(pos) + (thrust / mass)[..., None] * thrust_dir
           - (q * cd * body.ref_area_m2 / mass)[..., None] * v_hat)
    cmd = np.asarray(lateral_cmd_mps2, dtype=np.float64)
    if np.any(cmd != 0.0):
        limit = lateral_limit_mps2(q, body.ref_area_m2, body.cn_max, mass,
                                   body.max_lateral_accel_mps2)
        a_lat = np.clip(cmd, -limit, limit)
        r = pos + _GEOCENTRE_OFFSET
        up = r / np.linalg.norm(r, axis=-1, keepdims=True)
        n = np.cross(up, v_hat)
        nn = np.linalg.norm(n, axis=-1, keepdims=True)
        n = np.divide(n, nn, out=np.zeros_like(n), where=nn > 0.0)
        acc = acc + a_lat[..., None] * n
    return np.asarray(acc, dtype=np.float64)


def rk4_step(pos: FloatArray, vel: FloatArray, tau: FloatArray, h: ArrayLike,
             body: BallisticBody, thrust_dir: FloatArray, lateral_cmd_mps2: ArrayLike = 0.0
             ) -> tuple[FloatArray, FloatArray]:
    """One classical Runge-Kutta step of :func:`acceleration`.

    The motor is on or off for the whole step, as it is at its start: callers end steps at
    burnout (:func:`step_to_burnout`) so that no step straddles the thrust cut-off.

    Parameters
    ----------
    pos, vel : ndarray, shape (..., 3)
    tau : ndarray, shape (...), time since launch at the start of the step, s
    h : array_like, shape (...), step, s (0 leaves a body in place)
    body : BallisticBody
    thrust_dir : ndarray, shape (..., 3), unit vectors
    lateral_cmd_mps2 : array_like, shape (...), held over the step

    Returns
    -------
    pos, vel : ndarray, shape (..., 3), at ``tau + h``
    """
    hh = np.asarray(h, dtype=np.float64)
    hv = hh[..., None]
    on = (tau >= 0.0) & (tau < body.burn_time_s)
    k1v = acceleration(pos, vel, tau, body, thrust_dir,
                       lateral_cmd_mps2, on)
    k2p = vel + 0.5 * hv * k1v
    k2v = acceleration(pos + 0.5 * hv * vel, k2p, tau + 0.5 * hh, body, thrust_dir,
                       lateral_cmd_mps2, on)
    k3p = vel + 0.5 * hv * k2v
    k3v = acceleration(pos + 0.5 * hv * k2p, k3p, tau + 0.5 * hh, body, thrust_dir,
                       lateral_cmd_mps2, on)
    k4p = vel + hv * k3v
    k4v = acceleration(pos + hv * k3p, k4p, tau + hh, body, thrust_dir,
                       lateral_cmd_mps2, on)
    p = pos + (hv / 6.0) * (vel + 2.0 * k2p + 2.0 * k3p + k4p)
    v = vel + (hv / 6.0) * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return p, v


def step_to_burnout(tau: FloatArray, h: ArrayLike, body: BallisticBody) -> FloatArray:
    """A step shortened, where needed, to end exactly at burnout, shape (...).

    Parameters
    ----------
    tau : ndarray, shape (...), time since launch, s
    h : array_like, shape (...), wanted step, s
    body : BallisticBody
    """
    hh = np.asarray(h, dtype=np.float64)
    left = body.burn_time_s - tau
    return np.where((left > 0.0) & (left < hh), left, hh)


def launch_direction(launch_pos: ArrayLike, aim_pos: ArrayLike,
                     elevation_rad: ArrayLike) -> FloatArray:
    """Unit vector at ``elevation_rad`` above the local horizontal, toward the aim point.

    Parameters
    ----------
    launch_pos, aim_pos : array_like, shape (..., 3), metres, engine ENU
    elevation_rad : array_like, shape (...)

    Returns
    -------
    ndarray, shape (..., 3)
    """
    p0 = np.asarray(launch_pos, dtype=np.float64)
    pf = np.asarray(aim_pos, dtype=np.float64)
    el = np.asarray(elevation_rad, dtype=np.float64)
    r0 = p0 + _GEOCENTRE_OFFSET
    up = r0 / np.linalg.norm(r0, axis=-1, keepdims=True)
    d = pf - p0
    toward = d - np.sum(d * up, axis=-1, keepdims=True) * up
    tn = np.linalg.norm(toward, axis=-1, keepdims=True)
    horiz = np.divide(toward, tn, out=np.zeros_like(toward), where=tn > 0.0)
    return np.cos(el)[..., None] * horiz + np.sin(el)[..., None] * up


# range tables: launch elevations tried, integration step and time limit (model constants)
_TABLE_ELEVATIONS_DEG = np.arange(3.0, 75.5, 1.0)
_TABLE_STEP_S = 0.5
_TABLE_MAX_TIME_S = 3600.0


@lru_cache(maxsize=64)
def _range_table_cached(key: tuple[float, ...]) -> tuple[FloatArray, FloatArray]:
    body = BallisticBody(*(np.asarray(k) for k in key))
    el = np.deg2rad(_TABLE_ELEVATIONS_DEG)
    n = el.size
    aim = np.broadcast_to(map_to_enu(0.0, 1.0e5, 0.0), (n, 3))
    p = np.zeros((n, 3))
    u = launch_direction(p, aim, el)
    v = u * body.rail_speed_mps
    rng_m = np.full(n, np.nan)
    tau = np.zeros(n)
    flying = np.ones(n, bool)
    while flying.any() and tau.max() < _TABLE_MAX_TIME_S:
        h = np.where(flying, step_to_burnout(tau, _TABLE_STEP_S, body), 0.0)
        p_new, v_new = rk4_step(p, v, tau, h, body, u)
        h0, h1 = altitude_m(p), altitude_m(p_new)
        down = flying & (h1 <= 0.0) & (tau > 1.0)
        frac = np.clip(np.divide(h0, h0 - h1, out=np.ones(n), where=h0 != h1), 0.0, 1.0)
        hit = p + frac[:, None] * (p_new - p)
        rng_m = np.where(down, ground_range_m(np.zeros(3), hit), rng_m)
        flying &= ~down
        p, v = p_new, v_new
        tau = tau + h
    rng_m.flags.writeable = False
    return el, rng_m


def range_table(body: BallisticBody) -> tuple[FloatArray, FloatArray]:
    """Ground range reached from sea level against launch elevation, for one body.

    Integrates :func:`acceleration` from rail exit to impact for elevations 3-75 deg every
    degree at a 0.5 s step (cached per body figures).

    Parameters
    ----------
    body : BallisticBody, scalar fields

    Returns
    -------
    elevation_rad : ndarray, shape (N,)
    range_m : ndarray, shape (N,)
    """
    return _range_table_cached(body.key())


def elevation_for_range(elevation_rad: FloatArray, range_m: FloatArray, wanted_m: ArrayLike,
                        lofted: ArrayLike) -> FloatArray:
    """Launch elevation that reaches a ground range, by interpolating a range table.

    Parameters
    ----------
    elevation_rad, range_m : ndarray, shape (N,)
        From :func:`range_table`.
    wanted_m : array_like, shape (...), metres
    lofted : array_like of bool, shape (...)
        Take the high branch (above the elevation of maximum range) instead of the depressed
        one.

    Returns
    -------
    ndarray, shape (...), radians
        Ranges beyond the maximum get the maximum-range elevation (the body falls short).
    """
    want = np.asarray(wanted_m, dtype=np.float64)
    best = int(np.nanargmax(range_m))
    r = np.nan_to_num(range_m)
    # each branch made monotonic so that np.interp is well defined
    lo_el, lo_r = elevation_rad[:best + 1], np.maximum.accumulate(r[:best + 1])
    hi_el, hi_r = elevation_rad[best:][::-1], np.maximum.accumulate(r[best:][::-1])
    low = np.interp(want, lo_r, lo_el)
    high = np.interp(want, hi_r, hi_el)
    return np.where(np.asarray(lofted, dtype=bool), high, low)

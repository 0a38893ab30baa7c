"""Three-degree-of-freedom point-mass interceptor flight.

The interceptor is a point mass in the engine's ENU frame (a round Earth centred at
``(0, 0, -R)``, :mod:`triumf.core.earth`). Forces per unit mass
(ISA density and sound speed from :func:`triumf.core.atmosphere.density_and_sound_speed`):

    a = (F(t) / m(t)) v_hat                          thrust along the velocity
        - (rho |v| S C_D(M) / (2 m)) v               drag, ISA density, Mach from ISA sound speed
        + g(r)                                       central gravity
        + a_lat                                      commanded lateral acceleration

Control authority (:func:`lateral_limit_mps2`): an aerodynamically controlled missile can pull at
most ``min(structural, q S cn_max / m)``, with ``q = rho |v|^2 / 2``; a missile with gas-dynamic
(thrust-vector or side-thruster) control additionally has a floor of ``gas_dynamic_accel_mps2``
at any dynamic pressure (still capped by the structural limit). :func:`step` applies this limit
itself, so callers may pass the raw guidance command.

Drag coefficient (:func:`drag_coefficient`): ``C_D = cd0 * shape(M)``, where ``cd0`` is the
subsonic zero-lift drag coefficient of the missile and ``shape`` is a fixed, piecewise-linear
Mach profile typical of slender missiles (power-off, including base drag) [E]:

    M      0    0.8   1.05  1.2   2.0   3.0   4.0   6.0 (and above)
    shape  1.0  1.0   2.0   2.0   1.6   1.3   1.15  1.0

i.e. flat subsonic, a transonic rise to twice the subsonic value, then a supersonic decay back
to the subsonic value by Mach 6. Calibrate ``cd0`` (with thrust, burn time and masses) so that
a fly-out reproduces a published range and speed (references.md section 8).

Induced drag: lifting to pull a lateral acceleration costs drag. With the normal-force
coefficient ``C_N = m a_aero / (q S)`` of the aerodynamically produced part ``a_aero`` (at most
``q S cn_max / m``; gas-dynamic thrust beyond it induces no aerodynamic drag), the added drag
coefficient is ``C_Di = k C_N^2`` (a parabolic drag polar; for a slender body with fins
``k ~ 1 / C_N_alpha``, about 0.02-0.1 per rad), i.e. a deceleration ``k m a_aero^2 / (q S)``
along the velocity. It is what limits lofted long-range flight in thin air, where holding the
trajectory against gravity needs large ``C_N``.

Mass flow: the propellant ``launch_mass - burnout_mass`` burns at a constant specific impulse
shared by both phases, so each phase's mass flow is proportional to its thrust and the mass falls
linearly within each phase (boost from t = 0, then sustain); the mass is constant afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.atmosphere import density_and_sound_speed
from triumf.core.earth import EARTH_RADIUS_M, MU_EARTH_M3PS2, altitude_m

__all__ = [
    "EARTH_ROTATION_RATE_RADPS",
    "earth_rate_enu",
    "DRAG_MACH_NODES",
    "DRAG_SHAPE_NODES",
    "MissileKinematics",
    "acceleration",
    "drag_coefficient",
    "lateral_limit_mps2",
    "step",
    "thrust_and_mass",
]

FloatArray = NDArray[np.float64]

DRAG_MACH_NODES = np.array([0.0, 0.8, 1.05, 1.2, 2.0, 3.0, 4.0, 6.0])
"""Mach numbers of the drag-shape profile."""
DRAG_SHAPE_NODES = np.array([1.0, 1.0, 2.0, 2.0, 1.6, 1.3, 1.15, 1.0])
"""Drag coefficient over its subsonic value at ``DRAG_MACH_NODES`` [E]; held flat beyond."""
EARTH_ROTATION_RATE_RADPS = 7.292115e-5
"""Earth's rotation rate (WGS 84, published: NIMA TR8350.2), rad/s."""
_GEOCENTRE_OFFSET = np.array([0.0, 0.0, EARTH_RADIUS_M])
_STAGE_NUDGE = 1e-6  # fraction of dt by which RK4's end stages read the motor inside the step


def _dot3(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise dot product of (..., 3) arrays (faster than np.sum for small batches)."""
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


@dataclass(frozen=True, eq=False)
class MissileKinematics:
    """Point-mass interceptor parameters, one value per missile, shape (...) each.

    All fields broadcast together, so a batch of missiles of different types is one object.

    Parameters
    ----------
    launch_mass_kg : array_like, shape (...), kg
    burnout_mass_kg : array_like, shape (...), kg, after both burns
    boost_thrust_n : array_like, shape (...), newtons, from launch to ``boost_time_s``
    boost_time_s : array_like, shape (...), seconds
    sustain_thrust_n : array_like, shape (...), newtons, for ``sustain_time_s`` after the boost
    sustain_time_s : array_like, shape (...), seconds (0 for a single-pulse motor)
    ref_area_m2 : array_like, shape (...), m^2, aerodynamic reference area (body cross-section)
    cd0 : array_like, shape (...), subsonic drag coefficient (see the module docstring)
    max_lateral_accel_mps2 : array_like, shape (...), m/s^2, structural lateral limit
    cn_max : array_like, shape (...), maximum normal-force coefficient (aerodynamic control)
    gas_dynamic : array_like of bool, shape (...), True for gas-dynamic control
    gas_dynamic_accel_mps2 : array_like, shape (...), m/s^2, lateral floor of gas-dynamic control
    induced_drag_factor : array_like, shape (...), optional
        ``k`` of the lift-induced drag ``C_Di = k C_N^2`` of the aerodynamic part of the
        lateral acceleration (default 0: no induced drag; see the module docstring).
    """

    launch_mass_kg: FloatArray
    burnout_mass_kg: FloatArray
    boost_thrust_n: FloatArray
    boost_time_s: FloatArray
    sustain_thrust_n: FloatArray
    sustain_time_s: FloatArray
    ref_area_m2: FloatArray
    cd0: FloatArray
    max_lateral_accel_mps2: FloatArray
    cn_max: FloatArray
    gas_dynamic: NDArray[np.bool_]
    gas_dynamic_accel_mps2: FloatArray
    induced_drag_factor: FloatArray = 0.0  # type: ignore[assignment]

    def __post_init__(self) -> None:
        for f in fields(self):
            dtype = np.bool_ if f.name == "gas_dynamic" else np.float64
            object.__setattr__(self, f.name, np.asarray(getattr(self, f.name), dtype=dtype))
        _ = self.shape  # raises ValueError if the fields do not broadcast
        if np.any(self.burnout_mass_kg > self.launch_mass_kg) or np.any(self.burnout_mass_kg <= 0):
            raise ValueError("need 0 < burnout_mass_kg <= launch_mass_kg")

    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of all fields."""
        return np.broadcast_shapes(*(np.shape(getattr(self, f.name)) for f in fields(self)))

    def take(self, index: ArrayLike) -> MissileKinematics:
        """Select missiles along the last axis, e.g. types (Nt,) -> per interceptor (R, M).

        Parameters
        ----------
        index : array_like of int, shape (...)

        Returns
        -------
        MissileKinematics with fields of shape (...)
        """
        idx = np.asarray(index)
        shape = self.shape

        def full(value: NDArray[Any]) -> NDArray[Any]:
            return value if value.shape == shape else np.broadcast_to(value, shape)

        return MissileKinematics(
            **{f.name: full(getattr(self, f.name))[..., idx] for f in fields(self)}
        )

    @cached_property
    def _per_impulse(self) -> FloatArray:
        """Propellant burnt per newton second of impulse, kg/(N s) (0 without propellant)."""
        impulse_b = self.boost_thrust_n * self.boost_time_s
        impulse = impulse_b + self.sustain_thrust_n * self.sustain_time_s
        prop = self.launch_mass_kg - self.burnout_mass_kg
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(impulse > 0.0, prop / impulse, 0.0)

    @cached_property
    def _lateral_floor(self) -> FloatArray:
        """Gas-dynamic lateral floor (0 for aerodynamic control), m/s^2."""
        return np.where(self.gas_dynamic, self.gas_dynamic_accel_mps2, 0.0)

    @property
    def exhaust_velocity_mps(self) -> FloatArray:
        """Effective exhaust velocity (total impulse / propellant mass), m/s, shape (...)."""
        impulse = (
            self.boost_thrust_n * self.boost_time_s + self.sustain_thrust_n * self.sustain_time_s
        )
        prop = self.launch_mass_kg - self.burnout_mass_kg
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(prop > 0.0, impulse / prop, 0.0)


def earth_rate_enu(latitude_rad: ArrayLike) -> FloatArray:
    """Earth's rotation vector in the local ENU frame of a point at a geodetic latitude.

    ``Omega = w (0, cos(lat), sin(lat))`` (north and up components), ``w`` =
    :data:`EARTH_ROTATION_RATE_RADPS`.

    Parameters
    ----------
    latitude_rad : array_like, shape (...), radians

    Returns
    -------
    ndarray, shape (..., 3), rad/s
    """
    lat = np.asarray(latitude_rad, dtype=np.float64)
    w = EARTH_ROTATION_RATE_RADPS
    return np.stack([np.zeros_like(lat), w * np.cos(lat), w * np.sin(lat)], axis=-1)


def thrust_and_mass(
    t_since_launch_s: ArrayLike, kin: MissileKinematics
) -> tuple[FloatArray, FloatArray]:
    """Motor thrust and missile mass at a time since launch.

    Parameters
    ----------
    t_since_launch_s : array_like, shape (...), seconds (negative: not launched, no thrust)
    kin : MissileKinematics, fields broadcastable to (...)

    Returns
    -------
    thrust_n : ndarray, shape (...), newtons
    mass_kg : ndarray, shape (...), kg; linear in time within each burn, constant outside
    """
    t = np.asarray(t_since_launch_s, dtype=np.float64)
    tb, ts = kin.boost_time_s, kin.sustain_time_s
    # mdot = F / c with c = impulse / prop, the same in both phases (kg per N s cached per kin);
    # minimum(maximum()) is np.clip without its wrapper's overhead (same values)
    burnt_b = kin.boost_thrust_n * np.minimum(np.maximum(t, 0.0), tb)
    burnt_s = kin.sustain_thrust_n * np.minimum(np.maximum(t - tb, 0.0), ts)
    mass = kin.launch_mass_kg - kin._per_impulse * (burnt_b + burnt_s)
    boosting = (t >= 0.0) & (t < tb)
    sustaining = (t >= tb) & (t < tb + ts)
    thrust = np.where(boosting, kin.boost_thrust_n, np.where(sustaining, kin.sustain_thrust_n, 0.0))
    return np.asarray(thrust, dtype=np.float64), np.asarray(mass, dtype=np.float64)


def drag_coefficient(mach: ArrayLike, cd0: ArrayLike) -> FloatArray:
    """Zero-lift drag coefficient ``cd0 * shape(M)``.

    Parameters
    ----------
    mach : array_like, shape (...)
    cd0 : array_like, broadcastable to (...)

    Returns
    -------
    ndarray, shape (...)
    """
    m = np.asarray(mach, dtype=np.float64)
    return np.asarray(cd0, dtype=np.float64) * np.interp(m, DRAG_MACH_NODES, DRAG_SHAPE_NODES)


def _lateral_limit(
    rho: FloatArray, speed: FloatArray, mass: FloatArray, kin: MissileKinematics
) -> FloatArray:
    """Lateral limit from density, speed and mass (shared by the public function and step)."""
    q = 0.5 * rho * speed * speed
    aero = q * kin.ref_area_m2 * kin.cn_max / mass
    return np.minimum(kin.max_lateral_accel_mps2, np.maximum(aero, kin._lateral_floor))


def lateral_limit_mps2(
    pos: ArrayLike, vel: ArrayLike, mass_kg: ArrayLike, kin: MissileKinematics
) -> FloatArray:
    """Largest lateral acceleration the missile can pull.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, ENU
    vel : array_like, shape (..., 3), m/s, ENU
    mass_kg : array_like, shape (...), kg
    kin : MissileKinematics, fields broadcastable to (...)

    Returns
    -------
    ndarray, shape (...), m/s^2
        ``min(structural, max(q S cn_max / m, gas-dynamic floor))``, the floor being zero for
        aerodynamically controlled missiles.
    """
    p = np.asarray(pos, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    rho, _ = density_and_sound_speed(altitude_m(p))
    speed = np.sqrt(_dot3(v, v))
    return _lateral_limit(rho, speed, np.asarray(mass_kg, dtype=np.float64), kin)


def acceleration(
    pos: FloatArray,
    vel: FloatArray,
    t_since_launch_s: FloatArray,
    accel_cmd: FloatArray,
    kin: MissileKinematics,
    *,
    include_gravity: bool = True,
    earth_rate: FloatArray | None = None,
) -> FloatArray:
    """Total acceleration of the interceptor (the right-hand side that :func:`step` integrates).

    Parameters
    ----------
    pos : ndarray, shape (..., 3), metres, ENU
    vel : ndarray, shape (..., 3), m/s, ENU
    t_since_launch_s : ndarray, shape (...), seconds
    accel_cmd : ndarray, shape (..., 3), m/s^2; its component along ``vel`` is removed and the
        rest is clipped to :func:`lateral_limit_mps2`
    kin : MissileKinematics, fields broadcastable to (...)
    include_gravity : bool
        False drops gravity (for tests and idealised tables).
    earth_rate : ndarray, shape (3,) or (..., 3), rad/s, optional
        Earth's rotation vector in the frame (:func:`earth_rate_enu` at the frame origin). If
        given, the frame rotates with the Earth and the Coriolis ``-2 Omega x v`` and
        centrifugal ``-Omega x (Omega x r)`` terms are added (``r`` from the Earth's centre).
        None (default): a non-rotating Earth.

    Returns
    -------
    ndarray, shape (..., 3), m/s^2
        At zero speed the thrust acts along the local vertical (a vertical launch from rest).

    Notes
    -----
    Gravity is :func:`triumf.core.earth.gravity_mps2` (``-mu r / |r|^3``, ``r = pos + R z``),
    written inline so that ``|r|`` is shared with the altitude; density and sound speed come
    from :func:`triumf.core.atmosphere.density_and_sound_speed` (the ISA, tabulated).
    """
    thrust, mass = thrust_and_mass(t_since_launch_s, kin)
    r = pos + _GEOCENTRE_OFFSET
    rn = np.sqrt(_dot3(r, r))
    rho, sound = density_and_sound_speed(rn - EARTH_RADIUS_M)
    speed = np.sqrt(_dot3(vel, vel))
    moving = speed > 0.0
    inv_speed = 1.0 / np.where(moving, speed, 1.0)
    v_hat = np.where(moving[..., None], vel * inv_speed[..., None], r / rn[..., None])
    cd = drag_coefficient(speed / sound, kin.cd0)
    # drag: a_D = -(rho |v| S C_D / 2m) v
    half_rho_v = 0.5 * rho * speed
    k_drag = half_rho_v * kin.ref_area_m2 * cd / mass
    # lateral command: perpendicular part, clipped to the available lateral acceleration
    a_lat = accel_cmd - _dot3(accel_cmd, v_hat)[..., None] * v_hat
    lat_norm = np.sqrt(_dot3(a_lat, a_lat))
    # q S and the aerodynamic lateral limit q S cn_max / m (as in `_lateral_limit`, computed
    # once here for the limit and the induced drag)
    q_s = half_rho_v * speed * kin.ref_area_m2
    aero = q_s * kin.cn_max / mass
    limit = np.minimum(kin.max_lateral_accel_mps2, np.maximum(aero, kin._lateral_floor))
    scale = np.where(lat_norm > limit, limit / np.where(lat_norm > 0.0, lat_norm, 1.0), 1.0)
    acc = (thrust / mass)[..., None] * v_hat - k_drag[..., None] * vel + scale[..., None] * a_lat
    # induced drag of the aerodynamic part of the lateral acceleration:
    # C_N = m a_aero / (q S), D_i / m = k C_N^2 q S / m = k m a_aero^2 / (q S)
    a_aero = np.minimum(scale * lat_norm, aero)
    induced = np.where(q_s > 0.0, kin.induced_drag_factor * mass * a_aero * a_aero
                       / np.where(q_s > 0.0, q_s, 1.0), 0.0)
    acc = acc - induced[..., None] * v_hat
    if include_gravity:
        # g = -mu r / |r|^3
        acc = acc - (MU_EARTH_M3PS2 / (rn * rn * rn))[..., None] * r
    if earth_rate is not None:
        w = np.asarray(earth_rate, dtype=np.float64)
        # a_rot = -2 Omega x v - Omega x (Omega x r)
        acc = acc - 2.0 * np.cross(w, vel) - np.cross(w, np.cross(w, r))
    return np.asarray(acc, dtype=np.float64)


def step(
    pos: ArrayLike,
    vel: ArrayLike,
    t_since_launch_s: ArrayLike,
    accel_cmd: ArrayLike,
    dt: ArrayLike,
    kin: MissileKinematics,
    *,
    include_gravity: bool = True,
    earth_rate: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Advance interceptors by one classical Runge-Kutta (RK4) step.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, ENU
    vel : array_like, shape (..., 3), m/s, ENU
    t_since_launch_s : array_like, shape (...), seconds, at the start of the step
    accel_cmd : array_like, shape (..., 3), m/s^2
        Guidance command, held constant over the step. The component along the velocity is
        removed and the rest clipped to :func:`lateral_limit_mps2` here, at every RK stage, so
        the lateral command never changes the speed.
    dt : array_like, broadcastable to (...), seconds (0 leaves a missile in place)
    kin : MissileKinematics, fields broadcastable to (...)
    include_gravity : bool
        False drops gravity (for tests and idealised tables).
    earth_rate : array_like, shape (3,), rad/s, optional
        Earth's rotation in the frame: adds the Coriolis and centrifugal terms (see
        :func:`acceleration`); None (default) for a non-rotating Earth.

    Returns
    -------
    pos, vel : ndarray, shape (..., 3), at ``t_since_launch_s + dt``

    Notes
    -----
    Thrust is discontinuous at the end of each burn. A step that ends on a burn boundary is
    exact to RK4 order (its first and last stages read the motor 1e-6 dt inside the step); a
    step that straddles one is first-order there (an error of up to about ``F dt / (6 m)``).
    Align steps with the burn times where that matters, or keep ``dt`` small.
    """
    p = np.asarray(pos, dtype=np.float64)
    v = np.asarray(vel, dtype=np.float64)
    t = np.asarray(t_since_launch_s, dtype=np.float64)
    a_cmd = np.asarray(accel_cmd, dtype=np.float64)
    h = np.asarray(dt, dtype=np.float64)
    h3 = h[..., None]

    w = None if earth_rate is None else np.asarray(earth_rate, dtype=np.float64)

    def f(pp: FloatArray, vv: FloatArray, tt: FloatArray) -> FloatArray:
        return acceleration(pp, vv, tt, a_cmd, kin, include_gravity=include_gravity,
                            earth_rate=w)

    # The end stages read the motor just inside the step, so a step that ends (or starts) on a
    # burn boundary, up to rounding of the accumulated time, sees one motor phase throughout.
    k1v = f(p, v, t + _STAGE_NUDGE * h)
    k1p = v
    k2p = v + 0.5 * h3 * k1v
    k2v = f(p + 0.5 * h3 * k1p, k2p, t + 0.5 * h)
    k3p = v + 0.5 * h3 * k2v
    k3v = f(p + 0.5 * h3 * k2p, k3p, t + 0.5 * h)
    k4p = v + h3 * k3v
    k4v = f(p + h3 * k3p, k4p, t + (1.0 - _STAGE_NUDGE) * h)
    p_new = p + (h3 / 6.0) * (k1p + 2.0 * k2p + 2.0 * k3p + k4p)
    v_new = v + (h3 / 6.0) * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return p_new, v_new

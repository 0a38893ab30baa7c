"""The engine's Earth: a sphere tangent to the local ENU frame at the scenario origin.

The engine works in one Cartesian east-north-up frame whose origin lies on the Earth's
surface at the scenario origin. The Earth is a sphere of radius ``EARTH_RADIUS_M`` centred at
``(0, 0, -radius_m)`` in that frame, so ``r = pos + radius_m * z_hat`` is the geocentric
position vector. Curvature, horizons, local vertical and central gravity all follow from it.

Local frames on the sphere
--------------------------
"Local north" at a point on the sphere is defined by carrying the origin's east/north/up
axes along the great circle from the origin to that point (parallel transport; the rotation
about ``z_hat x up`` that takes ``z_hat`` to the local vertical). At the origin it is the
engine frame itself; along any radial from the origin it is exactly the direction of the
azimuthal-equidistant map grid used by :func:`map_to_enu`, and elsewhere it differs from the
map grid by O(theta^2) (theta = ground distance / radius; 0.15 % at 600 km). It ignores
meridian convergence of the real Earth, which the sphere model does not represent.

Every function broadcasts over leading axes and takes ``radius_m`` (use ``k * radius`` for a
4/3-Earth refraction model of a radar's line of sight). The engine calls these on every tick,
so they are written by components (sums of products, no ``np.cross`` or ``np.linalg.norm``,
``arctan`` for ``arctan2`` where the quadrant is known), with the same operations as the
vector forms: ``altitude_m`` and ``ground_range_m`` agree with them bit for bit or to 1 ulp.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.frames import geodetic_to_map, map_to_geodetic, wrap_to_2pi

__all__ = [
    "EARTH_RADIUS_M",
    "MU_EARTH_M3PS2",
    "STANDARD_GRAVITY_MPS2",
    "EFFECTIVE_EARTH_FACTOR",
    "altitude_m",
    "up_unit",
    "ground_range_m",
    "gravity_mps2",
    "map_to_enu",
    "enu_to_map",
    "geodetic_to_engine",
    "engine_to_geodetic",
    "local_frame",
    "horizon_range_m",
    "local_aer",
    "above_radar_horizon",
]

FloatArray = NDArray[np.float64]

EARTH_RADIUS_M: float = 6_371_000.0
"""Mean Earth radius, metres (IUGG mean radius R1, rounded)."""
MU_EARTH_M3PS2: float = 3.986004418e14
"""Earth's gravitational parameter GM, m^3/s^2 (WGS84 / IERS)."""
STANDARD_GRAVITY_MPS2: float = 9.80665
"""Standard acceleration of gravity g0, m/s^2 (CGPM 1901), for load factors in g."""
EFFECTIVE_EARTH_FACTOR: float = 4.0 / 3.0
"""Effective Earth-radius factor k of the standard refracting atmosphere."""


def _geocentric(pos: ArrayLike, radius_m: float) -> FloatArray:
    """Geocentric position vector ``r = pos + radius_m * z_hat``, shape (..., 3)."""
    p = np.asarray(pos, dtype=np.float64)
    return p + np.array([0.0, 0.0, radius_m])


def _components(pos: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """East, north and up components of ``pos`` (..., 3), each of shape (...)."""
    p = np.asarray(pos, dtype=np.float64)
    return p[..., 0], p[..., 1], p[..., 2]


def _atan2(y: FloatArray, x: FloatArray) -> FloatArray:
    """``arctan2(y, x)``, as ``arctan(y / x)`` (twice as fast) where ``x > 0``.

    Chosen element by element, so a value does not depend on the rest of the batch.
    """
    pos = x > 0.0
    if pos.all():
        return np.arctan(y / x)
    return np.where(pos, np.arctan(y / np.where(pos, x, 1.0)), np.arctan2(y, x))


def altitude_m(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    """Height above the spherical Earth.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...), metres
        ``|pos + R z_hat| - R``.
    """
    return _altitude(*_components(pos), radius_m)


def _altitude(x: FloatArray, y: FloatArray, z: FloatArray, radius_m: float) -> FloatArray:
    """:func:`altitude_m` of a position given by components."""
    # |r| - R = (|r|^2 - R^2) / (|r| + R) with |r|^2 - R^2 = |p|^2 + 2 R p_z (no cancellation);
    # component arithmetic: np.linalg.norm and np.sum cost more than the sums themselves
    h2 = x * x + y * y
    zr = z + radius_m
    num = h2 + z * z + 2.0 * radius_m * z
    return num / (np.sqrt(h2 + zr * zr) + radius_m)


def up_unit(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    """Local vertical (outward radial) unit vector.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (..., 3), unit vectors in the engine ENU frame
    """
    r = _geocentric(pos, radius_m)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    return r / np.sqrt(x * x + y * y + z * z)[..., None]


def _angle(
    ax: FloatArray, ay: FloatArray, az: FloatArray, bx: FloatArray, by: FloatArray, bz: FloatArray
) -> FloatArray:
    """Angle between vectors given by components: ``atan2(|a x b|, a . b)``, radians."""
    cx = ay * bz - az * by
    cy = az * bx - ax * bz
    cz = ax * by - ay * bx
    cross = np.sqrt(cx * cx + cy * cy + cz * cz)
    dot = ax * bx + ay * by + az * bz
    return _atan2(cross, dot)


def ground_range_m(a: ArrayLike, b: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    """Great-circle distance on the sphere between the points below ``a`` and ``b``.

    Parameters
    ----------
    a, b : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...), metres
        ``radius_m * angle(r_a, r_b)``.
    """
    ax, ay, az = _components(a)
    bx, by, bz = _components(b)
    return radius_m * _angle(ax, ay, az + radius_m, bx, by, bz + radius_m)


def gravity_mps2(
    pos: ArrayLike, radius_m: float = EARTH_RADIUS_M, mu_m3ps2: float = MU_EARTH_M3PS2
) -> FloatArray:
    """Central (point-mass) gravitational acceleration.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres
    mu_m3ps2 : float, m^3/s^2

    Returns
    -------
    ndarray, shape (..., 3), m/s^2, engine ENU
        ``-mu r / |r|^3`` with ``r = pos + R z_hat``. The engine frame does not rotate with
        the Earth here: no centrifugal or Coriolis term.
    """
    r = _geocentric(pos, radius_m)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    rn2 = x * x + y * y + z * z
    return r * (-mu_m3ps2 / (rn2 * np.sqrt(rn2)))[..., None]


def map_to_enu(
    east_m: ArrayLike,
    north_m: ArrayLike,
    alt_m: ArrayLike,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Map coordinates (azimuthal equidistant about the origin) and altitude to engine ENU.

    Parameters
    ----------
    east_m, north_m : array_like, shape (...), metres
        Ground coordinates: the point lies at great-circle distance ``hypot(east, north)``
        from the origin, at bearing ``atan2(east, north)`` (clockwise from north).
    alt_m : array_like, shape (...), metres
        Height above the sphere.
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (..., 3), metres, engine ENU
    """
    e = np.asarray(east_m, dtype=np.float64)
    n = np.asarray(north_m, dtype=np.float64)
    h = np.asarray(alt_m, dtype=np.float64)
    theta = np.hypot(e, n) / radius_m  # central angle
    # horizontal offset (R + h) sin(theta) along the bearing; sin(theta)/theta = sinc(theta/pi)
    scale = (radius_m + h) * np.sinc(theta / np.pi) / radius_m
    x = scale * e
    y = scale * n
    # (R + h) cos(theta) - R, written without cancellation
    z = h * np.cos(theta) - 2.0 * radius_m * np.sin(0.5 * theta) ** 2
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1)


def enu_to_map(
    pos: ArrayLike, radius_m: float = EARTH_RADIUS_M
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Engine ENU to map coordinates and altitude (inverse of :func:`map_to_enu`).

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    east_m, north_m : ndarray, shape (...), metres
        Azimuthal-equidistant ground coordinates about the origin.
    alt_m : ndarray, shape (...), metres above the sphere
    """
    p = np.asarray(pos, dtype=np.float64)
    r = _geocentric(p, radius_m)
    rho = np.linalg.norm(r, axis=-1)
    horiz = np.hypot(r[..., 0], r[..., 1])
    theta = np.arctan2(horiz, r[..., 2])
    # east = R theta r_x / horiz = R (r_x / rho) / sinc(theta)
    scale = radius_m / (rho * np.sinc(theta / np.pi))
    return scale * r[..., 0], scale * r[..., 1], altitude_m(p, radius_m)


def geodetic_to_engine(
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    alt_m: ArrayLike,
    lat0_deg: ArrayLike,
    lon0_deg: ArrayLike,
    alt0_m: ArrayLike = 0.0,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Place a geodetic point in the engine frame, on the spherical Earth.

    The ground position keeps the geodesic distance and azimuth from the origin
    (:func:`triumf.core.frames.geodetic_to_map`) and the height above the sphere is the
    height above the ellipsoid less the origin's (``alt_m - alt0_m``). Prefer this to the
    exact ellipsoidal :func:`triumf.core.frames.geodetic_to_enu` for sites and waypoints: that
    one is exact in 3-D but, seen from the engine's sphere, a surface point 300 km away can
    sit some 20 m above or below ground (the ellipsoid's curvature differs from the sphere's).

    Parameters
    ----------
    lat_deg, lon_deg : array_like, shape (...), degrees
    alt_m : array_like, shape (...), metres above the WGS84 ellipsoid
    lat0_deg, lon0_deg : array_like, shape (...), degrees
        Scenario origin.
    alt0_m : array_like, shape (...), metres
        Ellipsoidal height of the scenario origin (the engine's ground level).
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (..., 3), metres, engine ENU
    """
    east, north = geodetic_to_map(lat_deg, lon_deg, lat0_deg, lon0_deg)
    height = np.asarray(alt_m, dtype=np.float64) - np.asarray(alt0_m, dtype=np.float64)
    return map_to_enu(east, north, height, radius_m)


def engine_to_geodetic(
    pos: ArrayLike,
    lat0_deg: ArrayLike,
    lon0_deg: ArrayLike,
    alt0_m: ArrayLike = 0.0,
    radius_m: float = EARTH_RADIUS_M,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Inverse of :func:`geodetic_to_engine` (for reports and exports).

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    lat0_deg, lon0_deg : array_like, shape (...), degrees
    alt0_m : array_like, shape (...), metres
    radius_m : float, metres

    Returns
    -------
    lat_deg, lon_deg : ndarray, shape (...), degrees
    alt_m : ndarray, shape (...), metres above the WGS84 ellipsoid
    """
    east, north, height = enu_to_map(pos, radius_m)
    lat, lon = map_to_geodetic(east, north, lat0_deg, lon0_deg)
    return lat, lon, height + np.asarray(alt0_m, dtype=np.float64)


def local_frame(pos: ArrayLike, radius_m: float = EARTH_RADIUS_M) -> FloatArray:
    """Rotation from the local east/north/up frame at ``pos`` to the engine ENU frame.

    The local axes are the origin's axes carried along the great circle from the origin
    (see the module notes); the third column is :func:`up_unit`.

    Parameters
    ----------
    pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (..., 3, 3)
        Columns are the local east, north and up unit vectors, so
        ``v_engine = rot @ v_local`` and ``v_local = rot.T @ v_engine``.
        Undefined only at the antipode of the origin.
    """
    u = up_unit(pos, radius_m)
    ux, uy, c = u[..., 0], u[..., 1], u[..., 2]
    # minimal rotation taking z_hat to u: I + [v]x + [v]x^2 / (1 + c), v = z_hat x u
    q = 1.0 / (1.0 + c)
    rot = np.empty(u.shape[:-1] + (3, 3))
    rot[..., 0, 0] = 1.0 - ux * ux * q
    rot[..., 0, 1] = -ux * uy * q
    rot[..., 0, 2] = ux
    rot[..., 1, 0] = -ux * uy * q
    rot[..., 1, 1] = 1.0 - uy * uy * q
    rot[..., 1, 2] = uy
    rot[..., 2, 0] = -ux
    rot[..., 2, 1] = -uy
    rot[..., 2, 2] = c
    return rot


def horizon_range_m(
    h1_m: ArrayLike,
    h2_m: ArrayLike,
    k: float = EFFECTIVE_EARTH_FACTOR,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Radar horizon: the longest distance at which two heights see each other.

    Parameters
    ----------
    h1_m, h2_m : array_like, shape (...), metres
        Heights above the sphere; negative heights are clipped to 0.
    k : float
        Effective Earth-radius factor (4/3 for standard refraction, 1 for geometric).
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...), metres
        ``sqrt(2 k a h1) + sqrt(2 k a h2)`` (tangent-ray approximation, h << a).
    """
    ka = k * radius_m
    h1 = np.maximum(np.asarray(h1_m, dtype=np.float64), 0.0)
    h2 = np.maximum(np.asarray(h2_m, dtype=np.float64), 0.0)
    return np.sqrt(2.0 * ka * h1) + np.sqrt(2.0 * ka * h2)


def local_aer(
    observer_pos: ArrayLike, target_pos: ArrayLike, radius_m: float = EARTH_RADIUS_M
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Slant range, azimuth and elevation of a target in the observer's local frame.

    Parameters
    ----------
    observer_pos, target_pos : array_like, shape (..., 3), metres, engine ENU
    radius_m : float, metres

    Returns
    -------
    range_m : ndarray, shape (...), metres
    az_rad : ndarray, shape (...), radians clockwise from local north, in ``[0, 2 pi)``
    el_rad : ndarray, shape (...), radians above the observer's local horizontal
    """
    ox, oy, oz = _components(observer_pos)
    tx, ty, tz = _components(target_pos)
    dx, dy, dz = tx - ox, ty - oy, tz - oz
    # v_local = rot^T d with rot = local_frame(observer), written out by components
    zr = oz + radius_m
    rn = np.sqrt(ox * ox + oy * oy + zr * zr)
    ux, uy, c = ox / rn, oy / rn, zr / rn
    q = 1.0 / (1.0 + c)
    uxy = -ux * uy * q
    e = (1.0 - ux * ux * q) * dx + uxy * dy + -ux * dz
    n = uxy * dx + (1.0 - uy * uy * q) * dy + -uy * dz
    u = ux * dx + uy * dy + c * dz
    # triumf.core.frames.enu_to_aer
    horiz = np.sqrt(e * e + n * n)
    rng = np.sqrt(horiz * horiz + u * u)
    return rng, wrap_to_2pi(np.arctan2(e, n)), _atan2(u, horiz)


def above_radar_horizon(
    observer_pos: ArrayLike,
    target_pos: ArrayLike,
    k: float = EFFECTIVE_EARTH_FACTOR,
    radius_m: float = EARTH_RADIUS_M,
) -> NDArray[np.bool_]:
    """Line of sight over a smooth Earth of effective radius ``k * radius_m``.

    Parameters
    ----------
    observer_pos, target_pos : array_like, shape (..., 3), metres, engine ENU
    k : float
        Effective Earth-radius factor.
    radius_m : float, metres

    Returns
    -------
    ndarray of bool, shape (...)
        True where the ground range is at most ``horizon_range_m(alt_obs, alt_tgt, k)``.
    """
    ox, oy, oz = _components(observer_pos)
    tx, ty, tz = _components(target_pos)
    s = radius_m * _angle(ox, oy, oz + radius_m, tx, ty, tz + radius_m)
    h1 = _altitude(ox, oy, oz, radius_m)
    h2 = _altitude(tx, ty, tz, radius_m)
    return np.asarray(s <= horizon_range_m(h1, h2, k, radius_m))

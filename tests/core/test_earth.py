"""Spherical Earth in the engine frame: closed forms, published values, invariants."""

from __future__ import annotations

import numpy as np
import pymap3d.vincenty as vincenty
from scipy.optimize import brentq

from triumf.core.earth import (
    EARTH_RADIUS_M,
    above_radar_horizon,
    altitude_m,
    engine_to_geodetic,
    enu_to_map,
    geodetic_to_engine,
    gravity_mps2,
    ground_range_m,
    horizon_range_m,
    local_aer,
    local_frame,
    map_to_enu,
    up_unit,
)
from triumf.core.frames import aer_to_enu, enu_to_aer

R = EARTH_RADIUS_M
MATLAB_EFFECTIVE_RADIUS_M = 8.4774e6  # effearthradius default, references.md 2.5


def _random_map_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(-8e5, 8e5, n),
        rng.uniform(-8e5, 8e5, n),
        rng.uniform(-100.0, 1e5, n),
    )


def test_horizon_range_matlab_horizonrange_30m():
    """sqrt(2 * 8.4774e6 * 30) is 22.55 km (MATLAB horizonrange doc example)."""
    got = horizon_range_m(30.0, 0.0, k=1.0, radius_m=MATLAB_EFFECTIVE_RADIUS_M)
    assert abs(got - 22_550.0) < 5.0


def test_horizon_range_412_rule():
    """With k = 4/3 the horizon is 4.12 (sqrt h1 + sqrt h2) km, heights in metres."""
    h1 = np.array([10.0, 30.0, 40.0, 100.0])
    h2 = np.array([0.0, 15.0, 10_000.0, 5_000.0])
    rule_m = 4.12e3 * (np.sqrt(h1) + np.sqrt(h2))
    np.testing.assert_allclose(horizon_range_m(h1, h2), rule_m, rtol=1e-3)


def test_horizon_range_clips_negative_heights():
    """Negative heights count as zero."""
    assert horizon_range_m(-5.0, 100.0) == horizon_range_m(0.0, 100.0)


def test_altitude_matches_matlab_el2height():
    """A 0.5 deg ray from 10 m reaches 7932.5 m at 300 km on the 4/3 Earth (MATLAB el2height)."""
    obs = np.array([0.0, 0.0, 10.0])
    tgt = obs + aer_to_enu(300e3, 1.0, np.radians(0.5))
    got = altitude_m(tgt, radius_m=MATLAB_EFFECTIVE_RADIUS_M)
    assert abs(got - 7932.5) < 0.05


def test_altitude_matches_matlab_height2range():
    """A 2 deg ray from 10 m reaches 1000 m at a slant range of 27 125 m (MATLAB height2range)."""
    obs = np.array([0.0, 0.0, 10.0])
    ray = aer_to_enu(1.0, 2.5, np.radians(2.0))
    slant = brentq(
        lambda r: float(altitude_m(obs + r * ray, radius_m=MATLAB_EFFECTIVE_RADIUS_M)) - 1e3,
        1.0,
        1e6,
        xtol=1e-6,
    )
    assert abs(slant - 27_125.0) < 0.5


def test_drop_below_tangent_plane_100km():
    """A surface point 100 km away lies R (1 - cos(s / R)) ~ 785 m below the tangent plane."""
    pos = map_to_enu(0.0, 100e3, 0.0)
    expected = R * (1.0 - np.cos(100e3 / R))
    assert abs(expected - 785.0) < 1.0
    np.testing.assert_allclose(-pos[2], expected, rtol=0, atol=1e-6)
    np.testing.assert_allclose(altitude_m(pos), 0.0, atol=1e-6)


def test_altitude_of_map_point_equals_given_altitude():
    """altitude_m(map_to_enu(e, n, h)) equals h."""
    e, n, h = _random_map_points(2000, 1)
    np.testing.assert_allclose(altitude_m(map_to_enu(e, n, h)), h, rtol=0, atol=1e-6)


def test_map_round_trip():
    """enu_to_map inverts map_to_enu, including at the origin."""
    e, n, h = _random_map_points(2000, 2)
    e, n, h = np.append(e, 0.0), np.append(n, 0.0), np.append(h, 0.0)
    e2, n2, h2 = enu_to_map(map_to_enu(e, n, h))
    np.testing.assert_allclose(e2, e, rtol=0, atol=1e-6)
    np.testing.assert_allclose(n2, n, rtol=0, atol=1e-6)
    np.testing.assert_allclose(h2, h, rtol=0, atol=1e-6)


def test_map_coordinates_are_equidistant_from_origin():
    """The ground range from the origin to map point (e, n) is hypot(e, n)."""
    e, n, h = _random_map_points(2000, 3)
    s = ground_range_m(np.zeros(3), map_to_enu(e, n, h))
    np.testing.assert_allclose(s, np.hypot(e, n), rtol=0, atol=1e-6)


def test_ground_range_closed_form():
    """Ground range between two surface points on a meridian is R times the angle between."""
    a = map_to_enu(0.0, -300e3, 5e3)
    b = map_to_enu(0.0, 450e3, 12e3)
    np.testing.assert_allclose(ground_range_m(a, b), 750e3, rtol=0, atol=1e-6)


def test_gravity_at_surface():
    """Central gravity at the surface is mu / R^2 ~ 9.82 m/s^2, pointing down."""
    pos = map_to_enu(np.array([0.0, 2e5]), np.array([0.0, -3e5]), 0.0)
    g = gravity_mps2(pos)
    np.testing.assert_allclose(np.linalg.norm(g, axis=-1), 9.82, atol=5e-3)
    np.testing.assert_allclose(g / np.linalg.norm(g, axis=-1, keepdims=True), -up_unit(pos),
                               atol=1e-15)


def test_gravity_inverse_square():
    """Gravity at altitude R is a quarter of the surface value."""
    g0 = np.linalg.norm(gravity_mps2(np.zeros(3)))
    g1 = np.linalg.norm(gravity_mps2(np.array([0.0, 0.0, R])))
    np.testing.assert_allclose(g1, g0 / 4.0, rtol=1e-14)


def test_local_frame_is_identity_at_origin():
    """At the origin the local frame is the engine frame."""
    np.testing.assert_allclose(local_frame(np.zeros(3)), np.eye(3), atol=1e-15)


def test_local_frame_is_a_rotation_with_up_column():
    """local_frame is orthonormal, right-handed, and its third column is up_unit."""
    e, n, h = _random_map_points(500, 4)
    pos = map_to_enu(e, n, h)
    rot = local_frame(pos)
    eye = np.broadcast_to(np.eye(3), rot.shape)
    np.testing.assert_allclose(np.swapaxes(rot, -1, -2) @ rot, eye, atol=1e-14)
    np.testing.assert_allclose(np.linalg.det(rot), 1.0, atol=1e-14)
    np.testing.assert_allclose(rot[..., :, 2], up_unit(pos), atol=1e-15)


def test_local_aer_at_origin_equals_enu_to_aer():
    """From an observer at the origin, local_aer equals enu_to_aer of the offset."""
    tgt = np.random.default_rng(5).uniform(-2e5, 2e5, (1000, 3))
    for got, ref in zip(local_aer(np.zeros(3), tgt), enu_to_aer(tgt), strict=True):
        np.testing.assert_allclose(got, ref, rtol=0, atol=1e-9)


def test_local_aer_zenith_and_horizon():
    """A target straight up has elevation pi/2; one along the local horizontal has 0."""
    e, n, h = _random_map_points(300, 6)
    obs = map_to_enu(e, n, h)
    up = up_unit(obs)
    _, _, el_up = local_aer(obs, obs + 5e3 * up)
    np.testing.assert_allclose(el_up, np.pi / 2, atol=1e-9)
    horiz = local_frame(obs)[..., :, 0]  # local east
    rng_m, az, el = local_aer(obs, obs + 7e3 * horiz)
    np.testing.assert_allclose(el, 0.0, atol=1e-12)
    np.testing.assert_allclose(az, np.pi / 2, atol=1e-12)
    np.testing.assert_allclose(rng_m, 7e3, rtol=1e-12)


def test_local_azimuth_along_a_radial_keeps_its_bearing():
    """Along a great circle from the origin, points farther out lie at the local bearing."""
    bearing = np.radians([10.0, 75.0, 160.0, 250.0, 330.0])
    s_obs, s_tgt = 250e3, 400e3
    obs = map_to_enu(s_obs * np.sin(bearing), s_obs * np.cos(bearing), 0.0)
    tgt = map_to_enu(s_tgt * np.sin(bearing), s_tgt * np.cos(bearing), 0.0)
    _, az, el = local_aer(obs, tgt)
    np.testing.assert_allclose(az, bearing, atol=1e-12)
    # chord to a surface point 150 km on dips by half the central angle
    np.testing.assert_allclose(el, -0.5 * (s_tgt - s_obs) / R, atol=1e-12)


def test_above_radar_horizon_switches_at_horizon_range():
    """Line of sight holds just inside and fails just outside the horizon range."""
    h_radar, h_tgt = 30.0, 50.0
    s_h = float(horizon_range_m(h_radar, h_tgt))
    obs = np.array([0.0, 0.0, h_radar])
    tgt = map_to_enu(np.array([0.0, 0.0]), np.array([s_h - 10.0, s_h + 10.0]), h_tgt)
    np.testing.assert_array_equal(above_radar_horizon(obs, tgt), [True, False])


def test_geometric_horizon_ray_grazes_the_sphere():
    """With k = 1, the straight line between points at the horizon range just grazes the sphere."""
    h1, h2 = 40.0, 8000.0
    s_h = float(horizon_range_m(h1, h2, k=1.0))
    a = map_to_enu(0.0, 0.0, h1)
    b = map_to_enu(s_h, 0.0, h2)
    t = np.linspace(0.0, 1.0, 20001)[:, None]
    lowest = np.min(altitude_m(a + t * (b - a)))
    # sqrt(2 a h) neglects h^2 against 2 a h: the graze point is within a few metres of 0
    assert abs(lowest) < 5.0


def test_geodetic_to_engine_keeps_height_and_geodesic_distance():
    """A geodetic site keeps its height (less the origin's) and its geodesic distance."""
    lat0, lon0, alt0 = 31.0, 75.0, 200.0
    dist_m = np.array([0.0, 50e3, 300e3, 600e3])
    lat, lon = vincenty.vreckon(lat0, lon0, dist_m, 35.0)
    alt = np.array([200.0, 215.0, 10_200.0, 200.0])
    pos = geodetic_to_engine(lat, lon, alt, lat0, lon0, alt0)
    np.testing.assert_allclose(altitude_m(pos), alt - alt0, atol=1e-6)
    np.testing.assert_allclose(ground_range_m(np.zeros(3), pos), dist_m, atol=0.1)


def test_engine_to_geodetic_round_trip():
    """engine_to_geodetic inverts geodetic_to_engine."""
    rng = np.random.default_rng(8)
    lat = 28.0 + rng.uniform(-4.0, 4.0, 500)
    lon = 74.0 + rng.uniform(-4.0, 4.0, 500)
    alt = rng.uniform(0.0, 3e4, 500)
    pos = geodetic_to_engine(lat, lon, alt, 28.0, 74.0, 150.0)
    lat_b, lon_b, alt_b = engine_to_geodetic(pos, 28.0, 74.0, 150.0)
    np.testing.assert_allclose(lat_b, lat, atol=1e-9)
    np.testing.assert_allclose(lon_b, lon, atol=1e-9)
    np.testing.assert_allclose(alt_b, alt, atol=1e-6)

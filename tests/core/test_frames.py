"""WGS84 frames against pymap3d and against exact invariants."""

from __future__ import annotations

import numpy as np
import pymap3d as pm
import pymap3d.vincenty as vincenty
import pytest

from triumf.core.frames import (
    aer_to_enu,
    ecef_to_enu,
    ecef_to_geodetic,
    enu_to_aer,
    enu_to_ecef,
    enu_to_geodetic,
    geodetic_to_ecef,
    geodetic_to_enu,
    geodetic_to_map,
    map_to_geodetic,
    wrap_to_2pi,
)

N_POINTS = 3000


@pytest.fixture(scope="module")
def points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random geodetic points from -1 km to 1000 km altitude."""
    rng = np.random.default_rng(20240601)
    lat = rng.uniform(-90.0, 90.0, N_POINTS)
    lon = rng.uniform(-180.0, 180.0, N_POINTS)
    alt = rng.uniform(-1e3, 1e6, N_POINTS)
    return lat, lon, alt


@pytest.fixture(scope="module")
def refs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random ENU reference points near the surface."""
    rng = np.random.default_rng(7)
    lat0 = rng.uniform(-89.0, 89.0, N_POINTS)
    lon0 = rng.uniform(-180.0, 180.0, N_POINTS)
    alt0 = rng.uniform(-100.0, 3000.0, N_POINTS)
    return lat0, lon0, alt0


def test_geodetic_to_ecef_matches_pymap3d(points):
    """geodetic_to_ecef agrees with pymap3d.geodetic2ecef to 1e-6 m."""
    lat, lon, alt = points
    ref = np.stack(pm.geodetic2ecef(lat, lon, alt), axis=-1)
    np.testing.assert_allclose(geodetic_to_ecef(lat, lon, alt), ref, rtol=0, atol=1e-6)


def test_ecef_to_geodetic_matches_pymap3d_below_300km(points):
    """ecef_to_geodetic agrees with pymap3d.ecef2geodetic to 1e-9 deg / 1e-6 m below 300 km."""
    # pymap3d uses You (2000), a one-step method whose own latitude error grows with height
    # (about 7e-8 deg at 1000 km); the full range is checked by the round trip below.
    lat, lon, alt = points
    keep = alt < 3e5
    x, y, z = pm.geodetic2ecef(lat[keep], lon[keep], alt[keep])
    lat_r, lon_r, alt_r = pm.ecef2geodetic(x, y, z)
    lat_t, lon_t, alt_t = ecef_to_geodetic(np.stack([x, y, z], axis=-1))
    np.testing.assert_allclose(lat_t, lat_r, rtol=0, atol=1e-9)
    np.testing.assert_allclose(lon_t, lon_r, rtol=0, atol=1e-9)
    np.testing.assert_allclose(alt_t, alt_r, rtol=0, atol=1e-6)


def test_ecef_to_geodetic_inverts_exact_forward_to_1000km(points):
    """ecef_to_geodetic inverts the closed-form forward map below 1 mm, -1 km to 1000 km."""
    lat, lon, alt = points
    xyz = np.stack(pm.geodetic2ecef(lat, lon, alt), axis=-1)
    lat_t, lon_t, alt_t = ecef_to_geodetic(xyz)
    np.testing.assert_allclose(lat_t, lat, rtol=0, atol=1e-11)
    np.testing.assert_allclose(lon_t, lon, rtol=0, atol=1e-11)
    np.testing.assert_allclose(alt_t, alt, rtol=0, atol=1e-6)


def test_ecef_to_geodetic_at_poles():
    """A point on the polar axis maps to latitude +-90 deg and height z - b."""
    b = 6356752.314245179
    lat, _, alt = ecef_to_geodetic(np.array([[0.0, 0.0, b + 1234.5], [0.0, 0.0, -b - 10.0]]))
    np.testing.assert_allclose(lat, [90.0, -90.0], atol=1e-12)
    np.testing.assert_allclose(alt, [1234.5, 10.0], atol=1e-6)


def test_ecef_to_enu_matches_pymap3d(points, refs):
    """ecef_to_enu agrees with pymap3d.ecef2enu to 1e-6 m with array reference points."""
    lat, lon, alt = points
    lat0, lon0, alt0 = refs
    x, y, z = pm.geodetic2ecef(lat, lon, alt)
    ref = np.stack(pm.ecef2enu(x, y, z, lat0, lon0, alt0), axis=-1)
    got = ecef_to_enu(np.stack([x, y, z], axis=-1), lat0, lon0, alt0)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-6)


def test_enu_to_ecef_matches_pymap3d(refs):
    """enu_to_ecef agrees with pymap3d.enu2ecef to 1e-6 m."""
    lat0, lon0, alt0 = refs
    enu = np.random.default_rng(3).uniform(-5e5, 5e5, (N_POINTS, 3))
    ref = np.stack(pm.enu2ecef(enu[:, 0], enu[:, 1], enu[:, 2], lat0, lon0, alt0), axis=-1)
    np.testing.assert_allclose(enu_to_ecef(enu, lat0, lon0, alt0), ref, rtol=0, atol=1e-6)


def test_geodetic_to_enu_matches_pymap3d(points, refs):
    """geodetic_to_enu agrees with pymap3d.geodetic2enu to 1e-6 m."""
    lat, lon, alt = points
    lat0, lon0, alt0 = refs
    ref = np.stack(pm.geodetic2enu(lat, lon, alt, lat0, lon0, alt0), axis=-1)
    got = geodetic_to_enu(lat, lon, alt, lat0, lon0, alt0)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-6)


def test_enu_to_geodetic_matches_pymap3d(refs):
    """enu_to_geodetic agrees with pymap3d.enu2geodetic to 1e-9 deg / 1e-6 m (local ranges)."""
    lat0, lon0, alt0 = refs
    rng = np.random.default_rng(11)
    enu = np.column_stack(
        [rng.uniform(-6e5, 6e5, N_POINTS), rng.uniform(-6e5, 6e5, N_POINTS),
         rng.uniform(0.0, 1e5, N_POINTS)]
    )
    lat_r, lon_r, alt_r = pm.enu2geodetic(enu[:, 0], enu[:, 1], enu[:, 2], lat0, lon0, alt0)
    lat_t, lon_t, alt_t = enu_to_geodetic(enu, lat0, lon0, alt0)
    np.testing.assert_allclose(lat_t, lat_r, rtol=0, atol=1e-9)
    dlon = (lon_t - lon_r + 180.0) % 360.0 - 180.0
    np.testing.assert_allclose(dlon, 0.0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(alt_t, alt_r, rtol=0, atol=1e-6)


def test_enu_ecef_round_trip(refs):
    """enu_to_ecef followed by ecef_to_enu is the identity to 1e-6 m."""
    lat0, lon0, alt0 = refs
    enu = np.random.default_rng(5).uniform(-1e6, 1e6, (N_POINTS, 3))
    back = ecef_to_enu(enu_to_ecef(enu, lat0, lon0, alt0), lat0, lon0, alt0)
    np.testing.assert_allclose(back, enu, rtol=0, atol=1e-6)


def test_enu_to_aer_matches_pymap3d():
    """enu_to_aer agrees with pymap3d.enu2aer (radians) to 1e-6 m and 1e-11 rad."""
    enu = np.random.default_rng(9).uniform(-3e5, 3e5, (N_POINTS, 3))
    az_r, el_r, rng_r = pm.enu2aer(enu[:, 0], enu[:, 1], enu[:, 2], deg=False)
    rng_t, az_t, el_t = enu_to_aer(enu)
    np.testing.assert_allclose(rng_t, rng_r, rtol=0, atol=1e-6)
    np.testing.assert_allclose(az_t, az_r, rtol=0, atol=1e-11)
    np.testing.assert_allclose(el_t, el_r, rtol=0, atol=1e-11)


def test_aer_to_enu_matches_pymap3d():
    """aer_to_enu agrees with pymap3d.aer2enu (radians) to 1e-6 m."""
    rng = np.random.default_rng(13)
    r = rng.uniform(0.0, 6e5, N_POINTS)
    az = rng.uniform(0.0, 2 * np.pi, N_POINTS)
    el = rng.uniform(-np.pi / 2, np.pi / 2, N_POINTS)
    ref = np.stack(pm.aer2enu(az, el, r, deg=False), axis=-1)
    np.testing.assert_allclose(aer_to_enu(r, az, el), ref, rtol=0, atol=1e-6)


def test_azimuth_clockwise_from_north():
    """East is azimuth pi/2, north is 0, west is 3 pi/2, and azimuth stays in [0, 2 pi)."""
    enu = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [-1e-300, 1.0, 0.0]])
    _, az, _ = enu_to_aer(enu)
    np.testing.assert_allclose(az[:3], [np.pi / 2, 0.0, 3 * np.pi / 2], atol=1e-15)
    assert np.all((az >= 0.0) & (az < 2 * np.pi))


def test_wrap_to_2pi_never_returns_2pi():
    """wrap_to_2pi maps tiny negative angles to [0, 2 pi), never to exactly 2 pi."""
    w = wrap_to_2pi(np.array([-1e-18, -2 * np.pi, 7 * np.pi, 2 * np.pi]))
    assert np.all((w >= 0.0) & (w < 2 * np.pi))
    np.testing.assert_allclose(w, [0.0, 0.0, np.pi, 0.0], atol=1e-12)


def test_broadcasting_over_leading_axes():
    """A (2, 3) grid of points converts to shape (2, 3, 3) like the flattened result."""
    lat = np.array([[10.0, 20.0, 30.0], [-40.0, 50.0, 60.0]])
    lon = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    out = geodetic_to_enu(lat, lon, 100.0, 15.0, 3.0, 0.0)
    flat = geodetic_to_enu(lat.ravel(), lon.ravel(), 100.0, 15.0, 3.0, 0.0)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.reshape(-1, 3), flat)


@pytest.fixture(scope="module")
def geodesics() -> tuple[np.ndarray, ...]:
    """Random geodesics from Vincenty's direct solution (pymap3d.vincenty.vreckon)."""
    rng = np.random.default_rng(17)
    lat0 = rng.uniform(-70.0, 70.0, 2000)
    lon0 = rng.uniform(-180.0, 180.0, 2000)
    az_deg = rng.uniform(0.0, 360.0, 2000)
    dist_m = rng.uniform(0.0, 1e6, 2000)
    lat, lon = vincenty.vreckon(lat0, lon0, dist_m, az_deg)
    return lat0, lon0, az_deg, dist_m, np.asarray(lat), np.asarray(lon)


def test_geodetic_to_map_distance_matches_vincenty(geodesics):
    """Map distance is the Vincenty geodesic length: 0.1 m to 600 km, 0.5 m to 1000 km."""
    lat0, lon0, _, dist_m, lat, lon = geodesics
    east, north = geodetic_to_map(lat, lon, lat0, lon0)
    err = np.abs(np.hypot(east, north) - dist_m)
    assert np.max(err[dist_m < 6e5]) < 0.1
    assert np.max(err) < 0.5


def test_geodetic_to_map_azimuth_matches_vincenty(geodesics):
    """Map bearing from the origin is the Vincenty initial azimuth to 1e-3 deg."""
    lat0, lon0, az_deg, dist_m, lat, lon = geodesics
    east, north = geodetic_to_map(lat, lon, lat0, lon0)
    keep = dist_m > 1.0
    d_az = (np.degrees(np.arctan2(east, north))[keep] - az_deg[keep] + 180.0) % 360.0 - 180.0
    assert np.max(np.abs(d_az)) < 1e-3


def test_map_to_geodetic_inverts_geodetic_to_map(geodesics):
    """map_to_geodetic inverts geodetic_to_map to 1e-9 deg (and 1 mm in map coordinates)."""
    lat0, lon0, _, _, lat, lon = geodesics
    east, north = geodetic_to_map(lat, lon, lat0, lon0)
    lat_b, lon_b = map_to_geodetic(east, north, lat0, lon0)
    np.testing.assert_allclose(lat_b, lat, rtol=0, atol=1e-9)
    np.testing.assert_allclose((lon_b - lon + 180.0) % 360.0 - 180.0, 0.0, atol=1e-9)

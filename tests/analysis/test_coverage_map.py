"""Horizontal coverage maps against the closed-form radar equation, the 4/3-Earth horizon, an
independent terrain ray march and the invariants of the network Pd."""

import numpy as np
import pytest
from scipy.optimize import brentq

from triumf.analysis.coverage import coverage_map, looks_in, square_grid
from triumf.core.earth import EARTH_RADIUS_M, local_frame, map_to_enu
from triumf.core.terrain import Terrain
from triumf.sense.base import RadarParams

BOLTZMANN = 1.380649e-23
C = 299_792_458.0


def _radar(east_m=0.0, north_m=0.0, height_m=20.0, power_w=1.0e6, max_range_m=1.0e6,
           sector=None, name="r"):
    pos = map_to_enu(east_m, north_m, height_m)
    extra = {} if sector is None else {"sector_az_center_rad": sector[0],
                                       "sector_az_width_rad": sector[1]}
    return RadarParams(
        name=name, type_name="test", battalion=0, pos=pos, rot=local_frame(pos),
        frequency_hz=3.0e9, peak_power_w=power_w, gain_db=38.0, pulse_width_s=1.0e-6,
        n_pulses=1, losses_db=6.0, system_temp_k=500.0, pfa=1.0e-6,
        az_beamwidth_rad=0.02, el_beamwidth_rad=0.02, range_resolution_m=150.0,
        max_range_m=max_range_m, min_elevation_rad=np.deg2rad(-5.0),
        max_elevation_rad=np.deg2rad(89.0), revisit_s=10.0, engagement=False, **extra)


def _snr_closed_form(r, rcs, slant_m):
    """SNR = Pt tau G^2 lambda^2 sigma / ((4 pi)^3 k T L R^4), linear."""
    lam = C / r.frequency_hz
    g = 10 ** (r.gain_db / 10)
    num = r.peak_power_w * r.pulse_width_s * g * g * lam**2 * rcs
    return num / ((4 * np.pi) ** 3 * BOLTZMANN * r.system_temp_k * 10 ** (r.losses_db / 10)
                  * slant_m**4)


def _slant(s, ha, h):
    """Slant range over the sphere to ground distance s (law of cosines at its centre)."""
    a = EARTH_RADIUS_M
    return np.sqrt((a + ha) ** 2 + (a + h) ** 2 - 2 * (a + ha) * (a + h) * np.cos(s / a))


def _edge_east(cov, level=0.5):
    """Farthest east node (on the row north = 0) where the network Pd reaches ``level``."""
    row = cov.pd_network[np.argmin(np.abs(cov.north_m))]
    return cov.east_m[np.flatnonzero(row >= level).max()]


def _line(max_m, cell_m):
    east = np.arange(0.0, max_m + cell_m, cell_m)
    return east, np.array([-cell_m, 0.0, cell_m])


def test_edge_is_the_radar_equation_range_where_the_horizon_does_not_bind():
    """Pd = 0.5 edge of a 1 m^2 Swerling-1 target at 3 km equals the brentq root of the SNR."""
    r = _radar(power_w=2.0e4)
    alt, cell = 3000.0, 100.0
    east, north = _line(80_000.0, cell)
    cov = coverage_map([r], east, north, alt, 1.0, swerling=1)
    snr_req = np.log(r.pfa) / np.log(0.5) - 1.0  # Pd = Pfa^(1 / (1 + SNR)), one pulse

    def gap(s):
        return _snr_closed_form(r, 1.0, _slant(s, 20.0, alt)) - snr_req

    truth = brentq(gap, 1000.0, 200_000.0)
    assert truth < 70_000.0  # the radar equation, not the horizon (~250 km), binds
    assert abs(_edge_east(cov) - truth) <= cell


@pytest.mark.parametrize("k", [4.0 / 3.0, 1.0])
def test_edge_is_the_effective_earth_horizon_where_it_binds(k):
    """A strong radar sees a 100 m target out to sqrt(2 k a h1) + sqrt(2 k a h2)."""
    r = _radar(height_m=30.0, power_w=1.0e9)
    cell = 250.0
    east, north = _line(120_000.0, cell)
    cov = coverage_map([r], east, north, 100.0, 1.0, swerling=1, k=k)
    ka = k * EARTH_RADIUS_M
    horizon = np.sqrt(2 * ka * 30.0) + np.sqrt(2 * ka * 100.0)
    assert abs(_edge_east(cov) - horizon) <= cell


def test_range_scales_as_the_fourth_root_of_rcs():
    """The Pd = 0.5 slant range for 16 m^2 is twice that for 1 m^2 (R ~ sigma^(1/4))."""
    r = _radar(power_w=2.0e4)
    cell = 100.0
    east, north = _line(150_000.0, cell)
    e1 = _edge_east(coverage_map([r], east, north, 5000.0, 1.0))
    e16 = _edge_east(coverage_map([r], east, north, 5000.0, 16.0))
    r1, r16 = _slant(e1, 20.0, 5000.0), _slant(e16, 20.0, 5000.0)
    assert abs(r16 - 2.0 * r1) <= 3.0 * cell  # each edge is known to one cell


def _ridge_terrain():
    """A 600 m north-south ridge 20 km east of the radar."""
    east = np.arange(-5000.0, 60_001.0, 200.0)
    north = np.arange(-20_000.0, 20_001.0, 200.0)
    ee, _ = np.meshgrid(east, north)
    h = 600.0 * np.exp(-0.5 * ((ee - 20_000.0) / 1500.0) ** 2)
    return Terrain(east0_m=east[0], north0_m=north[0], spacing_m=200.0, height_m=h)


def _march_visible(ha, s, h, terrain, k=4.0 / 3.0, n=4000):
    """Independent line of sight due east: straight ray over a sphere of radius k a.

    Height of the ray above the effective sphere at ground distance x (small angles):
    ha + (h - ha) x / s - x (s - x) / (2 k a); visible iff it clears the ground everywhere.
    """
    x = np.linspace(0.0, s, n + 2)[1:-1]
    ray = ha + (h - ha) * x / s - x * (s - x) / (2.0 * k * EARTH_RADIUS_M)
    return bool(np.all(ray > terrain.height_at(x, 0.0)))


def test_ridge_masks_points_behind_it_like_an_independent_ray_march():
    """Due east of the radar, Pd > 0 exactly where an independent ray march sees the target."""
    terrain = _ridge_terrain()
    r = _radar(height_m=20.0, power_w=1.0e9)
    east = np.arange(2000.0, 58_001.0, 500.0)
    cov = coverage_map([r], east, np.array([-200.0, 0.0, 200.0]), 300.0, 1.0,
                       terrain=terrain)
    seen = cov.pd_network[1] > 0.0
    truth = np.array([_march_visible(20.0, s, 300.0, terrain) for s in east])
    assert truth.any() and (~truth).any()  # the test has both sides of the ridge
    assert np.mean(seen == truth) >= 0.97
    assert not seen[east > 25_000.0].any()  # deep in the shadow nothing is seen


def test_network_pd_is_at_least_each_radars_and_combines_independently():
    """P_net >= P_i for every radar, and P_net = 1 - prod(1 - P_i)."""
    radars = [_radar(-20_000.0, 0.0, power_w=3.0e4, name="a"),
              _radar(25_000.0, 10_000.0, power_w=1.0e5, name="b"),
              _radar(0.0, -30_000.0, power_w=5.0e4, sector=(0.0, np.pi / 2), name="c")]
    east, north = square_grid(90_000.0, 41)
    cov = coverage_map(radars, east, north, 2000.0, 1.0)
    assert np.all(cov.pd_network[None] >= cov.pd - 1e-15)
    assert np.allclose(cov.pd_network, 1.0 - np.prod(1.0 - cov.pd, axis=0))
    assert np.all(cov.cumulative_network >= cov.pd_network - 1e-15)


def test_cumulative_pd_over_a_dwell_is_independent_looks():
    """Over a dwell of D s with revisit T the cumulative Pd is 1 - (1 - Pd)^floor(D / T)."""
    r = _radar(power_w=2.0e4)
    east, north = _line(80_000.0, 1000.0)
    cov = coverage_map([r], east, north, 3000.0, 1.0, duration_s=45.0)
    assert cov.n_looks[0] == 4 == looks_in(r, 45.0, None)
    assert np.allclose(cov.cumulative[0], 1.0 - (1.0 - cov.pd[0]) ** 4)


def test_sector_limits_coverage_to_its_azimuths():
    """A radar with a 90 degree sector facing north sees nothing due south."""
    r = _radar(power_w=1.0e6, sector=(0.0, np.pi / 2))
    east, north = square_grid(50_000.0, 21)
    cov = coverage_map([r], east, north, 2000.0, 1.0)
    ee, nn = np.meshgrid(east, north)
    bearing = np.degrees(np.arctan2(ee, nn)) % 360.0
    away = np.hypot(ee, nn) > 1000.0
    outside = (bearing > 46.0) & (bearing < 314.0)
    assert np.all(cov.pd[0][outside] == 0.0)
    assert np.all(cov.pd[0][away & ((bearing < 44.0) | (bearing > 316.0))] > 0.0)


def test_target_above_ground_follows_the_terrain():
    """With --agl semantics the target height is ground + altitude at every node."""
    terrain = _ridge_terrain()
    east, north = _line(40_000.0, 1000.0)
    cov = coverage_map([_radar()], east, north, 150.0, 1.0, above_ground=True, terrain=terrain)
    assert np.allclose(cov.target_alt_m, terrain.height_at(*np.meshgrid(east, north)) + 150.0)


def test_visible_points_are_those_the_engine_scan_would_see():
    """radar_look's visibility equals the engine's tests (range, elevation, sector, terrain)."""
    from triumf.analysis.coverage import radar_look
    from triumf.sense.scan import in_sector, visibility
    from triumf.sense.visibility import build_terrain_mask

    terrain = _ridge_terrain()
    r = _radar(height_m=20.0, max_range_m=45_000.0, sector=(np.pi / 2, np.pi))
    mask = build_terrain_mask(r.pos, terrain)
    g = np.random.default_rng(1)
    e, n = g.uniform(-50_000.0, 60_000.0, 3000), g.uniform(-20_000.0, 20_000.0, 3000)
    pos = map_to_enu(e, n, g.uniform(0.0, 2000.0, 3000))
    _, seen = radar_look(r, pos, 1.0, 1, mask=mask)
    vis, _, az, _ = visibility(r, pos)
    assert np.array_equal(seen, vis & in_sector(r, az) & mask.visible(pos))

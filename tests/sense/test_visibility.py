"""Terrain line of sight: the mask table against brute-force ray marches and closed forms."""

import numpy as np
import pytest

from triumf.core.earth import EARTH_RADIUS_M, altitude_m, enu_to_map, map_to_enu
from triumf.core.terrain import Terrain
from triumf.core.terrain_synthetic import Hill, Ridge, synthetic_terrain
from triumf.sense.visibility import build_terrain_mask, los_ray_march, radar_terrain_masks


@pytest.fixture(scope="module")
def hilly():
    """60 km square of fractal relief, a ridge and a hill."""
    return synthetic_terrain(
        -30000.0, -30000.0, (301, 301), 200.0, seed=3, rms_m=40.0,
        ridges=[Ridge(12000.0, -8000.0, 14000.0, 20000.0, 400.0, 1200.0)],
        hills=[Hill(-10000.0, 6000.0, 500.0, 2500.0)],
    )


def _flat() -> Terrain:
    return Terrain(-1000.0, -1000.0, 1000.0, np.zeros((3, 3)))


def _random_targets(terrain, n, seed, span=38000.0):
    g = np.random.default_rng(seed)
    e = g.uniform(-span, span, n)
    n_ = g.uniform(-span, span, n)
    h = terrain.height_at(e, n_) + g.uniform(2.0, 600.0, n)
    return map_to_enu(e, n_, h)


def _straight_march(ant, tgt, terrain, n=1500):
    """Independent reference for k = 1: sample the straight 3-D segment in the engine frame."""
    lam = (np.arange(1, n + 1) / (n + 1.0))[:, None]
    pts = ant + lam * (tgt[..., None, :] - ant)
    e, nn, h = enu_to_map(pts)
    return np.all(h > terrain.height_at(e, nn), axis=-1)


def test_ray_march_k1_matches_straight_segment(hilly):
    """With k = 1 the effective-Earth chord is the straight segment in the engine frame."""
    ant = map_to_enu(0.0, 0.0, float(hilly.height_at(0.0, 0.0)) + 20.0)
    tgt = _random_targets(hilly, 150, seed=1)
    assert np.mean(los_ray_march(ant, tgt, hilly, k=1.0, n_samples=1500)
                   == _straight_march(ant, tgt, hilly)) >= 0.99


@pytest.mark.parametrize("k", [1.0, 4.0 / 3.0])
def test_ray_march_over_sea_gives_the_radar_horizon(k):
    """Over a flat sea the ray clears exactly to sqrt(2 k a h1) + sqrt(2 k a h2)."""
    h1, h2 = 30.0, 100.0
    ka = k * EARTH_RADIUS_M
    horizon = np.sqrt(2 * ka * h1) + np.sqrt(2 * ka * h2)
    ant = map_to_enu(0.0, 0.0, h1)
    tgt = map_to_enu(np.array([0.99, 1.01]) * horizon, 0.0, h2)
    assert los_ray_march(ant, tgt, _flat(), k=k, n_samples=4000).tolist() == [True, False]


@pytest.mark.parametrize("k", [1.0, 4.0 / 3.0])
def test_table_agrees_with_ray_march(hilly, k):
    """The mask table and the brute-force march agree on at least 98 % of random pairs."""
    ant = map_to_enu(0.0, 0.0, float(hilly.height_at(0.0, 0.0)) + 10.0)
    tgt = _random_targets(hilly, 400, seed=2)
    table = build_terrain_mask(ant, hilly, k).visible(tgt)
    march = los_ray_march(ant, tgt, hilly, k=k, n_samples=800)
    assert 0.05 < march.mean() < 0.95  # both outcomes occur
    assert np.mean(table == march) >= 0.98


def test_table_disagreements_lie_near_the_mask_edge(hilly):
    """Where table and march disagree, lifting or lowering the target by 60 m settles it."""
    ant = map_to_enu(0.0, 0.0, float(hilly.height_at(0.0, 0.0)) + 10.0)
    tgt = _random_targets(hilly, 400, seed=3)
    mask = build_terrain_mask(ant, hilly)
    diff = mask.visible(tgt) != los_ray_march(ant, tgt, hilly, n_samples=800)
    e, n, h = enu_to_map(tgt[diff])
    assert np.all(los_ray_march(ant, map_to_enu(e, n, h + 60.0), hilly, n_samples=800)
                  | ~los_ray_march(ant, map_to_enu(e, n, h - 60.0), hilly, n_samples=800))


def test_table_over_sea_is_the_smooth_earth_horizon():
    """With no relief the table reproduces the closed-form horizon sqrt(2kah1) + sqrt(2kah2)."""
    ant = map_to_enu(0.0, 0.0, 25.0)
    mask = build_terrain_mask(ant, Terrain(-50000.0, -50000.0, 500.0, np.zeros((201, 201))))
    ka = 4.0 / 3.0 * EARTH_RADIUS_M
    h2 = np.array([5.0, 50.0, 300.0])
    horizon = np.sqrt(2 * ka * 25.0) + np.sqrt(2 * ka * h2)
    az = np.deg2rad([10.0, 130.0, 250.0])
    inside = map_to_enu(0.99 * horizon * np.sin(az), 0.99 * horizon * np.cos(az), h2)
    outside = map_to_enu(1.01 * horizon * np.sin(az), 1.01 * horizon * np.cos(az), h2)
    assert mask.visible(inside).all()
    assert not mask.visible(outside).any()


def test_target_behind_a_wall_is_hidden_and_above_it_visible():
    """A 300 m wall 10 km out hides a 50 m target at 20 km; at 1000 m the target is seen."""
    wall = synthetic_terrain(-1000.0, -20000.0, (201, 231), 100.0,
                             ridges=[Ridge(10000.0, -20000.0, 10000.0, 0.0, 300.0, 150.0)])
    ant = map_to_enu(0.0, -10000.0, 10.0)
    mask = build_terrain_mask(ant, wall)
    tgt = map_to_enu(20000.0, -10000.0, np.array([50.0, 1000.0]))
    assert mask.visible(tgt).tolist() == [False, True]
    # the knife-edge closed form (flat Earth, a 10 km lever): the target must rise above
    # 10 + 2 (300 - 10) = 590 m, plus the curvature drop d1 d2 / (2 k a) ~ 9 m
    assert altitude_m(tgt[1]) > 600.0


def test_masks_are_cached_per_terrain(hilly):
    """The engine's masks are built once per terrain and antenna."""
    ant = map_to_enu(0.0, 0.0, 400.0)
    a = radar_terrain_masks([ant], hilly)
    b = radar_terrain_masks([ant], hilly)
    assert a[0] is b[0]
    assert radar_terrain_masks([ant], None) == (None,)


def test_visible_broadcasts_over_batches(hilly):
    """Visibility of (R, T, 3) positions has shape (R, T) and equals the flat call."""
    ant = map_to_enu(0.0, 0.0, 400.0)
    mask = build_terrain_mask(ant, hilly)
    tgt = _random_targets(hilly, 24, seed=4).reshape(4, 6, 3)
    assert mask.visible(tgt).shape == (4, 6)
    assert np.array_equal(mask.visible(tgt).ravel(), mask.visible(tgt.reshape(-1, 3)))

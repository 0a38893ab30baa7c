"""Threat evaluation against closed forms and scipy's ODE solver."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from triumf.c2.evaluation import classify_ballistic, evaluate_threats, predict_ballistic_impact
from triumf.core.earth import EARTH_RADIUS_M, MU_EARTH_M3PS2, altitude_m, map_to_enu

ASSET = np.array([[0.0, 0.0, 0.0]])


def _one(state: list[float]) -> np.ndarray:
    return np.array(state, dtype=np.float64).reshape(1, 1, 6)


def test_t_go_straight_at_asset() -> None:
    """A track flying straight at an asset has t_go = (distance - keep_out) / speed."""
    d, speed, ko = 60_000.0, 250.0, 8_000.0
    x = _one([d * 0.6, d * 0.8, 0.0, -speed * 0.6, -speed * 0.8, 0.0])
    for horizontal in (True, False):
        tp = evaluate_threats(
            x, np.ones((1, 1), bool), ASSET, [5000.0], [3.0], ko, horizontal=horizontal
        )
        assert tp.asset[0, 0] == 0
        assert tp.value[0, 0] == 3.0
        assert tp.t_go_s[0, 0] == pytest.approx((d - ko) / speed, rel=1e-12)
        assert tp.miss_m[0, 0] == pytest.approx(0.0, abs=1e-6)
        assert tp.t_cpa_s[0, 0] == pytest.approx(d / speed, rel=1e-12)


def test_track_flying_away_is_not_threatening() -> None:
    """A track moving away from every asset has no asset, zero value and infinite t_go."""
    x = _one([30_000.0, 0.0, 1000.0, 250.0, 10.0, 0.0])
    tp = evaluate_threats(x, np.ones((1, 1), bool), ASSET, [5000.0], [1.0], 2000.0)
    assert tp.asset[0, 0] == -1
    assert tp.value[0, 0] == 0.0
    assert np.isinf(tp.t_go_s[0, 0])
    assert not tp.threatening[0, 0]


def test_crossing_track_miss_distance() -> None:
    """A crossing track's miss is its perpendicular offset; inside radius+margin it threatens."""
    offset = 6_000.0
    x = _one([-40_000.0, offset, 500.0, 300.0, 0.0, 0.0])
    tp = evaluate_threats(x, np.ones((1, 1), bool), ASSET, [5000.0], [1.0], 1000.0, margin_m=2000.0)
    assert tp.miss_m[0, 0] == pytest.approx(offset)
    assert tp.t_cpa_s[0, 0] == pytest.approx(40_000.0 / 300.0)
    assert tp.asset[0, 0] == 0
    tp2 = evaluate_threats(x, np.ones((1, 1), bool), ASSET, [5000.0], [1.0], 1000.0, margin_m=500.0)
    assert tp2.asset[0, 0] == -1


def test_most_likely_aim_asset_is_chosen() -> None:
    """A track aimed at a small asset inside a large one is assigned to the small asset."""
    assets = np.array([[0.0, 0.0, 0.0], [3000.0, 0.0, 0.0]])
    x = _one([3000.0, 50_000.0, 100.0, 0.0, -250.0, 0.0])
    tp = evaluate_threats(x, np.ones((1, 1), bool), assets, [40_000.0, 2000.0], [10.0, 1.0], 0.0)
    assert tp.asset[0, 0] == 1
    assert tp.value[0, 0] == 1.0


def test_invalid_tracks_are_ignored() -> None:
    """Tracks outside the valid mask get asset -1 and NaN impact points."""
    x = _one([10_000.0, 0.0, 0.0, -250.0, 0.0, 0.0])
    tp = evaluate_threats(x, np.zeros((1, 1), bool), ASSET, [5000.0], [1.0], 0.0)
    assert tp.asset[0, 0] == -1
    assert np.all(np.isnan(tp.impact_point))


def test_batched_shapes() -> None:
    """Outputs carry the (R, K) shape of the tracks."""
    rng = np.random.default_rng(0)
    x = rng.normal(0.0, 1.0, size=(4, 7, 6)) * np.array([5e4, 5e4, 3e3, 300, 300, 50])
    x[..., 2] = np.abs(x[..., 2])
    tp = evaluate_threats(x, np.ones((4, 7), bool), np.zeros((2, 3)), [5e3, 1e4], [1, 2], [0, 1e3])
    assert tp.asset.shape == tp.t_go_s.shape == tp.value.shape == (4, 7)
    assert tp.impact_point.shape == (4, 7, 3)


def test_classification_rule() -> None:
    """Fast or high-and-steep tracks are ballistic; a fast jet and a slow high glider are not."""
    x = np.array(
        [
            [0, 0, 10_000, 1500, 0, 0],  # faster than 1000 m/s
            [0, 0, 10_000, 900, 0, 0],  # Mach 2.8-class, level
            [0, 0, 30_000, 600, 0, -400],  # high and steep (34 deg)
            [0, 0, 30_000, 600, 0, -20],  # high, nearly level
            [0, 0, 5_000, 300, 0, -300],  # steep dive, low and slow
        ],
        dtype=np.float64,
    )
    assert classify_ballistic(x).tolist() == [True, False, True, False, False]


def test_ballistic_impact_matches_flat_earth_closed_form() -> None:
    """A short vacuum shot lands where the flat-Earth closed form says (curvature < 0.2 %)."""
    h0, ve, vu = 25_000.0, 400.0, -693.0
    x = _one([0.0, 0.0, h0, ve, 0.0, vu])
    g = MU_EARTH_M3PS2 / EARTH_RADIUS_M**2
    t_f = (vu + np.sqrt(vu**2 + 2 * g * h0)) / g
    tp = evaluate_threats(
        x, np.ones((1, 1), bool), np.array([[ve * t_f, 0.0, 0.0]]), [1000.0], [5.0], 0.0
    )
    assert tp.ballistic[0, 0]
    assert tp.asset[0, 0] == 0
    assert tp.impact_point[0, 0, 0] == pytest.approx(ve * t_f, rel=2e-3)
    assert tp.impact_point[0, 0, 1] == pytest.approx(0.0, abs=1e-6)
    assert tp.t_cpa_s[0, 0] == pytest.approx(t_f, rel=2e-3)
    assert altitude_m(tp.impact_point[0, 0]) == pytest.approx(0.0, abs=1e-3)


def test_ballistic_impact_matches_scipy_central_gravity() -> None:
    """A 300 km shot's impact point and time agree with solve_ivp on the same physics."""
    start = map_to_enu(50_000.0, -20_000.0, 60_000.0)
    x0 = np.concatenate([start, [-1200.0, 900.0, 300.0]])

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        r = y[:3] + np.array([0.0, 0.0, EARTH_RADIUS_M])
        return np.concatenate([y[3:], -MU_EARTH_M3PS2 * r / np.linalg.norm(r) ** 3])

    def ground(_t: float, y: np.ndarray) -> float:
        return float(altitude_m(y[:3]))

    ground.terminal = True  # type: ignore[attr-defined]
    ground.direction = -1  # type: ignore[attr-defined]
    sol = solve_ivp(rhs, (0, 2000), x0, events=ground, rtol=1e-11, atol=1e-6, method="DOP853")
    ref_t, ref_p = sol.t_events[0][0], sol.y_events[0][0][:3]
    imp, t_imp, _ = predict_ballistic_impact(x0[None, :])
    assert np.linalg.norm(imp[0] - ref_p) < 1.0
    assert t_imp[0] == pytest.approx(ref_t, abs=1e-3)


def test_ballistic_keep_out_time_matches_scipy() -> None:
    """The keep-out entry time of a ballistic track equals solve_ivp's distance event."""
    x0 = np.array([-80_000.0, 0.0, 40_000.0, 1200.0, 0.0, -600.0])
    asset = np.array([[-10_000.0, 0.0, 0.0]])
    ko = 30_000.0

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        r = y[:3] + np.array([0.0, 0.0, EARTH_RADIUS_M])
        return np.concatenate([y[3:], -MU_EARTH_M3PS2 * r / np.linalg.norm(r) ** 3])

    def enter(_t: float, y: np.ndarray) -> float:
        return float(np.linalg.norm(y[:3] - asset[0]) - ko)

    enter.terminal = True  # type: ignore[attr-defined]
    sol = solve_ivp(rhs, (0, 500), x0, events=enter, rtol=1e-11, atol=1e-6, method="DOP853")
    _, _, t_keep = predict_ballistic_impact(x0[None, :], asset, ko)
    # linear interpolation in distance within a step: error << 1 % of a step
    assert t_keep[0, 0] == pytest.approx(sol.t_events[0][0], abs=0.05)

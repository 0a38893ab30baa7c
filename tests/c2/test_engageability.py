"""Predicted intercept points against closed forms and geometric invariants."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.c2.base import NoFireReason
from triumf.c2.engageability import intercept_solutions
from triumf.core.earth import altitude_m, ground_range_m, map_to_enu
from triumf.core.tables import FlyoutTable, RegularGridTable

V_M = 1500.0  # missile speed of the constant-speed test table, m/s


def _constant_speed_table(v: float = V_M, max_alt: float = 30_000.0) -> FlyoutTable:
    """Fly-out table with tof = ground range / v and constant speed v."""
    xr = np.linspace(0.0, 250_000.0, 51)
    ya = np.linspace(-1000.0, max_alt, 32)
    tof = np.broadcast_to(xr[:, None] / v, (xr.size, ya.size))
    speed = np.full_like(tof, v)
    return FlyoutTable(RegularGridTable(xr, ya, tof), RegularGridTable(xr, ya, speed))


def _solve(x: np.ndarray, t_go: float = np.inf, radar_h: float = 30.0, **kw: object):
    """Single launcher at the origin, radar on a mast beside it, one missile type."""
    args: dict[str, object] = dict(
        launcher_pos=np.zeros((1, 3)),
        launch_delay_s=kw.pop("delay", 4.0),
        flyout=[kw.pop("table", _constant_speed_table())],
        min_altitude_m=kw.pop("min_alt", -1000.0),
        max_altitude_m=kw.pop("max_alt", 27_000.0),
        max_range_m=kw.pop("max_range", 200_000.0),
        min_range_m=kw.pop("min_range", 3_000.0),
        t_go_s=np.full(x.shape[:2], t_go),
        engagement_radar_pos=np.array([[0.0, 0.0, radar_h]]),
        engagement_radar_range_m=kw.pop("radar_range", 400_000.0),
    )
    args.update(kw)
    return intercept_solutions(x, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("v_t", [250.0, 900.0, 3000.0])
def test_head_on_intercept_time_closed_form(v_t: float) -> None:
    """Head-on at constant speeds: t = (d + v_m * delay) / (v_m + v_t), even if v_t > v_m."""
    # 20 km: the flat path's ground range differs from e by e^3 / (3 R^2) < 0.07 m
    d, delay = 20_000.0, 4.0
    x = np.array([[[d, 0.0, 0.0, -v_t, 0.0, 0.0]]])
    eng = _solve(x, delay=delay, radar_h=100.0, min_range=1000.0)
    t = (d + V_M * delay) / (V_M + v_t)
    assert eng.converged[0, 0, 0, 0]
    assert eng.t_intercept_s[0, 0, 0, 0] == pytest.approx(t, abs=1e-4)
    assert eng.pip[0, 0, 0, 0, 0] == pytest.approx(d - v_t * t, abs=0.3)
    assert eng.feasible[0, 0, 0, 0]
    assert eng.reason[0, 0, 0, 0] == NoFireReason.NONE


def test_pip_satisfies_flyout_equation_for_crossing_targets() -> None:
    """At the PIP the missile's time of flight plus the delay equals the intercept time."""
    rng = np.random.default_rng(2)
    n = 50
    pos = np.stack(
        [rng.uniform(-1e5, 1e5, n), rng.uniform(-1e5, 1e5, n), rng.uniform(100, 20_000, n)], -1
    )
    vel = np.stack(
        [rng.uniform(-600, 600, n), rng.uniform(-600, 600, n), rng.uniform(-20, 20, n)], -1
    )
    x = np.concatenate([pos, vel], -1)[None]
    eng = _solve(x, delay=6.0)
    t = eng.t_intercept_s[0, 0, :, 0]
    assert eng.converged.all()
    gr = ground_range_m(np.zeros(3), eng.pip[0, 0, :, 0])
    np.testing.assert_allclose(6.0 + gr / V_M, t, atol=2e-3)
    np.testing.assert_allclose(eng.pip[0, 0, :, 0], pos + vel * t[:, None], atol=1e-6)


def test_below_min_altitude_reason() -> None:
    """A low target whose PIP is under the minimum altitude gets BELOW_MIN_ALTITUDE."""
    x = np.array([[[*map_to_enu(30_000.0, 0.0, 50.0), -250.0, 0.0, 0.0]]])
    eng = _solve(x, min_alt=200.0)
    assert altitude_m(eng.pip[0, 0, 0, 0]) < 200.0
    assert eng.reason[0, 0, 0, 0] == NoFireReason.BELOW_MIN_ALTITUDE
    assert not eng.feasible[0, 0, 0, 0]


def test_above_max_altitude_reason() -> None:
    """A target above the missile's ceiling gets ABOVE_MAX_ALTITUDE."""
    x = np.array([[[*map_to_enu(60_000.0, 0.0, 28_000.0), -300.0, 0.0, 0.0]]])
    eng = _solve(x, max_alt=27_000.0)
    assert eng.reason[0, 0, 0, 0] == NoFireReason.ABOVE_MAX_ALTITUDE


def test_beyond_range_reason() -> None:
    """A slow target far beyond the maximum range gets OUT_OF_RANGE."""
    x = np.array([[[*map_to_enu(600_000.0, 0.0, 10_000.0), -250.0, 0.0, 0.0]]])
    eng = _solve(x, max_range=200_000.0)
    assert eng.reason[0, 0, 0, 0] == NoFireReason.OUT_OF_RANGE
    assert not eng.feasible[0, 0, 0, 0]


def test_inside_min_range_reason() -> None:
    """A target whose PIP is inside the minimum range gets OUT_OF_RANGE."""
    x = np.array([[[*map_to_enu(1_000.0, 0.0, 500.0), 0.0, 50.0, 0.0]]])
    eng = _solve(x, min_range=3_000.0)
    assert eng.reason[0, 0, 0, 0] == NoFireReason.OUT_OF_RANGE


def test_unreachable_table_cell_is_out_of_range() -> None:
    """A PIP inside the range and altitude bands but in a NaN cell of the table is OUT_OF_RANGE."""
    base = _constant_speed_table()
    xr, ya = base.time_s.x, base.time_s.y
    tof = base.time_s.values.copy()
    tof[(xr[:, None] > 100_000.0) & (ya[None, :] > 15_000.0)] = np.nan
    spd = np.where(np.isnan(tof), np.nan, V_M)
    table = FlyoutTable(RegularGridTable(xr, ya, tof), RegularGridTable(xr, ya, spd))
    x = np.array(
        [
            [
                [*map_to_enu(160_000.0, 0.0, 20_000.0), -200.0, 0.0, 0.0],
                [*map_to_enu(160_000.0, 0.0, 10_000.0), -200.0, 0.0, 0.0],
            ]
        ]
    )
    eng = _solve(x, table=table)
    assert eng.reason[0, 0, 0, 0] == NoFireReason.OUT_OF_RANGE
    assert eng.converged[0, 0, 0, 0]
    assert eng.feasible[0, 0, 1, 0]


def test_pip_beyond_radar_horizon_is_not_visible() -> None:
    """A 50 m target 80 km out is below a ground radar's 4/3-Earth horizon (~29 km)."""
    low = [*map_to_enu(80_000.0, 0.0, 50.0), -20.0, 0.0, 0.0]
    high = [*map_to_enu(80_000.0, 0.0, 1_000.0), -20.0, 0.0, 0.0]
    eng = _solve(np.array([[low, high]]), radar_h=0.0, min_alt=0.0)
    assert eng.reason[0, 0, 0, 0] == NoFireReason.NOT_VISIBLE
    assert eng.feasible[0, 0, 1, 0]


def test_pip_beyond_radar_range_is_not_visible() -> None:
    """A PIP beyond the engagement radar's range is NOT_VISIBLE."""
    x = np.array([[[*map_to_enu(150_000.0, 0.0, 10_000.0), -100.0, 0.0, 0.0]]])
    assert _solve(x, radar_range=100_000.0).reason[0, 0, 0, 0] == NoFireReason.NOT_VISIBLE
    assert _solve(x, radar_range=200_000.0).feasible[0, 0, 0, 0]


def test_too_late_reason() -> None:
    """An intercept after the threat's t_go is TOO_LATE; with more time it is feasible."""
    x = np.array([[[60_000.0, 0.0, 3_000.0, -300.0, 0.0, 0.0]]])
    t = _solve(x).t_intercept_s[0, 0, 0, 0]
    assert _solve(x, t_go=t - 1.0).reason[0, 0, 0, 0] == NoFireReason.TOO_LATE
    assert _solve(x, t_go=t + 1.0).feasible[0, 0, 0, 0]


def test_invalid_tracks_not_confirmed() -> None:
    """Tracks outside the valid mask get NOT_CONFIRMED."""
    x = np.array([[[60_000.0, 0.0, 3_000.0, -300.0, 0.0, 0.0]]])
    eng = _solve(x, valid=np.zeros((1, 1), bool))
    assert eng.reason[0, 0, 0, 0] == NoFireReason.NOT_CONFIRMED


def test_batched_shapes_over_units_and_types() -> None:
    """Outputs have shape (R, W, K, Mt) and each launcher solves its own geometry."""
    rng = np.random.default_rng(4)
    R, K, W = 3, 5, 2
    x = np.concatenate(
        [
            rng.uniform(-8e4, 8e4, (R, K, 3)) * [1, 1, 0.05] + [0, 0, 5e3],
            rng.uniform(-300, 300, (R, K, 3)) * [1, 1, 0],
        ],
        -1,
    )
    launchers = np.array([[0.0, 0.0, 0.0], [20_000.0, -10_000.0, 0.0]])
    eng = intercept_solutions(
        x,
        launchers,
        [3.0, 5.0],
        [_constant_speed_table(), _constant_speed_table(900.0)],
        [-1e3, -1e3],
        [3e4, 3e4],
        [2e5, 2e5],
        [0.0, 0.0],
        np.full((R, K), np.inf),
        launchers + [0, 0, 30],
        4e5,
    )
    assert eng.feasible.shape == eng.reason.shape == (R, W, K, 2)
    assert eng.pip.shape == (R, W, K, 2, 3)
    gr = ground_range_m(launchers[None, :, None, None, :], eng.pip)
    delay = np.array([3.0, 5.0])[None, :, None, None]
    speed = np.array([1500.0, 900.0])
    np.testing.assert_allclose(delay + gr / speed, eng.t_intercept_s, atol=2e-3)


def test_insufficient_manoeuvre_where_the_table_has_too_little_acceleration() -> None:
    """A PIP where the table's lateral acceleration (falling linearly with altitude) is below
    the minimum gets INSUFFICIENT_MANOEUVRE; the same PIP with a lower minimum is feasible."""
    base = _constant_speed_table()
    xr, ya = base.time_s.x, base.time_s.y
    accel = np.broadcast_to(300.0 - 0.01 * ya[None, :], (xr.size, ya.size))  # 300 m/s^2 at 0
    table = FlyoutTable(base.time_s, base.speed_mps, RegularGridTable(xr, ya, accel))
    alt = 20_000.0  # 100 m/s^2 left at the PIP's altitude (straight, level inbound target)
    x = np.array([[[40_000.0, 0.0, alt + 40_000.0**2 / (2 * 6_371_000.0), -300.0, 0.0, 0.0]]])
    strict = _solve(x, table=table, min_accel_mps2=120.0, radar_h=100.0)
    loose = _solve(x, table=table, min_accel_mps2=80.0, radar_h=100.0)
    pip_alt = altitude_m(strict.pip[0, 0, 0, 0])
    assert 100.0 - 5.0 < 300.0 - 0.01 * pip_alt < 100.0 + 5.0
    assert strict.reason[0, 0, 0, 0] == NoFireReason.INSUFFICIENT_MANOEUVRE
    assert not strict.feasible[0, 0, 0, 0]
    assert loose.feasible[0, 0, 0, 0]

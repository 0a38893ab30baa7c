"""Threat profiles flown by the raid stepper: heights held, limits kept, per-replication draws."""

from typing import Any

import numpy as np
import pytest

from triumf.core import rng
from triumf.core.earth import altitude_m, enu_to_map, ground_range_m, local_frame, map_to_enu
from triumf.core.terrain import Terrain
from triumf.threat.base import ThreatParams
from triumf.threat.manoeuvre import turn_radius_m
from triumf.threat.powered import BallisticBody
from triumf.threat.raid import advance, init_truth

G = 9.80665


def params(route: Any, n: int = 1, **kw: Any) -> ThreatParams:
    """n identical hostile route slots (or ballistic with ballistic=True)."""
    route = np.broadcast_to(np.asarray(route, float), (n,) + np.shape(route)).copy()
    base: dict[str, Any] = dict(
        label=tuple(f"t{i}" for i in range(n)), type_name=("x",) * n,
        group=np.zeros(n, np.int64), group_names=("g",), hostile=np.ones(n, bool),
        ballistic=np.zeros(n, bool), route=route, launch_radius_m=np.zeros(n),
        aim_error_m=np.zeros(n), aim_asset=np.zeros(n, np.int64), speed_mps=np.full(n, 250.0),
        loop=np.zeros(n, bool), launch_window_s=np.zeros((n, 2)), rcs_m2=np.ones(n),
        swerling=np.ones(n, np.int64), flight_path_angle_rad=np.zeros(n))
    for k, v in kw.items():
        base[k] = v if k == "body" else np.broadcast_to(np.asarray(v), (n,)).copy()
    return ThreatParams(**base)


def keys(n_rep: int, seed: int = 7) -> np.ndarray:
    return rng.stage_keys(rng.replication_keys(seed, range(n_rep)), rng.Stage.THREAT)


def fly(p: ThreatParams, n_rep: int, t_end: float, dt: float, **kw: Any):
    """Positions and velocities every dt, shapes (N, R, T, 3)."""
    truth = init_truth(p, keys(n_rep), **kw)
    pos, vel = [], []
    t = 0.0
    while t < t_end - 1e-9:
        advance(truth, p, t, t + dt)
        t += dt
        pos.append(truth.pos.copy())
        vel.append(truth.vel.copy())
    return np.array(pos), np.array(vel), truth


def horizontal_accel(vel: np.ndarray, pos: np.ndarray, dt: float) -> np.ndarray:
    """Lateral (horizontal, normal to the velocity) acceleration by differences, (N-2, ...)."""
    acc = (vel[2:] - vel[:-2]) / (2 * dt)
    rot = local_frame(pos[1:-1])
    a_loc = np.einsum("...ji,...j->...i", rot, acc)
    v_loc = np.einsum("...ji,...j->...i", rot, vel[1:-1])
    vh = v_loc[..., :2] / np.linalg.norm(v_loc[..., :2], axis=-1, keepdims=True)
    return np.abs(vh[..., 0] * a_loc[..., 1] - vh[..., 1] * a_loc[..., 0])


BRAHMOS_LIKE = dict(speed_mps=680.0, s_turn_amplitude_m=50.0, s_turn_period_s=6.0,
                    s_turn_range_m=8000.0, max_lateral_accel_mps2=10 * G)
SEA_SKIM_ROUTE = [[-30e3, 0.0, 12.0], [0.0, 0.0, 12.0]]


def test_sea_skimmer_holds_its_height_through_the_s_turn() -> None:
    """A sea-skimmer at 12 m stays at 12 m (1 mm) while it weaves."""
    p = params(SEA_SKIM_ROUTE, **BRAHMOS_LIKE)
    pos, _, truth = fly(p, 2, 44.0, 0.1)
    flying = np.linalg.norm(pos, axis=-1) > 0
    h = altitude_m(pos)[flying]
    np.testing.assert_allclose(h, 12.0, atol=1e-3)


def test_s_turn_stays_within_amplitude_and_lateral_limit_in_flight() -> None:
    """The weave never leaves the track by more than A, nor turns harder than max_lateral_g."""
    p = params(SEA_SKIM_ROUTE, **BRAHMOS_LIKE)
    pos, vel, _ = fly(p, 3, 44.0, 0.05)
    east, north, _ = enu_to_map(pos)
    assert np.max(np.abs(north)) <= 50.0 + 1e-6
    assert np.max(np.abs(north)) > 40.0  # it does weave
    moving = np.all(np.linalg.norm(vel, axis=-1) > 0, axis=0)
    lat = horizontal_accel(vel, pos, 0.05)[:, moving]
    assert np.max(lat) <= 10 * G * 1.02


def test_speed_never_exceeds_nominal_beyond_the_weave_stretch() -> None:
    """Route flyers fly at their speed; the S-turn adds at most sqrt(1 + (2 pi A n / L)^2)."""
    p = params(SEA_SKIM_ROUTE, **BRAHMOS_LIKE)
    _, vel, _ = fly(p, 2, 44.0, 0.1)
    speed = np.linalg.norm(vel, axis=-1)
    assert np.max(speed) <= 680.0 * np.sqrt(1 + (3 * 2 * np.pi * 50.0 / 4000.0) ** 2) + 1e-6


def test_terrain_following_keeps_clearance_over_a_ridge() -> None:
    """Over a 400 m ridge the missile keeps 30 m clearance and climbs at most 10 deg."""
    x = np.arange(-20e3, 20001.0, 100.0)
    ridge = 400.0 * np.exp(-0.5 * (x / 1500.0) ** 2)
    terrain = Terrain(east0_m=-20e3, north0_m=-20e3, spacing_m=100.0,
                      height_m=np.tile(ridge, (x.size, 1)))
    p = params([[-15e3, 0.0, 30.0], [15e3, 0.0, 30.0]], speed_mps=250.0,
               terrain_following=True, max_climb_rad=np.deg2rad(10.0))
    pos, vel, _ = fly(p, 1, 118.0, 0.5, terrain=terrain)
    e, n, h = enu_to_map(pos)
    ground = terrain.height_at(e, n)
    assert np.min(h - ground) >= 30.0 - 1e-6
    assert np.max(h) > 400.0
    rot = local_frame(pos)
    v_loc = np.einsum("...ji,...j->...i", rot, vel)
    climb = np.abs(v_loc[..., 2]) / np.linalg.norm(v_loc[..., :2], axis=-1)
    assert np.max(climb) <= np.tan(np.deg2rad(10.0)) * 1.01


def test_coordinated_turn_radius_in_flight() -> None:
    """Rounding a right-angle corner, the track follows the circle of radius v^2 / (g tan phi)."""
    v = 200.0
    r = float(turn_radius_m(v, np.deg2rad(30.0), G))
    p = params([[-20e3, 0.0, 5000.0], [0.0, 0.0, 5000.0], [0.0, 20e3, 5000.0]],
               speed_mps=v, turn_radius_m=r)
    pos, _, _ = fly(p, 1, 180.0, 0.25)
    e, n, _ = enu_to_map(pos[:, 0, 0])
    on_arc = (e > -r) & (n < r)
    d = np.hypot(e[on_arc] + r, n[on_arc] - r)
    # the arc is flown as 12 chords: the sagitta r (1 - cos 3.75 deg) is 0.21% of r
    assert np.all(d <= r * (1 + 1e-9)) and np.all(d >= r * (1 - 2.2e-3))
    # it takes (pi / 2) r / v: the turn rate is g tan(phi) / v
    assert np.sum(on_arc) * 0.25 == pytest.approx(np.pi / 2 * r / v, abs=0.5)


def test_drone_dive_angle_follows_the_route() -> None:
    """A dive from 300 m over 300/tan(40 deg) m descends at 40 deg."""
    d = 300.0 / np.tan(np.deg2rad(40.0))
    p = params([[-5e3, 0.0, 300.0], [-d, 0.0, 300.0], [0.0, 0.0, 0.0]], speed_mps=50.0)
    pos, vel, _ = fly(p, 1, 110.0, 0.5)
    rot = local_frame(pos)
    v_loc = np.einsum("...ji,...j->...i", rot, vel)[:, 0, 0]
    diving = v_loc[:, 2] < -1.0
    angle = np.rad2deg(np.arctan2(-v_loc[diving, 2], np.linalg.norm(v_loc[diving, :2], axis=-1)))
    np.testing.assert_allclose(angle, 40.0, atol=0.05)


def test_aircraft_breaks_away_from_a_close_interceptor() -> None:
    """An interceptor 10 km to the left starts a right break at radius v^2 / (g tan 80 deg)."""
    v = 250.0
    r = float(turn_radius_m(v, np.deg2rad(80.0), G))
    p = params([[0.0, -50e3, 6000.0], [0.0, 50e3, 6000.0]], speed_mps=v, break_range_m=15e3,
               break_radius_m=r, break_turn_rad=np.pi)
    truth = init_truth(p, keys(1))
    advance(truth, p, 0.0, 100.0)  # at (0, -25 km), heading north
    icp = truth.pos[:, None, 0, :] + np.array([-10e3, 0.0, 0.0])
    advance(truth, p, 100.0, 101.0, icp, np.ones((1, 1), bool))
    assert truth.t_break[0, 0] == 100.0 and truth.break_sign[0, 0] == 1.0
    start = truth.break_start[0, 0, :2]
    track = []
    for t in np.arange(101.0, 100.0 + np.pi * r / v - 0.5, 0.5):
        advance(truth, p, t, t + 0.5)
        track.append(np.array(enu_to_map(truth.pos[0, 0]))[:2])
    d = np.linalg.norm(np.array(track) - (start + [r, 0.0]), axis=1)
    np.testing.assert_allclose(d, r, rtol=1e-3)


def test_randomness_differs_between_replications_and_repeats_with_the_seed() -> None:
    """Route jitter, S-turn side and weave phase differ between replications, same seed same."""
    p = params([[-30e3, 0.0, 12.0], [-15e3, 5e3, 12.0], [0.0, 0.0, 12.0]], n=2,
               route_jitter_m=500.0, **BRAHMOS_LIKE)
    a = init_truth(p, keys(6))
    b = init_truth(p, keys(6))
    np.testing.assert_array_equal(a.route, b.route)
    np.testing.assert_array_equal(a.s_turn_sign, b.s_turn_sign)
    assert np.unique(a.route[:, 0, 1, 0]).size == 6
    assert np.unique(a.s_turn_sign).size == 2
    assert np.unique(a.weave_phase).size == a.weave_phase.size


FATAH_LIKE = BallisticBody(
    launch_mass_kg=np.array([600.0]), burnout_mass_kg=np.array([295.0]),
    thrust_n=np.array([47856.0]), burn_time_s=np.array([15.0]),
    ref_area_m2=np.array([np.pi / 4 * 0.09]), cd_subsonic=np.array([0.2]),
    cd_peak=np.array([0.4]), cd_hypersonic=np.array([0.25]), cn_max=np.array([2.0]),
    max_lateral_accel_mps2=np.array([2 * G]), rail_speed_mps=np.array([30.0]))


def test_powered_rocket_lands_near_its_aim_point() -> None:
    """A boosted, dragged 120 km shot lands within 0.5% of its range of the aim point."""
    p = params([[0.0, 0.0, 0.0], [0.0, 120e3, 0.0]], ballistic=True, body=FATAH_LIKE,
               flight_path_angle_rad=np.deg2rad(45.0))
    pos, vel, truth = fly(p, 1, 400.0, 0.5)
    assert truth.arrived.all()
    aim = map_to_enu(0.0, 120e3, 0.0)
    assert float(ground_range_m(truth.pos[0, 0], aim)) < 600.0
    speed = np.linalg.norm(vel, axis=-1)
    assert np.all(speed < 2000.0)  # well below the vacuum Tsiolkovsky speed

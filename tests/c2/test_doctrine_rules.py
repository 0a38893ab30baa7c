"""Command-post doctrine: fire-control mask, corridors, zones, reserve, reload, priorities, SLS."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.c2.base import NoFireReason
from triumf.c2.doctrine import C2Params, C2State, command_cycle
from triumf.c2.rules import Corridors, in_corridor, in_zone, reload_step, reserve_split
from triumf.core.earth import map_to_enu
from triumf.core.tables import FlyoutTable, RegularGridTable
from triumf.track.base import Tracks, TrackStatus

V_M = 1500.0  # missile speed of the constant-speed table, m/s


def _table() -> FlyoutTable:
    xr = np.linspace(0.0, 250_000.0, 51)
    ya = np.linspace(-1000.0, 30_000.0, 32)
    tof = np.broadcast_to(xr[:, None] / V_M, (xr.size, ya.size))
    return FlyoutTable(RegularGridTable(xr, ya, tof),
                       RegularGridTable(xr, ya, np.full_like(tof, V_M)))


def _params(**kw: object) -> C2Params:
    """One battalion, one launcher at the origin, one missile type, one asset at the origin."""
    base = dict(
        launcher_pos=np.zeros((1, 3)), launcher_battalion=np.zeros(1, np.int64),
        ripple_interval_s=np.array([3.0]), reaction_time_s=np.array([5.0]),
        max_targets=np.array([6]), max_missiles=np.array([12]),
        radar_pos=np.array([[0.0, 0.0, 30.0]]), radar_range_m=np.array([400_000.0]),
        assessment_delay_s=5.0, missile_names=("M",), min_altitude_m=np.array([10.0]),
        max_altitude_m=np.array([27_000.0]), min_range_m=np.array([2_000.0]),
        max_range_m=np.array([200_000.0]), pk_max=np.array([0.8]), cost_usd=np.array([1.0]),
        flyout=(_table(),), asset_pos=np.zeros((1, 3)), asset_radius_m=np.array([2000.0]),
        asset_value=np.array([10.0]), keep_out_m=3000.0, salvo_size=2,
        shoot_look_shoot=True, weapons_free=True, max_rounds_per_target=4,
    )
    base.update(kw)
    return C2Params(**base)  # type: ignore[arg-type]


def _tracks(R: int, east_m: list[float], speed: float = 250.0, alt: float = 5000.0) -> Tracks:
    """Confirmed hostile tracks flying west at the origin from ``east_m``."""
    K = len(east_m)
    tr = Tracks.empty(R, K)
    for k, e in enumerate(east_m):
        tr.x[:, k, :3] = map_to_enu(e, 0.0, alt)
        tr.x[:, k, 3] = -speed
    tr.status[:] = TrackStatus.CONFIRMED
    tr.track_id[:] = np.arange(1, K + 1)
    tr.hits[:] = 10
    return tr


def _cycle(params: C2Params, tracks: Tracks, loaded: int = 8, t: float = 0.0, **kw: object):
    R, K = tracks.status.shape
    state = C2State.initial(np.full((1, 1), loaded, np.int64), R, K)
    zero = np.zeros((R, 1), np.int64)
    orders, reason = command_cycle(state, params, tracks, t, zero, zero, **kw)  # type: ignore
    return state, orders, reason


def test_engageable_track_is_fired_at() -> None:
    """The reference case fires one salvo at a hostile inbound track (sanity of the set-up)."""
    _, orders, reason = _cycle(_params(), _tracks(1, [60_000.0]))
    assert orders.r.size == 2 and reason[0, 0] == NoFireReason.NONE


def test_fire_control_mask_blocks_engagement() -> None:
    """Without an engagement-radar track (fc_sees False) no round is fired, with its reason."""
    tr = _tracks(2, [60_000.0])
    sees = np.array([[[False]], [[True]]])
    _, orders, reason = _cycle(_params(), tr, fc_sees=sees)
    assert set(orders.r.tolist()) == {1}
    assert reason[0, 0] == NoFireReason.NO_FIRE_CONTROL_TRACK


def test_friendly_corridor_is_never_engaged() -> None:
    """A hostile-looking track inside a friendly corridor gets FRIENDLY_CORRIDOR, no round."""
    start, end = map_to_enu(80_000.0, -5_000.0, 0.0), map_to_enu(40_000.0, 5_000.0, 0.0)
    cor = Corridors(start[None], end[None], np.array([3000.0]), np.array([0.0]),
                    np.array([10_000.0]))
    _, orders, reason = _cycle(_params(corridors=cor), _tracks(1, [60_000.0]))
    assert orders.r.size == 0 and reason[0, 0] == NoFireReason.FRIENDLY_CORRIDOR


def test_in_corridor_distance_to_segment() -> None:
    """Inside means within the half-width of the segment (closed form) and the altitude band."""
    cor = Corridors(np.array([[0.0, 0.0, 0.0]]), np.array([[10_000.0, 0.0, 0.0]]),
                    np.array([1000.0]), np.array([0.0]), np.array([5000.0]))
    pts = np.array([[5000.0, 999.0, 100.0], [5000.0, 1001.0, 100.0],
                    [10_700.0, 700.0, 100.0], [10_800.0, 800.0, 100.0],
                    [5000.0, 0.0, 6000.0]])
    # distances: 999, 1001, hypot(700, 700) = 990, hypot(800, 800) = 1131, above the ceiling
    assert in_corridor(pts, cor).tolist() == [True, False, True, False, False]


def test_engagement_zone_holds_short_range_rounds() -> None:
    """A PIP beyond the type's zone gives OUTSIDE_ENGAGEMENT_ZONE; inside it, a salvo."""
    p = _params(zone_min_m=np.array([0.0]), zone_max_m=np.array([20_000.0]))
    _, orders, reason = _cycle(p, _tracks(1, [60_000.0]))
    assert orders.r.size == 0 and reason[0, 0] == NoFireReason.OUTSIDE_ENGAGEMENT_ZONE
    _, orders, _ = _cycle(p, _tracks(1, [22_000.0]))
    assert orders.r.size == 2


def test_in_zone_ground_range_band() -> None:
    """Zone membership is the PIP's ground range from the launcher within [min, max]."""
    pip = np.array([[[[3000.0, 4000.0, 0.0]], [[3000.0, 4000.0, 0.0]]]])  # (1, W=2, 1, 3)
    launchers = np.array([[0.0, 0.0, 0.0], [3000.0, 0.0, 0.0]])  # ranges 5000 and 4000
    ok = in_zone(pip, launchers, np.array([4500.0]), np.array([6000.0]))
    assert ok[0, :, 0].tolist() == [True, False]


def test_reserve_released_only_for_imminent_threats() -> None:
    """Reserved rounds are held (HELD_IN_RESERVE) until the time to go drops below release."""
    p = _params(reserve_rounds=np.array([8]), reserve_release_s=60.0)
    _, orders, reason = _cycle(p, _tracks(1, [150_000.0]))
    assert orders.r.size == 0 and reason[0, 0] == NoFireReason.HELD_IN_RESERVE
    # 12 km out at 250 m/s, keep-out 3 km: t_go = 36 s < 60 s
    _, orders, _ = _cycle(p, _tracks(1, [12_000.0]))
    assert orders.r.size == 2


def test_reserve_split_conserves_rounds() -> None:
    """free + reserved == inventory and the reserve never exceeds its quota."""
    inv = np.array([[[0, 1, 5]], [[3, 2, 9]]])
    free, res = reserve_split(inv, np.array([2, 2, 2]))
    assert np.array_equal(free + res, inv) and res.max() <= 2 and free.min() >= 0


def test_reload_restores_load_after_reload_time() -> None:
    """An empty launcher with a reload set is full again reload_time_s after it emptied."""
    inv = np.zeros((1, 1, 2), np.int64)
    left = np.array([[1]])
    done_at = np.full((1, 1), np.inf)
    loaded = np.array([[2, 4]])
    busy = reload_step(inv, left, done_at, loaded, np.array([600.0]), 100.0)
    assert busy[0, 0] and inv.sum() == 0
    reload_step(inv, left, done_at, loaded, np.array([600.0]), 699.0)
    assert inv.sum() == 0
    busy = reload_step(inv, left, done_at, loaded, np.array([600.0]), 700.0)
    assert not busy[0, 0] and inv[0, 0].tolist() == [2, 4] and left[0, 0] == 0


@pytest.mark.parametrize("method", ["greedy", "heuristic", "exact"])
def test_one_channel_goes_to_the_higher_value_threat(method: str) -> None:
    """With one target channel the more valuable threat is engaged, the other LOWER_PRIORITY."""
    p = _params(max_targets=np.array([1]), wta_method=method,
                asset_pos=np.array(map_to_enu([0.0, 0.0], [0.0, 30_000.0], [0.0, 0.0])),
                asset_radius_m=np.array([2000.0, 2000.0]), asset_value=np.array([1.0, 10.0]))
    tr = _tracks(1, [60_000.0, 60_000.0])
    tr.x[:, 1, :3] = map_to_enu(60_000.0, 30_000.0, 5000.0)  # heads for the dear asset
    _, orders, reason = _cycle(p, tr)
    assert set(orders.track_slot.tolist()) == {1}
    assert reason[0, 0] == NoFireReason.LOWER_PRIORITY


def _doctrine_trial(salvo: int, sls: bool, R: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Mini Monte Carlo of the command post against one slow inbound track.

    Each round kills with p = 0.8 at its predicted intercept time (drawn independently); a
    killed track disappears when the kill report arrives (intercept + assessment delay).
    Returns kills (R,) bool and rounds fired (R,).
    """
    rng = np.random.default_rng(seed)
    p = _params(salvo_size=salvo, shoot_look_shoot=sls, max_rounds_per_target=2)
    tr = _tracks(R, [120_000.0], speed=100.0)
    x0 = tr.x.copy()
    state = C2State.initial(np.full((1, 1), 8, np.int64), R, 1)
    zero = np.zeros((R, 1), np.int64)
    killed_at = np.full(R, np.inf)
    shots = np.zeros(R, np.int64)
    for t in np.arange(0.0, 400.0, 1.0):
        tr.x[:, :, :3] = x0[:, :, :3] + x0[:, :, 3:] * t
        gone = killed_at + p.assessment_delay_s <= t
        tr.status[gone, 0] = TrackStatus.FREE
        orders, _ = command_cycle(state, p, tr, float(t), zero, zero)
        np.add.at(shots, orders.r, 1)
        hit = rng.random(orders.r.size) < 0.8
        np.minimum.at(killed_at, orders.r[hit], orders.t_intercept[hit])
    return np.isfinite(killed_at), shots


@pytest.mark.parametrize(("salvo", "sls", "shots_expected"), [(1, True, 1.2), (2, False, 2.0)])
def test_shoot_look_shoot_arithmetic(salvo: int, sls: bool, shots_expected: float) -> None:
    """p = 0.8, two rounds: kill 0.96 either way; 1.2 rounds for SLS, 2.0 for a salvo
    (references.md section 8), within 4 standard errors over 3000 replications."""
    R = 3000
    kills, shots = _doctrine_trial(salvo, sls, R, seed=5)
    se_k = np.sqrt(0.96 * 0.04 / R)
    assert abs(kills.mean() - 0.96) < 4 * se_k
    se_s = max(np.sqrt(0.16 / R), 1e-9)  # SLS: 1 + Bernoulli(0.2), variance 0.16
    assert abs(shots.mean() - shots_expected) < 4 * se_s + 1e-12

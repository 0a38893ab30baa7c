"""Several battalions: each track goes first to the battalion that intercepts it earliest."""

from __future__ import annotations

import numpy as np

from triumf.c2.coordination import preferred_battalion
from triumf.c2.doctrine import C2Params, C2State, command_cycle
from triumf.core.earth import map_to_enu
from triumf.core.tables import FlyoutTable, RegularGridTable
from triumf.track.base import Tracks, TrackStatus

V_M = 1500.0  # missile speed of the constant-speed table, m/s
NEAR = (0.0, 0.0)  # the fire unit under the threat's path, metres east/north
FAR = (0.0, -80_000.0)  # a fire unit 80 km off the path, still in reach


def _table() -> FlyoutTable:
    xr = np.linspace(0.0, 250_000.0, 51)
    ya = np.linspace(-1000.0, 30_000.0, 32)
    tof = np.broadcast_to(xr[:, None] / V_M, (xr.size, ya.size))
    return FlyoutTable(RegularGridTable(xr, ya, tof),
                       RegularGridTable(xr, ya, np.full_like(tof, V_M)))


def _params(sites: list[tuple[float, float]], max_targets: int = 6) -> C2Params:
    """One battalion (one launcher, its radar beside it) per site; one asset at the origin."""
    n = len(sites)
    pos = np.array([map_to_enu(e, nn, 0.0) for e, nn in sites])
    return C2Params(
        launcher_pos=pos, launcher_battalion=np.arange(n, dtype=np.int64),
        ripple_interval_s=np.full(n, 3.0), reaction_time_s=np.full(n, 5.0),
        max_targets=np.full(n, max_targets, np.int64), max_missiles=np.full(n, 12, np.int64),
        radar_pos=pos + np.array([0.0, 0.0, 30.0]), radar_range_m=np.full(n, 400_000.0),
        assessment_delay_s=5.0, missile_names=("M",), min_altitude_m=np.array([10.0]),
        max_altitude_m=np.array([27_000.0]), min_range_m=np.array([2_000.0]),
        max_range_m=np.array([200_000.0]), pk_max=np.array([0.8]), cost_usd=np.array([1.0]),
        flyout=(_table(),), asset_pos=np.zeros((1, 3)), asset_radius_m=np.array([2000.0]),
        asset_value=np.array([10.0]), keep_out_m=3000.0, salvo_size=2,
        shoot_look_shoot=True, weapons_free=True, max_rounds_per_target=4,
    )


def _tracks(R: int, east_m: float = 60_000.0) -> Tracks:
    """One confirmed hostile track flying west at 250 m/s, 5 km up, toward the origin."""
    tr = Tracks.empty(R, 1)
    tr.x[:, 0, :3] = map_to_enu(east_m, 0.0, 5000.0)
    tr.x[:, 0, 3] = -250.0
    tr.status[:] = TrackStatus.CONFIRMED
    tr.track_id[:] = 1
    tr.hits[:] = 10
    return tr


def _cycle(params: C2Params, tracks: Tracks, busy_targets: list[int] | None = None):
    R = tracks.status.shape[0]
    n = params.reaction_time_s.size
    state = C2State.initial(np.full((n, 1), 8, np.int64), R, 1)
    targets = np.tile(np.array(busy_targets or [0] * n, np.int64), (R, 1))
    orders, _ = command_cycle(state, params, tracks, 0.0, targets,
                              np.zeros((R, n), np.int64))
    return orders


def test_preferred_battalion_is_the_earliest_intercept() -> None:
    """The battalion with the smallest usable intercept time wins; none usable gives -1."""
    t = np.array([[[50.0], [40.0], [30.0]],     # unit 2 (battalion 1) earliest
                  [[20.0], [40.0], [30.0]],     # unit 0 (battalion 0) earliest
                  [[20.0], [40.0], [30.0]]])    # nothing usable
    usable = np.array([[[True], [True], [True]],
                       [[True], [True], [False]],
                       [[False], [False], [False]]])
    pref = preferred_battalion(t, usable, np.array([0, 1, 1]), 2)
    assert pref.tolist() == [1, 0, -1]


def test_preferred_battalion_tie_goes_to_lower_index() -> None:
    """Equal intercept times: the lower battalion index is preferred (deterministic)."""
    t = np.full((1, 2, 1), 30.0)
    assert preferred_battalion(t, np.ones((1, 2, 1), bool), np.array([0, 1]), 2).tolist() == [0]


def test_far_battalion_listed_first_does_not_take_the_track() -> None:
    """A second fire unit far off the threat's path, listed first, does not change the salvo
    the fire unit under the path fires (same launch and intercept times)."""
    alone = _cycle(_params([NEAR]), _tracks(2))
    both = _cycle(_params([FAR, NEAR]), _tracks(2))
    assert alone.r.size == 4 and both.r.size == 4
    assert np.all(both.unit == 1)  # the near unit (index 1 of [far, near])
    np.testing.assert_allclose(both.t_launch, alone.t_launch)
    np.testing.assert_allclose(both.t_intercept, alone.t_intercept)


def test_far_battalion_fires_when_the_near_one_cannot() -> None:
    """With the near battalion's target channels all busy, the far battalion engages."""
    both = _cycle(_params([FAR, NEAR], max_targets=1), _tracks(1), busy_targets=[0, 1])
    assert both.r.size == 2 and np.all(both.unit == 0)


def test_preferred_battalion_short_of_channels_leaves_track_to_other() -> None:
    """Two tracks, both preferring the near battalion with one free target channel: the
    near battalion takes one and the far battalion the other, in the same cycle."""
    tr = Tracks.empty(1, 2)
    for k, e in enumerate((60_000.0, 70_000.0)):
        tr.x[0, k, :3] = map_to_enu(e, 0.0, 5000.0)
        tr.x[0, k, 3] = -250.0
    tr.status[:] = TrackStatus.CONFIRMED
    tr.track_id[0] = [1, 2]
    tr.hits[:] = 10
    params = _params([FAR, NEAR], max_targets=1)
    state = C2State.initial(np.full((2, 1), 8, np.int64), 1, 2)
    orders, _ = command_cycle(state, params, tr, 0.0, np.zeros((1, 2), np.int64),
                              np.zeros((1, 2), np.int64))
    by_unit = {int(u): set(orders.track_slot[orders.unit == u].tolist()) for u in (0, 1)}
    assert len(by_unit[0]) == 1 and len(by_unit[1]) == 1 and by_unit[0] != by_unit[1]

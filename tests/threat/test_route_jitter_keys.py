"""Route-jitter draws are keyed by (raid, threat, waypoint): common random numbers across raids."""

from typing import Any

import numpy as np

from triumf.core import rng
from triumf.threat.base import ThreatParams
from triumf.threat.raid import advance, init_truth

ROUTE_A = [[-40e3, 5e3, 50.0], [-20e3, 8e3, 50.0], [-10e3, 2e3, 50.0], [0.0, 0.0, 50.0]]
ROUTE_B = [[-40e3, -5e3, 50.0], [-20e3, -8e3, 50.0], [0.0, 0.0, 50.0]]
ROUTE_B_LONGER = [[-40e3, -5e3, 50.0], [-30e3, -9e3, 50.0], [-20e3, -8e3, 50.0],
                  [-10e3, -6e3, 50.0], [-5e3, -3e3, 50.0], [0.0, 0.0, 50.0]]


def two_raids(route_b: list[list[float]]) -> ThreatParams:
    """Raid A (group 0, 2 slots) and raid B (group 1, 2 slots), routes padded to one length."""
    routes = [ROUTE_A, ROUTE_A, route_b, route_b]
    n_pts = max(len(r) for r in routes)
    route = np.array([r + [r[-1]] * (n_pts - len(r)) for r in routes], float)
    n = 4
    kw: dict[str, Any] = dict(
        label=tuple(f"t{i}" for i in range(n)), type_name=("x",) * n,
        group=np.array([0, 0, 1, 1]), group_names=("A", "B"), hostile=np.ones(n, bool),
        ballistic=np.zeros(n, bool), route=route, launch_radius_m=np.full(n, 1000.0),
        aim_error_m=np.full(n, 30.0), aim_asset=np.zeros(n, np.int64),
        speed_mps=np.full(n, 250.0), loop=np.zeros(n, bool),
        launch_window_s=np.tile([0.0, 30.0], (n, 1)), rcs_m2=np.ones(n),
        swerling=np.ones(n, np.int64), flight_path_angle_rad=np.zeros(n),
        route_jitter_m=np.full(n, 800.0))
    return ThreatParams(**kw)


def raid_a_positions(p: ThreatParams) -> np.ndarray:
    """Raid A's positions every 5 s for 120 s over 5 replications, shape (N, R, 2, 3)."""
    keys = rng.stage_keys(rng.replication_keys(11, range(5)), rng.Stage.THREAT)
    truth = init_truth(p, keys)
    out = []
    for t in np.arange(0.0, 120.0, 5.0):
        advance(truth, p, float(t), float(t) + 5.0)
        out.append(truth.pos[:, :2].copy())
    return np.array(out)


def test_adding_a_waypoint_to_raid_b_leaves_raid_a_bit_identical() -> None:
    """Raid A's jittered routes and trajectories do not change when raid B gains waypoints."""
    short, longer = two_raids(ROUTE_B), two_raids(ROUTE_B_LONGER)
    keys = rng.stage_keys(rng.replication_keys(11, range(5)), rng.Stage.THREAT)
    ra, rb = init_truth(short, keys).route, init_truth(longer, keys).route
    np.testing.assert_array_equal(ra[:, :2, :4], rb[:, :2, :4])
    np.testing.assert_array_equal(raid_a_positions(short), raid_a_positions(longer))


def test_jitter_moves_only_interior_waypoints_and_differs_between_threats() -> None:
    """Launch centre and aim point are not jittered; the two threats of a raid differ."""
    p = two_raids(ROUTE_B)
    keys = rng.stage_keys(rng.replication_keys(11, range(5)), rng.Stage.THREAT)
    no_jit = ThreatParams(**{**p.__dict__, "route_jitter_m": np.zeros(4)})
    a, b = init_truth(p, keys).route, init_truth(no_jit, keys).route
    np.testing.assert_array_equal(a[:, :, 0], b[:, :, 0])
    np.testing.assert_array_equal(a[:, :, -1], b[:, :, -1])
    assert np.all(a[:, 0, 1, :2] != a[:, 1, 1, :2])
    moved = np.linalg.norm(a[:, :, 1:3, :2] - b[:, :, 1:3, :2], axis=-1)
    assert np.all(moved[:, :2] > 0)

"""Deterministic work budgets of the heuristic and exact WTA methods (no wall-clock dependence)."""

import numpy as np

from triumf.c2.wta import assign_batch, greedy_mmr, objective, solve


def instance(seed: int, m: int = 15, n: int = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random target-based instance too large to certify in a few nodes."""
    g = np.random.default_rng(seed)
    return (g.integers(1, 101, n).astype(float), g.uniform(0.0, 1.0, (m, n)),
            np.full(m, 3))


def test_exact_stops_at_the_node_budget_with_a_certified_gap() -> None:
    """With a small node budget and a generous time cap, exact stops on work, bound <= objective."""
    v, p, w = instance(1)
    res = solve(v, p, w, "exact", time_limit_s=600.0, work_limit=1)
    assert res.status == "work_limit"
    assert res.bound <= res.objective + 1e-9


def test_exact_with_a_node_budget_repeats_exactly() -> None:
    """Two solves with the same node budget give the same assignment, objective and bound."""
    v, p, w = instance(1)
    a = solve(v, p, w, "exact", time_limit_s=600.0, work_limit=1)
    b = solve(v, p, w, "exact", time_limit_s=600.0, work_limit=1)
    np.testing.assert_array_equal(a.x, b.x)
    assert (a.objective, a.bound) == (b.objective, b.bound)


def test_heuristic_budget_counts_improving_moves() -> None:
    """A budget of one move changes the greedy start by one move or swap (<= 4 entries)."""
    v, p, w = instance(3, m=6, n=20)
    x0 = greedy_mmr(v[None], p[None], w[None])[0]
    x1 = solve(v, p, w, "heuristic", time_limit_s=600.0, work_limit=1).x
    assert int(np.abs(x1 - x0).sum()) <= 4
    assert float(objective(v, p, x1)) <= float(objective(v, p, x0))
    x_full = solve(v, p, w, "heuristic", time_limit_s=600.0).x
    assert float(objective(v, p, x_full)) <= float(objective(v, p, x1))


def test_batched_heuristic_repeats_exactly_under_a_budget() -> None:
    """assign_batch with a work budget gives the same assignments on every call."""
    g = np.random.default_rng(4)
    v, p = g.uniform(1, 10, (3, 12)), g.uniform(0.0, 0.9, (3, 5, 12))
    w = np.full((3, 5), 2)
    a = assign_batch(v, p, w, method="heuristic", time_limit_s=600.0, work_limit=2)
    b = assign_batch(v, p, w, method="heuristic", time_limit_s=600.0, work_limit=2)
    np.testing.assert_array_equal(a, b)


def test_scenario_work_limit_reaches_the_command_post() -> None:
    """doctrine.wta_work_limit in a scenario file compiles into C2Params.wta_work_limit."""
    from scenario_texts import ASSET_A, ORIGIN, battalion_b
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import compile_scenario
    from triumf.scenario.load import load_scenario_text

    text = ("name: doc\nduration_s: 100\n" + ORIGIN + "assets:\n" + ASSET_A
            + battalion_b("{name: L, launcher: 5P85TE2, position: {east_m: 0, north_m: 0}, "
                          "missiles: {9M96E2: 16}}")
            + "raids: []\ndoctrine:\n  wta_method: exact\n  wta_work_limit: 250\n")
    scn, _ = load_scenario_text(text, file="doc.yaml")
    assert compile_scenario(scn, load_database()).c2.wta_work_limit == 250


def test_asset_branch_and_bound_stops_at_the_node_budget_with_a_valid_bound() -> None:
    """Asset-based B&B under a node budget: status work_limit, the same answer twice, and its
    certified bound is at least the exact optimum (an independent full search)."""
    g = np.random.default_rng(7)
    n_assets, n, m = 3, 9, 3
    u = g.uniform(1.0, 10.0, n_assets)
    a = g.integers(0, n_assets, n)
    pi = g.uniform(0.3, 1.0, n)
    p = g.uniform(0.2, 0.9, (m, n))
    w = np.full(m, 2)
    one = solve(u, p, w, "asset", time_limit_s=600.0, work_limit=3, target_asset=a, lethality=pi)
    two = solve(u, p, w, "asset", time_limit_s=600.0, work_limit=3, target_asset=a, lethality=pi)
    full = solve(u, p, w, "asset", time_limit_s=600.0, target_asset=a, lethality=pi)
    assert one.status == "work_limit" and full.status == "optimal"
    np.testing.assert_array_equal(one.x, two.x)
    assert (one.objective, one.bound) == (two.objective, two.bound)
    assert one.objective <= full.objective + 1e-12 <= one.bound + 2e-12

"""The maximal-covering MILP against brute-force enumeration of every K-subset."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.analysis.placement import brute_force_placement, covered_value, solve_placement


def _instance(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    rng = np.random.default_rng(seed)
    n_sites, n_pairs = int(rng.integers(4, 9)), int(rng.integers(3, 12))
    reach = rng.random((n_sites, n_pairs)) < 0.35
    weights = rng.uniform(0.5, 5.0, n_pairs)
    cost = rng.uniform(1.0, 3.0, n_sites)
    k = int(rng.integers(1, n_sites + 1))
    return reach, weights, cost, k, int(rng.integers(1, 3))


@pytest.mark.parametrize("seed", range(12))
def test_milp_matches_enumeration(seed: int) -> None:
    """The MILP's covered value equals the best over all K-subsets (random instances)."""
    reach, weights, _, k, m = _instance(seed)
    sol = solve_placement(reach, weights, k, multiplicity=m)
    best, _ = brute_force_placement(reach, weights, k, multiplicity=m)
    assert sol.value == pytest.approx(best)


@pytest.mark.parametrize("seed", range(12, 20))
def test_milp_with_budget_matches_enumeration(seed: int) -> None:
    """With a budget, the MILP's value equals the best affordable K-subset."""
    reach, weights, cost, k, m = _instance(seed)
    budget = float(np.sort(cost)[:k].sum() * 1.15)
    sol = solve_placement(reach, weights, k, multiplicity=m, site_cost_usd=cost,
                          budget_usd=budget)
    best, _ = brute_force_placement(reach, weights, k, multiplicity=m, site_cost_usd=cost,
                                    budget_usd=budget)
    assert sol.value == pytest.approx(best)


@pytest.mark.parametrize("seed", range(20, 26))
def test_milp_respects_k_and_budget(seed: int) -> None:
    """Exactly K sites are chosen and their cost stays within the budget."""
    reach, weights, cost, k, m = _instance(seed)
    budget = float(np.sort(cost)[:k].sum() * 1.3)
    sol = solve_placement(reach, weights, k, multiplicity=m, site_cost_usd=cost,
                          budget_usd=budget)
    assert sol.chosen.size == k and cost[sol.chosen].sum() <= budget + 1e-9


def test_reported_coverage_is_that_of_the_chosen_sites() -> None:
    """The covered pairs and value reported are those the chosen sites really cover."""
    reach, weights, _, k, m = _instance(99)
    sol = solve_placement(reach, weights, k, multiplicity=m)
    value, cov = covered_value(reach, weights, sol.chosen, m)
    assert value == pytest.approx(sol.value) and np.array_equal(cov, sol.covered)


def test_unaffordable_budget_is_refused() -> None:
    """A budget below the cheapest K sites gives a clear error."""
    reach, weights, cost, _, _ = _instance(3)
    with pytest.raises(ValueError, match="budget"):
        solve_placement(reach, weights, 2, site_cost_usd=cost, budget_usd=float(cost.min()))


def test_k_out_of_range_is_refused() -> None:
    """Asking for more sites than candidates is an error."""
    reach, weights, _, _, _ = _instance(4)
    with pytest.raises(ValueError, match="between 1 and"):
        solve_placement(reach, weights, reach.shape[0] + 1)

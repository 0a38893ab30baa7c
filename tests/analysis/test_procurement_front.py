"""Pareto front, cost-exchange ratio and answer selection of the procurement study."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.analysis.procurement import cheapest_below, cost_exchange_ratio, pareto_front


def _dominated_brute(cost: np.ndarray, leak: np.ndarray) -> np.ndarray:
    n = cost.size
    out = np.zeros(n, bool)
    for i in range(n):
        for j in range(n):
            if (cost[j] <= cost[i] and leak[j] <= leak[i]
                    and (cost[j] < cost[i] or leak[j] < leak[i])):
                out[i] = True
    return out


@pytest.mark.parametrize("seed", range(10))
def test_front_is_exactly_the_non_dominated_set(seed: int) -> None:
    """The front equals the options no other option dominates (brute force, with ties)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    cost = rng.integers(1, 8, n).astype(float)       # small integers: many ties
    leak = rng.integers(0, 6, n).astype(float)
    assert np.array_equal(pareto_front(cost, leak), ~_dominated_brute(cost, leak))


def test_cost_exchange_ratio_hand_computed() -> None:
    """Two 9M96E2 at 0.6 M USD each against three drones at 50 k USD: 1.2 M / 150 k = 8."""
    assert cost_exchange_ratio(2 * 600e3, 3 * 50e3) == pytest.approx(8.0)


def test_cost_exchange_ratio_nothing_destroyed() -> None:
    """Missiles spent with nothing destroyed give an infinite ratio."""
    assert np.isinf(cost_exchange_ratio(1.0, 0.0))


def test_cheapest_below_picks_cheapest_option_under_one_leaker() -> None:
    """Among options with expected leakers < 1 the cheapest is the answer."""
    rows = [{"cost_usd": 1.0, "leakers_mean": 3.0}, {"cost_usd": 3.0, "leakers_mean": 0.2},
            {"cost_usd": 2.0, "leakers_mean": 0.9}, {"cost_usd": 5.0, "leakers_mean": 0.0}]
    assert cheapest_below(rows) == rows[2]


def test_cheapest_below_none_when_all_leak() -> None:
    """No option under the limit gives no answer."""
    assert cheapest_below([{"cost_usd": 1.0, "leakers_mean": 1.0}]) is None

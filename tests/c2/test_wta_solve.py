"""triumf.c2.wta.solve: every method against brute force, bounds and invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from triumf.c2.wta import brute_force, objective, solve
from triumf.c2.wta_asset import surviving_value
from triumf.c2.wta_local import local_search


def _instance(rng: np.random.Generator, m: int, n: int, wmax: int = 3):
    v = rng.uniform(1.0, 10.0, n)
    p = rng.uniform(0.05, 0.95, (m, n))
    w = rng.integers(0, wmax, m)
    return v, p, w


def test_greedy_equals_brute_force_with_identical_weapons() -> None:
    """solve(method='greedy') is optimal when all weapon types are identical (den Broeder)."""
    rng = np.random.default_rng(11)
    for _ in range(30):
        n = int(rng.integers(1, 4))
        v = rng.uniform(0.5, 10.0, n)
        p = np.broadcast_to(rng.uniform(0.05, 0.95, (1, n)), (2, n)).copy()
        w = rng.integers(0, 4, 2)
        res = solve(v, p, w, "greedy")
        best = float(objective(v, p, brute_force(v, p, w)))
        assert res.objective == pytest.approx(best, rel=1e-12, abs=1e-12)


def test_exact_equals_brute_force_target_based() -> None:
    """The MILP outer approximation finds the brute-force optimum on small random instances."""
    rng = np.random.default_rng(3)
    for _ in range(25):
        v, p, w = _instance(rng, int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        res = solve(v, p, w, "exact")
        best = float(objective(v, p, brute_force(v, p, w)))
        assert res.status == "optimal"
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
        assert res.bound <= res.objective + 1e-12


def test_exact_equals_brute_force_with_channel_limits() -> None:
    """With target and round limits (fire channels) exact still equals brute force."""
    rng = np.random.default_rng(4)
    for _ in range(20):
        v, p, w = _instance(rng, int(rng.integers(1, 4)), int(rng.integers(2, 4)))
        t_max, r_max = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        res = solve(v, p, w, "exact", max_targets=t_max, max_rounds=r_max)
        best = float(objective(v, p, brute_force(v, p, w, t_max, r_max)))
        assert res.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
        assert res.x.sum() <= r_max and int((res.x.sum(axis=0) > 0).sum()) <= t_max


def _asset_brute_force(u, a, pi, p, w) -> float:
    m, n = p.shape
    rows = [list(itertools.product(range(int(wi) + 1), repeat=n)) for wi in w]
    best = -np.inf
    for choice in itertools.product(*rows):
        x = np.array(choice).reshape(m, n)
        if (x.sum(axis=1) <= w).all():
            best = max(best, surviving_value(u, a, pi, p, x))
    return best


def test_asset_based_equals_brute_force() -> None:
    """Branch and bound maximises the expected surviving asset value (brute-force oracle)."""
    rng = np.random.default_rng(8)
    for _ in range(20):
        m, n = int(rng.integers(1, 3)), int(rng.integers(1, 4))
        _, p, w = _instance(rng, m, n)
        n_a = int(rng.integers(1, 3))
        a = rng.integers(0, n_a, n)
        u = rng.uniform(1.0, 10.0, n_a)
        pi = rng.uniform(0.3, 1.0, n)
        res = solve(u, p, w, "asset", target_asset=a, lethality=pi)
        assert res.status == "optimal"
        assert res.objective == pytest.approx(_asset_brute_force(u, a, pi, p, w), abs=1e-9)
        assert surviving_value(u, a, pi, p, res.x) == pytest.approx(res.objective)


def test_heuristic_between_exact_and_greedy() -> None:
    """Local search never worsens greedy and never beats the certified optimum."""
    rng = np.random.default_rng(21)
    for _ in range(5):
        v = rng.integers(1, 101, 16).astype(float)
        p = rng.uniform(0.0, 1.0, (8, 16))
        w = np.full(8, 2)
        g, h, e = (solve(v, p, w, k) for k in ("greedy", "heuristic", "exact"))
        assert h.objective <= g.objective + 1e-9
        assert e.bound - 1e-9 <= h.objective
        assert (h.x.sum(axis=1) <= w).all()


def test_local_search_respects_limits() -> None:
    """Moves never exceed the weapon counts, the target limit or the round limit."""
    rng = np.random.default_rng(2)
    v, p, w = rng.uniform(1, 10, 6), rng.uniform(0.1, 0.9, (3, 6)), np.array([2, 2, 2])
    x0 = np.zeros((3, 6), np.int64)
    x0[0, 0] = 1
    x = local_search(v, p, w, x0, max_targets=2, max_rounds=3)
    assert (x.sum(axis=1) <= w).all() and x.sum() <= 3 and (x.sum(axis=0) > 0).sum() <= 2
    assert float(objective(v, p, x)) <= float(objective(v, p, x0))


def test_time_limit_gives_certified_gap() -> None:
    """Stopped early, exact reports a lower bound below its objective and the matching gap."""
    rng = np.random.default_rng(1)
    v = rng.integers(1, 101, 60).astype(float)
    p = rng.uniform(0.0, 1.0, (30, 60))
    res = solve(v, p, np.full(30, 3), "exact", time_limit_s=0.5)
    assert res.bound <= res.objective + 1e-9
    assert res.gap == pytest.approx((res.objective - res.bound) / res.objective, abs=1e-12)
    assert res.status in ("optimal", "time_limit")


def test_bad_inputs_rejected() -> None:
    """Probabilities outside [0, 1], mismatched shapes and unknown methods raise ValueError."""
    with pytest.raises(ValueError):
        solve([1.0], [[1.5]], [1])
    with pytest.raises(ValueError):
        solve([1.0, 2.0], [[0.5]], [1])
    with pytest.raises(ValueError):
        solve([1.0], [[0.5]], [1], "simplex")  # type: ignore[arg-type]

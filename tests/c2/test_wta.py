"""Weapon-target assignment kernels against the brute-force oracle and closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.c2.wta import brute_force, greedy_mmr, objective


def _random_instances(
    rng: np.random.Generator, B: int, m: int, n: int, identical: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = rng.uniform(0.5, 10.0, size=(B, n))
    if identical:
        p = np.broadcast_to(rng.uniform(0.05, 0.95, size=(B, 1, n)), (B, m, n)).copy()
    else:
        p = rng.uniform(0.05, 0.95, size=(B, m, n))
    weapons = rng.integers(0, 4, size=(B, m))
    return values, p, weapons


def test_objective_closed_form() -> None:
    """The objective equals sum_j V_j prod_i (1-p_ij)^x_ij computed by hand."""
    v = np.array([[10.0, 4.0]])
    p = np.array([[[0.5, 0.2], [0.9, 1.0]]])
    x = np.array([[[2, 0], [1, 0]]])
    expected = 10.0 * 0.5**2 * 0.1 + 4.0
    assert objective(v, p, x)[0] == pytest.approx(expected)


def test_greedy_optimal_with_identical_weapons() -> None:
    """With identical weapons MMR greedy equals the brute-force optimum (den Broeder 1959)."""
    rng = np.random.default_rng(7)
    values, p, weapons = _random_instances(rng, B=60, m=2, n=3, identical=True)
    x = greedy_mmr(values, p, weapons)
    f_greedy = objective(values, p, x)
    for b in range(len(values)):
        f_opt = objective(values[b], p[b], brute_force(values[b], p[b], weapons[b]))
        assert f_greedy[b] == pytest.approx(float(f_opt), rel=1e-12, abs=1e-12)


def test_greedy_never_beats_brute_force() -> None:
    """With different weapons greedy's objective is never below the optimum, often equal."""
    rng = np.random.default_rng(11)
    values, p, weapons = _random_instances(rng, B=60, m=2, n=3, identical=False)
    f_greedy = objective(values, p, greedy_mmr(values, p, weapons))
    f_opt = np.array(
        [objective(values[b], p[b], brute_force(values[b], p[b], weapons[b])) for b in range(60)]
    )
    assert np.all(f_greedy >= f_opt - 1e-12)
    assert np.mean(np.isclose(f_greedy, f_opt, rtol=1e-9)) > 0.5


def test_greedy_respects_weapon_counts() -> None:
    """No weapon type fires more rounds than it has."""
    rng = np.random.default_rng(3)
    values, p, weapons = _random_instances(rng, B=200, m=3, n=5, identical=False)
    x = greedy_mmr(values, p, weapons, salvo=2)
    assert np.all(x >= 0)
    assert np.all(x.sum(axis=2) <= weapons)


def test_greedy_uses_all_rounds_without_limits() -> None:
    """With positive gains everywhere and no limits, every round is assigned."""
    rng = np.random.default_rng(5)
    values, p, weapons = _random_instances(rng, B=100, m=3, n=4, identical=False)
    x = greedy_mmr(values, p, weapons)
    assert np.array_equal(x.sum(axis=2), weapons)


def test_greedy_respects_target_and_round_limits() -> None:
    """Distinct targets engaged <= max_targets and total rounds <= max_rounds."""
    rng = np.random.default_rng(9)
    B = 200
    values, p, weapons = _random_instances(rng, B=B, m=3, n=6, identical=False)
    max_targets = rng.integers(0, 4, size=B)
    max_rounds = rng.integers(0, 6, size=B)
    x = greedy_mmr(values, p, weapons, max_targets, max_rounds, salvo=2)
    assert np.all((x.sum(axis=1) > 0).sum(axis=1) <= max_targets)
    assert np.all(x.sum(axis=(1, 2)) <= max_rounds)
    assert np.all(x.sum(axis=2) <= weapons)


def test_greedy_with_limits_never_beats_constrained_optimum() -> None:
    """Under the same limits brute force is at least as good as greedy."""
    rng = np.random.default_rng(13)
    values, p, weapons = _random_instances(rng, B=30, m=2, n=3, identical=False)
    for b in range(30):
        x = greedy_mmr(values[b : b + 1], p[b : b + 1], weapons[b : b + 1], [1], [2])
        x_opt = brute_force(values[b], p[b], weapons[b], max_targets=1, max_rounds=2)
        assert objective(values[b], p[b], x[0]) >= objective(values[b], p[b], x_opt) - 1e-12


def test_zero_kill_probability_is_never_assigned() -> None:
    """Pairs with p = 0 (infeasible) get no rounds and the rounds are kept."""
    v = np.array([[5.0, 3.0]])
    p = np.array([[[0.0, 0.7], [0.0, 0.0]]])
    x = greedy_mmr(v, p, np.array([[3, 2]]))
    assert x[0, :, 0].sum() == 0
    assert x[0, 1].sum() == 0
    assert x[0, 0, 1] == 3


def test_salvo_goes_to_one_target() -> None:
    """A two-round salvo against one target puts both rounds on it (doctrine 2 per target)."""
    v = np.array([[1.0, 1.0]])
    p = np.array([[[0.8, 0.8]]])
    x = greedy_mmr(v, p, np.array([[4]]), salvo=2)
    assert x.tolist() == [[[2, 2]]]

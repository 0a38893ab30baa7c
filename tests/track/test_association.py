"""Tests of global nearest neighbour association."""

from __future__ import annotations

import itertools

import numpy as np

from triumf.track.association import gnn_assign, gnn_assign_loop, gnn_select


def _brute_force(cost: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Max-cardinality then min-cost matching of one (K, D) problem by enumeration."""
    K, D = cost.shape
    best_key: tuple[int, float] | None = None
    best = np.full(D, -1)
    # each detection picks a track or -1; keep only one-to-one choices over allowed pairs
    for choice in itertools.product(range(-1, K), repeat=D):
        used = [k for k in choice if k >= 0]
        if len(used) != len(set(used)):
            continue
        if any(k >= 0 and not allowed[k, d] for d, k in enumerate(choice)):
            continue
        total = sum(cost[k, d] for d, k in enumerate(choice) if k >= 0)
        key = (-len(used), total)
        if best_key is None or key < best_key:
            best_key, best = key, np.array(choice)
    return best


def _random_problems(seed: int, R: int, K: int, D: int, density: float):
    rng = np.random.default_rng(seed)
    cost = rng.uniform(-5.0, 20.0, size=(R, K, D))
    allowed = rng.random((R, K, D)) < density
    return cost, allowed


def test_gnn_matches_brute_force() -> None:
    """Both GNN versions equal brute-force enumeration on many small random problems."""
    for seed in range(40):
        K, D = (seed % 4) + 1, ((seed // 4) % 4) + 1
        cost, allowed = _random_problems(seed, 10, K, D, density=0.5)
        fast = gnn_assign(cost, allowed)
        loop = gnn_assign_loop(cost, allowed)
        for r in range(10):
            ref = _brute_force(cost[r], allowed[r])
            np.testing.assert_array_equal(fast[r], ref)
            np.testing.assert_array_equal(loop[r], ref)


def test_fast_path_agrees_with_loop() -> None:
    """The batched GNN equals the per-replication loop on large mixed batches."""
    for density in (0.02, 0.1, 0.4):
        cost, allowed = _random_problems(100, 200, 12, 9, density)
        np.testing.assert_array_equal(gnn_assign(cost, allowed), gnn_assign_loop(cost, allowed))


def test_without_conflicts_every_gated_pair_is_assigned() -> None:
    """When no track or detection has two gated partners, every gated pair is assigned."""
    R, K, D = 50, 8, 6
    rng = np.random.default_rng(5)
    allowed = np.zeros((R, K, D), dtype=bool)
    for r in range(R):
        k = rng.permutation(K)[:D]
        keep = rng.random(D) < 0.7
        allowed[r, k[keep], np.arange(D)[keep]] = True
    cost = rng.normal(size=(R, K, D))
    out = gnn_assign(cost, allowed)
    ref = np.where(allowed.any(axis=1), allowed.argmax(axis=1), -1)
    np.testing.assert_array_equal(out, ref)


def test_assignment_is_one_to_one_over_gated_pairs() -> None:
    """No track receives two detections and every assigned pair is gated."""
    cost, allowed = _random_problems(6, 100, 7, 7, density=0.3)
    out = gnn_assign(cost, allowed)
    for r in range(100):
        tracks = out[r][out[r] >= 0]
        assert len(tracks) == len(set(tracks.tolist()))
        d = np.flatnonzero(out[r] >= 0)
        assert allowed[r, out[r, d], d].all()


def test_nothing_gated_gives_no_assignment() -> None:
    """With no gated pair every detection is unassigned."""
    out = gnn_assign(np.zeros((3, 4, 5)), np.zeros((3, 4, 5), dtype=bool))
    assert (out == -1).all() and out.shape == (3, 5)


def test_pair_list_order_within_a_replication_does_not_matter() -> None:
    """gnn_select chooses the same pairs whatever their order inside each replication."""
    cost, allowed = _random_problems(7, 60, 6, 5, density=0.35)
    r, k, d = np.nonzero(allowed)
    chosen = gnn_select(r, k, d, cost[r, k, d])
    rng = np.random.default_rng(8)
    perm = np.lexsort((rng.random(r.size), r))  # shuffle within replications
    chosen_perm = gnn_select(r[perm], k[perm], d[perm], cost[r, k, d][perm])
    np.testing.assert_array_equal(chosen_perm, chosen[perm])
    ref = gnn_assign_loop(cost, allowed)
    np.testing.assert_array_equal(ref[r[chosen], d[chosen]], k[chosen])
    assert (ref >= 0).sum() == chosen.sum()

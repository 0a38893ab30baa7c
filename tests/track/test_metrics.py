"""GOSPA, OSPA and continuity against Stone Soup and hand-made cases.

Stone Soup is a test dependency (the ``test`` extra): if it is missing this module fails to
import, loudly, instead of skipping.
"""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from stonesoup.metricgenerator.ospametric import GOSPAMetric, OSPAMetric
from stonesoup.types.state import State

from triumf.track.metrics import continuity_step, gospa, ospa

_T0 = datetime.datetime(2026, 1, 1)


def _states(points: np.ndarray) -> list[State]:
    return [State(p.reshape(-1, 1), timestamp=_T0) for p in points]


def _random_sets(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(25):
        n, m = rng.integers(0, 7, size=2)
        truth = rng.uniform(-1000.0, 1000.0, size=(m, 2))
        est = rng.uniform(-1000.0, 1000.0, size=(n, 2))
        k = min(n, m)
        est[:k] = truth[:k] + rng.normal(0.0, 300.0, size=(k, 2))  # some near, some far
        out.append((est, truth))
    return out


@pytest.mark.parametrize("p", [1.0, 2.0])
def test_gospa_equals_stonesoup(p: float) -> None:
    """GOSPA distance and its three parts equal Stone Soup's GOSPAMetric on random sets."""
    metric = GOSPAMetric(c=500.0, p=p)
    for est, truth in _random_sets(3):
        ref = metric.compute_gospa_metric(_states(est), _states(truth))[0].value
        got = gospa(est, truth, c=500.0, p=p)
        if len(est) == 0 and len(truth) == 0:
            continue  # Stone Soup needs a timestamp from some state
        np.testing.assert_allclose(got.distance, ref["distance"], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(got.localisation, ref["localisation"], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(got.missed, ref["missed"], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(got.false, ref["false"], rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("p", [1.0, 2.0])
def test_ospa_equals_stonesoup(p: float) -> None:
    """OSPA distance equals Stone Soup's OSPAMetric on random sets."""
    metric = OSPAMetric(c=500.0, p=p)
    for est, truth in _random_sets(4):
        if len(est) == 0 and len(truth) == 0:
            continue
        ref = metric.compute_OSPA_distance(_states(est), _states(truth)).value
        np.testing.assert_allclose(ospa(est, truth, c=500.0, p=p), ref, rtol=1e-12, atol=1e-9)


def test_gospa_batch_equals_one_by_one() -> None:
    """Padded batched sets give the same GOSPA as each set alone."""
    sets = _random_sets(5)
    n = max(len(e) for e, _ in sets)
    m = max(len(g) for _, g in sets)
    est = np.zeros((len(sets), n, 2))
    truth = np.zeros((len(sets), m, 2))
    ev = np.zeros((len(sets), n), bool)
    gv = np.zeros((len(sets), m), bool)
    for b, (e, g) in enumerate(sets):
        est[b, : len(e)], ev[b, : len(e)] = e, True
        truth[b, : len(g)], gv[b, : len(g)] = g, True
    batched = gospa(est, truth, c=500.0, est_valid=ev, truth_valid=gv).distance
    single = [float(gospa(e, g, c=500.0).distance) for e, g in sets]
    np.testing.assert_allclose(batched, single, rtol=1e-12)


def test_gospa_closed_form_cardinality_only() -> None:
    """Two truths and no estimate: GOSPA = (2 c^p / 2)^(1/p) = c for p = 1."""
    got = gospa(np.zeros((0, 3)), np.ones((2, 3)), c=500.0, p=1.0)
    assert got.distance == pytest.approx(2 * 500.0 / 2)
    assert got.n_missed == 2 and got.n_false == 0


def test_continuity_counts_swap_and_break() -> None:
    """Two tracks exchanging their truths count two swaps and two breaks."""
    ids = np.array([[1, 2]])
    holder = np.zeros((1, 2), np.int64)
    _, _, holder = continuity_step(np.zeros_like(ids), np.full((1, 2), -1), ids,
                                   np.array([[0, 1]]), holder)
    swaps, breaks, holder = continuity_step(ids, np.array([[0, 1]]), ids, np.array([[1, 0]]),
                                            holder)
    assert swaps.tolist() == [2] and breaks.tolist() == [2]
    np.testing.assert_array_equal(holder, [[2, 1]])


def test_duplicate_tracks_on_one_truth_are_not_breaks() -> None:
    """A second track joining the holder on the same truth does not count as a break."""
    holder = np.zeros((1, 1), np.int64)
    none = np.array([[0, 0]])
    _, _, holder = continuity_step(none, np.full((1, 2), -1), np.array([[1, 0]]),
                                   np.array([[0, -1]]), holder)
    for _ in range(3):
        swaps, breaks, holder = continuity_step(np.array([[1, 2]]), np.array([[0, 0]]),
                                                np.array([[1, 2]]), np.array([[0, 0]]), holder)
        assert swaps.tolist() == [0] and breaks.tolist() == [0]
    assert holder.tolist() == [[1]]

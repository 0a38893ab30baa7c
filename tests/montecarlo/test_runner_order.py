"""The runners' in-order window over a pool that finishes chunks in any order.

A fake pool stands in for Dask: it finishes the running chunks in an adversarial order (the
newest first, or at random), and fails if it is asked to wait while nothing is running (what
Dask's ``as_completed`` does by raising StopIteration). A 10,000-replication campaign on two
workers once stopped that way after 48 chunks: every chunk in flight finished out of order, the
held ones were yielded one after another, and nothing had been submitted meanwhile.
"""

from dataclasses import dataclass

import numpy as np
import pytest

from triumf.montecarlo.runners import in_order


@dataclass
class _Out:
    index: int


class _Pool:
    """Runs what is submitted; ``finish`` picks which running chunk completes next."""

    def __init__(self, pick):
        self.running: list[int] = []
        self.pick = pick
        self.most_outstanding = 0
        self.yielded = 0
        self.submitted = 0

    def submit(self, span):
        self.running.append(span[0])
        self.submitted += 1
        self.most_outstanding = max(self.most_outstanding, self.submitted - self.yielded)

    def next_done(self):
        assert self.running, "waited on an empty pool (Dask: StopIteration)"
        return _Out(self.running.pop(self.pick(len(self.running))))


def _spans(n):
    return [(i, 10 * i, 10 * i + 10) for i in range(n)]


def _drain(pool, n, window):
    """Chunk indices ``in_order`` yields for ``n`` spans over ``pool``."""
    got = []
    for out in in_order(_spans(n), pool.submit, pool.next_done, window):
        got.append(out.index)
        pool.yielded += 1
    return got


@pytest.mark.parametrize("window", [1, 2, 4, 7])
def test_newest_first_completion_yields_every_chunk_in_order(window):
    """The newest chunk always finishes first: all 25 chunks come out in order, and at most
    ``window`` are submitted and not yet yielded at any time."""
    pool = _Pool(lambda n: n - 1)
    assert _drain(pool, 25, window) == list(range(25))
    assert pool.most_outstanding <= window
    assert pool.submitted == 25


def test_random_completion_order_yields_every_chunk_in_order():
    """Random completion orders (seeded), windows 1-6: chunks in order, window respected."""
    g = np.random.default_rng(5)
    for window in range(1, 7):
        pool = _Pool(lambda n: int(g.integers(n)))
        assert _drain(pool, 40, window) == list(range(40))
        assert pool.most_outstanding <= window


def test_window_below_one_is_refused():
    """A window of 0 could never run anything."""
    with pytest.raises(ValueError, match="window"):
        list(in_order(_spans(2), lambda s: None, lambda: _Out(0), 0))

"""The bootstrap's resampling works in bounded pieces: same numbers, memory not growing with N."""

import tracemalloc

import numpy as np
import pytest

from triumf.montecarlo import bootstrap


def _interval(x: np.ndarray, statistic: str) -> tuple[float, float, float]:
    return bootstrap.bootstrap_interval(x, statistic, 0.9, 0.95, n_resamples=200, seed=11,
                                        method="percentile")


@pytest.mark.parametrize("statistic", ["mean", "quantile"])
def test_piecewise_resampling_gives_the_same_interval(statistic: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawing each block of resamples a row at a time gives bit-identical intervals."""
    x = np.arange(97, dtype=np.float64) % 7
    whole = _interval(x, statistic)  # 64 x 97 values fit in one piece
    monkeypatch.setattr(bootstrap, "_MAX_ELEMENTS", 1)  # one resample per piece
    assert _interval(x, statistic) == whole


def _peak_bytes(n: int) -> int:
    x = np.arange(n, dtype=np.float64) % 5
    tracemalloc.start()
    try:
        _interval(x, "quantile")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_peak_memory_does_not_grow_with_the_sample_size() -> None:
    """Peak memory at N = 20,000 exceeds N = 2,000 by far less than one 64 x N block."""
    grow = _peak_bytes(20_000) - _peak_bytes(2_000)
    block = bootstrap._BLOCK * 18_000 * 8  # one float64 64 x N block's growth
    assert grow < block / 4

"""Timing helper shared by the benchmark scripts in this folder.

The scripts run as ``python benchmarks/<name>.py`` from the repository root, so this folder is
first on ``sys.path`` and they import it as ``from _timing import median_seconds``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def median_call(fn: Callable[[], T], repeats: int) -> tuple[float, T]:
    """Call ``fn`` ``repeats`` times (>= 1); median wall seconds per call and the last result."""
    if repeats < 1:
        raise ValueError(f"repeats must be >= 1, got {repeats}")
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    """Median wall seconds of ``repeats`` calls of ``fn`` (>= 1)."""
    return median_call(fn, repeats)[0]

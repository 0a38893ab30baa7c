"""Paired comparison with common random numbers."""

import dataclasses

import numpy as np

from triumf.montecarlo.compare import compare, paired_difference


def test_scenario_against_itself_gives_zero_difference(small):
    """A scenario compared with itself differs by exactly zero, interval [0, 0]."""
    _, params, _ = small
    res = compare(params, dataclasses.replace(params, seed=params.seed + 99), 2, chunk=1)
    for d in res["differences"].values():
        assert d["difference"] == 0.0 and d["low"] == 0.0 and d["high"] == 0.0
        assert d["b_lower"] == 0 and d["b_higher"] == 0


def test_paired_difference_of_shifted_sample_is_the_shift():
    """B = A + 1 per replication gives a difference of exactly 1 with a zero-width interval."""
    a = np.arange(20.0) % 5
    d = paired_difference(a, a + 1.0)
    assert d["difference"] == 1.0 and d["low"] == 1.0 and d["high"] == 1.0
    assert d["b_higher"] == 20

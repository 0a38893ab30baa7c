"""Air-picture metrics survive chunking: merged chunks and campaign tallies keep them."""

import dataclasses

import numpy as np

from triumf.montecarlo.batch import merge, run_chunks
from triumf.montecarlo.summary import summarize
from triumf.montecarlo.tally import TRACKING_COLUMNS


def test_tracking_summary_is_the_same_in_one_chunk_or_three(small):
    """Tracking metrics of 1 chunk of 6 replications equal those of 3 chunks of 2."""
    _, params, _ = small
    params = dataclasses.replace(params, duration_s=40.0)
    one = summarize(params, merge(run_chunks(params, 6, chunk=6)))["tracking"]
    three = summarize(params, merge(run_chunks(params, 6, chunk=2)))["tracking"]
    assert set(one) == set(TRACKING_COLUMNS)
    assert one == three
    assert np.isfinite(one["mean_gospa_m"]["mean"])

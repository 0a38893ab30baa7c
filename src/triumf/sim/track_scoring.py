"""Scoring of the air picture against truth during a run (sim/ may read truth; track/ may not).

Sampled every :data:`SAMPLE_PERIOD_S` of simulated time (GOSPA needs an exact assignment per
replication, so sampling keeps the cost small): GOSPA of the confirmed tracks against the
flying threats, track continuity (swaps, breaks; :func:`triumf.track.metrics.continuity_step`)
and the number of false confirmed tracks (following no threat).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.track.metrics import continuity_step, gospa

#: seconds of simulated time between two samples of the track metrics (a scoring choice, not
#: world data: short enough to see every engagement-relevant minute several times)
SAMPLE_PERIOD_S = 10.0
#: GOSPA cut-off distance (metres) and order, alpha = 2; the values the tracking benchmark
#: uses (benchmarks/tracking_vs_stonesoup.py)
GOSPA_C_M = 500.0
GOSPA_P = 1.0


@dataclass
class TrackScore:
    """Running track metrics of each replication.

    Attributes
    ----------
    samples : int
        Number of samples taken.
    gospa_sum_m : ndarray, shape (R,), metres
        Sum over samples of the GOSPA distance.
    swaps, breaks : ndarray of int64, shape (R,)
        Continuity counts over the run.
    false_track_samples : ndarray of int64, shape (R,)
        Sum over samples of the number of confirmed tracks following no threat.
    confirmed_track_samples : ndarray of int64, shape (R,)
        Sum over samples of the number of confirmed tracks.
    """

    samples: int
    gospa_sum_m: NDArray[np.float64]
    swaps: NDArray[np.int64]
    breaks: NDArray[np.int64]
    false_track_samples: NDArray[np.int64]
    confirmed_track_samples: NDArray[np.int64]
    _prev_id: NDArray[np.int64]
    _prev_truth: NDArray[np.int64]
    _holder: NDArray[np.int64]
    next_sample_s: float = 0.0

    @classmethod
    def empty(cls, n_rep: int, n_slots: int, n_thr: int) -> TrackScore:
        """No sample yet."""
        zeros = np.zeros(n_rep, np.int64)
        return cls(0, np.zeros(n_rep), zeros.copy(), zeros.copy(), zeros.copy(), zeros.copy(),
                   np.zeros((n_rep, n_slots), np.int64), np.full((n_rep, n_slots), -1, np.int64),
                   np.zeros((n_rep, max(n_thr, 1)), np.int64))

    def sample(
        self,
        track_pos: NDArray[np.float64],
        confirmed: NDArray[np.bool_],
        track_id: NDArray[np.int64],
        track_truth: NDArray[np.int64],
        truth_pos: NDArray[np.float64],
        truth_active: NDArray[np.bool_],
    ) -> None:
        """Score the picture now (in place).

        Parameters
        ----------
        track_pos : ndarray, shape (R, K, 3), metres
            Track positions predicted to now.
        confirmed : ndarray of bool, shape (R, K)
        track_id : ndarray of int64, shape (R, K)
        track_truth : ndarray of int64, shape (R, K)
            Threat each track follows (-1 none).
        truth_pos : ndarray, shape (R, T, 3), metres
        truth_active : ndarray of bool, shape (R, T)
            Threats flying now.
        """
        g = gospa(track_pos, truth_pos, c=GOSPA_C_M, p=GOSPA_P, est_valid=confirmed,
                  truth_valid=truth_active)
        self.gospa_sum_m += g.distance
        ids = np.where(confirmed, track_id, 0)
        truth = np.where(confirmed, track_truth, -1)
        swaps, breaks, self._holder = continuity_step(
            self._prev_id, self._prev_truth, ids, truth, self._holder
        )
        self.swaps += swaps
        self.breaks += breaks
        self._prev_id, self._prev_truth = ids, truth
        self.false_track_samples += np.count_nonzero(confirmed & (track_truth < 0), axis=1)
        self.confirmed_track_samples += np.count_nonzero(confirmed, axis=1)
        self.samples += 1

    @property
    def mean_gospa_m(self) -> NDArray[np.float64]:
        """Mean GOSPA over the samples, shape (R,) (NaN before any sample)."""
        return self.gospa_sum_m / self.samples if self.samples else np.full_like(
            self.gospa_sum_m, np.nan)

    @property
    def false_tracks_per_sample(self) -> NDArray[np.float64]:
        """Mean number of false confirmed tracks present, shape (R,)."""
        return self.false_track_samples / max(self.samples, 1)

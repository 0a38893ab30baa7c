"""The small per-replication record a campaign keeps in memory (events stay on disk).

A chunk's full result (event log, every outcome time) is written to Parquet and dropped; what a
campaign keeps is, per replication, which threats were killed or leaked and how many
interceptors of each type it fired, plus the count of leakers by cause. That is enough for the
summary and its intervals and takes about 2 bytes per threat per replication.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.sim.engine import REASON_NAMES, RunResult


@dataclass
class Tally:
    """Per-replication results of a campaign so far, replications in increasing order.

    Attributes
    ----------
    replications : ndarray of int, shape (R,)
        Global replication indices.
    killed, leaked : ndarray of bool, shape (R, T)
    spent : ndarray of int, shape (R, Mt)
        Interceptors launched, by missile type.
    fired_at_friendly : ndarray of int, shape (R,)
    leak_causes : Counter of str
        Number of leakers by cause (see `triumf.sim.outcomes.Outcomes.leak_cause`).
    tracking : dict of str to ndarray, shape (R,)
        Air-picture quality per replication (keys `TRACKING_COLUMNS`): mean time from first
        detection to confirmation of the threats confirmed (s, NaN if none), mean GOSPA (m),
        track swaps, track breaks, mean number of false confirmed tracks. Empty when the run
        did not score its tracks.
    """

    replications: NDArray[np.int64]
    killed: NDArray[np.bool_]
    leaked: NDArray[np.bool_]
    spent: NDArray[np.int64]
    fired_at_friendly: NDArray[np.int64]
    leak_causes: Counter[str] = field(default_factory=Counter)
    tracking: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    @classmethod
    def empty(cls, n_threats: int, n_missile_types: int) -> Tally:
        """No replication yet."""
        return cls(np.zeros(0, np.int64), np.zeros((0, n_threats), bool),
                   np.zeros((0, n_threats), bool), np.zeros((0, n_missile_types), np.int64),
                   np.zeros(0, np.int64))

    @classmethod
    def from_result(cls, res: RunResult, hostile: NDArray[np.bool_] | None = None) -> Tally:
        """The tally of one batch of replications (``hostile`` (T,): threats whose
        confirmation delay counts; default all)."""
        causes = res.outcomes.leak_cause(res.leaked, REASON_NAMES)
        return cls(res.replications.copy(), res.killed.copy(), res.leaked.copy(),
                   res.spent.copy(), res.fired_at_friendly.copy(),
                   Counter(causes[res.leaked].tolist()), _tracking(res, hostile))

    def extended(self, other: Tally) -> Tally:
        """This tally followed by ``other`` (the next chunk)."""
        return Tally(
            np.concatenate([self.replications, other.replications]),
            np.concatenate([self.killed, other.killed]),
            np.concatenate([self.leaked, other.leaked]),
            np.concatenate([self.spent, other.spent]),
            np.concatenate([self.fired_at_friendly, other.fired_at_friendly]),
            self.leak_causes + other.leak_causes,
            {k: np.concatenate([v, other.tracking[k]]) for k, v in self.tracking.items()
             if k in other.tracking},
        )

    @property
    def count(self) -> int:
        """Replications tallied."""
        return int(self.replications.size)


TRACKING_COLUMNS = ("time_to_confirm_s", "mean_gospa_m", "track_swaps", "track_breaks",
                    "false_confirmed_tracks")


def _tracking(res: RunResult, hostile: NDArray[np.bool_] | None) -> dict[str, NDArray[np.float64]]:
    """Per-replication air-picture quality of a run (see `Tally.tracking`)."""
    delay = res.outcomes.t_confirm - res.outcomes.t_first_detect
    if hostile is not None:
        delay = delay[:, hostile]
    ok = np.isfinite(delay)
    count = ok.sum(axis=1)
    total = np.where(ok, delay, 0.0).sum(axis=1)
    out = {"time_to_confirm_s": np.where(count > 0, total / np.maximum(count, 1), np.nan)}
    score = res.track_score
    if score is None or not score.samples:
        return out
    return out | {
        "mean_gospa_m": np.asarray(score.mean_gospa_m, np.float64),
        "track_swaps": np.asarray(score.swaps, np.float64),
        "track_breaks": np.asarray(score.breaks, np.float64),
        "false_confirmed_tracks": np.asarray(score.false_tracks_per_sample, np.float64),
    }

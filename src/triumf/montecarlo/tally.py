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
    """

    replications: NDArray[np.int64]
    killed: NDArray[np.bool_]
    leaked: NDArray[np.bool_]
    spent: NDArray[np.int64]
    fired_at_friendly: NDArray[np.int64]
    leak_causes: Counter[str] = field(default_factory=Counter)

    @classmethod
    def empty(cls, n_threats: int, n_missile_types: int) -> Tally:
        """No replication yet."""
        return cls(np.zeros(0, np.int64), np.zeros((0, n_threats), bool),
                   np.zeros((0, n_threats), bool), np.zeros((0, n_missile_types), np.int64),
                   np.zeros(0, np.int64))

    @classmethod
    def from_result(cls, res: RunResult) -> Tally:
        """The tally of one batch of replications."""
        causes = res.outcomes.leak_cause(res.leaked, REASON_NAMES)
        return cls(res.replications.copy(), res.killed.copy(), res.leaked.copy(),
                   res.spent.copy(), res.fired_at_friendly.copy(),
                   Counter(causes[res.leaked].tolist()))

    def extended(self, other: Tally) -> Tally:
        """This tally followed by ``other`` (the next chunk)."""
        return Tally(
            np.concatenate([self.replications, other.replications]),
            np.concatenate([self.killed, other.killed]),
            np.concatenate([self.leaked, other.leaked]),
            np.concatenate([self.spent, other.spent]),
            np.concatenate([self.fired_at_friendly, other.fired_at_friendly]),
            self.leak_causes + other.leak_causes,
        )

    @property
    def count(self) -> int:
        """Replications tallied."""
        return int(self.replications.size)

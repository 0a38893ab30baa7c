"""Kill assessment: what the command post learns about each interceptor, and when.

At this fidelity assessment is perfect but late: the outcome of every endgame (kill or miss)
reaches the command post ``delay`` seconds after the intercept. A reported kill removes the
track from the air picture; a miss frees the track for re-engagement (shoot-look-shoot).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class KillReports:
    """Pending reports, one per interceptor slot, shape (R, M) (updated in place).

    Attributes
    ----------
    due : ndarray
        Time the report reaches the command post, s (inf: nothing pending).
    killed : ndarray of bool
        The assessed outcome.
    track_slot, track_id : ndarray of int
        The track the interceptor was fired at.
    """

    due: NDArray[np.float64]
    killed: NDArray[np.bool_]
    track_slot: NDArray[np.int64]
    track_id: NDArray[np.int64]

    @classmethod
    def empty(cls, n_rep: int, n_slots: int) -> KillReports:
        """Nothing pending."""
        shape = (n_rep, n_slots)
        return cls(np.full(shape, np.inf), np.zeros(shape, bool),
                   np.full(shape, -1, np.int64), np.full(shape, -1, np.int64))

    def schedule(self, r: NDArray[np.intp], m: NDArray[np.intp], t_end: NDArray[np.float64],
                 killed: NDArray[np.bool_], track_slot: NDArray[np.int64],
                 track_id: NDArray[np.int64], delay_s: float) -> None:
        """Queue the assessment of interceptors (r, m) that ended at ``t_end``."""
        self.due[r, m] = t_end + delay_s
        self.killed[r, m] = killed
        self.track_slot[r, m] = track_slot
        self.track_id[r, m] = track_id

    def deliver(self, t: float) -> tuple[NDArray[np.intp], NDArray[np.intp],
                                         NDArray[np.int64], NDArray[np.int64]]:
        """Reports due by ``t`` that say "killed": (r, m, track_slot, track_id); all due
        reports are cleared."""
        due = self.due <= t
        r, m = np.nonzero(due & self.killed)
        out = (r, m, self.track_slot[r, m].copy(), self.track_id[r, m].copy())
        self.due[due] = np.inf
        self.killed[due] = False
        return out

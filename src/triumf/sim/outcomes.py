"""Per-threat, per-replication outcomes of a run: the scorer's view (it may read truth)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class Outcomes:
    """One row per (replication, threat slot); arrays of shape (R, T).

    Times are seconds since the start, NaN when the event never happened.

    Attributes
    ----------
    t_launch, t_first_detect, t_confirm, t_first_fire, t_first_launch, t_kill, t_leak : ndarray
        Threat launch, first detection, first confirmed track, first fire order, first
        interceptor launch, kill, leak.
    shots : ndarray of int
        Interceptors ordered at tracks of this threat.
    last_reason : ndarray of int
        Last no-fire reason logged for a track of this threat (0 none).
    capacity_reason : ndarray of int
        First no-fire reason of the "capacity" kind (fire channels, magazines, launchers)
        logged for a track of this threat while it was otherwise engageable (0 none).
    min_miss_m : ndarray
        Smallest miss distance of an interceptor that reached its endgame on this threat.
    """

    t_launch: NDArray[np.float64]
    t_first_detect: NDArray[np.float64]
    t_confirm: NDArray[np.float64]
    t_first_fire: NDArray[np.float64]
    t_first_launch: NDArray[np.float64]
    t_kill: NDArray[np.float64]
    t_leak: NDArray[np.float64]
    shots: NDArray[np.int64]
    last_reason: NDArray[np.int64]
    capacity_reason: NDArray[np.int64]
    min_miss_m: NDArray[np.float64]

    @classmethod
    def empty(cls, n_rep: int, n_thr: int) -> Outcomes:
        """Nothing happened yet."""
        nan = np.full((n_rep, n_thr), np.nan)
        zeros = np.zeros((n_rep, n_thr), np.int64)
        times = ("t_launch", "t_first_detect", "t_confirm", "t_first_fire", "t_first_launch",
                 "t_kill", "t_leak")
        return cls(**{k: nan.copy() for k in times}, shots=zeros.copy(),
                   last_reason=zeros.copy(), capacity_reason=zeros.copy(),
                   min_miss_m=np.full((n_rep, n_thr), np.inf))

    @staticmethod
    def first(times: NDArray[np.float64], r: NDArray[np.intp], i: NDArray[np.intp],
              t: float | NDArray[np.float64]) -> None:
        """Record ``t`` at (r, i) where nothing was recorded yet (in place)."""
        ok = i >= 0
        r, i = r[ok], i[ok]
        tt = np.broadcast_to(np.asarray(t, dtype=float), ok.shape)[ok]
        unset = np.isnan(times[r, i])
        times[r[unset], i[unset]] = tt[unset]

    def leak_cause(self, leaked: NDArray[np.bool_], reason_names: dict[int, str]
                   ) -> NDArray[np.object_]:
        """Why each leaker got through, shape (R, T) (None where it did not leak).

        The stage where the kill chain broke: never detected, detected but never confirmed,
        confirmed but never fired at, or fired at and missed. A threat never fired at is
        blamed on capacity (fire channels, magazines, launchers) if that ever stopped a shot
        the geometry allowed, since the later reasons ("too late") follow from it; otherwise on
        the last no-fire reason.
        """
        out = np.full(leaked.shape, None, dtype=object)
        never_det = leaked & np.isnan(self.t_first_detect)
        never_conf = leaked & ~never_det & np.isnan(self.t_confirm)
        never_fire = leaked & ~never_det & ~never_conf & np.isnan(self.t_first_fire)
        missed = leaked & ~np.isnan(self.t_first_fire)
        out[never_det] = "not detected"
        out[never_conf] = "detected, never confirmed"
        blame = np.where(self.capacity_reason > 0, self.capacity_reason, self.last_reason)
        for code in np.unique(blame[never_fire]):
            sel = never_fire & (blame == code)
            text = reason_names.get(int(code))
            out[sel] = f"not engaged: {text}" if text else "not engaged"
        out[missed] = "engaged, not killed"
        return out

"""The event log: every decision and outcome of a run, one row per event.

Rows are appended column-wise as NumPy arrays (one append per stage per tick, batched over
replications) and turned into one Arrow table at the end.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray


class EventKind(IntEnum):
    """What happened."""

    THREAT_LAUNCH = 1
    FIRST_DETECTION = 2
    TRACK_CONFIRMED = 3
    TRACK_DROPPED = 4
    FRIENDLY_IDENTIFIED = 5
    NO_FIRE = 6
    FIRE_ORDER = 7
    INTERCEPTOR_LAUNCH = 8
    KILL = 9
    MISS = 10
    INTERCEPTOR_LOST = 11
    KILL_REPORTED = 12
    LEAK = 13
    FRATRICIDE = 14
    SEEKER_NOT_ACQUIRED = 15
    OUT_OF_ENERGY = 16
    G_LIMITED_MISS = 17

    @property
    def label(self) -> str:
        """Lower-case name used in the Parquet file."""
        return self.name.lower()


_COLUMNS = ("time_s", "replication", "kind", "threat", "track", "unit", "interceptor",
            "missile", "reason", "miss_m")


class EventLog:
    """Column-wise event accumulator.

    Parameters
    ----------
    replication_ids : ndarray of int, shape (R,)
        Global replication index of each batch row.
    """

    def __init__(self, replication_ids: NDArray[np.int64]) -> None:
        self._rep = np.asarray(replication_ids, dtype=np.int64)
        self._chunks: list[dict[str, NDArray[np.generic]]] = []

    def add(
        self,
        time_s: ArrayLike,
        kind: EventKind,
        r: NDArray[np.intp],
        *,
        threat: ArrayLike = -1,
        track: ArrayLike = -1,
        unit: ArrayLike = -1,
        interceptor: ArrayLike = -1,
        missile: ArrayLike = -1,
        reason: ArrayLike = 0,
        miss_m: ArrayLike = np.nan,
    ) -> None:
        """Append events for batch rows ``r`` (one event per element of ``r``).

        ``missile`` is a missile-type index (-1 none) and ``reason`` a `NoFireReason` code;
        both are turned into text when the table is built. ``miss_m`` is the miss distance of
        an endgame (NaN otherwise).
        """
        r = np.asarray(r, dtype=np.intp)
        n = r.size
        if n == 0:
            return

        def col(v: ArrayLike, dtype: type) -> NDArray[np.generic]:
            return np.broadcast_to(np.asarray(v, dtype=dtype), (n,)).copy()

        self._chunks.append({
            "time_s": col(time_s, np.float64),
            "replication": self._rep[r],
            "kind": np.full(n, int(kind), dtype=np.int16),
            "threat": col(threat, np.int64),
            "track": col(track, np.int64),
            "unit": col(unit, np.int64),
            "interceptor": col(interceptor, np.int64),
            "missile": col(missile, np.int64),
            "reason": col(reason, np.int64),
            "miss_m": col(miss_m, np.float64),
        })

    def merged(self, other: EventLog) -> EventLog:
        """A log holding this log's events and then ``other``'s (for chunked runs)."""
        out = EventLog(np.concatenate([self._rep, other._rep]))
        out._chunks = self._chunks + other._chunks
        return out

    def count(self, kind: EventKind) -> int:
        """Number of events of one kind logged so far."""
        return int(sum(np.count_nonzero(c["kind"] == int(kind)) for c in self._chunks))

    def columns(self) -> dict[str, NDArray[np.generic]]:
        """All events as NumPy columns, sorted by replication then time (stable)."""
        if not self._chunks:
            return {k: np.zeros(0) for k in _COLUMNS}
        out = {k: np.concatenate([c[k] for c in self._chunks]) for k in _COLUMNS}
        order = np.lexsort((out["time_s"], out["replication"]))
        return {k: v[order] for k, v in out.items()}

    def to_arrow(
        self,
        unit_names: list[str],
        missile_names: list[str],
        reason_names: dict[int, str],
    ) -> pa.Table:
        """Build the events table with readable text columns.

        Parameters
        ----------
        unit_names : list of str
            Fire-unit names by index.
        missile_names : list of str
            Missile-type names by index.
        reason_names : dict of int to str
            Text of each no-fire reason code.
        """
        c = self.columns()
        kinds = {int(k): k.label for k in EventKind}

        def names(idx: NDArray[np.int64], table: list[str]) -> list[str | None]:
            return [table[i] if 0 <= i < len(table) else None for i in idx.tolist()]

        return pa.table({
            "time_s": pa.array(c["time_s"], pa.float64()),
            "replication": pa.array(c["replication"], pa.int64()),
            "kind": pa.array([kinds[k] for k in c["kind"].tolist()]).dictionary_encode(),
            "threat": pa.array(c["threat"], pa.int64()),
            "track": pa.array(c["track"], pa.int64()),
            "unit": pa.array(names(c["unit"].astype(np.int64), unit_names)).dictionary_encode(),
            "interceptor": pa.array(c["interceptor"], pa.int64()),
            "missile": pa.array(names(c["missile"].astype(np.int64),
                                      missile_names)).dictionary_encode(),
            "reason": pa.array([reason_names.get(x) if x else None
                                for x in c["reason"].tolist()]).dictionary_encode(),
            "miss_m": pa.array(c["miss_m"], pa.float64(), from_pandas=True),
        })

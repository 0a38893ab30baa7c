"""The trajectory recorder: where every threat, interceptor and track was, for a replay.

`triumf.sim.engine.run` takes ``record=Recorder(...)``; the engine calls :meth:`Recorder.begin`
once and :meth:`Recorder.sample` at the end of every tick. The recorder keeps only the
replications it was asked for and only one sample every ``interval_s`` (never finer than the
time step), plus each object's first sample (a threat's first tick in flight, an interceptor's
launch at its launcher) and one last sample with ``alive`` false on the first tick after the
object died, impacted or was deleted. It never changes the state it reads, so a run with a
recorder gives exactly the outcomes of a run without one; without a recorder the engine does
no extra work.

The table (:meth:`Recorder.to_arrow`) has one row per (object, sample time), the schema shared
with the exporters (``docs/report.md``). Size: about ``(T + M + K_live) * duration / interval``
rows per recorded replication, some 100 bytes each in Parquet (the demo, 1200 s at 1 s: about
60 000 rows, 2 MB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from triumf.core.earth import engine_to_geodetic
from triumf.engage.base import Interceptors, InterceptorStatus
from triumf.sim.params import SimParams
from triumf.threat.base import Truth
from triumf.track.base import Tracks, TrackStatus

__all__ = ["Recorder", "TRAJECTORY_SCHEMA"]

TRAJECTORY_SCHEMA = pa.schema([
    ("replication", pa.int32()),
    ("t_s", pa.float64()),
    ("kind", pa.string()),
    ("id", pa.int32()),
    ("label", pa.string()),
    ("type", pa.string()),
    ("east_m", pa.float64()),
    ("north_m", pa.float64()),
    ("up_m", pa.float64()),
    ("lat_deg", pa.float64()),
    ("lon_deg", pa.float64()),
    ("alt_m", pa.float64()),
    ("alive", pa.bool_()),
    ("sigma_east_m", pa.float64()),
    ("sigma_north_m", pa.float64()),
    ("rho_en", pa.float64()),
    ("confirmed", pa.bool_()),
    ("threat_id", pa.int32()),
])
"""Columns of ``trajectories.parquet`` (the track-only columns are null for other kinds)."""

_KINDS = ("threat", "interceptor", "track")


@dataclass
class Recorder:
    """Samples of the chosen replications' objects, collected during a run.

    Parameters
    ----------
    replications : sequence of int
        Global replication indices to record; others in the batch are ignored.
    interval_s : float
        Sampling period, seconds (raised to the time step if finer).
    """

    replications: tuple[int, ...] | list[int] = (0,)
    interval_s: float = 1.0
    _rows: list[dict[str, NDArray[Any]]] = field(default_factory=list, repr=False)
    _sel: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, np.intp), repr=False)
    _rep_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64),
                                        repr=False)
    _next_s: float = 0.0
    _prev: dict[str, Any] = field(default_factory=dict, repr=False)
    _params: SimParams | None = field(default=None, repr=False)

    def begin(self, replications: NDArray[np.int64], params: SimParams) -> None:
        """Start a batch: find the recorded replications among the batch rows.

        Parameters
        ----------
        replications : ndarray of int, shape (R,)
            Global replication index of each batch row.
        params : SimParams
        """
        reps = np.asarray(replications, dtype=np.int64)
        self._sel = np.flatnonzero(np.isin(reps, np.asarray(self.replications, np.int64)))
        self._rep_ids = reps[self._sel]
        self.interval_s = max(float(self.interval_s), params.time_step_s)
        self._next_s = 0.0
        self._params = params
        n = self._sel.size
        self._prev = {
            "threat": np.zeros((n, params.threats.count), bool),
            "interceptor": np.zeros((n, params.interceptor_slots), bool),
            "track_id": np.zeros((n, 0), np.int64),
        }

    def sample(self, t: float, truth: Truth, tracks: Tracks, icp: Interceptors,
               track_truth: NDArray[np.int64]) -> None:
        """Record the state at the end of the tick ending at ``t`` (reads, never writes).

        Parameters
        ----------
        t : float, seconds
        truth : Truth
        tracks : Tracks
        icp : Interceptors
        track_truth : ndarray of int, shape (R, K)
            Truth index each track slot follows (scoring only; -1 unknown).
        """
        if self._sel.size == 0 or self._params is None:
            return
        due = t + 1e-9 >= self._next_s
        if due:
            self._next_s += self.interval_s * max(1.0, np.floor(
                (t + 1e-9 - self._next_s) / self.interval_s) + 1.0)
        s = self._sel
        self._threats(t, truth, s, due)
        self._interceptors(t, icp, s, due)
        self._tracks(t, tracks, track_truth, s, due)

    def _emit(self, kind: str, t: NDArray[np.float64], row: NDArray[np.intp],
              ids: NDArray[np.int64], pos: NDArray[np.float64], alive: NDArray[np.bool_],
              extra: Mapping[str, NDArray[Any]] | None = None) -> None:
        if row.size == 0:
            return
        n = row.size
        cols: dict[str, NDArray[Any]] = {
            "replication": self._rep_ids[row], "t_s": np.broadcast_to(t, (n,)).astype(float),
            "kind": np.full(n, _KINDS.index(kind), np.int8), "id": ids.astype(np.int64),
            "pos": pos.reshape(n, 3).astype(float), "alive": alive.astype(bool),
        }
        nan = np.full(n, np.nan)
        defaults = {"sigma_east_m": nan, "sigma_north_m": nan, "rho_en": nan,
                    "confirmed": np.zeros(n, bool), "threat_id": np.full(n, -1, np.int64),
                    "mtype": np.full(n, -1, np.int64), "unit": np.full(n, -1, np.int64)}
        cols.update(defaults)
        cols.update(extra or {})
        self._rows.append(cols)

    def _threats(self, t: float, truth: Truth, s: NDArray[np.intp], due: bool) -> None:
        live = truth.active[s]
        prev = self._prev["threat"]
        take = live & (due | ~prev)
        row, i = np.nonzero(take)
        self._emit("threat", np.full(row.size, t), row, i, truth.pos[s[row], i],
                   np.ones(row.size, bool))
        row, i = np.nonzero(prev & ~live)
        self._emit("threat", np.full(row.size, t), row, i, truth.pos[s[row], i],
                   np.zeros(row.size, bool))
        self._prev["threat"] = live

    def _interceptors(self, t: float, icp: Interceptors, s: NDArray[np.intp], due: bool) -> None:
        assert self._params is not None
        live = icp.status[s] == InterceptorStatus.FLYING
        prev = self._prev["interceptor"]
        launcher_pos = self._params.c2.launcher_pos
        # first sample: at the launch time, on the launcher
        row, m = np.nonzero(live & ~prev)
        extra = {"mtype": icp.mtype[s[row], m], "unit": icp.launcher[s[row], m]}
        self._emit("interceptor", icp.t_launch[s[row], m], row, m,
                   launcher_pos[icp.launcher[s[row], m]], np.ones(row.size, bool), extra)
        row, m = np.nonzero(live & (due | ~prev))
        extra = {"mtype": icp.mtype[s[row], m], "unit": icp.launcher[s[row], m]}
        self._emit("interceptor", np.full(row.size, t), row, m, icp.pos[s[row], m],
                   np.ones(row.size, bool), extra)
        row, m = np.nonzero(prev & ~live)
        extra = {"mtype": icp.mtype[s[row], m], "unit": icp.launcher[s[row], m]}
        self._emit("interceptor", np.full(row.size, t), row, m, icp.pos[s[row], m],
                   np.zeros(row.size, bool), extra)
        self._prev["interceptor"] = live

    def _tracks(self, t: float, tracks: Tracks, track_truth: NDArray[np.int64],
                s: NDArray[np.intp], due: bool) -> None:
        tid = np.where(tracks.status[s] != TrackStatus.FREE, tracks.track_id[s], 0)
        dt = np.maximum(t - tracks.t_state[s], 0.0)
        x = tracks.x[s]
        pos = x[..., :3] + x[..., 3:] * dt[..., None]
        P = tracks.P[s]
        # horizontal position covariance predicted with constant velocity:
        # P_pp(t) = P_pp + dt (P_pv + P_vp) + dt^2 P_vv
        d = dt[..., None, None]
        Pp = (P[..., :2, :2] + d * (P[..., :2, 3:5] + P[..., 3:5, :2])
              + d * d * P[..., 3:5, 3:5])
        se = np.sqrt(np.maximum(Pp[..., 0, 0], 0.0))
        sn = np.sqrt(np.maximum(Pp[..., 1, 1], 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            rho = np.clip(np.where(se * sn > 0, Pp[..., 0, 1] / (se * sn), 0.0), -1.0, 1.0)
        conf = tracks.status[s] == TrackStatus.CONFIRMED
        prev_id = self._prev["track_id"]
        if prev_id.shape != tid.shape:
            prev_id = np.zeros_like(tid)
            self._prev["last"] = np.zeros(tid.shape + (3,))
        last = self._prev["last"]
        # a track that left its slot: one sample with alive false at its last recorded place
        row, k = np.nonzero((prev_id > 0) & (prev_id != tid))
        self._emit("track", np.full(row.size, t), row, prev_id[row, k], last[row, k],
                   np.zeros(row.size, bool), {"threat_id": np.full(row.size, -1, np.int64)})
        row, k = np.nonzero((tid > 0) & (due | (prev_id != tid)))
        self._emit("track", np.full(row.size, t), row, tid[row, k], pos[row, k],
                   np.ones(row.size, bool), {
                       "sigma_east_m": se[row, k], "sigma_north_m": sn[row, k],
                       "rho_en": rho[row, k], "confirmed": conf[row, k],
                       "threat_id": track_truth[s[row], k]})
        last = np.where((tid > 0)[..., None], pos, last)
        self._prev["last"] = last
        self._prev["track_id"] = tid

    def to_arrow(self, origin: tuple[float, float, float] | None = None) -> pa.Table:
        """All samples as a table of :data:`TRAJECTORY_SCHEMA`, sorted by replication, kind,
        id and time.

        Parameters
        ----------
        origin : (lat_deg, lon_deg, alt_m), optional
            Scenario origin for the WGS84 columns (NaN without it).
        """
        p = self._params
        if not self._rows or p is None:
            return TRAJECTORY_SCHEMA.empty_table()
        c = {k: np.concatenate([r[k] for r in self._rows]) for k in self._rows[0]}
        order = np.lexsort((c["t_s"], c["id"], c["kind"], c["replication"]))
        c = {k: v[order] for k, v in c.items()}
        pos = c["pos"]
        if origin is not None:
            lat, lon, alt = engine_to_geodetic(pos, origin[0], origin[1], origin[2])
        else:
            lat = lon = alt = np.full(pos.shape[0], np.nan)
        kind = c["kind"]
        is_trk = kind == _KINDS.index("track")
        labels, types = [], []
        for k, i, mt, u in zip(kind.tolist(), c["id"].tolist(), c["mtype"].tolist(),
                               c["unit"].tolist(), strict=True):
            if k == 0:
                labels.append(p.threats.label[i])
                types.append(p.threats.type_name[i])
            elif k == 1:
                mname = p.missiles.names[mt] if mt >= 0 else "?"
                labels.append(f"{mname} from {p.unit_names[u] if u >= 0 else '?'}")
                types.append(mname)
            else:
                labels.append(f"track {i}")
                types.append("")

        def trk(v: NDArray[Any], typ: pa.DataType) -> pa.Array:
            return pa.array(v, typ, mask=~is_trk)

        return pa.table({
            "replication": pa.array(c["replication"], pa.int32()),
            "t_s": pa.array(c["t_s"], pa.float64()),
            "kind": pa.array([_KINDS[k] for k in kind.tolist()], pa.string()),
            "id": pa.array(c["id"], pa.int32()),
            "label": pa.array(labels, pa.string()),
            "type": pa.array(types, pa.string()),
            "east_m": pa.array(pos[:, 0], pa.float64()),
            "north_m": pa.array(pos[:, 1], pa.float64()),
            "up_m": pa.array(pos[:, 2], pa.float64()),
            "lat_deg": pa.array(np.asarray(lat, float), pa.float64()),
            "lon_deg": pa.array(np.asarray(lon, float), pa.float64()),
            "alt_m": pa.array(np.asarray(alt, float), pa.float64()),
            "alive": pa.array(c["alive"], pa.bool_()),
            "sigma_east_m": trk(c["sigma_east_m"], pa.float64()),
            "sigma_north_m": trk(c["sigma_north_m"], pa.float64()),
            "rho_en": trk(c["rho_en"], pa.float64()),
            "confirmed": trk(c["confirmed"], pa.bool_()),
            "threat_id": trk(c["threat_id"], pa.int32()),
        }, schema=TRAJECTORY_SCHEMA)

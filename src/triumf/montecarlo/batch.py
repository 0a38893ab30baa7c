"""Run a scenario's replications in chunks and merge the results.

Replication ``r`` is the same whatever chunk it runs in (counter-based random numbers keyed by
the global replication index), so chunking bounds memory without changing any result.
"""

from __future__ import annotations

import dataclasses
import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from triumf.montecarlo import DEFAULT_CHUNK
from triumf.sim.engine import REASON_NAMES, RunResult, run
from triumf.sim.params import SimParams
from triumf.sim.recording import Recorder
from triumf.sim.track_scoring import TrackScore


def run_chunks(
    params: SimParams,
    replications: int,
    chunk: int = DEFAULT_CHUNK,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """Run replications 0..N-1 in chunks of at most ``chunk``, on ``workers`` processes.

    The results are identical whatever ``chunk`` and ``workers`` are.

    Parameters
    ----------
    progress : callable, optional
        Called with the number of replications finished, after each chunk.
    """
    starts = list(range(0, replications, chunk))
    spans = [np.arange(s, min(s + chunk, replications)) for s in starts]
    done = 0
    if workers <= 1 or len(spans) == 1:
        results = []
        for reps in spans:
            results.append(run(params, reps))
            done += reps.size
            if progress is not None:
                progress(done)
        return results
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    out: dict[int, RunResult] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = {pool.submit(run, params, reps): i for i, reps in enumerate(spans)}
        for fut in as_completed(futures):
            i = futures[fut]
            out[i] = fut.result()
            done += spans[i].size
            if progress is not None:
                progress(done)
    return [out[i] for i in range(len(spans))]


def _run_span(params: SimParams, reps: NDArray[np.int64], recorded: tuple[int, ...],
              interval_s: float, origin: tuple[float, float, float] | None
              ) -> tuple[RunResult, pa.Table | None]:
    """Run one chunk, recording the trajectories of those of ``recorded`` it holds."""
    mine = tuple(r for r in recorded if r in set(reps.tolist()))
    if not mine:
        return run(params, reps), None
    rec = Recorder(mine, interval_s)
    res = run(params, reps, record=rec)
    return res, rec.to_arrow(origin)


def run_chunks_recorded(
    params: SimParams,
    replications: int,
    chunk: int,
    workers: int,
    recorded: list[int],
    interval_s: float,
    origin: tuple[float, float, float] | None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[RunResult], pa.Table | None]:
    """`run_chunks`, recording the trajectories of ``recorded`` in the chunks that run them.

    Recording only reads the state, so the results are those of `run_chunks`; no replication
    is run twice.

    Returns
    -------
    tuple
        ``(results per chunk, trajectories table or None)``.
    """
    spans = [np.arange(s, min(s + chunk, replications)) for s in range(0, replications, chunk)]
    rec = tuple(int(r) for r in recorded)
    out: dict[int, tuple[RunResult, pa.Table | None]] = {}
    done = 0
    if workers <= 1 or len(spans) == 1:
        for i, reps in enumerate(spans):
            out[i] = _run_span(params, reps, rec, interval_s, origin)
            done += reps.size
            if progress is not None:
                progress(done)
    else:
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = {pool.submit(_run_span, params, reps, rec, interval_s, origin): i
                       for i, reps in enumerate(spans)}
            for fut in as_completed(futures):
                i = futures[fut]
                out[i] = fut.result()
                done += spans[i].size
                if progress is not None:
                    progress(done)
    tables = [out[i][1] for i in range(len(spans)) if out[i][1] is not None]
    return ([out[i][0] for i in range(len(spans))],
            pa.concat_tables(tables) if tables else None)


def merge(results: list[RunResult]) -> RunResult:
    """One result from several chunks (replications concatenated in order)."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    outcomes = type(first.outcomes)(**{
        f: np.concatenate([getattr(r.outcomes, f) for r in results])
        for f in first.outcomes.__dataclass_fields__
    })
    events = first.events
    for r in results[1:]:
        events = events.merged(r.events)
    return RunResult(
        replications=np.concatenate([r.replications for r in results]),
        events=events,
        outcomes=outcomes,
        killed=np.concatenate([r.killed for r in results]),
        leaked=np.concatenate([r.leaked for r in results]),
        spent=np.concatenate([r.spent for r in results]),
        fired_at_friendly=np.concatenate([r.fired_at_friendly for r in results]),
        track_score=_merge_scores(results),
    )


def _merge_scores(results: list[RunResult]) -> TrackScore | None:
    """Track scores of several chunks, replications concatenated (None if any has none)."""
    scores = [r.track_score for r in results]
    if any(s is None for s in scores):
        return None
    first = scores[0]
    assert first is not None
    merged: dict[str, Any] = {
        f.name: (np.concatenate([getattr(s, f.name) for s in scores])
                 if isinstance(getattr(first, f.name), np.ndarray) else getattr(first, f.name))
        for f in dataclasses.fields(first)
    }
    return type(first)(**merged)


def events_table(params: SimParams, res: RunResult) -> pa.Table:
    """The event log as an Arrow table with readable names.

    Text columns are dictionaries of strings even when every value is null (Parquet cannot
    store a dictionary of the null type), so every chunk file has the same schema.
    """
    table = res.events.to_arrow(list(params.unit_names), list(params.missiles.names),
                                REASON_NAMES)
    text = pa.dictionary(pa.int32(), pa.string())
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type) and field.type != text:  # all null
            empty = pa.nulls(table.num_rows, pa.string()).dictionary_encode()
            table = table.set_column(i, field.name, empty)
    return table


def outcomes_table(params: SimParams, res: RunResult) -> pa.Table:
    """One row per (replication, threat or friendly aircraft)."""
    thr = params.threats
    n_rep, n_thr = res.killed.shape
    o = res.outcomes
    rep = np.repeat(res.replications, n_thr)
    idx = np.tile(np.arange(n_thr), n_rep)

    def flat(a: np.ndarray) -> np.ndarray:
        return a.reshape(-1)

    cause = o.leak_cause(res.leaked, REASON_NAMES).reshape(-1)
    miss = flat(o.min_miss_m)
    return pa.table({
        "replication": pa.array(rep, pa.int64()),
        "threat": pa.array(idx, pa.int64()),
        "label": pa.array([thr.label[i] for i in idx]),
        "type": pa.array([thr.type_name[i] for i in idx]).dictionary_encode(),
        "raid": pa.array([thr.group_names[thr.group[i]] for i in idx]).dictionary_encode(),
        "hostile": pa.array(thr.hostile[idx]),
        "t_launch_s": pa.array(flat(o.t_launch)),
        "t_first_detect_s": pa.array(flat(o.t_first_detect), from_pandas=True),
        "t_confirm_s": pa.array(flat(o.t_confirm), from_pandas=True),
        "t_first_fire_s": pa.array(flat(o.t_first_fire), from_pandas=True),
        "t_first_launch_s": pa.array(flat(o.t_first_launch), from_pandas=True),
        "t_kill_s": pa.array(flat(o.t_kill), from_pandas=True),
        "killed": pa.array(flat(res.killed)),
        "leaked": pa.array(flat(res.leaked)),
        "t_leak_s": pa.array(flat(o.t_leak), from_pandas=True),
        "shots": pa.array(flat(o.shots), pa.int64()),
        "min_miss_m": pa.array(np.where(np.isfinite(miss), miss, np.nan), from_pandas=True),
        "leak_cause": pa.array(cause.tolist(), pa.string()),
    })

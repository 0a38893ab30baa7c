"""One chunk of a campaign: run replications ``start..stop-1`` and turn them into tables.

`run_chunk` is what a worker process (local or on a Dask cluster) executes: it receives the
compiled `SimParams` (never the scenario files) and returns Arrow tables and the small tally.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from triumf.montecarlo.batch import events_table, outcomes_table
from triumf.montecarlo.tally import TRACKING_COLUMNS, Tally
from triumf.sim.engine import run
from triumf.sim.params import SimParams


@dataclass
class ChunkOutput:
    """What a chunk produced.

    Attributes
    ----------
    index : int
        Chunk number.
    outcomes, events, replications : pyarrow.Table
        Rows of the three campaign tables for this chunk.
    tally : Tally
    """

    index: int
    outcomes: pa.Table
    events: pa.Table
    replications: pa.Table
    tally: Tally


def replications_table(params: SimParams, tally: Tally) -> pa.Table:
    """One row per replication: leakers, kills, interceptors spent (total and by type), cost.

    Columns: replication, leakers, kills, hostile_threats, leak_fraction, friendly_losses,
    interceptors_spent, spent_<missile type> (one per type), interceptor_cost_usd,
    fired_at_friendly.
    """
    hostile = params.threats.hostile
    leakers = tally.leaked[:, hostile].sum(axis=1)
    n_host = int(hostile.sum())
    cols: dict[str, pa.Array] = {
        "replication": pa.array(tally.replications, pa.int64()),
        "leakers": pa.array(leakers, pa.int64()),
        "kills": pa.array(tally.killed[:, hostile].sum(axis=1), pa.int64()),
        "hostile_threats": pa.array(np.full(tally.count, n_host), pa.int64()),
        "leak_fraction": pa.array(leakers / max(n_host, 1), pa.float64()),
        "friendly_losses": pa.array(tally.killed[:, ~hostile].sum(axis=1), pa.int64()),
        "interceptors_spent": pa.array(tally.spent.sum(axis=1), pa.int64()),
    }
    for i, name in enumerate(params.missiles.names):
        cols[f"spent_{name}"] = pa.array(tally.spent[:, i], pa.int64())
    cost = np.sum(tally.spent * params.missiles.cost_usd, axis=1)
    cols["interceptor_cost_usd"] = pa.array(cost, pa.float64())
    cols["fired_at_friendly"] = pa.array(tally.fired_at_friendly, pa.int64())
    for name, values in tally.tracking.items():
        cols[name] = pa.array(values, pa.float64())
    return pa.table(cols)


def run_chunk(params: SimParams, index: int, start: int, stop: int) -> ChunkOutput:
    """Run replications ``start .. stop-1`` in one batch.

    Replication ``r`` draws its random numbers from keys of (seed, r, stage) only, so the rows
    are the same whatever chunk it runs in.
    """
    res = run(params, np.arange(start, stop, dtype=np.int64))
    tally = Tally.from_result(res, params.threats.hostile)
    return ChunkOutput(index, outcomes_table(params, res), events_table(params, res),
                       replications_table(params, tally), tally)


def tally_from_tables(params: SimParams, outcomes: pa.Table, replications: pa.Table) -> Tally:
    """Rebuild a chunk's tally from its written tables (for a resumed campaign)."""
    n_thr = params.threats.count
    reps = replications.column("replication").to_numpy()
    n = reps.size
    killed = outcomes.column("killed").to_numpy(zero_copy_only=False).reshape(n, n_thr)
    leaked = outcomes.column("leaked").to_numpy(zero_copy_only=False).reshape(n, n_thr)
    spent = np.stack([replications.column(f"spent_{m}").to_numpy()
                      for m in params.missiles.names], axis=1).reshape(n, -1).astype(np.int64)
    cause = outcomes.column("leak_cause").to_pylist()
    flat = leaked.reshape(-1)
    causes = Counter(c for c, lk in zip(cause, flat.tolist(), strict=True) if lk)
    tracking = {name: replications.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
                for name in TRACKING_COLUMNS if name in replications.column_names}
    return Tally(reps.astype(np.int64), killed.astype(bool), leaked.astype(bool), spent,
                 replications.column("fired_at_friendly").to_numpy().astype(np.int64), causes,
                 tracking)

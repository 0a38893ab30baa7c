"""Paired comparison of two scenarios with common random numbers.

Both scenarios run the same replication indices with the same seed, so replication r of A and
of B draw the same random numbers in every stage that both use (see `triumf.core.rng`): the
difference B - A of a replication is mostly the effect of what was changed, not of luck, and
its interval is much narrower than that of two independent campaigns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from triumf.core.stats import mean_interval
from triumf.montecarlo import DEFAULT_CHUNK
from triumf.montecarlo.bootstrap import bootstrap_interval
from triumf.montecarlo.campaign import spans
from triumf.montecarlo.runners import Runner, SerialRunner
from triumf.sim.params import SimParams

# per-replication columns compared (from the replications table)
COMPARED = {"leakers": "leakers", "interceptors_spent": "interceptors spent",
            "leak_fraction": "leak probability per threat"}
CONFIDENCE = 0.95


def _per_replication(params: SimParams, replications: int, chunk: int, runner: Runner,
                     progress: Callable[[int], None] | None = None
                     ) -> dict[str, np.ndarray]:
    """The compared columns of every replication, in replication order.

    ``progress`` is called with the number of replications done after each chunk.
    """
    cols: dict[str, list[np.ndarray]] = {k: [] for k in COMPARED}
    done = 0
    for out in runner.ordered(params, spans(replications, chunk)):
        t: pa.Table = out.replications
        for k in COMPARED:
            cols[k].append(t.column(k).to_numpy())
        done += t.num_rows
        if progress is not None:
            progress(done)
    return {k: np.concatenate(v).astype(np.float64) for k, v in cols.items()}


def paired_difference(a: np.ndarray, b: np.ndarray, seed: int = 0) -> dict[str, Any]:
    """Mean of ``b - a`` per replication with its Student-t and bootstrap (BCa) intervals.

    Returns
    -------
    dict
        ``a``, ``b`` (means), ``difference``, ``low``, ``high`` (t interval),
        ``bootstrap_low``, ``bootstrap_high``, ``b_lower``, ``b_higher`` (replications where B
        is lower / higher than A).
    """
    d = np.asarray(b, dtype=np.float64) - np.asarray(a, dtype=np.float64)
    mean, low, high = mean_interval(d, CONFIDENCE)
    _, blow, bhigh = bootstrap_interval(d, "mean", confidence=CONFIDENCE, seed=seed,
                                        method="bca")

    def num(x: Any) -> float | None:
        return float(x) if np.isfinite(x) else None

    return {"a": float(np.mean(a)), "b": float(np.mean(b)), "difference": float(mean),
            "low": num(low), "high": num(high), "bootstrap_low": num(blow),
            "bootstrap_high": num(bhigh), "b_lower": int((d < 0).sum()),
            "b_higher": int((d > 0).sum())}


def compare(params_a: SimParams, params_b: SimParams, replications: int, chunk: int = DEFAULT_CHUNK,
            runner: Runner | None = None, seed: int | None = None,
            progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Run A and B on the same replication keys and report paired differences B - A.

    Parameters
    ----------
    params_a, params_b : SimParams
    replications, chunk : int
    runner : Runner, optional
        Default: this process.
    seed : int, optional
        Seed of both (default: A's seed; B's own seed is replaced so the keys are common).
    progress : callable, optional
        Called with the number of replications done (A's then B's, 0 to 2 x replications).
    """
    runner = runner or SerialRunner()
    s = int(params_a.seed if seed is None else seed)
    a = _per_replication(dataclasses.replace(params_a, seed=s), replications, chunk, runner,
                         progress)
    b = _per_replication(dataclasses.replace(params_b, seed=s), replications, chunk, runner,
                         None if progress is None else lambda n: progress(replications + n))
    return {
        "a": params_a.name, "b": params_b.name, "seed": s, "replications": replications,
        "confidence": CONFIDENCE,
        "differences": {k: paired_difference(a[k], b[k], s) for k in COMPARED},
    }

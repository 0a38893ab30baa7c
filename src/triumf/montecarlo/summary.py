"""Statistics over the replications of a run: counts, leak probabilities, intervals."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.stats import mean_interval, wilson_interval
from triumf.sim.engine import REASON_NAMES, RunResult
from triumf.sim.params import SimParams

CONFIDENCE = 0.95


def _mean(x: ArrayLike) -> dict[str, float | None]:
    """Mean over replications of a count (>= 0) with its 95% Student-t interval, clipped at 0
    (None with one replication)."""
    mean, low, high = mean_interval(np.asarray(x, dtype=float), CONFIDENCE)
    finite = bool(np.isfinite(low))
    return {"mean": float(mean), "low": max(float(low), 0.0) if finite else None,
            "high": float(high) if finite else None}


def _proportion(k: int, n: int) -> dict[str, float | int | None]:
    """A proportion with its 95% Wilson interval."""
    low, high = wilson_interval(k, n, CONFIDENCE)
    return {"p": k / n if n else None, "low": float(low), "high": float(high),
            "successes": int(k), "trials": int(n)}


def summarize(params: SimParams, res: RunResult) -> dict[str, Any]:
    """The run summary written to ``summary.json``.

    Leak probabilities are per threat (a threat leaks when it reaches the end of its route or
    the ground alive); counts are per replication, with 95% intervals when R > 1.
    """
    thr = params.threats
    hostile = thr.hostile
    n_rep = res.replications.size
    leaked = res.leaked[:, hostile]
    killed = res.killed[:, hostile]
    per_class: dict[str, Any] = {}
    for name in dict.fromkeys(np.asarray(thr.type_name)[hostile]):
        cols = np.asarray(thr.type_name)[hostile] == name
        k = int(leaked[:, cols].sum())
        per_class[name] = {
            "threats_per_replication": int(cols.sum()),
            "leak_probability": _proportion(k, leaked[:, cols].size),
        }
    per_raid: dict[str, Any] = {}
    groups = thr.group[hostile]
    for g in np.unique(groups):
        cols = groups == g
        per_raid[thr.group_names[g]] = {
            "threats_per_replication": int(cols.sum()),
            "leakers": _mean(leaked[:, cols].sum(axis=1)),
            "leak_probability": _proportion(int(leaked[:, cols].sum()), leaked[:, cols].size),
        }
    causes = res.outcomes.leak_cause(res.leaked, REASON_NAMES)
    cause_counts = Counter(c for c in causes[res.leaked].tolist())
    spent = {name: _mean(res.spent[:, i]) for i, name in enumerate(params.missiles.names)}
    cost = res.spent @ params.missiles.cost_usd
    return {
        "scenario": params.name,
        "seed": params.seed,
        "replications": n_rep,
        "confidence": CONFIDENCE,
        "threats": int(hostile.sum()),
        "friendly_aircraft": int((~hostile).sum()),
        "kills": _mean(killed.sum(axis=1)),
        "leakers": _mean(leaked.sum(axis=1)),
        "leak_probability": _proportion(int(leaked.sum()), leaked.size),
        "raid_annihilation": _proportion(int((leaked.sum(axis=1) == 0).sum()), n_rep),
        "interceptors_spent": spent,
        "interceptors_spent_total": _mean(res.spent.sum(axis=1)),
        "interceptor_cost_usd": _mean(cost),
        "by_threat_type": per_class,
        "by_raid": per_raid,
        "leak_causes": {k: v / n_rep for k, v in sorted(cause_counts.items(),
                                                         key=lambda kv: -kv[1])},
        "friendly_losses": _mean(res.killed[:, ~hostile].sum(axis=1)),
        "fire_orders_at_friendly_tracks": int(res.fired_at_friendly.sum()),
        "tracking": _tracking(res, hostile),
    }


def _tracking(res: RunResult, hostile: NDArray[np.bool_]) -> dict[str, Any]:
    """Air-picture quality: time to confirm, GOSPA, continuity, false tracks."""
    out = res.outcomes
    delay = (out.t_confirm - out.t_first_detect)[:, hostile]
    finite = delay[np.isfinite(delay)]
    summary: dict[str, Any] = {"time_to_confirm_s": _mean(finite) if finite.size else None}
    score = res.track_score
    if score is not None and score.samples:
        summary |= {
            "samples_per_replication": score.samples,
            "mean_gospa_m": _mean(score.mean_gospa_m),
            "track_swaps": _mean(score.swaps),
            "track_breaks": _mean(score.breaks),
            "false_confirmed_tracks": _mean(score.false_tracks_per_sample),
        }
    return summary

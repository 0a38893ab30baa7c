"""Statistics over the replications of a run: counts, leak probabilities, intervals."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from triumf.core.stats import (
    clopper_pearson,
    clustered_proportion,
    mean_interval,
    wilson_interval,
)
from triumf.montecarlo.bootstrap import bootstrap_interval
from triumf.montecarlo.tally import Tally
from triumf.sim.engine import RunResult
from triumf.sim.params import SimParams

CONFIDENCE = 0.95


def _mean(x: ArrayLike) -> dict[str, float | None]:
    """Mean over replications of a count (>= 0) with its 95% Student-t interval, clipped at 0
    (None with one replication)."""
    mean, low, high = mean_interval(np.asarray(x, dtype=float), CONFIDENCE)
    finite = bool(np.isfinite(low))
    return {"mean": float(mean), "low": max(float(low), 0.0) if finite else None,
            "high": float(high) if finite else None}


def _proportion(k: int, n: int) -> dict[str, Any]:
    """A proportion with its 95% Wilson interval (``low``, ``high``) and its Clopper-Pearson
    interval (``clopper_pearson``: [low, high])."""
    low, high = wilson_interval(k, n, CONFIDENCE)
    cp_low, cp_high = clopper_pearson(k, n, CONFIDENCE)
    return {"p": k / n if n else None, "low": float(low), "high": float(high),
            "clopper_pearson": [float(cp_low), float(cp_high)],
            "successes": int(k), "trials": int(n)}


def _leak_rate(leaked: ArrayLike) -> dict[str, Any]:
    """Leak probability per threat from per-replication outcomes, shape (R, m), with its 95%
    cluster-robust interval (threats of one replication are correlated; see
    `triumf.core.stats.clustered_proportion`): ``low``, ``high`` (Wilson) and
    ``clopper_pearson``, both on ``effective_trials``; None with one replication."""
    hits = np.asarray(leaked, dtype=bool)
    p, low, high, n_eff = clustered_proportion(hits, CONFIDENCE)
    out: dict[str, Any] = {"p": p if np.isfinite(p) else None, "low": None, "high": None,
                           "clopper_pearson": None, "successes": int(hits.sum()),
                           "trials": int(hits.size), "replications": int(hits.shape[0]),
                           "effective_trials": None}
    if np.isfinite(low):
        cp_low, cp_high = clopper_pearson(p * n_eff, n_eff, CONFIDENCE)
        out.update(low=low, high=high, clopper_pearson=[float(cp_low), float(cp_high)],
                   effective_trials=n_eff)
    return out


def _bootstrap(x: ArrayLike, seed: int) -> dict[str, Any]:
    """Mean (BCa), median and 90th percentile (percentile method) of a per-replication count,
    each with its seeded 95% bootstrap interval."""
    out: dict[str, Any] = {}
    for name, stat, q, method in (("mean", "mean", 0.5, "bca"), ("median", "quantile", 0.5,
                                  "percentile"), ("p90", "quantile", 0.9, "percentile")):
        est, low, high = bootstrap_interval(x, stat, q, CONFIDENCE, seed=seed, method=method)
        finite = bool(np.isfinite(low))
        out[name] = {"value": est, "low": low if finite else None,
                     "high": high if finite else None}
    return out


def leak_estimate(params: SimParams, tally: Tally) -> dict[str, Any]:
    """Leak probability per hostile threat so far, with its 95% cluster-robust interval
    ([0, 1] while there are fewer than two replications)."""
    est = _leak_rate(tally.leaked[:, params.threats.hostile])
    if est["low"] is None:
        est.update(low=0.0, high=1.0)
    return est


def summarize(params: SimParams, res: RunResult) -> dict[str, Any]:
    """The run summary written to ``summary.json`` (see `summarize_tally`)."""
    return summarize_tally(params, Tally.from_result(res, params.threats.hostile))


def summarize_tally(params: SimParams, res: Tally) -> dict[str, Any]:
    """The run summary written to ``summary.json``.

    Leak probabilities are per threat (a threat leaks when it reaches the end of its route or
    the ground alive), with cluster-robust intervals because the threats of one replication
    are correlated (`_leak_rate`); counts are per replication, with 95% intervals when R > 1. Raid
    annihilation (no leaker in a replication) and asset survival (no leaker aimed at the asset
    in a replication) are proportions of replications. Interceptors spent also get seeded
    bootstrap intervals for the mean, median and 90th percentile.
    """
    thr = params.threats
    hostile = thr.hostile
    n_rep = res.replications.size
    leaked = res.leaked[:, hostile]
    killed = res.killed[:, hostile]
    per_class: dict[str, Any] = {}
    for name in dict.fromkeys(np.asarray(thr.type_name)[hostile]):
        cols = np.asarray(thr.type_name)[hostile] == name
        per_class[name] = {
            "threats_per_replication": int(cols.sum()),
            "leak_probability": _leak_rate(leaked[:, cols]),
        }
    per_raid: dict[str, Any] = {}
    groups = thr.group[hostile]
    for g in np.unique(groups):
        cols = groups == g
        per_raid[thr.group_names[g]] = {
            "threats_per_replication": int(cols.sum()),
            "leakers": _mean(leaked[:, cols].sum(axis=1)),
            "leak_probability": _leak_rate(leaked[:, cols]),
        }
    cause_counts = res.leak_causes
    survival: dict[str, Any] = {}
    for a, name in enumerate(params.asset_names):
        hit = (res.leaked & (thr.aim_asset == a)[None, :]).any(axis=1)
        survival[name] = _proportion(int((~hit).sum()), n_rep)
    spent = {name: _mean(res.spent[:, i]) for i, name in enumerate(params.missiles.names)}
    cost = np.sum(res.spent * params.missiles.cost_usd, axis=1)  # no BLAS: same per row
    return {
        "scenario": params.name,
        "seed": params.seed,
        "replications": n_rep,
        "confidence": CONFIDENCE,
        "threats": int(hostile.sum()),
        "friendly_aircraft": int((~hostile).sum()),
        "kills": _mean(killed.sum(axis=1)),
        "leakers": _mean(leaked.sum(axis=1)),
        "leak_probability": _leak_rate(leaked),
        "raid_annihilation": _proportion(int((leaked.sum(axis=1) == 0).sum()), n_rep),
        "interceptors_spent": spent,
        "interceptors_spent_total": _mean(res.spent.sum(axis=1)),
        "interceptors_spent_total_bootstrap": _bootstrap(res.spent.sum(axis=1), params.seed),
        "asset_survival": survival,
        "interceptor_cost_usd": _mean(cost),
        "by_threat_type": per_class,
        "by_raid": per_raid,
        "leak_causes": {k: v / n_rep for k, v in sorted(cause_counts.items(),
                                                         key=lambda kv: -kv[1])},
        "friendly_losses": _mean(res.killed[:, ~hostile].sum(axis=1)),
        "fire_orders_at_friendly_tracks": int(res.fired_at_friendly.sum()),
        "tracking": _tracking(res),
    }


def _tracking(res: Tally) -> dict[str, Any]:
    """Air-picture quality: time to confirm, GOSPA, continuity, false tracks (means over
    replications of the per-replication values, with 95% intervals)."""
    out: dict[str, Any] = {}
    for name, values in res.tracking.items():
        finite = values[np.isfinite(values)]
        out[name] = _mean(finite) if finite.size else None
    return out

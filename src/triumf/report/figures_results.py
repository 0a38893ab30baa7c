"""Result figures from a run's ``summary.json``: leak probability by threat type and
interceptors spent by missile type, each with its 95% interval.

Leak probabilities carry the Wilson score interval the summary gives; interceptors spent the
Student-t interval of the mean per replication (no bar when the run has one replication).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from triumf.report.figures_save import FORMATS, plain, pyplot, save_figure
from triumf.report.run_data import RunData, RunDirError

__all__ = ["plot_leakage", "plot_missiles", "bars"]


def bars(stats: dict[str, dict[str, Any]], value: str, low: str = "low", high: str = "high"
         ) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Names, values and asymmetric error bars (2, n) of a summary section (NaN-free)."""
    names = list(stats)
    v = np.array([float(stats[n][value] or 0.0) for n in names])
    lo = np.array([np.nan if stats[n].get(low) is None else float(stats[n][low]) for n in names])
    hi = np.array([np.nan if stats[n].get(high) is None else float(stats[n][high])
                   for n in names])
    err = np.nan_to_num(np.stack([v - lo, hi - v]), nan=0.0).clip(min=0.0)
    return names, v, err


def _summary(run: RunData, key: str) -> dict[str, Any]:
    if key not in run.summary:
        raise RunDirError(f"{run.path}/summary.json: no '{key}' section; is this a run "
                          "directory written by 'triumf run' or 'triumf mc'?")
    section: dict[str, Any] = run.summary[key]
    return section


def plot_leakage(run: RunData, stem: str | Path, formats: Sequence[str] = FORMATS
                 ) -> list[Path]:
    """Bars of leak probability per threat type with 95% intervals."""
    by_type = _summary(run, "by_threat_type")
    stats = {k: v["leak_probability"] for k, v in by_type.items()}
    names, p, err = bars(stats, "p")
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(max(4.0, 1.2 * len(names) + 2.0), 4.0))
    ax.bar(names, p, yerr=err, capsize=5, color="tab:red", alpha=0.75)
    for i, n in enumerate(names):
        ax.annotate(f"{p[i]:.2f}", (i, p[i]), xytext=(8, 3), textcoords="offset points",
                    ha="left", fontsize=8)
        ax.annotate(f"{by_type[n]['threats_per_replication']}/rep", (i, 0), xytext=(0, -24),
                    textcoords="offset points", ha="center", fontsize=7, color="grey")
    ax.set_ylim(0.0, 1.1)
    ax.set_yticks(np.linspace(0.0, 1.0, 6))
    ax.set_ylabel("leak probability per threat")
    return _finish(fig, ax, run, "leakage by threat type", stem, formats)


def plot_missiles(run: RunData, stem: str | Path, formats: Sequence[str] = FORMATS
                  ) -> list[Path]:
    """Bars of interceptors fired per replication by missile type with 95% intervals."""
    names, v, err = bars(_summary(run, "interceptors_spent"), "mean")
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(max(4.0, 1.2 * len(names) + 2.0), 4.0))
    ax.bar(names, v, yerr=err, capsize=5, color="tab:blue", alpha=0.75)
    for i in range(len(names)):
        ax.annotate(f"{v[i]:.1f}", (i, v[i]), xytext=(8, 3), textcoords="offset points",
                    ha="left", fontsize=8)
    ax.set_ylabel("interceptors fired per replication")
    return _finish(fig, ax, run, "interceptors spent", stem, formats)


def _finish(fig: Any, ax: Any, run: RunData, what: str, stem: str | Path,
            formats: Sequence[str]) -> list[Path]:
    """Title (scenario name, ``what``, replications), grid, layout; save and close."""
    reps = run.summary.get("replications", "?")
    ax.set_title(f"{plain(run.scenario.name)}: {what} ({reps} replications, 95% intervals)",
                 fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return save_figure(fig, stem, formats)

"""Figures of placement and procurement: layout map, cost-leakage Pareto front, saturation curve.

Each function draws one figure and writes it as PNG and SVG (same stem); it returns the paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from numpy.typing import ArrayLike  # noqa: E402

from triumf.report.figures_save import plain

__all__ = ["plot_layout", "plot_pareto", "plot_saturation"]


def _save(fig: Any, stem: Path) -> list[Path]:
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    fig.savefig(paths[0], dpi=130, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def plot_layout(stem: Path, site_names: Sequence[str], site_xy_m: ArrayLike,
                chosen: ArrayLike, assets: Sequence[tuple[str, float, float, float]],
                axes: Sequence[tuple[str, float, float]], title: str) -> list[Path]:
    """Map of candidate sites (chosen ones filled), assets and threat axes.

    Parameters
    ----------
    stem : Path
        Output path without suffix.
    site_xy_m : array_like, shape (J, 2), metres east/north
    chosen : sequence of int
    assets : sequence of (name, east_m, north_m, value)
    axes : sequence of (name, east_m, north_m) launch points
    """
    xy = np.asarray(site_xy_m, np.float64).reshape(-1, 2) / 1000.0
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    for name, e, n in axes:
        for _, ae, an, _ in assets:
            ax.plot([e / 1000, ae / 1000], [n / 1000, an / 1000], color="tab:red", lw=0.6,
                    alpha=0.35)
        ax.plot(e / 1000, n / 1000, marker="v", color="tab:red", ms=9)
        ax.annotate(plain(f"axis {name}"), (e / 1000, n / 1000), textcoords="offset points",
                    xytext=(5, 5), color="tab:red", fontsize=8)
    for name, e, n, value in assets:
        ax.plot(e / 1000, n / 1000, marker="s", color="tab:blue", ms=5 + value)
        ax.annotate(plain(f"{name} ({value:g})"), (e / 1000, n / 1000), textcoords="offset points",
                    xytext=(6, -10), color="tab:blue", fontsize=8)
    sel = {int(j) for j in np.asarray(chosen).reshape(-1)}
    for j, name in enumerate(site_names):
        on = j in sel
        ax.plot(xy[j, 0], xy[j, 1], marker="^", ms=11 if on else 7,
                color="tab:green" if on else "none", markeredgecolor="tab:green")
        if on or len(site_names) <= 30:
            ax.annotate(plain(name), (xy[j, 0], xy[j, 1]), textcoords="offset points",
                        xytext=(5, 4), fontsize=8, color="tab:green" if on else "0.4")
    ax.set_aspect("equal")
    ax.set_xlabel("east, km")
    ax.set_ylabel("north, km")
    ax.set_title(plain(title), fontsize=10)
    ax.grid(alpha=0.3)
    return _save(fig, stem)


def plot_pareto(stem: Path, rows: Sequence[dict[str, Any]],
                answer: dict[str, Any] | None) -> list[Path]:
    """Expected leakers (95 % intervals) against cost of every option, front highlighted."""
    fig, ax = plt.subplots(figsize=(7.5, 5.0))
    loadouts = list(dict.fromkeys(r["loadout"] for r in rows))
    markers = "osD^vP*X"
    for i, lo in enumerate(loadouts):
        rs = [r for r in rows if r["loadout"] == lo]
        c = np.array([r["cost_usd"] for r in rs]) / 1e9
        m = np.array([r["leakers_mean"] for r in rs])
        err = np.array([[r["leakers_mean"] - r["leakers_low"] for r in rs],
                        [r["leakers_high"] - r["leakers_mean"] for r in rs]])
        ax.errorbar(c, m, yerr=np.maximum(err, 0), fmt=markers[i % len(markers)],
                    capsize=3, label=plain(f"loadout {lo}"), alpha=0.85)
        for r, x, y in zip(rs, c, m, strict=True):
            ax.annotate(f"{r['units']}", (x, y), textcoords="offset points", xytext=(4, 4),
                        fontsize=7)
    front = sorted((r for r in rows if r.get("pareto")), key=lambda r: r["cost_usd"])
    if front:
        ax.step([r["cost_usd"] / 1e9 for r in front], [r["leakers_mean"] for r in front],
                where="post", color="k", lw=1, label="Pareto front")
    if answer is not None:
        ax.plot(answer["cost_usd"] / 1e9, answer["leakers_mean"], marker="o", ms=16,
                mfc="none", mec="tab:red", mew=2, label="cheapest with < 1 leaker")
    ax.axhline(1.0, color="tab:red", ls="--", lw=0.8)
    ax.set_xlabel("cost, billion USD (fire units + missiles; labels: number of fire units)")
    ax.set_ylabel("expected leakers per raid")
    ax.set_title("Cost against leakage (95 % intervals, common random numbers)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, stem)


def plot_saturation(stem: Path, rows: Sequence[dict[str, Any]], label: str) -> list[Path]:
    """Leak probability per threat against raid size, with 95 % Wilson intervals."""
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    n = np.array([r["threats"] for r in rows], np.float64)
    p = np.array([r["leak_probability"] for r in rows])
    err = np.array([p - np.array([r["leak_low"] for r in rows]),
                    np.array([r["leak_high"] for r in rows]) - p])
    ax.errorbar(n, p, yerr=np.maximum(err, 0), fmt="o-", capsize=4)
    ax.set_xlabel("threats in the raid")
    ax.set_ylabel("leak probability per threat")
    ax.set_ylim(0, 1)
    ax.set_title(plain(f"Saturation: {label}"), fontsize=10)
    ax.grid(alpha=0.3)
    return _save(fig, stem)

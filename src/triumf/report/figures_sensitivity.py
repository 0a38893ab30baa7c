"""Sensitivity figures: Morris mu* against sigma, Sobol indices as bars with intervals.

One panel per output. Morris: each parameter is a point at (mu*, sigma) with its mu* interval
as a horizontal bar; parameters near the origin do not matter, far right ones do, high ones
act through interactions or non-linearly. Sobol: first-order (S1) and total (ST) indices of
the most influential parameters as horizontal bars with their bootstrap intervals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from triumf.report.figures_save import plain

__all__ = ["plot_sensitivity"]

_LABELLED = 8  # parameters named on a Morris panel (the largest mu*)


def _rows(indices: pa.Table, output: str) -> dict[str, np.ndarray]:
    mask = np.asarray(indices.column("output").to_pylist()) == output
    sub = indices.filter(pa.array(mask))
    return {c: np.asarray(sub.column(c).to_pylist()) for c in sub.column_names}


def _short(name: str) -> str:
    """``missile.48N6E3.pk_max`` -> ``48N6E3.pk_max`` (the kind is implied by the system)."""
    parts = name.split(".")
    return ".".join(parts[1:]) if len(parts) == 3 else name


def _morris_panel(ax: Any, r: dict[str, np.ndarray], output: str) -> None:
    mu, sigma = r["mu_star"].astype(float), r["sigma"].astype(float)
    err = np.vstack([mu - r["mu_star_low"].astype(float), r["mu_star_high"].astype(float) - mu])
    ax.errorbar(mu, sigma, xerr=err, fmt="o", ms=4, lw=0.8, capsize=2, color="tab:blue")
    labels: dict[tuple[float, float], list[str]] = {}  # coincident points share one label
    for i in np.argsort(-mu, kind="stable")[:_LABELLED]:
        if mu[i] > 0:
            key = (round(float(mu[i]), 12), round(float(sigma[i]), 12))
            labels.setdefault(key, []).append(_short(str(r["parameter"][i])))
    for (x, y), names in labels.items():
        ax.annotate(plain("\n".join(names)), (x, y), fontsize=7, xytext=(3, 3),
                    textcoords="offset points", va="bottom")
    top = max(float(np.max(mu + err[1])) if len(mu) else 0.0, float(np.max(sigma)))
    if not top > 0.0:  # the output did not change over the design
        top = 1.0
        ax.text(0.5, 0.5, "output constant\nover the design", ha="center", va="center",
                transform=ax.transAxes, fontsize=9, color="grey")
    ax.plot([0, top], [0, top], ls=":", lw=0.8, color="grey", label="sigma = mu*")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(f"mu* ({output.replace('_', ' ')})")
    ax.set_ylabel("sigma")
    ax.legend(fontsize=7, loc="upper left")


def _sobol_panel(ax: Any, r: dict[str, np.ndarray], output: str, top: int) -> None:
    st = np.nan_to_num(r["ST"].astype(float), nan=-np.inf)
    order = np.argsort(-st, kind="stable")[:top][::-1]
    y = np.arange(len(order))
    for key, dy, colour in (("S1", -0.2, "tab:blue"), ("ST", 0.2, "tab:orange")):
        v = r[key].astype(float)[order]
        lo = v - r[f"{key}_low"].astype(float)[order]
        hi = r[f"{key}_high"].astype(float)[order] - v
        ax.barh(y + dy, np.nan_to_num(v), height=0.4, color=colour, label=key,
                xerr=np.nan_to_num(np.vstack([lo, hi])), error_kw={"lw": 0.8, "capsize": 2})
    ax.set_yticks(y, [plain(_short(str(n))) for n in r["parameter"][order]], fontsize=7)
    ax.axvline(0.0, color="grey", lw=0.6)
    ax.set_xlabel(f"Sobol index ({output.replace('_', ' ')})")
    ax.legend(fontsize=7, loc="lower right")


def plot_sensitivity(indices: pa.Table, method: str, outputs: Sequence[str], title: str,
                     top: int = 15) -> Any:
    """The sensitivity figure of an analysis, one panel per output.

    Parameters
    ----------
    indices : pyarrow.Table
        From `triumf.analysis.sensitivity.analyse`.
    method : {"morris", "sobol"}
    outputs : sequence of str
        Outputs to draw, one panel each.
    title : str
    top : int
        Sobol: parameters shown per panel (largest ST).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``savefig`` (PNG and SVG); close it with ``matplotlib.pyplot.close``.
    """
    n = len(outputs)
    rows = len(set(indices.column("parameter").to_pylist()))
    height = 4.2 if method == "morris" else max(3.0, 0.32 * min(rows, top) + 1.2)
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n, height), squeeze=False)
    for ax, output in zip(axes[0], outputs, strict=True):
        r = _rows(indices, output)
        if method == "morris":
            _morris_panel(ax, r, output)
        else:
            _sobol_panel(ax, r, output, top)
    fig.suptitle(plain(title), fontsize=10)
    fig.tight_layout()
    return fig

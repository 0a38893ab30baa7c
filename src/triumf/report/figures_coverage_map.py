"""Map figures of the coverage and defended-area analyses (matplotlib, PNG and SVG).

Both draw on the engine's map coordinates (km east/north of the scenario origin), over grey
terrain shading when the scenario has terrain, with radars, launchers and assets marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.analysis.coverage import CoverageMap
from triumf.analysis.defended_area import DefendedAreaMap
from triumf.report.figures_save import plain

__all__ = ["plot_coverage_map", "plot_defended_area"]

_LEVELS = (0.1, 0.5, 0.9)


def _axes(east_m: NDArray[np.float64], north_m: NDArray[np.float64],
          ground_m: NDArray[np.float64] | None) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=120)
    ext = (east_m[0] / 1e3, east_m[-1] / 1e3, north_m[0] / 1e3, north_m[-1] / 1e3)
    if ground_m is not None and np.ptp(ground_m) > 0.0:
        ax.imshow(ground_m, origin="lower", extent=ext, cmap="Greys", alpha=0.55,
                  interpolation="bilinear", aspect="equal")
    ax.set_xlim(ext[0], ext[1])
    ax.set_ylim(ext[2], ext[3])
    ax.set_aspect("equal")
    ax.set_xlabel("east of origin (km)")
    ax.set_ylabel("north of origin (km)")
    return fig, ax


def _marks(ax: Any, sites: Sequence[tuple[str, NDArray[np.float64], str]]) -> None:
    styles = {"radar": ("^", "tab:blue"), "launcher": ("s", "tab:green"),
              "asset": ("*", "tab:red")}
    shown: set[str] = set()
    for kind, xy, label in sites:
        marker, colour = styles[kind]
        ax.plot(xy[0] / 1e3, xy[1] / 1e3, marker, color=colour, markersize=9 if kind == "asset"
                else 6, markeredgecolor="k", linestyle="none",
                label=kind + "s" if kind not in shown else None)
        shown.add(kind)
        if kind == "asset":
            ax.annotate(plain(label), (xy[0] / 1e3, xy[1] / 1e3), textcoords="offset points",
                        xytext=(5, 5), fontsize=7)


def _save(fig: Any, stem: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for p in paths:
        fig.savefig(p, bbox_inches="tight")
    plt.close(fig)
    return paths


def plot_coverage_map(
    cov: CoverageMap,
    stem: str | Path,
    sites: Sequence[tuple[str, NDArray[np.float64], str]] = (),
    cumulative: bool = False,
    title: str | None = None,
) -> list[Path]:
    """Network Pd filled contours over the terrain, radars and assets marked.

    Parameters
    ----------
    cov : CoverageMap
    stem : str or Path
        Output path without suffix; ``.png`` and ``.svg`` are written.
    sites : sequence of (kind, map east/north (2,) metres, label)
        ``kind`` is ``radar``, ``launcher`` or ``asset``.
    cumulative : bool
        Plot the cumulative rather than the single-look network Pd.
    title : str, optional
        Matplotlib text (mathtext allowed): pass user text through
        :func:`triumf.report.figures_save.plain`.

    Returns
    -------
    list of Path
        The files written.
    """
    fig, ax = _axes(cov.east_m, cov.north_m, cov.ground_m)
    p = cov.cumulative_network if cumulative else cov.pd_network
    e, n = cov.east_m / 1e3, cov.north_m / 1e3
    filled = ax.contourf(e, n, p, levels=np.linspace(0.0, 1.0, 11), cmap="viridis", alpha=0.6,
                         extend="neither")
    lines = ax.contour(e, n, p, levels=_LEVELS, colors=("w", "k", "k"),
                       linestyles=("dotted", "solid", "dashed"), linewidths=1.0)
    ax.clabel(lines, fmt="%.1f", fontsize=7)
    fig.colorbar(filled, ax=ax, shrink=0.8,
                 label="network " + ("cumulative" if cumulative else "single-look") + " Pd")
    _marks(ax, sites)
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(title or f"Coverage, RCS {cov.rcs_m2:g} m$^2$, Swerling {cov.swerling}",
                 fontsize=10)
    return _save(fig, Path(stem))


def plot_defended_area(
    dam: DefendedAreaMap,
    stem: str | Path,
    p_required: float,
    sites: Sequence[tuple[str, NDArray[np.float64], str]] = (),
    ground_m: NDArray[np.float64] | None = None,
    title: str | None = None,
) -> list[Path]:
    """Probability of intercept before the keep-out range, the required level outlined.

    Parameters
    ----------
    dam : DefendedAreaMap
    stem : str or Path
        Output path without suffix; ``.png`` and ``.svg`` are written.
    p_required : float
        The level drawn as a thick contour (the defended area's edge).
    sites : sequence of (kind, map east/north (2,) metres, label)
    ground_m : ndarray, shape (Ny, Nx), optional
        Terrain heights on the same grid, for shading.
    title : str, optional
        Matplotlib text (mathtext allowed): pass user text through
        :func:`triumf.report.figures_save.plain`.

    Returns
    -------
    list of Path
    """
    fig, ax = _axes(dam.east_m, dam.north_m, ground_m)
    e, n = dam.east_m / 1e3, dam.north_m / 1e3
    p = dam.result.p_intercept
    filled = ax.contourf(e, n, p, levels=np.linspace(0.0, 1.0, 11), cmap="RdYlGn", alpha=0.6)
    if np.nanmin(p) < p_required <= np.nanmax(p):
        edge = ax.contour(e, n, p, levels=(p_required,), colors="k", linewidths=2.0)
        ax.clabel(edge, fmt=f"P = {p_required:g}", fontsize=8)
    fig.colorbar(filled, ax=ax, shrink=0.8,
                 label="P(kill before keep-out), upper bound (Pk at zero miss)")
    # arrow: where the threat comes from
    span = 0.35 * min(e[-1] - e[0], n[-1] - n[0])
    cx, cy = 0.5 * (e[0] + e[-1]), 0.5 * (n[0] + n[-1])
    dx, dy = np.sin(dam.azimuth_rad), np.cos(dam.azimuth_rad)
    ax.annotate("", xy=(cx + 0.6 * span * dx, cy + 0.6 * span * dy),
                xytext=(cx + span * dx, cy + span * dy),
                arrowprops={"arrowstyle": "-|>", "color": "tab:red", "lw": 2})
    ax.annotate("threat", (cx + span * dx, cy + span * dy), color="tab:red", fontsize=8)
    _marks(ax, sites)
    ax.legend(loc="lower left", fontsize=7)
    ax.set_title(title or "Defended area", fontsize=10)
    return _save(fig, Path(stem))

"""Map figure of a run: assets, radars, launchers, planned raid routes, kill and leak points.

Drawn in the scenario's local frame (east and north of the origin, km). Kill and leak points are
the last recorded positions of killed and leaked threats, so they need recorded trajectories
(``trajectories.parquet``); without them the figure says so and shows the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from triumf.report.figures_save import FORMATS, plain, pyplot, save_figure
from triumf.report.run_data import RunData, planned_routes, static_sites

__all__ = ["end_points", "plot_map"]

_MARKERS = {"asset": ("o", "tab:green"), "command post": ("*", "tab:blue"),
            "radar": ("^", "tab:blue"), "launcher": ("s", "tab:cyan")}


def end_points(run: RunData, replication: int | None = None
               ) -> dict[str, np.ndarray]:
    """Last recorded (east, north) of killed and leaked threats, metres.

    Returns
    -------
    dict
        ``{"kill": (n, 2), "leak": (m, 2)}``; empty arrays without trajectories. All recorded
        replications unless ``replication`` is given.
    """
    empty = {"kill": np.zeros((0, 2)), "leak": np.zeros((0, 2))}
    if run.trajectories is None or run.trajectories.num_rows == 0:
        return empty
    tr = run.trajectories.filter(pc.equal(run.trajectories.column("kind"), "threat"))
    if replication is not None:
        tr = tr.filter(pc.equal(tr.column("replication"), replication))
    rep, ids = tr.column("replication").to_numpy(), tr.column("id").to_numpy()
    t = tr.column("t_s").to_numpy()
    en = np.stack([tr.column("east_m").to_numpy(), tr.column("north_m").to_numpy()], -1)
    order = np.lexsort((t, ids, rep))  # last sample of each (replication, id) is its end
    rep, ids, en = rep[order], ids[order], en[order]
    last = np.r_[(rep[1:] != rep[:-1]) | (ids[1:] != ids[:-1]), True] if rep.size else []
    ends = {(int(r), int(i)): p for r, i, p in zip(rep[last], ids[last], en[last], strict=True)}
    out = {}
    for what in ("kill", "leak"):
        col = "killed" if what == "kill" else "leaked"
        o = run.outcomes.filter(run.outcomes.column(col))
        keys = zip(o.column("replication").to_pylist(), o.column("threat").to_pylist(),
                   strict=True)
        pts = [ends[(int(r), int(i))] for r, i in keys if (int(r), int(i)) in ends]
        out[what] = np.array(pts).reshape(-1, 2)
    return out


def plot_map(run: RunData, stem: str | Path, formats: Sequence[str] = FORMATS,
             replication: int | None = None) -> list[Path]:
    """Write the map figure as ``stem.png`` / ``stem.svg``.

    Parameters
    ----------
    run : RunData
    stem : str or Path
        Output path without extension.
    formats : sequence of str
        Any of ``png``, ``svg``.
    replication : int, optional
        Show kill and leak points of this recorded replication only (default: all recorded).

    Returns
    -------
    list of Path
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8.0, 7.0))
    for r in planned_routes(run.scenario):
        ax.plot(r.enu[:, 0] / 1e3, r.enu[:, 1] / 1e3, "--" if r.hostile else ":",
                color="tab:red" if r.hostile else "tab:blue", lw=1.2, alpha=0.8)
        ax.plot(r.enu[0, 0] / 1e3, r.enu[0, 1] / 1e3, "v" if r.hostile else "D",
                color="tab:red" if r.hostile else "tab:blue", ms=6)
        ax.annotate(plain(r.name), (r.enu[0, 0] / 1e3, r.enu[0, 1] / 1e3), fontsize=7,
                    xytext=(3, 3), textcoords="offset points")
    seen: set[str] = set()
    for s in static_sites(run.scenario):
        marker, colour = _MARKERS.get(s.role, ("o", "grey"))
        ax.plot(s.enu[0] / 1e3, s.enu[1] / 1e3, marker, color=colour, ms=7,
                label=s.role if s.role not in seen else None)
        seen.add(s.role)
        if s.role == "asset":
            ax.add_patch(plt.Circle((s.enu[0] / 1e3, s.enu[1] / 1e3), s.radius_m / 1e3,
                                    fill=False, color=colour, lw=1))
            ax.annotate(plain(s.name), (s.enu[0] / 1e3, s.enu[1] / 1e3), fontsize=8,
                        xytext=(4, -10), textcoords="offset points")
    ends = end_points(run, replication)
    ax.plot(ends["kill"][:, 0] / 1e3, ends["kill"][:, 1] / 1e3, "x", color="tab:green",
            ms=6, label=f"kill ({len(ends['kill'])})")
    ax.plot(ends["leak"][:, 0] / 1e3, ends["leak"][:, 1] / 1e3, "X", color="tab:red",
            ms=8, label=f"leak ({len(ends['leak'])})")
    ax.plot([], [], "--", color="tab:red", label="raid route (planned)")
    if run.trajectories is None:
        ax.text(0.01, 0.01, "no trajectories recorded: kill and leak points not shown",
                transform=ax.transAxes, fontsize=8, color="grey")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel("east of origin, km")
    ax.set_ylabel("north of origin, km")
    ax.set_title(f"{plain(run.scenario.name)}: sites, raid routes, kills and leaks")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    return save_figure(fig, stem, formats)

"""Engagement timeline of one replication: per threat, when it was launched, detected,
confirmed, engaged (fire order, each interceptor launch), and killed or leaked.

Made from ``outcomes.parquet`` (the first times) and ``events.parquet`` (interceptor launches).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pyarrow.compute as pc

from triumf.report.figures_save import FORMATS, plain, pyplot, save_figure
from triumf.report.run_data import RunData, RunDirError

__all__ = ["MARKS", "timeline_rows", "plot_timeline"]

MARKS = (  # outcomes column, legend text, marker, colour
    ("t_first_detect_s", "detected", "o", "tab:blue"),
    ("t_confirm_s", "track confirmed", "s", "tab:purple"),
    ("t_first_fire_s", "first fire order", "^", "tab:orange"),
    ("t_kill_s", "killed", "P", "tab:green"),
    ("t_leak_s", "leaked", "X", "tab:red"),
)


def _t(v: object) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)  # type: ignore[arg-type]


def timeline_rows(run: RunData, replication: int = 0) -> list[dict[str, object]]:
    """Hostile threats of one replication in launch order, each with its times (s, or None)
    and the launch times of the interceptors fired at it (key ``launches``)."""
    o = run.outcomes.filter(pc.equal(run.outcomes.column("replication"), replication))
    if o.num_rows == 0:
        reps = sorted(set(run.outcomes.column("replication").to_pylist()))
        shown = ", ".join(str(r) for r in reps[:10]) + (" ..." if len(reps) > 10 else "")
        raise RunDirError(f"--replication {replication}: not in this run; replications: "
                          f"{shown or 'none'}")
    ev = run.events.filter(pc.and_(pc.equal(run.events.column("replication"), replication),
                                   pc.equal(run.events.column("kind"), "interceptor_launch")))
    launches: dict[int, list[float]] = {}
    for th, t in zip(ev.column("threat").to_pylist(), ev.column("time_s").to_pylist(),
                     strict=True):
        launches.setdefault(int(th), []).append(float(t))
    rows = []
    for r in o.to_pylist():
        if not r.get("hostile", True):
            continue
        row: dict[str, object] = {"threat": r["threat"], "label": r["label"]}
        for col, *_ in (("t_launch_s",), *MARKS):
            row[col] = _t(r.get(col))
        row["launches"] = launches.get(int(r["threat"]), [])
        rows.append(row)
    rows.sort(key=lambda x: (x["t_launch_s"] is None, x["t_launch_s"] or 0.0))
    return rows


def plot_timeline(run: RunData, stem: str | Path, formats: Sequence[str] = FORMATS,
                  replication: int = 0) -> list[Path]:
    """Write the timeline figure of one replication as ``stem.png`` / ``stem.svg``."""
    rows = timeline_rows(run, replication)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9.0, min(40.0, 1.6 + 0.24 * max(len(rows), 1))))
    end = float(run.scenario.duration_s)
    for y, r in enumerate(rows):
        t0 = r["t_launch_s"]
        stop = r["t_kill_s"] or r["t_leak_s"] or end
        if t0 is not None:
            ax.plot([t0, stop], [y, y], "-", color="0.7", lw=2, zorder=1)
        ls = r["launches"]
        assert isinstance(ls, list)
        ax.plot(ls, [y] * len(ls), "|", color="tab:blue", ms=9, mew=1.5, zorder=2,
                label="interceptor launch" if y == 0 else None)
        for col, _, marker, colour in MARKS:
            if r[col] is not None:
                ax.plot(r[col], y, marker, color=colour, ms=6, zorder=3)
    for _, text, marker, colour in MARKS:
        ax.plot([], [], marker, color=colour, label=text)
    ax.plot([], [], "|", color="tab:blue", ms=9, mew=1.5, label="interceptor launch")
    ax.set_yticks(range(len(rows)), [plain(r["label"]) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("scenario time, s")
    ax.set_title(f"{plain(run.scenario.name)}: engagement timeline, replication {replication}")
    ax.grid(axis="x", alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    keep = {lab: h for h, lab in zip(handles, labels, strict=True)}
    ax.legend(keep.values(), keep.keys(), fontsize=7, loc="upper left",
              bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    return save_figure(fig, stem, formats)

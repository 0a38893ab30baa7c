"""The story of one threat in one replication, told from a run directory's tables.

``triumf explain RUN_DIR --threat ID`` reads ``outcomes.parquet`` (one row per replication and
threat) and ``events.parquet`` (every decision and outcome) and turns the threat's events into
plain sentences: launch, detection, track confirmation, every change of the command post's
reason not to fire, fire orders, interceptor launches, endgames, kill reports, and the end
(killed or leaked, with the stage where the kill chain broke). A no-fire reason holds from its
event until the next no-fire event, fire order or track drop of the same threat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pyarrow.parquet as pq

from triumf.c2.base import NoFireReason

__all__ = ["RunDirError", "Story", "threat_story"]


class RunDirError(Exception):
    """The run directory, threat or replication asked for does not exist."""


@dataclass(frozen=True)
class Story:
    """What happened to one threat in one replication.

    Attributes
    ----------
    threat : int
        Threat index (the ``threat`` column of the tables).
    label, kind, raid : str
        Threat label (e.g. ``cruise west#3``), equipment type and raid.
    replication : int
    hostile : bool
        False for friendly aircraft.
    lines : list of (float, str)
        (time in seconds, sentence), in time order.
    outcome : str
        One sentence: killed, leaked (with its cause) or neither by the end of the run.
    reasons : list of str
        Every distinct no-fire reason logged for the threat, in order of first appearance.
    """

    threat: int
    label: str
    kind: str
    raid: str
    replication: int
    hostile: bool
    lines: list[tuple[float, str]]
    outcome: str
    reasons: list[str]


def _reason_text(name: str | None, first: bool = True) -> str:
    """``name: description`` the first time a reason is told, the bare name afterwards."""
    if not name:
        return "no reason recorded"
    if not first:
        return name
    try:
        return f"{name}: {NoFireReason[name.upper()].describe()}"
    except KeyError:
        return name


def _sentence(e: dict[str, Any], told: set[str]) -> str | None:
    """One event as a sentence (None for events not worth telling).

    ``told`` holds the reasons already explained in full (updated).
    """
    kind = e["kind"]
    unit = e.get("unit") or "?"
    missile = e.get("missile") or "?"
    track = e.get("track")
    miss = e.get("miss_m")
    miss_txt = f", miss distance {miss:.1f} m" if miss is not None and math.isfinite(miss) else ""
    texts = {
        "threat_launch": "launched",
        "first_detection": "first detected by a radar",
        "track_confirmed": f"track {track} confirmed",
        "track_dropped": f"track {track} dropped",
        "friendly_identified": f"track {track} identified as friendly (IFF reply)",
        "no_fire": f"not engaged (track {track}): "
                   f"{_reason_text(e.get('reason'), e.get('reason') not in told)}",
        "fire_order": f"fire order: {missile} from {unit} (interceptor {e.get('interceptor')})",
        "interceptor_launch": f"{missile} launched from {unit} (interceptor "
                              f"{e.get('interceptor')})",
        "kill": f"killed by interceptor {e.get('interceptor')} ({missile}){miss_txt}",
        "miss": f"interceptor {e.get('interceptor')} ({missile}) missed{miss_txt}",
        "interceptor_lost": f"interceptor {e.get('interceptor')} ({missile}) lost (ran out of "
                            "energy, time or guidance)",
        "kill_reported": "kill reported to the command post",
        "leak": "leaked: reached its target",
        "fratricide": "shot down although friendly (fratricide)",
    }
    if kind == "no_fire" and e.get("reason"):
        told.add(e["reason"])
    return texts.get(kind, kind)


def _read(path: Path, what: str) -> Any:
    if not path.is_file():
        raise RunDirError(f"{path.parent}: not a run directory (no {path.name}); make one with "
                          f"'triumf run SCENARIO --out DIR'")
    try:
        return pq.read_table(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same user problem
        raise RunDirError(f"{path}: cannot read the {what} table ({exc})") from None


def threat_story(run_dir: str | Path, threat: str, replication: int | None = None) -> Story:
    """Tell the story of one threat.

    Parameters
    ----------
    run_dir : str or Path
        A directory written by ``triumf run``.
    threat : str
        Threat index (``17``) or label (``cruise west#3``), as in ``outcomes.parquet``.
    replication : int, optional
        Replication number; default: the first replication in which the threat leaked, or
        else the first replication of the run.

    Returns
    -------
    Story

    Raises
    ------
    RunDirError
        The directory is not a run directory, or the threat or replication is unknown.
    """
    root = Path(run_dir)
    if not root.is_dir():
        raise RunDirError(f"{root}: no such run directory")
    outcomes = _read(root / "outcomes.parquet", "outcomes")
    labels = outcomes.column("label").to_pylist()
    indices = outcomes.column("threat").to_pylist()
    by_label = dict(zip(labels, indices, strict=True))
    n_thr = max(indices) + 1 if indices else 0
    if threat.strip().lstrip("-").isdigit():
        tid = int(threat)
        if not 0 <= tid < n_thr:
            raise RunDirError(f"--threat: unknown threat {tid}; valid: 0..{n_thr - 1} or a label "
                              f"such as {labels[0]!r}" if labels else "the run has no threats")
    elif threat in by_label:
        tid = by_label[threat]
    else:
        sample = ", ".join(repr(x) for x in list(dict.fromkeys(labels))[:5])
        raise RunDirError(f"--threat: unknown threat {threat!r}; give an index 0..{n_thr - 1} "
                          f"or a label such as {sample}")
    rows = outcomes.filter(pc.equal(outcomes.column("threat"), tid))
    reps = rows.column("replication").to_pylist()
    if replication is None:
        leaked = [r for r, lk in zip(reps, rows.column("leaked").to_pylist(), strict=True) if lk]
        replication = min(leaked) if leaked else min(reps)
    elif replication not in reps:
        raise RunDirError(f"--replication: unknown replication {replication}; this run has "
                          f"{min(reps)}..{max(reps)}")
    row = rows.filter(pc.equal(rows.column("replication"), replication)).to_pylist()[0]
    events = _read(root / "events.parquet", "events")
    mine = events.filter(pc.and_(pc.equal(events.column("replication"), replication),
                                 pc.equal(events.column("threat"), tid)))
    lines: list[tuple[float, str]] = []
    reasons: list[str] = []
    told: set[str] = set()
    for e in sorted(mine.to_pylist(), key=lambda ev: ev["time_s"]):
        text = _sentence(e, told)
        if text is not None:
            lines.append((float(e["time_s"]), text))
        if e["kind"] == "no_fire" and e.get("reason") and e["reason"] not in reasons:
            reasons.append(e["reason"])
    lines.sort(key=lambda x: x[0])
    if row["killed"]:
        outcome = f"Killed at {row['t_kill_s']:.1f} s after {row['shots']} interceptor(s)."
    elif row["leaked"]:
        outcome = (f"Leaked at {row['t_leak_s']:.1f} s; cause: "
                   f"{row.get('leak_cause') or 'unknown'}.")
    else:
        outcome = "Neither killed nor leaked by the end of the run."
    return Story(threat=tid, label=row["label"], kind=str(row["type"]), raid=str(row["raid"]),
                 replication=replication, hostile=bool(row["hostile"]), lines=lines,
                 outcome=outcome, reasons=reasons)

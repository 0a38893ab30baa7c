"""A Monte Carlo campaign: chunks streamed to Parquet, resumable, optionally stopped early.

Seed tree (see `triumf.core.rng`): campaign seed -> replication index r -> stage. Replication r
of a campaign uses the same random numbers whatever chunk it is in, however many workers run
the chunks, and whether or not the campaign was interrupted and resumed; so the tables are the
same bit for bit in all those cases. Chunks are processed in chunk order (the runners yield
them in order), which also makes the early stop (``until_halfwidth``) deterministic.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from triumf.montecarlo import DEFAULT_CHUNK, store
from triumf.montecarlo.chunk import tally_from_tables
from triumf.montecarlo.runners import Runner, SerialRunner, Span
from triumf.montecarlo.summary import leak_estimate, summarize_tally
from triumf.montecarlo.tally import Tally
from triumf.sim.params import SimParams


@dataclass
class CampaignResult:
    """How a campaign ended.

    Attributes
    ----------
    directory : Path
    summary : dict
        Also written to ``summary.json``.
    tally : Tally
    chunks_run : int
        Chunks computed by this call (not counting chunks found on disk).
    stopped_early : bool
        The leak-probability half-width target was reached before all replications ran.
    """

    directory: Path
    summary: dict[str, Any]
    tally: Tally
    chunks_run: int
    stopped_early: bool


def spans(replications: int, chunk: int) -> list[Span]:
    """Chunk ``i`` holds replications ``i*chunk .. min((i+1)*chunk, N) - 1``."""
    return [(i, a, min(a + chunk, replications))
            for i, a in enumerate(range(0, replications, chunk))]


def halfwidth(interval: dict[str, Any]) -> float:
    """Half the width of an interval ``{"low": .., "high": ..}``."""
    return 0.5 * (float(interval["high"]) - float(interval["low"]))


def run_campaign(
    params: SimParams,
    resolved_yaml: str,
    directory: Path,
    replications: int,
    chunk: int = DEFAULT_CHUNK,
    *,
    runner: Runner | None = None,
    until_halfwidth: float | None = None,
    resume: bool = False,
    version: str = "",
    kind: str = "mc",
    progress: Callable[[Tally], None] | None = None,
) -> CampaignResult:
    """Run (or resume) a campaign into ``directory``.

    Parameters
    ----------
    params : SimParams
        Compiled scenario (what workers receive).
    resolved_yaml : str
        The resolved scenario text (hashed into the manifest, copied to the directory).
    directory : Path
        Campaign directory; must not exist unless ``resume``.
    replications : int
        Replications requested (a resumed campaign may ask for more than before).
    chunk : int
        Replications per chunk (resuming requires the directory's chunk size).
    runner : Runner, optional
        Where chunks run (default: in this process).
    until_halfwidth : float, optional
        Stop after the first chunk at which the 95% Wilson interval of the leak probability per
        threat has a half-width <= this value.
    resume : bool
        Continue the campaign in ``directory``: check its manifest, keep its complete chunks,
        run the others.
    version : str
        triumf version recorded in the manifest.
    kind : str
        Recorded in the manifest (``"mc"``, ``"sweep-point"``).
    progress : callable, optional
        Called with the tally after each chunk (in chunk order).

    Raises
    ------
    FileExistsError
        ``directory`` exists and ``resume`` is False.
    store.ManifestMismatchError
        Resuming with a different scenario, seed, version or chunk size.
    """
    if replications < 1 or chunk < 1:
        raise ValueError("replications and chunk must be >= 1")
    directory = Path(directory)
    t0 = time.perf_counter()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = store.Manifest(params.name, store.scenario_hash(resolved_yaml), int(params.seed),
                              version, int(chunk), int(replications), now, kind)
    if resume:
        old = store.read_manifest(directory)
        problems = old.mismatch(manifest)
        if problems:
            raise store.ManifestMismatchError(
                f"cannot resume {directory}: " + "; ".join(problems))
        manifest = store.Manifest(**{**manifest.__dict__, "created": old.created})
        done = store.complete_chunks(directory)
        store.remove_temporary_files(directory)
    else:
        if store.is_abandoned_start(directory):
            # killed before its manifest was written: no results in it, start it afresh
            store.remove_temporary_files(directory)
        elif directory.exists():
            raise FileExistsError(f"{directory} already exists; choose another --out, or "
                                  f"--resume {directory} to continue it")
        done = set()
    store.prepare(directory)
    # the scenario first: a directory with a manifest always has the scenario to resume with
    store.write_bytes_atomic(directory / "scenario.yaml", resolved_yaml.encode("utf-8"))
    store.write_manifest(directory, manifest)
    (directory / "summary.json").unlink(missing_ok=True)

    plan = spans(replications, chunk)
    runner = runner or SerialRunner()
    stream = runner.ordered(params, [s for s in plan if s[0] not in done])
    tally = Tally.empty(params.threats.count, params.missiles.count)
    ran, stopped = 0, False
    try:
        for i, _, _ in plan:
            if i in done:
                piece = tally_from_tables(params, store.read_chunk(directory, "outcomes", i),
                                          store.read_chunk(directory, "replications", i))
            else:
                out = next(stream)
                assert out.index == i, "runner yielded chunks out of order"
                for name in ("outcomes", "events", "replications"):  # replications last
                    store.write_table_atomic(store.chunk_path(directory, name, i),
                                             getattr(out, name))
                piece = out.tally
                ran += 1
            tally = tally.extended(piece)
            if progress is not None:
                progress(tally)
            if until_halfwidth is not None and tally.count < replications:
                if halfwidth(leak_estimate(params, tally)) <= until_halfwidth:
                    stopped = True
                    break
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if stopped:
        # chunks past the stopping point (from an earlier, longer run) are not part of it
        last = (tally.count - 1) // chunk
        for i in sorted(done):
            if i > last:
                for name in store.TABLES:
                    store.chunk_path(directory, name, i).unlink(missing_ok=True)
    summary = summarize_tally(params, tally)
    summary.update({
        "version": version, "chunk": chunk, "replications_requested": replications,
        "stopped_early": stopped, "until_halfwidth": until_halfwidth,
        "scenario_sha256": manifest.scenario_sha256,
        "wall_time_s": round(time.perf_counter() - t0, 2), "run_dir": str(directory),
    })
    store.write_bytes_atomic(directory / "summary.json",
                             (json.dumps(summary, indent=2) + "\n").encode("utf-8"))
    return CampaignResult(directory, summary, tally, ran, stopped)


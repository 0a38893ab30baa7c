"""Where chunks run: in this process, or on a Dask cluster (local or remote).

Both runners yield chunk results in chunk order, whatever order the workers finish in, and keep
at most a small window of chunks in flight, so memory stays bounded however many chunks a
campaign has. A chunk's result does not depend on the runner (see `triumf.montecarlo.chunk`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from triumf.montecarlo.chunk import ChunkOutput, run_chunk
from triumf.sim.params import SimParams

Span = tuple[int, int, int]
"""(chunk index, first replication, one past the last replication)."""


class Runner(Protocol):
    """Runs chunks and yields their outputs in the order of ``spans``."""

    def ordered(self, params: SimParams, spans: Sequence[Span]) -> Iterator[ChunkOutput]:
        """Outputs of ``spans`` in order (closing the iterator cancels what is left)."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


class SerialRunner:
    """Chunks one after the other in this process."""

    def ordered(self, params: SimParams, spans: Sequence[Span]) -> Iterator[ChunkOutput]:
        """Outputs of ``spans`` in order."""
        for i, a, b in spans:
            yield run_chunk(params, i, a, b)

    def close(self) -> None:
        """Nothing to release."""


class DaskRunner:
    """Chunks on a Dask cluster.

    Parameters
    ----------
    workers : int, optional
        Start a local cluster of this many worker processes, one thread each.
    scheduler : str, optional
        Address of an existing scheduler (e.g. ``tcp://10.0.0.5:8786``) instead.
    retries : int
        Times a failed chunk (worker lost, exception) is resubmitted before the campaign fails.
    window : int, optional
        Chunks in flight at once (default: twice the number of worker threads).
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None,
                 retries: int = 2, window: int | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self._cluster: Any = None
        if scheduler is not None:
            self.client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers or 1, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self._cluster)
        self.retries = retries
        self._window = window

    @property
    def threads(self) -> int:
        """Worker threads in the cluster now."""
        info = self.client.scheduler_info()
        return max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def ordered(self, params: SimParams, spans: Sequence[Span]) -> Iterator[ChunkOutput]:
        """Outputs of ``spans`` in order; the compiled scenario is scattered to workers once."""
        from dask.distributed import as_completed

        if not spans:
            return
        window = self._window or 2 * self.threads
        shared = self.client.scatter(params, broadcast=True)
        token = uuid.uuid4().hex
        todo = list(spans)
        futures: dict[int, Any] = {}
        ready: dict[int, ChunkOutput] = {}
        done = as_completed()

        def submit() -> None:
            i, a, b = todo.pop(0)
            fut = self.client.submit(run_chunk, shared, i, a, b, retries=self.retries,
                                     pure=False, key=f"triumf-chunk-{i}-{token}")
            futures[i] = fut
            done.add(fut)

        try:
            while todo and len(futures) < window:
                submit()
            for i, _, _ in spans:
                while i not in ready:
                    fut = next(done)
                    out: ChunkOutput = fut.result()
                    ready[out.index] = out
                    futures.pop(out.index, None)
                    while todo and len(futures) + len(ready) < window:
                        submit()
                yield ready.pop(i)
        finally:
            for fut in futures.values():
                fut.cancel()

    def close(self) -> None:
        """Close the client and the local cluster (a remote cluster keeps running)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

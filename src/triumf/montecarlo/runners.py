"""Where chunks run: in this process, or on a Dask cluster (local or remote).

Both runners yield chunk results in chunk order, whatever order the workers finish in, and keep
at most a small window of chunks in flight, so memory stays bounded however many chunks a
campaign has. A chunk's result does not depend on the runner (see `triumf.montecarlo.chunk`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
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
        futures: dict[int, Any] = {}
        done = as_completed()

        def submit(span: Span) -> None:
            i, a, b = span
            fut = self.client.submit(run_chunk, shared, i, a, b, retries=self.retries,
                                     pure=False, key=f"triumf-chunk-{i}-{token}")
            futures[i] = fut
            done.add(fut)

        def next_done() -> ChunkOutput:
            out: ChunkOutput = next(done).result()
            futures.pop(out.index, None)
            return out

        try:
            yield from in_order(spans, submit, next_done, window)
        finally:
            for fut in futures.values():
                fut.cancel()

    def close(self) -> None:
        """Close the client and the local cluster (a remote cluster keeps running)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def in_order(spans: Sequence[Span], submit: Callable[[Span], None],
             next_done: Callable[[], ChunkOutput], window: int) -> Iterator[ChunkOutput]:
    """Outputs of ``spans`` in span order from a pool that finishes them in any order.

    Parameters
    ----------
    spans : sequence of Span
        In the order the outputs are wanted; they are submitted in that order.
    submit : callable
        Starts one span.
    next_done : callable
        Blocks until some submitted span finishes and returns its output (any order).
    window : int
        At most this many spans are submitted and not yet yielded (running, or finished and
        held until the spans before them are done), so memory stays bounded.

    Notes
    -----
    The pool is topped up before every wait, not only after a span finishes: when every span
    in flight finishes out of order and the held ones are then yielded one after another,
    nothing would be running and the wait would find the pool empty.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    todo = list(spans)
    todo.reverse()  # pop() takes the next span in order
    submitted = 0
    ready: dict[int, ChunkOutput] = {}
    for n, (i, _, _) in enumerate(spans):
        while i not in ready:
            # spans n .. submitted-1 are running or held; keep `window` of them
            while todo and submitted - n < window:
                submit(todo.pop())
                submitted += 1
            out = next_done()
            ready[out.index] = out
        yield ready.pop(i)

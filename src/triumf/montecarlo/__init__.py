"""Monte Carlo campaigns, sweeps and paired comparisons over the batched engine."""

DEFAULT_CHUNK = 100
"""Replications per chunk when none is given: one engine batch, one Parquet file. Batching
amortises the engine's per-call NumPy overhead over the chunk (benchmarks/mc_throughput.py:
21-23x the one-at-a-time rate for the demo at 100, 11-15x at 32), while one chunk's state
and event log stay small (about 430 MiB per Dask worker process for the full demo)."""

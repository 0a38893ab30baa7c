"""Helpers of the fault tests: campaigns in subprocesses, killed and resumed.

``python -m triumf.cli mc ...`` runs in a child process (our sources: PYTHONPATH inherited).
`run_killed_mid_write` starts the same command through a small wrapper that replaces
`triumf.montecarlo.store.write_bytes_atomic` so that its n-th call writes half of its bytes to
the temporary file, flushes them and then SIGKILLs its own process: a crash in the middle of a
Parquet (or manifest) write, reproducibly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from triumf.montecarlo import store

_WRAPPER = """
import os, signal, sys
from pathlib import Path
import triumf.montecarlo.store as store
real = store.write_bytes_atomic
calls = [0]
def dying(path, data):
    calls[0] += 1
    if calls[0] == int(os.environ["TRIUMF_TEST_DIE_AT_WRITE"]):
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        with open(tmp, "wb") as fh:
            fh.write(data[: len(data) // 2])
            fh.flush()
            os.fsync(fh.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    return real(path, data)
store.write_bytes_atomic = dying
from triumf.cli import app
sys.argv = ["triumf"] + sys.argv[1:]
app()
"""


def mc_args(scenario: Path, out: Path, replications: int, chunk: int) -> list[str]:
    """Arguments of ``triumf mc`` for a new campaign."""
    return ["mc", str(scenario), "-n", str(replications), "--chunk", str(chunk),
            "--out", str(out), "--quiet", "--json"]


def run_mc(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``python -m triumf.cli <args>`` to the end."""
    return subprocess.run([sys.executable, "-m", "triumf.cli", *args], capture_output=True,
                          text=True, timeout=600)


def run_killed_mid_write(args: list[str], write_number: int) -> int:
    """Run the CLI and SIGKILL it in the middle of its ``write_number``-th file write."""
    env = {**os.environ, "TRIUMF_TEST_DIE_AT_WRITE": str(write_number)}
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, *args], env=env,
                          capture_output=True, text=True, timeout=600)
    return proc.returncode


def run_killed_after(args: list[str], out: Path, chunks: int, extra_s: float) -> int:
    """Run the CLI; SIGKILL it ``extra_s`` seconds after ``chunks`` chunks are complete."""
    proc = subprocess.Popen([sys.executable, "-m", "triumf.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    folder = out / "replications"
    while time.monotonic() < deadline and proc.poll() is None:
        if folder.is_dir() and len(list(folder.glob("chunk-*.parquet"))) >= chunks:
            break
        time.sleep(0.02)
    time.sleep(extra_s)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def visible_files_open(root: Path) -> int:
    """Open every visible Parquet file of a campaign (raises if one is corrupt); how many."""
    n = 0
    for p in root.rglob("*.parquet"):
        if not p.name.startswith("."):
            pq.read_table(p)
            n += 1
    return n


def plain(table: pa.Table) -> pa.Table:
    """Dictionary columns as strings (each chunk file has its own dictionary), one chunk."""
    cols = [c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in table.columns]
    return pa.table(cols, names=table.column_names).combine_chunks()


def tables(root: Path) -> dict[str, pa.Table]:
    """The three campaign tables of a directory."""
    return {t: plain(store.read_table(root, t)) for t in store.TABLES}


def chunk_bytes(root: Path) -> dict[Path, bytes]:
    """Every chunk file's bytes, by path relative to the campaign directory."""
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("chunk-*.parquet")}

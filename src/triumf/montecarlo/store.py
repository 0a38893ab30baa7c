"""A campaign directory on disk: a manifest and one Parquet file per chunk and table.

Layout::

    DIR/manifest.json            scenario hash, seed, version, chunk size, replications
    DIR/scenario.yaml            the resolved scenario
    DIR/outcomes/chunk-000000.parquet   one row per (replication, threat)
    DIR/events/chunk-000000.parquet     the event log
    DIR/replications/chunk-000000.parquet  one row per replication (written last: a chunk is
                                            complete when this file exists)
    DIR/summary.json             written when the campaign ends

Every file is written under a temporary name in the same directory, flushed to disk (fsync)
and renamed into place, so a crash leaves either the old state or the new one, never a
half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("outcomes", "events", "replications")
MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK_RE = re.compile(r"^chunk-(\d{6,})\.parquet$")


class ManifestMismatchError(Exception):
    """A campaign directory cannot be resumed with these settings."""


@dataclass(frozen=True)
class Manifest:
    """What identifies a campaign: resuming requires the same values (but ``replications``).

    Attributes
    ----------
    scenario : str
        Scenario name.
    scenario_sha256 : str
        SHA-256 of the resolved scenario YAML.
    seed : int
    version : str
        triumf version that wrote the chunks.
    chunk : int
        Replications per chunk (chunk ``i`` holds replications ``i*chunk .. (i+1)*chunk-1``).
    replications : int
        Replications requested.
    created : str
        UTC time the campaign was started, ISO 8601.
    kind : str
        ``"mc"`` (or ``"sweep-point"``).
    """

    scenario: str
    scenario_sha256: str
    seed: int
    version: str
    chunk: int
    replications: int
    created: str
    kind: str = "mc"
    format: int = FORMAT

    def mismatch(self, other: Manifest) -> list[str]:
        """Fields (but replications and created) that differ, as readable lines."""
        out = []
        for name in ("scenario_sha256", "seed", "version", "chunk", "format"):
            a, b = getattr(self, name), getattr(other, name)
            if a != b:
                out.append(f"{name}: directory has {a!r}, this run has {b!r}")
        return out


def scenario_hash(resolved_yaml: str) -> str:
    """SHA-256 hex digest of the resolved scenario text."""
    return hashlib.sha256(resolved_yaml.encode("utf-8")).hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temporary name in the same directory, fsync, rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_table_atomic(path: Path, table: pa.Table) -> None:
    """Write one Parquet file atomically (see `write_bytes_atomic`)."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    write_bytes_atomic(path, sink.getvalue().to_pybytes())


def chunk_path(root: Path, table: str, index: int) -> Path:
    """Path of one chunk's file of one table."""
    return Path(root) / table / f"chunk-{index:06d}.parquet"


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Write ``manifest.json`` atomically."""
    text = json.dumps(asdict(manifest), indent=2) + "\n"
    write_bytes_atomic(Path(root) / MANIFEST, text.encode("utf-8"))


def read_manifest(root: Path) -> Manifest:
    """Read ``manifest.json`` of a campaign directory.

    Raises
    ------
    ManifestMismatchError
        When the file is missing or not a manifest.
    """
    path = Path(root) / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return Manifest(**data)
    except FileNotFoundError:
        raise ManifestMismatchError(
            f"{path} not found: {root} is not a campaign directory written by 'triumf mc'"
        ) from None
    except (json.JSONDecodeError, TypeError) as exc:
        raise ManifestMismatchError(f"{path} is not a valid manifest: {exc}") from None


def prepare(root: Path) -> None:
    """Create the table folders."""
    for t in TABLES:
        (Path(root) / t).mkdir(parents=True, exist_ok=True)


def is_abandoned_start(root: Path) -> bool:
    """True if ``root`` holds only what a campaign killed before its manifest was written left.

    That is: no ``manifest.json``, and nothing but empty table folders, the scenario copy
    (written before the manifest) and temporary files of interrupted writes. Such a directory
    holds no results and may be started afresh.
    """
    root = Path(root)
    if not root.is_dir() or (root / MANIFEST).exists():
        return False
    for p in root.iterdir():
        if p.is_dir() and p.name in TABLES:
            if any(not _is_temp(q) for q in p.iterdir()):
                return False
        elif not (p.is_file() and (_is_temp(p) or p.name == "scenario.yaml")):
            return False
    return True


def _is_temp(p: Path) -> bool:
    """A temporary file of `write_bytes_atomic` (``.<name>.tmp-<pid>``)."""
    return p.name.startswith(".") and ".tmp-" in p.name


def remove_temporary_files(root: Path) -> None:
    """Delete the temporary files of interrupted writes in ``root`` and its table folders."""
    root = Path(root)
    for folder in (root, *(root / t for t in TABLES)):
        if folder.is_dir():
            for p in folder.iterdir():
                if p.is_file() and _is_temp(p):
                    p.unlink(missing_ok=True)


def complete_chunks(root: Path) -> set[int]:
    """Indices of the chunks whose files are all written.

    Files of incomplete chunks (an interrupted write) are deleted, so they are run again.
    """
    root = Path(root)
    done: set[int] | None = None
    found: dict[str, set[int]] = {}
    for t in TABLES:
        idx = set()
        folder = root / t
        if folder.is_dir():
            for p in folder.iterdir():
                m = _CHUNK_RE.match(p.name)
                if m:
                    idx.add(int(m.group(1)))
                elif p.name.startswith(".") and ".tmp-" in p.name:
                    p.unlink(missing_ok=True)
        found[t] = idx
        done = idx if done is None else done & idx
    complete = done or set()
    for t, idx in found.items():
        for i in idx - complete:
            chunk_path(root, t, i).unlink(missing_ok=True)
    return complete


def read_chunk(root: Path, table: str, index: int) -> pa.Table:
    """One chunk's table."""
    return pq.read_table(chunk_path(root, table, index))


def read_table(root: Path, table: str) -> pa.Table:
    """All chunks of one table, in chunk order."""
    files = sorted((Path(root) / table).glob("chunk-*.parquet"))
    return pa.concat_tables([pq.read_table(f) for f in files]) if files else pa.table({})

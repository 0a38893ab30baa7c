"""Size limits of scenario input, enforced where a file is read (documented in docs/limits.md).

Each limit is far above what a real scenario needs (the shipped ones are under 10 kB, a few
hundred YAML nodes, depth 8) and low enough that a hostile or broken file is refused in well
under a second instead of exhausting memory or time. Modelling constants they are not: they are
software limits, tag computed (chosen from the sizes above with a margin of 100 or more).
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_DEM_PIXELS",
    "MAX_FILE_BYTES",
    "MAX_INT_DIGITS",
    "MAX_ISSUES",
    "MAX_NAME_CHARS",
    "MAX_NESTING",
    "MAX_NODES",
    "MAX_STRING_CHARS",
    "MAX_SWEEP_POINTS",
    "MAX_THREATS",
    "safe_file_name",
]

MAX_FILE_BYTES = 262_144
"""Largest scenario file, bytes (256 KiB)."""

MAX_NODES = 50_000
"""Most YAML nodes in a scenario, counting every use of an ``*alias`` (stops alias bombs)."""

MAX_NESTING = 64
"""Deepest nesting of mappings and lists in a scenario file."""

MAX_STRING_CHARS = 10_000
"""Longest text value (a description, a name, a path), characters."""

MAX_NAME_CHARS = 200
"""Longest name of an asset, battalion, radar, fire unit, raid, ..., characters."""

MAX_INT_DIGITS = 30
"""Most digits in an integer written in a scenario file."""

MAX_THREATS = 10_000
"""Most threats in a scenario (sum of the raids' ``count``)."""

MAX_DEM_PIXELS = 25_000_000
"""Most pixels in one GeoTIFF terrain file (an SRTM 1-arc-second tile has 3601 x 3601)."""

MAX_ISSUES = 100
"""Most problems listed for one file (the rest are counted)."""

MAX_SWEEP_POINTS = 1_000
"""Most grid points of one ``triumf sweep`` (product of the numbers of --set values)."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str, fallback: str = "scenario") -> str:
    """A name fit for one path component: letters, digits, ``.``, ``_`` and ``-`` only.

    Every other run of characters (``/``, ``\\``, spaces, control characters, ...) becomes one
    ``-``; leading dots and dashes are dropped (no ``..``, no hidden files, no option-like
    names), and the result is at most 100 characters.

    Parameters
    ----------
    name : str
        A user-given name, e.g. a scenario's ``name``.
    fallback : str
        Returned when nothing usable is left.

    Returns
    -------
    str
        ``"Korvala-defence"`` for ``"Korvala defence"``; ``"etc-passwd"`` for
        ``"../../etc/passwd"``.
    """
    cleaned = _UNSAFE.sub("-", name).lstrip(".-")[:100].rstrip(".-")
    return cleaned or fallback

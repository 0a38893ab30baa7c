"""Saving figures: one call writes a matplotlib figure in several formats, atomically."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from triumf.report.atomic import write_atomic

__all__ = ["FORMATS", "plain", "pyplot", "save_figure"]

FORMATS = ("png", "svg")
"""Formats :func:`save_figure` writes."""


def plain(text: object) -> str:
    """User text (scenario, site, asset, parameter names) drawn literally by matplotlib.

    Matplotlib reads text between two unescaped ``$`` as mathtext, so ``x$\\bad$`` would
    fail to render. Each ``$`` gets a backslash: the text then has no unescaped ``$``, is
    drawn as plain text, and matplotlib shows every ``\\$`` as ``$``; other backslashes are
    drawn as they are (outside mathtext they have no meaning), so a ``\\`` before a ``$``
    in the input is kept too.
    """
    return str(text).replace("$", "\\$")


def pyplot() -> Any:
    """matplotlib.pyplot on the non-interactive Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, stem: str | Path, formats: Sequence[str] = FORMATS,
                dpi: int = 110) -> list[Path]:
    """Write ``fig`` as ``stem.<format>`` for each format, close it, return the paths.

    Existing files are replaced (figures are regenerated from the run's tables).
    """
    plt = pyplot()
    paths = []
    try:
        for fmt in formats:
            if fmt not in FORMATS:
                raise ValueError(f"unknown figure format {fmt!r}; valid: {', '.join(FORMATS)}")
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=dpi)
            paths.append(write_atomic(Path(f"{stem}.{fmt}"), buf.getvalue(), force=True))
    finally:
        plt.close(fig)
    return paths

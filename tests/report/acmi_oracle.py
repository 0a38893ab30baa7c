"""pyacmi (an independent ACMI reader) as a test oracle."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def read_acmi(path: Path) -> Any:
    """Parse an ACMI file with pyacmi; returns its ``Acmi`` object."""
    from pyacmi import Acmi

    acmi = Acmi()
    acmi.load_acmi(str(path))
    return acmi


def unescape(text: str) -> str:
    """ACMI text value with its escaped commas restored."""
    return text.replace("\\,", ",")

"""pyacmi (an independent ACMI reader) as a test oracle.

pyacmi imports ``constantly`` only for one enum base class; where that package is missing
from the environment a minimal stand-in is installed, so pyacmi's own parser runs unchanged.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any


def read_acmi(path: Path) -> Any:
    """Parse an ACMI file with pyacmi; returns its ``Acmi`` object."""
    try:
        import constantly  # noqa: F401
    except ModuleNotFoundError:
        stub = types.ModuleType("constantly")

        class ValueConstant:  # pyacmi only uses it as a namespace of string constants
            pass

        stub.ValueConstant = ValueConstant  # type: ignore[attr-defined]
        sys.modules["constantly"] = stub
    from pyacmi import Acmi

    acmi = Acmi()
    acmi.load_acmi(str(path))
    return acmi


def unescape(text: str) -> str:
    """ACMI text value with its escaped commas restored."""
    return text.replace("\\,", ",")

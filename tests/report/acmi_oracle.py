"""pyacmi (an independent ACMI reader) as a test oracle."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def read_acmi(path: Path) -> Any:
    """Parse an ACMI file with pyacmi; returns its ``Acmi`` object."""
    from pyacmi import Acmi

    acmi = Acmi()
    acmi.load_acmi(str(path))
    return acmi


def unescape(text: str) -> str:
    """ACMI text value with its escapes undone (ACMI 2.2: a backslash escapes the next
    character)."""
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def split_properties(line: str) -> list[str]:
    """One object line split at the commas that are not escaped (ACMI 2.2 rule: a backslash
    escapes the next character, whatever it is); values are returned still escaped.

    pyacmi looks only at the character before a comma, so it cannot read an escaped backslash
    before a comma; this splitter is the format rule written out for that case.
    """
    fields, start, i = [], 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == ",":
            fields.append(line[start:i])
            start = i + 1
        i += 1
    fields.append(line[start:])
    return fields

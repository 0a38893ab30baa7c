"""Errors raised while reading a scenario file, each citing ``file:line: field: message``.

A scenario file can be wrong in many places at once; :class:`ScenarioError` carries every
problem found (an :class:`Issue` each) so that the user can fix them all in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    """One problem in a scenario file.

    Parameters
    ----------
    file : str or None
        The file as the user named it (``None`` when the scenario did not come from a file).
    line : int or None
        1-based line number in ``file``, or ``None`` when unknown.
    field_path : str
        Dotted path of the offending field, e.g. ``raids[0].count`` (``""`` for the whole file).
    message : str
        Plain-language description of the problem and, where possible, of the fix.
    valid : tuple of str
        The valid choices, when the problem is a choice among names (equipment types, fields,
        asset names); empty otherwise.
    """

    file: str | None
    line: int | None
    field_path: str
    message: str
    valid: tuple[str, ...] = field(default=())

    def format(self) -> str:
        """One line ``file:line: field_path: message`` (parts that are unknown are left out)."""
        where = self.file if self.file is not None else "<scenario>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        parts = [where]
        if self.field_path:
            parts.append(self.field_path)
        parts.append(self.message)
        return ": ".join(parts)


class ScenarioError(Exception):
    """A scenario could not be read or is invalid; carries every :class:`Issue` found.

    Parameters
    ----------
    issues : iterable of Issue
        The problems, in any order; they are kept sorted by line (issues without a line last),
        keeping the order in which they were found among equal lines.
    """

    def __init__(self, issues: Iterable[Issue]) -> None:
        found = list(issues)
        if not found:
            raise ValueError("ScenarioError needs at least one Issue")
        self.issues: list[Issue] = sorted(
            found, key=lambda i: (i.line is None, i.line if i.line is not None else 0)
        )
        super().__init__(self.format())

    def format(self) -> str:
        """Plain text, one paragraph (line) per issue."""
        return "\n".join(issue.format() for issue in self.issues)

    def __str__(self) -> str:
        return self.format()


@dataclass(frozen=True)
class SourceMap:
    """Where each field of a scenario file is written.

    Parameters
    ----------
    file : str or None
        The file as the user named it.
    lines : mapping of str to int
        Field path (``raids[0].count``; ``""`` for the document) to the 1-based line of its key
        (mapping entries) or of the item itself (sequence items).
    """

    file: str | None
    lines: Mapping[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        """Line of ``path``, or of its nearest written ancestor (e.g. for a missing field)."""
        candidate = path
        while True:
            if candidate in self.lines:
                return self.lines[candidate]
            if not candidate:
                return None
            candidate = parent_path(candidate)

    def issue(self, path: str, message: str, valid: Iterable[str] = ()) -> Issue:
        """Build an :class:`Issue` for ``path`` citing this file and the field's line."""
        return Issue(self.file, self.line(path), path, message, tuple(valid))


def parent_path(path: str) -> str:
    """The path one level up: ``a.b[2]`` -> ``a.b``; ``a.b`` -> ``a``; ``a`` -> ``""``."""
    if path.endswith('"]'):
        cut = path.rfind('["')
    else:
        cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


def join_path(prefix: str, key: str | int) -> str:
    """Append a mapping key or sequence index to a field path (``raids`` + 0 -> ``raids[0]``)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{prefix}[{key}]"
    text = str(key)
    if not text or any(c in text for c in ".[] \t\"'"):
        text = '"' + text.replace('"', '\\"') + '"'
        return f"{prefix}[{text}]"
    return f"{prefix}.{text}" if prefix else text

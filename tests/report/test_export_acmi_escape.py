"""ACMI text escaping: names with backslashes, commas and line ends read back by pyacmi (an
independent reader) and by the ACMI 2.2 splitting rule."""

from __future__ import annotations

import pytest
from acmi_oracle import read_acmi, split_properties, unescape

from triumf.report.export_acmi import escape_acmi

HEAD = "FileType=text/acmi/tacview\nFileVersion=2.2\n0,ReferenceTime=2000-01-01T00:00:00Z\n#0\n"


def _object_line(name: str) -> str:
    return f"1,T=0|0|0,Name={escape_acmi(name)},Type=Ground,Coalition=Allies\n"


@pytest.mark.parametrize("name", ["a\\b", "C:\\x, y", "two\nlines", "lone\rcr", "crlf\r\nend",
                                  "a,\\b,"])
def test_pyacmi_reads_back_the_name_and_the_next_fields(tmp_path, name):
    """pyacmi reads one object with the name (line ends as line feeds) and the fields after it."""
    path = tmp_path / "n.acmi"
    path.write_text(HEAD + _object_line(name), encoding="utf-8")
    acmi = read_acmi(path)
    (obj,) = acmi.objects.values()
    assert unescape(obj.name) == name.replace("\r\n", "\n").replace("\r", "\n")
    assert obj.coalition() == "Allies"


@pytest.mark.parametrize("name", ["ends in \\", "\\", "x\\\\", "a\\,b\\"])
def test_trailing_backslash_does_not_swallow_the_next_field(name):
    """A name ending in a backslash still ends at its comma (ACMI 2.2: backslash escapes the
    next character)."""
    fields = split_properties(_object_line(name).rstrip("\n"))
    assert len(fields) == 5
    assert unescape(fields[2].removeprefix("Name=")) == name
    assert fields[3:] == ["Type=Ground", "Coalition=Allies"]


def test_no_bare_carriage_return_is_written():
    """No carriage return survives escaping (a lone CR is a line end to some readers)."""
    assert "\r" not in escape_acmi("a\rb\r\nc\r")

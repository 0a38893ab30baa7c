"""Reading WTA instances in the public benchmark text format, and its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from triumf.scenario.errors import ScenarioError
from triumf.scenario.wta_file import load_wta_instance


def _write(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "inst.txt"
    f.write_text(text)
    return f


def test_reads_values_probabilities_and_counts(tmp_path: Path) -> None:
    """Header, n values and 'i j p' lines become values, p_kill (missing pairs 0), weapons."""
    inst = load_wta_instance(_write(tmp_path, "2 3 2\n5\n7\n9\n0 0 0.5\n1 2 0.25\n0 1 1\n"))
    assert inst.values.tolist() == [5.0, 7.0, 9.0]
    assert np.array_equal(inst.p_kill, [[0.5, 1.0, 0.0], [0.0, 0.0, 0.25]])
    assert inst.weapons.tolist() == [2, 2]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("2 3\n", 1, "m n mu"),
    ("1 2 1\n5\nx\n", 3, "target value"),
    ("1 1 1\n5\n0 3 0.5\n", 3, "out of range"),
    ("1 1 1\n5\n0 0 1.5\n", 3, "between 0 and 1"),
    ("1 1 1\n5\n0 0\n", 3, "i j p_ij"),
])
def test_errors_name_file_line_and_what_is_valid(tmp_path: Path, text: str, line: int,
                                                 words: str) -> None:
    """Each malformed line is reported as file:line with the expected form."""
    f = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as exc:
        load_wta_instance(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}:{line}:") and words in msg


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A missing file raises ScenarioError naming it."""
    with pytest.raises(ScenarioError, match="cannot read"):
        load_wta_instance(tmp_path / "nope.txt")

"""What the fuzzers share: the shipped scenarios, value strategies, mutation, and the property
every input must satisfy (valid and compiles, or a ScenarioError that names file and field)."""

from __future__ import annotations

import copy
import math
import os
from functools import cache
from typing import Any

import yaml
from hypothesis import settings
from hypothesis import strategies as st

from triumf.equipment.database import EquipmentDatabase, load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import EXAMPLES_DIR, list_examples, load_scenario_text

LONG = os.environ.get("HYPOTHESIS_PROFILE", "quick") == "long"

# Text values an analyst (or an attacker) might write where a number or a name is expected.
ODD_STRINGS = [
    "", " ", ".nan", ".inf", "-.inf", "NaN", "inf", "1e999", "-0", "0x10", "1_000", "ten",
    "../../etc/passwd", "/abs/path", "C:\\x", "\u202e", "\ufeffname", "名前", "a\tb", "'", '"',
    "&anchor", "*alias", "!!python/object/apply:os.system", "${HOME}", "{{x}}", "<script>",
    "Ardent", "Korvala", "babur", "40N6E", "5P85SE2", "92N6E", "x" * 300,
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, -1, 1, 2**31, 2**63, -(2**63), 10**25, 10**40]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 1e6, 1.0e6 + 1, 1e7, -1e6, 5e6, 1e300]),
    st.text(max_size=12),
    st.sampled_from(ODD_STRINGS),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6,
)


def examples(quick: int) -> settings:
    """Settings running ``quick`` inputs in the quick profile and 40 times more in the long one
    (for tests whose inputs cost seconds each, such as whole CLI commands)."""
    return settings(max_examples=quick * 40 if LONG else quick)


@cache
def database() -> EquipmentDatabase:
    """The shipped equipment database, read once."""
    return load_database()


@cache
def example_data(name: str) -> dict[str, Any]:
    """A shipped scenario as plain data."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES_DIR / f"{name}.yaml").read_text("utf-8"))
    return data


def fuzzed_examples() -> list[str]:
    """Examples to mutate: all in the long profile; the quick one skips ``demo``, whose first
    compile builds four fly-out tables (seconds under load)."""
    return list_examples() if LONG else [n for n in list_examples() if n != "demo"]


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indices) to a value below ``node``, the root excluded."""
    found = []
    items = (node.items() if isinstance(node, dict)
             else enumerate(node) if isinstance(node, list) else ())
    for key, child in items:
        found.append((*prefix, key))
        found.extend(paths(child, (*prefix, key)))
    return found


def at(node: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path``."""
    for key in path:
        node = node[key]
    return node


@st.composite
def mutated_example(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """A shipped scenario with one to three random edits: a value replaced (wrong type, NaN,
    huge, negative, odd text), a field deleted, an element duplicated (duplicate names), a
    number scaled (impossible geometry: underground, above 1e6 m, zero-length routes)."""
    name = draw(st.sampled_from(fuzzed_examples()))
    data = copy.deepcopy(example_data(name))
    for _ in range(draw(st.integers(1, 3))):
        where = paths(data)
        path = draw(st.sampled_from(where))
        parent, key = at(data, path[:-1]), path[-1]
        op = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "scale",
                                   "rename"]))
        old = parent[key]
        if op == "replace":
            parent[key] = draw(values)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(old))
        elif op == "scale" and isinstance(old, int | float) and not isinstance(old, bool):
            factor = draw(st.sampled_from([-1, 0, 1e-9, 1e3, 1e6, 1e12, math.inf, math.nan]))
            parent[key] = old * factor if isinstance(old, float) else int(
                max(min(old * factor, 10**15), -(10**15))) if math.isfinite(factor) else factor
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["nme", "count_", "Name", "raid", "", "1"]))] = (
                parent.pop(key))
        else:
            parent[key] = draw(values)
    return name, data


def check_loader(text: str, file: str = "fuzz.yaml", *, field_paths: bool = False) -> str:
    """The loader's contract on one input: ``"valid"`` (and it compiles) or ``"error"``.

    Parameters
    ----------
    text : str
        The scenario file's text.
    file : str
        Name cited in errors.
    field_paths : bool
        Also require each issue to name the field (true for documents whose top level is a
        mapping, where every problem belongs to a field).

    Raises
    ------
    AssertionError
        When the loader or compile raised anything but a well-formed ScenarioError.
    """
    db = database()
    try:
        scenario, _ = load_scenario_text(text, file=file, db=db)
    except ScenarioError as exc:
        assert_clear_error(exc, file, field_paths=field_paths)
        return "error"
    compile_scenario(scenario, db)
    return "valid"


def assert_clear_error(exc: ScenarioError, file: str, *, field_paths: bool = False) -> None:
    """Every issue names the file, says what is wrong in words, and (``field_paths``) names the
    field; choices among names list what is valid."""
    assert exc.issues
    for issue in exc.issues:
        line = issue.format()
        assert line.startswith(file), line
        assert issue.message.strip(), line
        assert "Traceback" not in line and "object at 0x" not in line, line
        if "unknown " in issue.message:  # a choice among names: say which are valid
            assert issue.valid or "valid" in issue.message or "(none)" in issue.message, line
        if field_paths and not issue.message.startswith("... and up to"):
            assert issue.field_path or _whole_file(issue.message), line


def _whole_file(message: str) -> bool:
    """Problems that belong to the file, not to one field."""
    return any(k in message for k in ("YAML", "limit for a scenario", "at most", "integer with"))

"""``--set PATH=VALUE`` overrides of a scenario, checked like a scenario file.

A path is dotted field names into the scenario, e.g. ``doctrine.salvo_size`` or
``raids.count``. In a list (``raids``, ``battalions``, ...) the next part may be an index
(``raids.0.count``), an element's name (``raids.cruise-missiles.count``), or directly a field,
which then applies to every element (``raids.count``). Values are YAML scalars (``10``,
``1.5``, ``true``, ``tight``).
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import yaml

from triumf.scenario.errors import Issue, ScenarioError
from triumf.scenario.load import dump_resolved, load_scenario_text
from triumf.scenario.schema import Scenario

_WHERE = "--set"


def _fail(path: str, message: str, valid: tuple[str, ...] = ()) -> ScenarioError:
    return ScenarioError([Issue(_WHERE, None, path, message, valid)])


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``"raids.count=10,20,40"`` -> ``("raids.count", [10, 20, 40])``.

    Raises
    ------
    ScenarioError
        When the text has no ``=``, an empty path or no value.
    """
    path, sep, values = text.partition("=")
    path = path.strip()
    if not sep or not path or not values.strip():
        raise _fail(text, "expected PATH=VALUE[,VALUE...], e.g. raids.count=10,20,40")
    out = []
    for v in values.split(","):
        try:
            out.append(yaml.safe_load(v.strip()))
        except (yaml.YAMLError, ValueError):  # ValueError: an integer of thousands of digits
            raise _fail(path, f"cannot read the value {v.strip()[:80]!r}; give a YAML scalar "
                        "such as 10, 1.5, true or tight") from None
    return path, out


def _assign(node: Any, parts: list[str], value: Any, done: str, full: str) -> None:
    """Set ``value`` at ``parts`` below ``node`` (in place)."""
    head, rest = parts[0], parts[1:]
    here = f"{done}.{head}" if done else head
    if isinstance(node, list):
        if head.isdigit():
            i = int(head)
            if i >= len(node):
                raise _fail(full, f"{done} has {len(node)} elements; index {i} is out of range")
            targets = [node[i]]
        elif any(isinstance(e, dict) and e.get("name") == head for e in node):
            targets = [e for e in node if isinstance(e, dict) and e.get("name") == head]
        else:
            if not node:
                raise _fail(full, f"{done} is empty")
            for e in node:
                _assign(e, parts, value, done, full)
            return
        if not rest:
            raise _fail(full, f"give a field of {here}, e.g. {here}.count")
        for e in targets:
            _assign(e, rest, value, here, full)
        return
    if not isinstance(node, dict):
        raise _fail(full, f"{done} is a value, it has no field {head!r}")
    if head not in node:
        valid = tuple(sorted(node))
        raise _fail(full, f"unknown field {head!r}" + (f" in {done}" if done else "")
                    + "; valid: " + ", ".join(valid), valid)
    if rest:
        _assign(node[head], rest, value, here, full)
    else:
        if isinstance(node[head], (dict, list)):
            raise _fail(full, f"{here} is a group of fields; set one of its fields instead")
        node[head] = value


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with each dotted path set to its value, validated again.

    Raises
    ------
    ScenarioError
        Unknown path, or a value the scenario rules reject (the message names the field and
        what would be valid).
    """
    data = yaml.safe_load(dump_resolved(scenario))
    data = copy.deepcopy(data)
    for path, value in overrides.items():
        parts = [p for p in path.split(".") if p]
        if not parts:  # e.g. "." or ".."
            raise _fail(path, "no field named; give a dotted field path such as raids.count "
                        "or doctrine.salvo_size")
        _assign(data, parts, value, "", path)
    text = yaml.safe_dump(data, sort_keys=False)
    label = _WHERE + " " + " ".join(f"{k}={v}" for k, v in overrides.items())
    try:
        scn, _ = load_scenario_text(text, file=label)
    except ScenarioError as exc:  # lines of the generated text would mean nothing to the user
        raise ScenarioError([dataclasses.replace(i, line=None) for i in exc.issues]) from None
    return scn

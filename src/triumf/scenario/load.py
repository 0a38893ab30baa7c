"""Read scenario files: YAML (safe subset only) -> frozen :class:`Scenario`, with clear errors.

Every problem in a file is reported at once, each as ``file:line: field.path: message``:
YAML syntax, pydantic validation, and the cross-references checked in a second pass against
the whole scenario and the equipment database (:func:`check_references`).

Only ``yaml.SafeLoader`` is used: tags asking for Python objects are an error and are never
constructed. The YAML node tree is composed first and walked to record the line of every field
(:class:`~triumf.scenario.errors.SourceMap`), then constructed into plain data.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import BaseModel, ValidationError

from triumf.scenario.errors import Issue, ScenarioError, SourceMap, join_path
from triumf.scenario.limits import (
    MAX_FILE_BYTES,
    MAX_INT_DIGITS,
    MAX_ISSUES,
    MAX_NESTING,
    MAX_NODES,
    MAX_STRING_CHARS,
)
from triumf.scenario.schema import (
    GEODETIC_KEYS,
    LOCAL_KEYS,
    POSITION_FORM_ERROR,
    POSITION_TAGS,
    GeodeticPosition,
    LocalPosition,
    Scenario,
)

__all__ = [
    "EXAMPLES_DIR",
    "EquipmentLookup",
    "check_references",
    "dump_resolved",
    "example_path",
    "list_examples",
    "load_scenario",
    "load_scenario_text",
    "scenario_json_schema",
    "validate_scenario",
]

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
"""Directory of the shipped example scenarios."""

_YAML_SUFFIXES = (".yaml", ".yml")
_MAX_LISTED = 40  # at most this many valid names are spelled out in a message


class EquipmentLookup(Protocol):
    """What the reference checks need from an equipment database.

    Satisfied by ``triumf.equipment.database.EquipmentDatabase``: ``names(kind)`` lists the
    equipment names of a kind (all kinds for None), ``get(name)`` returns an item with a
    ``kind`` attribute and ``figure(key)`` returning an object with a ``value``.
    """

    def get(self, name: str) -> Any:
        """The equipment called ``name`` (case-insensitive)."""
        ...

    def names(self, kind: str | None = None) -> Iterable[str]:
        """Names of all equipment of ``kind`` (every kind when None)."""
        ...


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def list_examples() -> list[str]:
    """Names of the shipped example scenarios (``demo``, ``saturation``, ...), sorted."""
    return sorted(p.stem for p in EXAMPLES_DIR.glob("*.yaml"))


def example_path(name: str) -> Path:
    """Path of the shipped example ``name``; :class:`ScenarioError` if there is none."""
    available = list_examples()
    by_lower = {n.lower(): n for n in available}
    path = EXAMPLES_DIR / f"{by_lower.get(name.lower(), name)}.yaml"
    if not path.is_file():
        hint = _did_you_mean(name, available)
        raise ScenarioError(
            [
                Issue(
                    None,
                    None,
                    "",
                    f"no shipped example called '{name}'{hint}; examples: "
                    f"{', '.join(available)} (or give a path to a .yaml file)",
                    tuple(available),
                )
            ]
        )
    return path


def load_scenario(
    source: str | os.PathLike[str], db: EquipmentLookup | None = None
) -> tuple[Scenario, SourceMap]:
    """Load and validate a scenario file.

    Parameters
    ----------
    source : str or path-like
        A path to a YAML file, or the bare name of a shipped example (a string with no path
        separator and no ``.yaml``/``.yml`` suffix, e.g. ``"demo"``; see :func:`list_examples`).
    db : EquipmentLookup, optional
        Equipment database for the reference checks. Default: the shipped database plus the
        scenario's ``equipment_dirs`` (``triumf.equipment.database.load_database``).

    Returns
    -------
    scenario : Scenario
        The validated scenario, with ``equipment_dirs`` made absolute (relative entries are
        taken relative to the scenario file's directory).
    source_map : SourceMap
        Field path -> line in the file, to cite lines in later errors.

    Raises
    ------
    ScenarioError
        With every problem found: missing or unreadable file, non-UTF-8 text, YAML syntax,
        disallowed tags, invalid fields, and broken references.
    """
    if isinstance(source, str) and _is_bare_name(source):
        path = example_path(source)
        display = path.name
    else:
        path = Path(source)
        display = str(source)
    try:
        with path.open("rb") as stream:  # read at most one byte past the limit (/dev/zero)
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([Issue(display, None, "", "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Issue(display, None, "", "is a directory, not a scenario file")]
        ) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ScenarioError([Issue(display, None, "", f"cannot read the file: {reason}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError([_too_big(display)])
    text = _decode(raw, display)
    return load_scenario_text(text, file=display, base_dir=path.resolve().parent, db=db)


def load_scenario_text(
    text: str,
    *,
    file: str | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    db: EquipmentLookup | None = None,
) -> tuple[Scenario, SourceMap]:
    """Validate a scenario given as YAML text (see :func:`load_scenario`).

    Parameters
    ----------
    text : str
        The YAML document.
    file : str, optional
        Name cited in errors.
    base_dir : path-like, optional
        Directory that relative ``equipment_dirs`` are resolved against (default: the current
        working directory).
    db : EquipmentLookup, optional
        Equipment database (default: shipped database plus ``equipment_dirs``).
    """
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioError([_too_big(file)])
    data, source_map, issues = _parse_yaml(text, file)
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {_type_name(data)}"
        raise ScenarioError(
            [
                *issues,
                Issue(
                    file,
                    1,
                    "",
                    f"the top level must be a mapping of scenario fields (name, duration_s, "
                    f"origin, assets, battalions, raids, ...), but the file is {what}",
                ),
            ]
        )
    base = Path(base_dir) if base_dir is not None else Path.cwd()

    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(exc, source_map))

    if db is None:
        db, db_issues = _default_database(data, base, source_map)
        issues.extend(db_issues)
    issues.extend(check_references(data, db, source_map))
    if scenario is not None and scenario.terrain is not None:
        scenario = _resolve_terrain(scenario, base, source_map, issues)

    if issues or scenario is None:
        raise ScenarioError(issues)
    dirs = tuple(_resolve_dir(p, base) for p in scenario.equipment_dirs)
    return scenario.model_copy(update={"equipment_dirs": dirs}), source_map


def validate_scenario(scenario: Scenario, db: EquipmentLookup | None = None) -> None:
    """Run the cross-reference checks on a scenario built in code.

    Parameters
    ----------
    scenario : Scenario
        An already-validated model (pydantic checked each object).
    db : EquipmentLookup, optional
        Equipment database; without one only the scenario-internal references are checked.

    Raises
    ------
    ScenarioError
        Listing every broken reference (lines are unknown: the scenario has no file).
    """
    issues = check_references(scenario, db)
    if issues:
        raise ScenarioError(issues)


def check_references(
    data: Mapping[str, Any] | Scenario,
    db: EquipmentLookup | None,
    source_map: SourceMap | None = None,
) -> list[Issue]:
    """The second validation pass: references across the scenario and to the equipment.

    Works on the plain data from the YAML file (tolerating parts that failed validation, which
    are skipped) so that these problems are reported together with pydantic's.

    Checks: unique names (assets, battalions, radars, fire units, raids, friendlies); each
    raid's target is an asset; each battalion's engagement radar is one of its radars and has
    the equipment role ``engagement``; equipment types exist and are of the right kind
    (command_post, radar, launcher, missile, threat, aircraft); ``on_mast`` radars have a
    ``mast_height_m``; loaded missiles fit the launcher
    (``n_large / capacity_large + n_small / capacity_small <= 1``); ``flight_path_angle_deg``
    only for ballistic threats; launches start before the scenario ends.

    Parameters
    ----------
    data : mapping or Scenario
        The scenario as plain data (from YAML) or as a model.
    db : EquipmentLookup or None
        Equipment database; None skips the equipment checks.
    source_map : SourceMap, optional
        For line numbers in the issues.

    Returns
    -------
    list of Issue
        Empty when every reference is good.
    """
    if isinstance(data, Scenario):
        data = data.model_dump(mode="json")
    smap = source_map if source_map is not None else SourceMap(None, {})
    return _ReferenceChecker(data, db, smap).run()


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the scenario file format, for ``triumf schema``."""
    return Scenario.model_json_schema()


def dump_resolved(scenario: Scenario) -> str:
    """YAML text of ``scenario`` with every default filled in (for the run directory).

    Loading the text again gives an equal scenario.
    """
    body = yaml.safe_dump(
        scenario.model_dump(mode="json"),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    header = "# Scenario as resolved by triumf, every default filled in (null: equipment default)\n"
    return header + body


# --------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------


def _is_bare_name(source: str) -> bool:
    seps = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        bool(source)
        and not any(s in source for s in seps)
        and not source.lower().endswith(_YAML_SUFFIXES)
    )


def _too_big(file: str | None) -> Issue:
    return Issue(file, None, "", f"the file is larger than {MAX_FILE_BYTES} bytes (256 KiB), the "
                 "limit for a scenario; terrain belongs in terrain files (terrain.files)")


_TOO_MANY_NODES = (f"more than {MAX_NODES} values in the file (counting every use of an "
                   "*alias), the limit for a scenario")


class _LimitExceeded(Exception):
    """A size limit of :mod:`triumf.scenario.limits` was hit while reading the YAML."""

    def __init__(self, line: int | None, path: str, message: str) -> None:
        super().__init__(message)
        self.line, self.path, self.message = line, path, message


class _ScenarioLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses nesting deeper than ``MAX_NESTING`` and huge integers.

    Depth is counted while composing, before PyYAML's own recursion could overflow; integers
    longer than ``MAX_INT_DIGITS`` digits are refused before Python converts them.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        self.nodes += 1
        try:
            if self.depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise _LimitExceeded(mark.line + 1, "", f"mappings and lists are nested more "
                                     f"than {MAX_NESTING} deep, the limit for a scenario")
            if self.nodes > MAX_NODES:
                mark = self.peek_event().start_mark
                raise _LimitExceeded(mark.line + 1, "", _TOO_MANY_NODES)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if sum(c.isdigit() for c in str(node.value)) > MAX_INT_DIGITS:
            raise _LimitExceeded(node.start_mark.line + 1, "", f"an integer with more than "
                                 f"{MAX_INT_DIGITS} digits; write a smaller number")
        value: int = super().construct_yaml_int(node)
        return value


_ScenarioLoader.add_constructor("tag:yaml.org,2002:int", _ScenarioLoader.construct_yaml_int)


def _decode(raw: bytes, display: str) -> str:
    """UTF-8 text of ``raw`` (a BOM is dropped); ScenarioError citing the line otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(
            [
                Issue(
                    display,
                    line,
                    "",
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at column "
                    f"{column}); save it as UTF-8",
                )
            ]
        ) from None


def _parse_yaml(text: str, file: str | None) -> tuple[Any, SourceMap, list[Issue]]:
    """Plain data, source map and duplicate-key issues of a YAML document (safe loader)."""
    lines: dict[str, int] = {}
    issues: list[Issue] = []
    loader: _ScenarioLoader | None = None
    try:
        loader = _ScenarioLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, SourceMap(file, lines), issues
        lines[""] = node.start_mark.line + 1
        _SourceWalker(file, lines, issues).walk(node, "")
        data = loader.construct_document(node)
    except _LimitExceeded as exc:
        raise ScenarioError([*issues, Issue(file, exc.line, exc.path, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([_yaml_issue(exc, file)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ScenarioError(
            [Issue(file, line, "", f"control character U+{code:04X} is not allowed in YAML")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Issue(file, None, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise ScenarioError([Issue(file, None, "", "the YAML is nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, SourceMap(file, lines), issues


def _yaml_issue(exc: yaml.MarkedYAMLError, file: str | None) -> Issue:
    """Issue for a YAML syntax or constructor error, at the parser's line."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or ""
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = problem.split("tag", 1)[1].strip(" '")
        tag = tag.replace("tag:yaml.org,2002:", "!!")
        return Issue(
            file,
            line,
            "",
            f"YAML tag {tag} is not allowed: scenario files are plain data (mappings, lists, "
            f"strings, numbers, booleans); tags that create Python objects are never executed",
        )
    text = problem
    if exc.context:
        where = ""
        if exc.context_mark is not None and exc.problem_mark is not None:
            if exc.context_mark.line != exc.problem_mark.line:
                where = f" at line {exc.context_mark.line + 1}"
        text = f"{problem} ({exc.context}{where})"
    return Issue(file, line, "", f"YAML syntax error: {text}")


class _SourceWalker:
    """Walk a composed YAML node tree, recording the line of each field path."""

    def __init__(self, file: str | None, lines: dict[str, int], issues: list[Issue]) -> None:
        self.file = file
        self.lines = lines
        self.issues = issues
        self.budget = MAX_NODES
        self.stack: set[int] = set()

    def walk(self, node: yaml.Node, path: str) -> None:
        if id(node) in self.stack:
            return
        if self.budget <= 0:
            raise _LimitExceeded(node.start_mark.line + 1, path, _TOO_MANY_NODES)
        self.budget -= 1
        if isinstance(node, yaml.ScalarNode) and len(str(node.value)) > MAX_STRING_CHARS:
            raise _LimitExceeded(node.start_mark.line + 1, path, f"a value of "
                                 f"{len(str(node.value))} characters; at most "
                                 f"{MAX_STRING_CHARS} are allowed")
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                self._mapping(node, path)
            elif isinstance(node, yaml.SequenceNode):
                for index, item in enumerate(node.value):
                    child = join_path(path, index)
                    self.lines[child] = item.start_mark.line + 1
                    self.walk(item, child)
        finally:
            self.stack.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: str) -> None:
        seen: dict[str, int] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            child = join_path(path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                self.issues.append(
                    Issue(
                        self.file,
                        line,
                        child,
                        f"duplicate key '{key}' (also at line {seen[key]}); give it once",
                    )
                )
            seen[key] = line
            self.lines[child] = line
            self.walk(value_node, child)
        # Keys merged in with `<<: *anchor` point at the anchor, unless written here too.
        for merge in merges:
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                merged: dict[str, int] = {}
                sub = _SourceWalker(self.file, merged, [])
                sub.budget, sub.stack = self.budget, self.stack
                sub.walk(source, path)
                self.budget = sub.budget
                for key, line in merged.items():
                    self.lines.setdefault(key, line)


# --------------------------------------------------------------------------------------------
# Pydantic errors -> issues
# --------------------------------------------------------------------------------------------


def _pydantic_issues(exc: ValidationError, smap: SourceMap) -> list[Issue]:
    issues: list[Issue] = []
    errors = exc.errors(include_url=False)
    for n, err in enumerate(errors):
        if len(issues) >= MAX_ISSUES:
            issues.append(Issue(smap.file, None, "", f"... and up to {len(errors) - n} more "
                                f"problems (only the first {MAX_ISSUES} are listed)"))
            break
        if _spurious_length_error(err):
            continue
        loc, owner, final = _walk_loc(err["loc"])
        path = ""
        for el in loc:
            path = join_path(path, el)
        message, valid = _message(err, loc, owner, final)
        issues.append(smap.issue(path, message, valid))
    return issues


def _spurious_length_error(err: Any) -> bool:
    """A tuple's "too short after validation" error caused only by its invalid items.

    Pydantic checks a tuple's min_length after validating the items, so an invalid item also
    yields a length error; the item's own error is the one to report.
    """
    if err["type"] != "too_short":
        return False
    value = err.get("input")
    least = (err.get("ctx") or {}).get("min_length")
    return isinstance(value, list | tuple) and isinstance(least, int) and len(value) >= least


def _walk_loc(raw_loc: tuple[int | str, ...]) -> tuple[list[int | str], Any, Any]:
    """Clean a pydantic error location and find the types along it.

    Returns the location without union tags and ``[key]`` markers, the type that holds the
    last element (a model class, for listing valid fields) and the type of the last element.
    """
    current: Any = Scenario
    owner: Any = None
    loc: list[int | str] = []
    for el in raw_loc:
        current = _unwrap(current)
        if _is_position_union(current) and el in POSITION_TAGS:
            current = GeodeticPosition if el == "geodetic" else LocalPosition
            continue
        if el == "[key]":
            current = str
            continue
        loc.append(el)
        owner = current
        current = _child_type(current, el)
    return loc, owner, _unwrap(current)


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``Optional`` wrappers from a type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _is_position_union(tp: Any) -> bool:
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return False
    members: set[Any] = {_unwrap(a) for a in typing.get_args(tp)}
    expected: set[Any] = {GeodeticPosition, LocalPosition}
    return members == expected


def _child_type(tp: Any, el: int | str) -> Any:
    """Type of element ``el`` (field name or index) of a value of type ``tp``; None if unknown."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        field = tp.model_fields.get(str(el))
        return field.annotation if field is not None else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple) and args:
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return args[el] if isinstance(el, int) and 0 <= el < len(args) else None
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _message(err: Any, loc: list[int | str], owner: Any, final: Any) -> tuple[str, tuple[str, ...]]:
    """Plain-language message and valid choices for one pydantic error."""
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = err.get("input")
    got = f" (got {_show(value)})"
    if kind == "missing":
        return "is required", ()
    if kind == "extra_forbidden":
        name = str(loc[-1]) if loc else "?"
        fields: list[str] = []
        if isinstance(owner, type) and issubclass(owner, BaseModel):
            fields = list(owner.model_fields)
        return (
            f"unknown field '{name}'{_did_you_mean(name, fields)}; valid fields: "
            f"{', '.join(fields)}",
            tuple(fields),
        )
    if kind == POSITION_FORM_ERROR:
        return _position_message(value), ()
    if kind == "literal_error":
        options = [str(a) for a in typing.get_args(final)] if final is not None else []
        if typing.get_origin(final) is typing.Literal and options:
            return f"must be one of {', '.join(options)}{got}", tuple(options)
        return f"must be one of {ctx.get('expected', '?')}{got}", ()
    bounds = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be greater than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
    }
    if kind in bounds:
        text, key = bounds[kind]
        return f"{text} {_num(ctx.get(key))}{got}", ()
    simple = {
        "int_parsing": "must be a whole number",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "float_type": "must be a number",
        "finite_number": "must be a finite number",
        "bool_parsing": "must be true or false",
        "bool_type": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "tuple_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping of fields",
        "model_attributes_type": "must be a mapping of fields",
        "path_type": "must be a path",
    }
    if kind == "string_type" and "[key]" in err["loc"]:
        return f"keys must be text{got}", ()
    if kind in simple:
        return f"{simple[kind]}{got}", ()
    if kind == "string_too_short":
        return "must not be empty", ()
    if kind == "string_too_long":
        return f"must have at most {ctx.get('max_length')} characters", ()
    if kind in ("too_short", "too_long"):
        least = ctx.get("min_length")
        most = ctx.get("max_length")
        actual = ctx.get("actual_length")
        if kind == "too_short" and least is not None:
            text = f"must have at least {least} item{'s' if least != 1 else ''}"
        else:
            text = f"must have at most {most} item{'s' if most != 1 else ''}"
        return f"{text} (got {actual})", ()
    if kind == "value_error":
        msg = str(err["msg"])
        return msg.removeprefix("Value error, "), ()
    return f"{err['msg']}{got}", ()


def _position_message(value: Any) -> str:
    forms = "geodetic {latitude_deg, longitude_deg, altitude_m} or local {east_m, north_m, up_m}"
    if not isinstance(value, dict):
        return f"must be a position mapping: {forms}" + f" (got {_show(value)})"
    keys = set(map(str, value))
    geodetic = sorted(keys & GEODETIC_KEYS)
    local = sorted(keys & LOCAL_KEYS)
    if geodetic and local:
        return (
            f"mixes geodetic ({', '.join(geodetic)}) and local ({', '.join(local)}) keys; "
            f"a position is {forms}, exactly one form"
        )
    got = ", ".join(sorted(keys)) if keys else "none"
    return f"a position is {forms} (got keys: {got})"


def _show(value: Any) -> str:
    """Short description of a user value for messages."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"'{text}'"
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int | float):
        return _num(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return _type_name(value)


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean '{lowered[close[0]]}'?)" if close else ""


def _listing(names: Iterable[str]) -> str:
    items = sorted(names, key=str.lower)
    if not items:
        return "(none)"
    if len(items) > _MAX_LISTED:
        return ", ".join(items[:_MAX_LISTED]) + f", ... ({len(items)} in all)"
    return ", ".join(items)


# --------------------------------------------------------------------------------------------
# Equipment database and reference checks
# --------------------------------------------------------------------------------------------


def _resolve_terrain(
    scenario: Scenario, base: Path, smap: SourceMap, issues: list[Issue]
) -> Scenario:
    """Terrain files made absolute (relative to the scenario file) and checked."""
    from triumf.scenario.terrain_files import check_dem_file

    spec = scenario.terrain
    assert spec is not None
    files = tuple(_resolve_dir(p, base) for p in spec.files)
    for index, path in enumerate(files):
        problem = check_dem_file(path)
        if problem is not None:
            issues.append(smap.issue(join_path("terrain.files", index), problem))
    return scenario.model_copy(update={"terrain": spec.model_copy(update={"files": files})})


def _resolve_dir(path: str | os.PathLike[str], base: Path) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (base / p).resolve()


def _default_database(
    data: Mapping[str, Any], base: Path, smap: SourceMap
) -> tuple[EquipmentLookup | None, list[Issue]]:
    """The shipped database plus the scenario's (valid, existing) equipment_dirs."""
    from triumf.equipment.database import EquipmentError, load_database

    issues: list[Issue] = []
    dirs: list[Path] = []
    raw = data.get("equipment_dirs", [])
    if isinstance(raw, list):
        for index, entry in enumerate(raw):
            if not isinstance(entry, str):
                continue  # pydantic reports the type
            path = _resolve_dir(entry, base)
            if not path.is_dir():
                issues.append(
                    smap.issue(
                        join_path("equipment_dirs", index),
                        f"directory not found: {path}",
                    )
                )
            else:
                dirs.append(path)
    try:
        return load_database(dirs), issues
    except EquipmentError as exc:
        issues.append(smap.issue("equipment_dirs", f"equipment database: {exc}"))
        return None, issues


def _figure(equipment: Any, key: str) -> Any:
    """Value of figure ``key`` of an equipment item, or None when it has no such figure."""
    try:
        fig = equipment.figure(key)
    except Exception:  # the database raises its own error type for a missing figure
        return None
    return getattr(fig, "value", fig)


class _ReferenceChecker:
    """Cross-reference checks on plain scenario data (see :func:`check_references`)."""

    def __init__(
        self, data: Mapping[str, Any], db: EquipmentLookup | None, smap: SourceMap
    ) -> None:
        self.data = data
        self.db = db
        self.smap = smap
        self.issues: list[Issue] = []
        self._kinds: dict[str | None, dict[str, str]] = {}

    # -- helpers ---------------------------------------------------------------------------

    def _add(self, path: str, message: str, valid: Iterable[str] = ()) -> None:
        self.issues.append(self.smap.issue(path, message, valid))

    @staticmethod
    def _items(container: Any, key: str, prefix: str) -> list[tuple[str, dict[str, Any]]]:
        """(path, item) for the mapping items of list ``container[key]``."""
        if not isinstance(container, Mapping):
            return []
        seq = container.get(key)
        if not isinstance(seq, list | tuple):
            return []
        base = join_path(prefix, key)
        return [(join_path(base, i), x) for i, x in enumerate(seq) if isinstance(x, dict)]

    def _names_of(self, kind: str | None) -> dict[str, str]:
        """Lower-case name -> name for the equipment of ``kind``."""
        if kind not in self._kinds:
            assert self.db is not None
            self._kinds[kind] = {str(n).lower(): str(n) for n in self.db.names(kind)}
        return self._kinds[kind]

    def _unique(self, entries: list[tuple[str, dict[str, Any]]], what: str) -> list[str]:
        """Report duplicate ``name`` fields; return the valid names in order."""
        first: dict[str, str] = {}
        for path, item in entries:
            name = item.get("name")
            if not isinstance(name, str):
                continue
            if name in first:
                where = self.smap.line(first[name])
                also = f"line {where}" if where is not None else first[name]
                self._add(
                    join_path(path, "name"),
                    f"duplicate {what} name '{name}' (also used at {also}); names must be unique",
                )
            else:
                first[name] = join_path(path, "name")
        return list(first)

    def _equipment(self, path: str, name: Any, kind: str) -> Any:
        """Check that ``name`` is equipment of ``kind``; return the item or None."""
        if self.db is None or not isinstance(name, str):
            return None
        label = kind.replace("_", " ")
        right = self._names_of(kind)
        if name.lower() in right:
            return self.db.get(right[name.lower()])
        valid = sorted(right.values(), key=str.lower)
        everything = self._names_of(None)
        if name.lower() in everything:
            actual = self.db.get(everything[name.lower()])
            other = str(getattr(actual, "kind", "another kind")).replace("_", " ")
            self._add(
                path,
                f"'{name}' is a {other}, not a {label}; valid {label} types: {_listing(valid)}",
                valid,
            )
        else:
            self._add(
                path,
                f"unknown {label} type '{name}'{_did_you_mean(name, valid)}; valid {label} "
                f"types: {_listing(valid)}",
                valid,
            )
        return None

    # -- the checks ------------------------------------------------------------------------

    def run(self) -> list[Issue]:
        data = self.data
        assets = self._items(data, "assets", "")
        asset_names = self._unique(assets, "asset")
        battalions = self._items(data, "battalions", "")
        self._unique(battalions, "battalion")
        radars = [r for path, b in battalions for r in self._items(b, "radars", path)]
        self._unique(radars, "radar")
        units = [u for path, b in battalions for u in self._items(b, "fire_units", path)]
        self._unique(units, "fire unit")
        raids = self._items(data, "raids", "")
        self._unique(raids, "raid")
        friendlies = self._items(data, "friendlies", "")
        self._unique(friendlies, "friendly")

        for path, battalion in battalions:
            self._battalion(path, battalion)
        for path, raid in raids:
            self._raid(path, raid, asset_names)
        for path, friendly in friendlies:
            self._equipment(join_path(path, "aircraft"), friendly.get("aircraft"), "aircraft")
        doctrine = data.get("doctrine") if isinstance(data, Mapping) else None
        if isinstance(doctrine, Mapping):
            for key in ("engagement_zones", "reserve_rounds"):
                table = doctrine.get(key)
                if isinstance(table, Mapping):
                    for missile_type in table:
                        self._equipment(join_path(join_path("doctrine", key), missile_type),
                                        missile_type, "missile")
        self._jammers(raids)
        return self.issues

    def _jammers(self, raids: list[tuple[str, dict[str, Any]]]) -> None:
        """Jammer types are jammers, carriers are raids, the surface is a surface."""
        env = self.data.get("environment")
        # the default surface (shipped "Land") is not re-checked, so that a resolved dump
        # loads against any database
        if isinstance(env, Mapping) and str(env.get("surface", "Land")).lower() != "land":
            self._equipment("environment.surface", env.get("surface"), "surface")
        jammers = self._items(self.data, "jammers", "")
        self._unique(jammers, "jammer")
        raid_names = [r.get("name") for _, r in raids if isinstance(r.get("name"), str)]
        for path, jam in jammers:
            self._equipment(join_path(path, "type"), jam.get("type"), "jammer")
            carrier = jam.get("carried_by")
            if isinstance(carrier, str) and carrier not in raid_names:
                valid = [str(n) for n in raid_names]
                self._add(join_path(path, "carried_by"),
                          f"no raid named '{carrier}'{_did_you_mean(carrier, valid)}; "
                          f"raids: {_listing(valid)}", valid)

    def _battalion(self, path: str, battalion: dict[str, Any]) -> None:
        post = battalion.get("command_post")
        if isinstance(post, dict):
            cp_path = join_path(path, "command_post")
            self._equipment(join_path(cp_path, "type"), post.get("type"), "command_post")

        radar_items = self._items(battalion, "radars", path)
        radar_equipment: dict[str, Any] = {}
        radar_types: dict[str, str] = {}
        for rpath, radar in radar_items:
            item = self._equipment(join_path(rpath, "type"), radar.get("type"), "radar")
            if isinstance(radar.get("name"), str):
                radar_equipment[radar["name"]] = item
                radar_types[radar["name"]] = str(radar.get("type"))
            if item is not None and radar.get("on_mast") is True:
                if _figure(item, "mast_height_m") is None:
                    self._add(
                        join_path(rpath, "on_mast"),
                        f"{radar.get('type')} has no mast (no mast_height_m in the equipment "
                        f"database); give antenna_height_m instead",
                    )

        chosen = battalion.get("engagement_radar")
        if isinstance(chosen, str) and radar_items:
            epath = join_path(path, "engagement_radar")
            names = [r["name"] for _, r in radar_items if isinstance(r.get("name"), str)]
            engagement = [
                n
                for n in names
                if radar_equipment.get(n) is not None
                and _figure(radar_equipment[n], "role") == "engagement"
            ]
            if chosen not in names:
                bname = battalion.get("name", "?")
                self._add(
                    epath,
                    f"'{chosen}' is not a radar of battalion '{bname}'"
                    f"{_did_you_mean(chosen, names)}; its radars: {_listing(names)}",
                    names,
                )
            elif radar_equipment.get(chosen) is not None:
                role = _figure(radar_equipment[chosen], "role")
                if role != "engagement":
                    self._add(
                        epath,
                        f"radar '{chosen}' ({radar_types.get(chosen, '?')}) has role {role}, "
                        f"but the engagement radar needs role engagement; engagement radars "
                        f"of this battalion: {_listing(engagement)}",
                        engagement,
                    )

        for upath, unit in self._items(battalion, "fire_units", path):
            self._fire_unit(upath, unit)

    def _fire_unit(self, path: str, unit: dict[str, Any]) -> None:
        launcher = self._equipment(join_path(path, "launcher"), unit.get("launcher"), "launcher")
        missiles = unit.get("missiles")
        if not isinstance(missiles, dict):
            return
        mpath = join_path(path, "missiles")
        load = {"large": 0, "small": 0}
        complete = True
        for missile_type, count in missiles.items():
            item = self._equipment(join_path(mpath, missile_type), missile_type, "missile")
            if item is None or not isinstance(count, int) or isinstance(count, bool):
                complete = False
                continue
            size = _figure(item, "size_class")
            if size not in load:
                complete = False
                continue
            load[size] += max(count, 0)
        if launcher is None or not complete:
            return
        cap_large = _figure(launcher, "capacity_large")
        cap_small = _figure(launcher, "capacity_small")
        if cap_large is None or cap_small is None:
            return
        used = 0.0
        for size, cap in (("large", float(cap_large)), ("small", float(cap_small))):
            if load[size] == 0:
                continue
            used += load[size] / cap if cap > 0 else float("inf")
        if used > 1.0 + 1e-9:
            self._add(
                mpath,
                f"the missiles do not fit launcher {unit.get('launcher')}: "
                f"{load['large']}/{_num(float(cap_large))} large + "
                f"{load['small']}/{_num(float(cap_small))} small = {used:.3g} of its "
                f"capacity (must be at most 1)",
            )

    def _raid_manoeuvres(self, path: str, raid: dict[str, Any], profile: dict[str, Any],
                         threat: Any) -> None:
        """A raid's manoeuvre choices need the threat's figures for them."""
        needs = {"s-turn": "s_turn_amplitude_m", "weave": "terminal_weave_g"}
        choice = profile.get("terminal_manoeuvre")
        here = join_path(path, "profile")
        if isinstance(choice, str) and choice in needs and _figure(threat, needs[choice]) is None:
            self._add(join_path(here, "terminal_manoeuvre"),
                      f"'{choice}' needs the figure {needs[choice]}, which "
                      f"{raid.get('threat')} does not give; use none or a threat that has it")
        if profile.get("evasive_break") is True and _figure(threat, "break_range_m") is None:
            self._add(join_path(here, "evasive_break"),
                      f"{raid.get('threat')} has no break_range_m figure; remove evasive_break")
        if profile.get("terrain_following") is True and _figure(threat, "category") == "ballistic":
            self._add(join_path(here, "terrain_following"),
                      "applies to route flyers only (cruise missiles, aircraft, drones), "
                      f"not to ballistic {raid.get('threat')}")

    def _raid(self, path: str, raid: dict[str, Any], asset_names: list[str]) -> None:
        target = raid.get("target")
        if isinstance(target, str) and target not in asset_names:
            self._add(
                join_path(path, "target"),
                f"unknown asset '{target}'{_did_you_mean(target, asset_names)}; assets: "
                f"{_listing(asset_names)}",
                asset_names,
            )
        threat = self._equipment(join_path(path, "threat"), raid.get("threat"), "threat")
        profile = raid.get("profile")
        if threat is not None and isinstance(profile, dict):
            angle = profile.get("flight_path_angle_deg")
            category = _figure(threat, "category")
            if angle is not None and category is not None and category != "ballistic":
                self._add(
                    join_path(join_path(path, "profile"), "flight_path_angle_deg"),
                    f"applies to ballistic threats only ({raid.get('threat')} is {category})",
                )
            self._raid_manoeuvres(path, raid, profile, threat)
        window = raid.get("launch_window_s")
        duration = self.data.get("duration_s")
        if (
            isinstance(window, list | tuple)
            and window
            and isinstance(window[0], int | float)
            and isinstance(duration, int | float)
            and not isinstance(duration, bool)
            and window[0] >= duration
        ):
            self._add(
                join_path(path, "launch_window_s"),
                f"starts at {_num(window[0])} s, after the scenario ends "
                f"(duration_s = {_num(duration)})",
            )

"""Tests of scenario loading (triumf.scenario.load): examples, errors with lines, YAML safety."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymap3d
import pytest
import yaml

from scenario_texts import BASE_ASSET, BATTALION_BN, ORIGIN
from triumf.scenario.errors import Issue, ScenarioError, SourceMap
from triumf.scenario.load import (
    check_references,
    dump_resolved,
    list_examples,
    load_scenario,
    load_scenario_text,
    scenario_json_schema,
    validate_scenario,
)
from triumf.scenario.schema import GeodeticPosition, LocalPosition, Scenario

# ------------------------------------------------------------------------------------------
# A stand-in equipment database (the real one is triumf.equipment.database)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figure:
    value: Any


@dataclass(frozen=True)
class _Item:
    name: str
    kind: str
    figures: dict[str, Any] = field(default_factory=dict)

    def figure(self, key: str) -> _Figure:
        return _Figure(self.figures[key])


class StandInDatabase:
    """Just enough of the equipment database for the reference checks."""

    def __init__(self) -> None:
        items = [
            _Item("55K6E", "command_post"),
            _Item("91N6E", "radar", {"role": "search"}),
            _Item("96L6E", "radar", {"role": "search", "mast_height_m": 39.0}),
            _Item("92N6E", "radar", {"role": "engagement"}),
            _Item("5P85SE2", "launcher", {"capacity_large": 4, "capacity_small": 16}),
            _Item("5P85TE2", "launcher", {"capacity_large": 4, "capacity_small": 16}),
            *(
                _Item(n, "missile", {"size_class": "large"})
                for n in ("40N6E", "48N6E", "48N6E2", "48N6E3")
            ),
            *(_Item(n, "missile", {"size_class": "small"}) for n in ("9M96E", "9M96E2")),
            _Item("babur", "threat", {"category": "cruise"}),
            _Item("brahmos", "threat", {"category": "cruise"}),
            _Item("fatah-1", "threat", {"category": "ballistic"}),
            _Item("fatah-2", "threat", {"category": "ballistic"}),
            _Item("shahed", "threat", {"category": "drone"}),
            _Item("aew", "threat", {"category": "aircraft"}),
            _Item("su-30mki", "aircraft", {"category": "aircraft"}),
        ]
        self._items = {i.name.lower(): i for i in items}

    def get(self, name: str) -> _Item:
        return self._items[name.lower()]

    def names(self, kind: str | None = None) -> list[str]:
        return [i.name for i in self._items.values() if kind is None or i.kind == kind]


DB = StandInDatabase()

VALID = (
    "name: test\nduration_s: 600\n" + ORIGIN + "assets:\n" + BASE_ASSET
    + """\
  - name: town
    position: {latitude_deg: 30.1, longitude_deg: 75.1}
    value: 5
    radius_m: 3000
"""
    + BATTALION_BN
    + """\
raids:
  - name: cm
    threat: babur
    count: 4
    launch_area:
      center: {east_m: -100000, north_m: 0}
      radius_m: 1000
    launch_window_s: [0, 30]
    target: base
"""
)


def line_of(text: str, needle: str) -> int:
    """1-based line of the only line containing ``needle`` in ``text``."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def load_text(text: str, tmp_path: Path, name: str = "s.yaml") -> tuple[Scenario, SourceMap]:
    """Write ``text`` to a file and load it with the stand-in database."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_scenario(path, db=DB)


def issues_of(text: str, tmp_path: Path) -> list[Issue]:
    """The issues of a scenario that must fail to load."""
    with pytest.raises(ScenarioError) as info:
        load_text(text, tmp_path)
    return info.value.issues


def real_database() -> Any:
    """The shipped equipment database, or skip when it is not available yet."""
    module = pytest.importorskip("triumf.equipment.database")
    return module.load_database()


# ------------------------------------------------------------------------------------------
# Shipped examples
# ------------------------------------------------------------------------------------------


def test_examples_are_listed() -> None:
    """The shipped examples are listed by name."""
    assert list_examples() == ["demo", "long-range", "procurement", "ridge", "saturation"]


@pytest.mark.parametrize("name", ["demo", "saturation", "long-range", "ridge", "procurement"])
def test_example_loads_and_validates(name: str) -> None:
    """Every shipped example loads by bare name and passes every check (stand-in database)."""
    scenario, source_map = load_scenario(name, db=DB)
    assert scenario.name == name
    assert source_map.file == f"{name}.yaml"
    assert source_map.line("battalions[0].engagement_radar") is not None


@pytest.mark.parametrize("name", ["demo", "saturation", "long-range", "ridge", "procurement"])
def test_example_validates_against_shipped_equipment(name: str) -> None:
    """Every shipped example validates against the real equipment database."""
    db = real_database()
    scenario, _ = load_scenario(name, db=db)
    assert scenario.name == name
    load_scenario(name)  # the default database is the shipped one


def _enu(position: Any, origin: Any) -> tuple[float, float]:
    if isinstance(position, LocalPosition):
        return position.east_m, position.north_m
    assert isinstance(position, GeodeticPosition)
    e, n, _ = pymap3d.geodetic2enu(
        position.latitude_deg,
        position.longitude_deg,
        0.0,
        origin.latitude_deg,
        origin.longitude_deg,
        0.0,
    )
    return float(e), float(n)


def test_demo_assets_are_20_to_40_km_apart() -> None:
    """The demo's air base and city are 20-40 km apart (pymap3d for the geodetic one)."""
    s, _ = load_scenario("demo", db=DB)
    (a, b) = (_enu(asset.position, s.origin) for asset in s.assets)
    assert 20e3 <= math.dist(a, b) <= 40e3


def test_saturation_outnumbers_the_target_channels() -> None:
    """The saturation raid has 40+ threats, more than the 92N6E's 6 target channels."""
    s, _ = load_scenario("saturation", db=DB)
    assert sum(r.count for r in s.raids) >= 40


def test_long_range_aircraft_starts_about_300_km_out() -> None:
    """The long-range aircraft starts 280-320 km from the battalion, with 40N6E loaded."""
    s, _ = load_scenario("long-range", db=DB)
    raid = s.raids[0]
    start = _enu(raid.launch_area.center, s.origin)
    site = _enu(s.battalions[0].command_post.position, s.origin)
    assert 280e3 <= math.dist(start, site) <= 320e3
    loaded = {m for u in s.battalions[0].fire_units for m, n in u.missiles.items() if n > 0}
    assert "40N6E" in loaded


# ------------------------------------------------------------------------------------------
# Errors with file:line and field paths
# ------------------------------------------------------------------------------------------


def test_valid_template_loads(tmp_path: Path) -> None:
    """The template used by the error tests is itself valid."""
    scenario, smap = load_text(VALID, tmp_path)
    assert scenario.raids[0].count == 4
    assert smap.line("raids[0].count") == line_of(VALID, "count: 4")


def test_five_distinct_errors_are_all_reported_with_lines(tmp_path: Path) -> None:
    """Five different errors give five issues, each at the right line and field path."""
    text = (
        VALID.replace("count: 4", "count: -3")
        .replace("radius_m: 3000", "radius_m: 3000\n    colour: red")
        .replace("type: 92N6E", "type: 92N6X")
        .replace("engagement_radar: engage", "engagement_radar: engage-2")
        .replace("target: base", "target: bsae")
    )
    issues = issues_of(text, tmp_path)
    found = {(i.line, i.field_path) for i in issues}
    expected = {
        (line_of(text, "count: -3"), "raids[0].count"),
        (line_of(text, "colour: red"), "assets[1].colour"),
        (line_of(text, "type: 92N6X"), "battalions[0].radars[1].type"),
        (line_of(text, "engagement_radar:"), "battalions[0].engagement_radar"),
        (line_of(text, "target: bsae"), "raids[0].target"),
    }
    assert found == expected
    assert len(issues) == 5
    assert all(i.file == str(tmp_path / "s.yaml") for i in issues)


def test_issue_format_is_file_line_path_message(tmp_path: Path) -> None:
    """A range error reads 'file:line: path: must be at least N (got X)'."""
    text = VALID.replace("count: 4", "count: -3")
    (issue,) = issues_of(text, tmp_path)
    expected = f"{tmp_path / 's.yaml'}:{line_of(text, 'count: -3')}: raids[0].count: "
    assert issue.format() == expected + "must be at least 1 (got -3)"


def test_scenario_error_formats_one_paragraph_per_issue(tmp_path: Path) -> None:
    """ScenarioError.format() has one line per issue, sorted by line."""
    text = VALID.replace("count: 4", "count: 0").replace("value: 10", "value: -1")
    with pytest.raises(ScenarioError) as info:
        load_text(text, tmp_path)
    lines = info.value.format().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("assets[0].value: must be greater than 0 (got -1)")
    assert lines[1].endswith("raids[0].count: must be at least 1 (got 0)")
    assert str(info.value) == info.value.format()


def test_unknown_field_suggests_the_valid_ones(tmp_path: Path) -> None:
    """A misspelt field is reported with a suggestion and the valid field names."""
    text = VALID.replace("count: 4", "cuont: 4")
    issues = issues_of(text, tmp_path)
    by_path = {i.field_path: i for i in issues}
    assert "did you mean 'count'" in by_path["raids[0].cuont"].message
    assert "count" in by_path["raids[0].cuont"].valid
    assert by_path["raids[0].count"].message == "is required"
    assert by_path["raids[0].count"].line == line_of(text, "- name: cm")


def test_unknown_equipment_lists_valid_names_of_the_right_kind(tmp_path: Path) -> None:
    """An unknown launcher type lists the launcher names (and only those)."""
    text = VALID.replace("launcher: 5P85SE2", "launcher: 5P85XX")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "battalions[0].fire_units[0].launcher"
    assert set(issue.valid) == {"5P85SE2", "5P85TE2"}
    assert "5P85SE2" in issue.message and "5P85TE2" in issue.message


def test_equipment_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    """A missile given as a raid's threat is reported as the wrong kind."""
    text = VALID.replace("threat: babur", "threat: 48N6E2")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "raids[0].threat"
    assert "is a missile, not a threat" in issue.message
    assert "babur" in issue.valid


def test_equipment_names_are_case_insensitive(tmp_path: Path) -> None:
    """Equipment names match the database regardless of case."""
    scenario, _ = load_text(VALID.replace("type: 92N6E", "type: 92n6e"), tmp_path)
    assert scenario.battalions[0].radars[1].type == "92n6e"


def test_engagement_radar_must_have_engagement_role(tmp_path: Path) -> None:
    """Naming a search radar as the engagement radar is an error listing the right ones."""
    text = VALID.replace("engagement_radar: engage", "engagement_radar: search")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "battalions[0].engagement_radar"
    assert issue.valid == ("engage",)


def test_duplicate_names_are_reported(tmp_path: Path) -> None:
    """Two radars with one name in a scenario are an error at the second one."""
    text = VALID.replace("- name: search", "- name: engage")
    issues = issues_of(text, tmp_path)
    dup = [i for i in issues if "duplicate" in i.message]
    assert len(dup) == 1
    assert dup[0].field_path == "battalions[0].radars[1].name"
    assert dup[0].line == line_of(text, "type: 92N6E") - 1


@pytest.mark.parametrize(
    ("missiles", "ok"),
    [
        ("{48N6E2: 4}", True),
        ("{9M96E2: 16}", True),
        ("{48N6E2: 2, 9M96E2: 8}", True),  # 2/4 + 8/16 = 1
        ("{48N6E2: 5}", False),
        ("{48N6E2: 2, 9M96E2: 9}", False),  # 2/4 + 9/16 > 1
        ("{48N6E2: 3, 9M96E2: 4}", True),  # 3/4 + 4/16 = 1
    ],
)
def test_launcher_capacity(missiles: str, ok: bool, tmp_path: Path) -> None:
    """Loads must satisfy n_large/capacity_large + n_small/capacity_small <= 1."""
    text = VALID.replace("{48N6E2: 2, 9M96E2: 8}", missiles)
    if ok:
        load_text(text, tmp_path)
    else:
        (issue,) = issues_of(text, tmp_path)
        assert issue.field_path == "battalions[0].fire_units[0].missiles"


def test_unknown_missile_key_is_reported_at_its_line(tmp_path: Path) -> None:
    """An unknown missile type in a launcher's load points at the missiles line."""
    text = VALID.replace("{48N6E2: 2, 9M96E2: 8}", "{48N6E2: 2, 9M97: 8}")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "battalions[0].fire_units[0].missiles.9M97"
    assert issue.line == line_of(text, "9M97")
    assert "9M96E2" in issue.valid


def test_on_mast_needs_a_mast(tmp_path: Path) -> None:
    """on_mast on a radar without mast_height_m is an error."""
    text = VALID.replace("north_m: 500}", "north_m: 500}\n        on_mast: true")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "battalions[0].radars[0].on_mast"


def test_flight_path_angle_only_for_ballistic(tmp_path: Path) -> None:
    """profile.flight_path_angle_deg on a cruise missile is an error."""
    text = VALID.replace("target: base", "target: base\n    profile: {flight_path_angle_deg: 30}")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "raids[0].profile.flight_path_angle_deg"
    load_text(text.replace("threat: babur", "threat: fatah-1"), tmp_path)


def test_launch_after_the_end_is_reported(tmp_path: Path) -> None:
    """A raid that would launch after the scenario ends is an error."""
    (issue,) = issues_of(VALID.replace("[0, 30]", "[700, 800]"), tmp_path)
    assert issue.field_path == "raids[0].launch_window_s"


def test_mixed_position_reported_with_line(tmp_path: Path) -> None:
    """A position mixing both forms is one issue at the position's line."""
    text = VALID.replace(
        "{latitude_deg: 30.1, longitude_deg: 75.1}", "{latitude_deg: 30.1, east_m: 5}"
    )
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "assets[1].position"
    assert issue.line == line_of(text, "east_m: 5}")
    assert "mixes geodetic" in issue.message


def test_error_inside_position_has_clean_path(tmp_path: Path) -> None:
    """Errors inside a position give the path without pydantic's union tags."""
    text = VALID.replace("latitude_deg: 30.1,", "latitude_deg: 95,")
    (issue,) = issues_of(text, tmp_path)
    assert issue.field_path == "assets[1].position.latitude_deg"
    assert issue.message == "must be at most 90 (got 95)"


def test_one_bad_list_item_gives_one_issue(tmp_path: Path) -> None:
    """An invalid radar is reported once (no extra error about the list's length)."""
    text = VALID.replace("- name: search\n", "- nom: search\n")
    issues = issues_of(text, tmp_path)
    assert {i.field_path for i in issues} == {
        "battalions[0].radars[0].nom",
        "battalions[0].radars[0].name",
    }


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    """A key given twice in one mapping is an error (YAML would silently keep the last)."""
    text = VALID.replace("duration_s: 600", "duration_s: 600\nduration_s: 700")
    (issue,) = issues_of(text, tmp_path)
    assert (issue.field_path, issue.line) == ("duration_s", line_of(text, "duration_s: 700"))


# ------------------------------------------------------------------------------------------
# File-level errors and YAML safety
# ------------------------------------------------------------------------------------------


def test_python_object_tag_is_rejected_without_execution(tmp_path: Path) -> None:
    """!!python/object tags are an error at their line and are never constructed."""
    marker = tmp_path / "executed"
    text = (
        VALID.replace("description", "x")
        + f"description: !!python/object/apply:builtins.open ['{marker}', 'w']\n"
    )
    issues = issues_of(text, tmp_path)
    assert not marker.exists()
    assert len(issues) == 1
    assert issues[0].line == line_of(text, "python/object")
    assert "not allowed" in issues[0].message


def test_non_utf8_file_is_an_error_with_a_line(tmp_path: Path) -> None:
    """Latin-1 bytes give a ScenarioError at the line of the bad byte."""
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("name: test", "name: caf\xe9").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, db=DB)
    (issue,) = info.value.issues
    assert issue.line == line_of(VALID, "name: test")
    assert "UTF-8" in issue.message


@pytest.mark.parametrize(
    "broken",
    [
        "name: x\nassets: [\n  {a: 1}\nraids: 3\n",
        "name: x\nduration_s: 10\n  origin: 5\n",
        "name: 'unterminated\nduration_s: 10\n",
        "name: x\n\tduration_s: 10\n",
    ],
)
def test_broken_yaml_gives_the_parser_line(broken: str, tmp_path: Path) -> None:
    """YAML syntax errors are a ScenarioError at the line PyYAML reports."""
    with pytest.raises(yaml.MarkedYAMLError) as parser:
        yaml.safe_load(broken)
    mark = parser.value.problem_mark
    assert mark is not None
    (issue,) = issues_of(broken, tmp_path)
    assert issue.line == mark.line + 1
    assert issue.message.startswith("YAML syntax error")


def test_control_character_is_an_error_with_a_line(tmp_path: Path) -> None:
    """A control character YAML forbids is reported at its line."""
    text = VALID.replace("name: test", "name: te\x07st")
    (issue,) = issues_of(text, tmp_path)
    assert issue.line == line_of(VALID, "name: test")


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    """A path that does not exist gives 'file not found'."""
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml", db=DB)


def test_unknown_example_lists_the_examples() -> None:
    """A bare name that is not a shipped example lists the examples."""
    with pytest.raises(ScenarioError) as info:
        load_scenario("demmo", db=DB)
    (issue,) = info.value.issues
    assert set(issue.valid) == {"demo", "saturation", "long-range", "ridge", "procurement"}
    assert "did you mean 'demo'" in issue.message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "", "# only a comment\n"])
def test_top_level_must_be_a_mapping(text: str, tmp_path: Path) -> None:
    """A file whose top level is not a mapping (or that is empty) is one clear error."""
    (issue,) = issues_of(text, tmp_path)
    assert "top level must be a mapping" in issue.message


# ------------------------------------------------------------------------------------------
# Resolved dump, schema, equipment_dirs, code-built scenarios
# ------------------------------------------------------------------------------------------


def test_dump_resolved_round_trips(tmp_path: Path) -> None:
    """Loading the resolved dump gives an equal scenario, with defaults written out."""
    scenario, _ = load_scenario("demo", db=DB)
    text = dump_resolved(scenario)
    assert "time_step_s" in text and "aim_error_m" in text
    again, _ = load_text(text, tmp_path, "resolved.yaml")
    assert again == scenario


def test_json_schema_is_json_with_top_level_properties() -> None:
    """The JSON Schema serialises, names every top-level field, and its $refs resolve."""
    schema = json.loads(json.dumps(scenario_json_schema()))
    assert schema["type"] == "object"
    assert set(schema["properties"]) == set(Scenario.model_fields)
    assert {"name", "duration_s", "origin", "assets", "battalions", "raids"} <= set(
        schema["required"]
    )
    assert schema["additionalProperties"] is False
    refs: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(schema)
    assert refs
    for ref in refs:
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in schema["$defs"]


def test_equipment_dirs_are_resolved_relative_to_the_file(tmp_path: Path) -> None:
    """Relative equipment_dirs are made absolute against the scenario file's directory."""
    sub = tmp_path / "scenarios"
    sub.mkdir()
    text = VALID.replace("duration_s: 600", "duration_s: 600\nequipment_dirs: [my-equipment]")
    scenario, _ = load_text(text, sub)
    assert scenario.equipment_dirs == ((sub / "my-equipment").resolve(),)


def test_text_loading_without_a_file(tmp_path: Path) -> None:
    """load_scenario_text validates YAML text and cites the name it is given."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(VALID.replace("count: 4", "count: x"), file="inline", db=DB)
    (issue,) = info.value.issues
    assert issue.format().startswith(f"inline:{line_of(VALID, 'count: 4')}: raids[0].count:")


def test_validate_scenario_checks_references_of_code_built_scenarios() -> None:
    """A scenario built in code with a raid aimed at no asset fails validate_scenario."""
    data = yaml.safe_load(VALID)
    data["raids"][0]["target"] = "elsewhere"
    scenario = Scenario.model_validate(data)
    with pytest.raises(ScenarioError) as info:
        validate_scenario(scenario, DB)
    (issue,) = info.value.issues
    assert (issue.file, issue.line, issue.field_path) == (None, None, "raids[0].target")
    assert set(issue.valid) == {"base", "town"}


def test_check_references_without_database_skips_equipment() -> None:
    """Without a database only the scenario-internal references are checked."""
    data = yaml.safe_load(VALID.replace("type: 92N6E", "type: anything"))
    assert check_references(data, None) == []

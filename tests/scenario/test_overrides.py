"""--set overrides: dotted paths into the scenario, validated like a scenario file."""

import pytest

from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario
from triumf.scenario.overrides import apply_overrides, parse_set


def _demo():
    return load_scenario("demo")[0]


def test_parse_set_reads_yaml_scalars():
    """Values are split on commas and read as YAML scalars."""
    assert parse_set("doctrine.salvo_size=1,2") == ("doctrine.salvo_size", [1, 2])
    assert parse_set("doctrine.shoot_look_shoot=true")[1] == [True]


def test_field_of_a_list_applies_to_every_element():
    """raids.count sets the count of every raid."""
    scn = apply_overrides(_demo(), {"raids.count": 3})
    assert {r.count for r in scn.raids} == {3}


def test_list_element_by_index_or_name():
    """raids.0.count and raids.<name>.count set one raid only."""
    demo = _demo()
    name = demo.raids[1].name
    scn = apply_overrides(demo, {"raids.0.count": 3, f"raids.{name}.count": 4})
    assert scn.raids[0].count == 3 and scn.raids[1].count == 4
    assert scn.raids[2].count == demo.raids[2].count


def test_unknown_path_names_the_valid_fields():
    """An unknown field is an error that lists the valid ones."""
    with pytest.raises(ScenarioError, match="unknown field 'salvo'.*salvo_size"):
        apply_overrides(_demo(), {"doctrine.salvo": 2})


def test_out_of_range_value_is_rejected_with_the_rule():
    """A value the schema rejects gives the field and the limit."""
    with pytest.raises(ScenarioError, match=r"doctrine.salvo_size.*at most 4"):
        apply_overrides(_demo(), {"doctrine.salvo_size": 9})


def test_malformed_set_is_rejected():
    """A --set without '=' is an error with an example."""
    with pytest.raises(ScenarioError, match="PATH=VALUE"):
        parse_set("raids.count")

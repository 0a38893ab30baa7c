"""Tests of the scenario models (triumf.scenario.schema): ranges, defaults, position forms."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from pydantic import ValidationError

from triumf.scenario.schema import (
    Asset,
    GeodeticPosition,
    LocalPosition,
    Raid,
    Scenario,
)


def minimal() -> dict[str, Any]:
    """A small valid scenario as plain data (what yaml.safe_load would give)."""
    return {
        "name": "t",
        "duration_s": 100.0,
        "origin": {"latitude_deg": 30.0, "longitude_deg": 75.0},
        "assets": [
            {"name": "base", "position": {"east_m": 0, "north_m": 0}, "value": 1, "radius_m": 100}
        ],
        "battalions": [
            {
                "name": "b",
                "command_post": {"type": "55K6E", "position": {"east_m": 0, "north_m": 0}},
                "radars": [
                    {"name": "r", "type": "92N6E", "position": {"east_m": 10, "north_m": 0}}
                ],
                "engagement_radar": "r",
                "fire_units": [
                    {
                        "name": "l",
                        "launcher": "5P85SE2",
                        "position": {"east_m": 0, "north_m": 10},
                        "missiles": {"48N6E2": 4},
                    }
                ],
            }
        ],
        "raids": [
            {
                "name": "raid",
                "threat": "babur",
                "count": 2,
                "launch_area": {"center": {"east_m": -1e5, "north_m": 0}, "radius_m": 0},
                "launch_window_s": [0, 10],
                "target": "base",
            }
        ],
    }


def error_types(exc: ValidationError) -> set[str]:
    """The pydantic error types in a validation error."""
    return {e["type"] for e in exc.errors()}


def with_change(path: list[Any], value: Any) -> dict[str, Any]:
    """The minimal scenario with the item at ``path`` set to ``value``."""
    data = copy.deepcopy(minimal())
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def test_minimal_scenario_is_valid() -> None:
    """The minimal scenario validates."""
    assert Scenario.model_validate(minimal()).name == "t"


def test_defaults_are_the_documented_ones() -> None:
    """Omitted fields take the defaults stated in the file-format description."""
    s = Scenario.model_validate(minimal())
    assert (s.description, s.seed, s.time_step_s, s.equipment_dirs, s.friendlies) == (
        "",
        0,
        0.5,
        (),
        (),
    )
    assert s.origin.altitude_m == 0.0
    d = s.doctrine
    assert (d.salvo_size, d.shoot_look_shoot, d.weapons_control) == (2, True, "free")
    assert (d.keep_out_m, d.reaction_time_s, d.max_rounds_per_target) == (5000.0, None, 4)
    raid = s.raids[0]
    assert raid.waypoints == () and raid.aim_error_m == 0.0
    assert raid.profile.terminal is None and raid.profile.altitude_m is None
    radar = s.battalions[0].radars[0]
    assert radar.on_mast is False and radar.antenna_height_m is None


def test_geodetic_position_parses() -> None:
    """A position with latitude/longitude is geodetic, altitude defaulting to 0."""
    asset = Asset.model_validate(
        {
            "name": "a",
            "position": {"latitude_deg": 30, "longitude_deg": 75},
            "value": 1,
            "radius_m": 1,
        }
    )
    assert isinstance(asset.position, GeodeticPosition)
    assert asset.position.altitude_m == 0.0


def test_local_position_parses() -> None:
    """A position with east/north is local ENU, up defaulting to 0."""
    asset = Asset.model_validate(
        {"name": "a", "position": {"east_m": 5, "north_m": -3}, "value": 1, "radius_m": 1}
    )
    assert isinstance(asset.position, LocalPosition)
    assert (asset.position.east_m, asset.position.north_m, asset.position.up_m) == (5, -3, 0)


@pytest.mark.parametrize(
    "position",
    [
        {"latitude_deg": 30, "longitude_deg": 75, "east_m": 1},
        {"latitude_deg": 30, "longitude_deg": 75, "up_m": 10},
        {"east_m": 1, "north_m": 2, "altitude_m": 3},
    ],
)
def test_mixed_position_forms_are_rejected(position: dict[str, float]) -> None:
    """A position mixing geodetic and local keys is rejected as such."""
    with pytest.raises(ValidationError) as info:
        Asset.model_validate({"name": "a", "position": position, "value": 1, "radius_m": 1})
    assert error_types(info.value) == {"position_form"}


@pytest.mark.parametrize("position", [{}, {"x": 1}, 5, "here", None])
def test_empty_or_unknown_position_is_rejected(position: Any) -> None:
    """A position with neither form (empty, unknown keys, not a mapping) is rejected."""
    with pytest.raises(ValidationError) as info:
        Asset.model_validate({"name": "a", "position": position, "value": 1, "radius_m": 1})
    assert error_types(info.value) == {"position_form"}


def test_incomplete_position_names_the_missing_key() -> None:
    """A local position without north_m reports north_m as missing."""
    with pytest.raises(ValidationError) as info:
        Asset.model_validate({"name": "a", "position": {"east_m": 1}, "value": 1, "radius_m": 1})
    (err,) = info.value.errors()
    assert err["type"] == "missing" and err["loc"][-1] == "north_m"


@pytest.mark.parametrize("latitude", [-90.5, 91.0])
def test_latitude_outside_range_is_rejected(latitude: float) -> None:
    """Latitudes beyond +-90 degrees are rejected."""
    with pytest.raises(ValidationError):
        GeodeticPosition(latitude_deg=latitude, longitude_deg=0.0)


def test_unknown_field_is_rejected() -> None:
    """A misspelt field is an error, not silently ignored (extra='forbid')."""
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(with_change(["raids", 0, "cuont"], 3))
    assert error_types(info.value) == {"extra_forbidden"}


def test_models_are_frozen() -> None:
    """Validated scenarios cannot be modified."""
    s = Scenario.model_validate(minimal())
    with pytest.raises(ValidationError):
        s.duration_s = 5.0  # type: ignore[misc]


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (10000, True), (10001, False)])
def test_raid_count_bounds(count: int, ok: bool) -> None:
    """A raid has between 1 and 10000 threats."""
    data = with_change(["raids", 0, "count"], count)
    if ok:
        assert Scenario.model_validate(data).raids[0].count == count
    else:
        with pytest.raises(ValidationError):
            Scenario.model_validate(data)


@pytest.mark.parametrize(("step", "ok"), [(0.04, False), (0.05, True), (5.0, True), (5.01, False)])
def test_time_step_bounds(step: float, ok: bool) -> None:
    """The engine tick is between 0.05 s and 5 s."""
    data = with_change(["time_step_s"], step)
    if ok:
        Scenario.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            Scenario.model_validate(data)


@pytest.mark.parametrize("duration", [0.0, -1.0, 86400.5])
def test_duration_bounds(duration: float) -> None:
    """The duration is positive and at most one day."""
    with pytest.raises(ValidationError):
        Scenario.model_validate(with_change(["duration_s"], duration))


def test_time_step_longer_than_duration_is_rejected() -> None:
    """A tick longer than the whole scenario is an error."""
    data = with_change(["duration_s"], 1.0)
    data["time_step_s"] = 2.0
    with pytest.raises(ValidationError):
        Scenario.model_validate(data)


@pytest.mark.parametrize("window", [[10, 5], [-1, 5], [1], [1, 2, 3]])
def test_bad_launch_window_is_rejected(window: list[float]) -> None:
    """The launch window is [start, end] with 0 <= start <= end."""
    with pytest.raises(ValidationError):
        Scenario.model_validate(with_change(["raids", 0, "launch_window_s"], window))


def test_single_instant_launch_window_is_accepted() -> None:
    """start == end (all launched at once) is valid."""
    data = with_change(["raids", 0, "launch_window_s"], [5, 5])
    assert Scenario.model_validate(data).raids[0].launch_window_s == (5.0, 5.0)


def test_terminal_must_be_a_known_manoeuvre() -> None:
    """profile.terminal is one of none, dive, popup, sea-skim."""
    for terminal in ("none", "dive", "popup", "sea-skim"):
        data = with_change(["raids", 0, "profile"], {"terminal": terminal})
        assert Scenario.model_validate(data).raids[0].profile.terminal == terminal
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(with_change(["raids", 0, "profile"], {"terminal": "loop"}))
    assert error_types(info.value) == {"literal_error"}


def test_on_mast_and_antenna_height_together_are_rejected() -> None:
    """A radar gives its height either explicitly or via on_mast, not both."""
    data = minimal()
    data["battalions"][0]["radars"][0].update(on_mast=True, antenna_height_m=20.0)
    with pytest.raises(ValidationError):
        Scenario.model_validate(data)


def test_friendly_route_needs_two_positions() -> None:
    """A friendly route has at least two positions."""
    friendly = {"name": "f", "aircraft": "su-30mki", "route": [{"east_m": 0, "north_m": 0}]}
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(with_change(["friendlies"], [friendly]))
    assert error_types(info.value) == {"too_short"}
    friendly["route"] = [{"east_m": 0, "north_m": 0}, {"latitude_deg": 30, "longitude_deg": 75}]
    s = Scenario.model_validate(with_change(["friendlies"], [friendly]))
    assert s.friendlies[0].count == 1 and s.friendlies[0].loop is True


def test_salvo_larger_than_round_limit_is_rejected() -> None:
    """salvo_size may not exceed max_rounds_per_target."""
    data = with_change(["doctrine"], {"salvo_size": 3, "max_rounds_per_target": 2})
    with pytest.raises(ValidationError):
        Scenario.model_validate(data)


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_non_finite_numbers_are_rejected(value: float) -> None:
    """YAML .inf / .nan are not valid numbers in a scenario."""
    with pytest.raises(ValidationError):
        Scenario.model_validate(with_change(["assets", 0, "value"], value))


def test_missing_required_lists_are_reported() -> None:
    """assets, battalions and raids are required; assets and battalions non-empty."""
    data = minimal()
    del data["raids"]
    data["assets"] = []
    data["battalions"] = []
    with pytest.raises(ValidationError) as info:
        Scenario.model_validate(data)
    assert {(e["loc"], e["type"]) for e in info.value.errors()} == {
        (("raids",), "missing"),
        (("assets",), "too_short"),
        (("battalions",), "too_short"),
    }


def test_model_positions_accept_model_instances() -> None:
    """Scenarios can be built in code with position models as well as mappings."""
    raid = Raid(
        name="r",
        threat="babur",
        count=1,
        launch_area={"center": LocalPosition(east_m=1.0, north_m=2.0), "radius_m": 0.0},
        launch_window_s=(0.0, 1.0),
        target="base",
        waypoints=(GeodeticPosition(latitude_deg=1.0, longitude_deg=2.0),),
    )
    assert isinstance(raid.launch_area.center, LocalPosition)
    assert isinstance(raid.waypoints[0], GeodeticPosition)

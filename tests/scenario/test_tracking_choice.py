"""The scenario's tracking section: tracker choice reaches TrackerParams, bad values are named."""

from __future__ import annotations

import pytest

from triumf.equipment.database import load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import example_path, load_scenario_text


def _demo_with(extra: str) -> str:
    return example_path("demo").read_text(encoding="utf-8") + "\n" + extra


def test_tracking_section_selects_jpda() -> None:
    """association: jpda and its figures reach the compiled tracker parameters (SI)."""
    text = _demo_with(
        "tracking:\n  association: jpda\n  jpda_detection_probability: 0.7\n"
        "  jpda_clutter_density_per_km3: 0.01\n"
    )
    scn, _ = load_scenario_text(text, file="s.yaml", base_dir=example_path("demo").parent)
    tracker = compile_scenario(scn, load_database()).tracker
    assert tracker.association == "jpda"
    assert tracker.jpda_pd == 0.7
    assert tracker.jpda_clutter_density_m3 == pytest.approx(0.01 / 1e9)


def test_unknown_association_names_field_and_choices() -> None:
    """An unknown association is reported at tracking.association with the valid names."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(_demo_with("tracking:\n  association: mht\n"), file="s.yaml",
                           base_dir=example_path("demo").parent)
    text = info.value.format()
    assert "s.yaml" in text and "tracking.association" in text
    assert "gnn" in text and "jpda" in text


def test_imm_with_jpda_is_refused() -> None:
    """motion_model imm with association jpda is reported at tracking.association."""
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(_demo_with("tracking:\n  motion_model: imm\n  association: jpda\n"),
                           file="s.yaml", base_dir=example_path("demo").parent)
    assert "tracking.association" in info.value.format()
    assert "must be gnn when motion_model is imm" in info.value.format()

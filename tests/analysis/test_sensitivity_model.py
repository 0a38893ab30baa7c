"""The simulator as a sensitivity model: common random numbers at every design point."""

from pathlib import Path

import numpy as np
import pytest

from triumf.analysis.sensitivity_model import OUTPUTS, ScenarioModel
from triumf.analysis.sensitivity_params import estimate_parameters
from triumf.equipment.database import load_database
from triumf.scenario.load import load_scenario
from triumf.scenario.overrides import apply_overrides

SMALL = Path(__file__).resolve().parents[2] / "docs" / "examples" / "sensitivity-small.yaml"


@pytest.mark.slow
def test_inert_figure_leaves_outputs_unchanged_under_common_random_numbers():
    """With one missile type its cost cannot change a decision: both ends give equal outputs."""
    scn, _ = load_scenario(str(SMALL))
    scn = apply_overrides(scn, {"duration_s": 80.0})  # first salvoes, not the whole raid
    db = load_database(scn.equipment_dirs)
    params = estimate_parameters(scn, db, ["missile.*.cost_usd"])
    model = ScenarioModel(scn, db, params, replications=1)
    y = model(np.array([[params[0].low], [params[0].high]]))
    assert y.shape == (2, len(OUTPUTS))
    assert np.array_equal(y[0], y[1])
    hostile = sum(r.count for r in scn.raids)
    assert np.allclose(y[:, 1] * hostile, y[:, 0])  # leak probability = leakers / threats

"""The saturation curve: larger raids never leak significantly less (Wilson intervals)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from procurement_fixtures import write_tiny

from triumf.analysis.layout import deploy
from triumf.analysis.procurement import saturation_curve
from triumf.equipment.database import load_database
from triumf.scenario.load import load_scenario


@pytest.mark.slow
def test_saturation_curve_monotone_within_intervals(tmp_path: Path) -> None:
    """For raid sizes n_i < n_j, the leak interval at n_j never lies wholly below that at n_i."""
    db = load_database()
    scn, _ = load_scenario(str(write_tiny(tmp_path)))
    dep = deploy(scn, db, np.zeros((1, 2)), ["A"], {"9M96E2": 8})
    rows = saturation_curve(dep, db, [1.0, 4.0, 8.0], replications=4)
    assert [r["threats"] for r in rows] == [2, 8, 16]
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            assert b["leak_high"] >= a["leak_low"]
    assert all(0.0 <= r["leak_low"] <= r["leak_probability"] <= r["leak_high"] <= 1.0
               for r in rows)


@pytest.mark.slow
def test_options_do_not_depend_on_workers(tmp_path: Path) -> None:
    """Evaluating options on two processes gives the same results as on one."""
    from triumf.analysis.procurement import evaluate_many

    db = load_database()
    scn, _ = load_scenario(str(write_tiny(tmp_path)))
    jobs = [(str(n), deploy(scn, db, np.zeros((1, 2)), ["A"], {"9M96E2": n})) for n in (4, 8)]
    one = evaluate_many(jobs, db, 2, workers=1)
    two = evaluate_many(jobs, db, 2, workers=2)
    assert [r.leakers.tolist() for r in one] == [r.leakers.tolist() for r in two]

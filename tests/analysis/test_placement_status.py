"""The placement MILP reports HiGHS's status precisely (time limit, infeasible, failure)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import OptimizeResult, milp

import triumf.analysis.placement as placement

REACH = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]], bool)
WEIGHTS = np.array([1.0, 2.0, 3.0])


def _patched(monkeypatch, status: int, keep_x: bool, message: str) -> None:
    """Replace milp by the real one whose first answer gets another status (and maybe no x)."""
    calls = {"n": 0}

    def fake(*args, **kwargs):
        res = milp(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 1:
            res = OptimizeResult(dict(res, status=status, message=message,
                                      x=res.x if keep_x else None))
        return res

    monkeypatch.setattr(placement, "milp", fake)


def test_time_limited_layout_is_not_reported_optimal(monkeypatch) -> None:
    """A layout found when the time limit stops HiGHS is returned with optimal=False."""
    _patched(monkeypatch, 1, True, "Time limit reached. (HiGHS Status 13)")
    sol = placement.solve_placement(REACH, WEIGHTS, 2)
    assert not sol.optimal and "Time limit" in sol.status


def test_time_limit_without_layout_says_time_limit(monkeypatch) -> None:
    """No layout before the time limit is reported as such, not as a budget problem."""
    _patched(monkeypatch, 1, False, "Time limit reached.")
    with pytest.raises(ValueError, match="time limit"):
        placement.solve_placement(REACH, WEIGHTS, 2, site_cost_usd=np.ones(3), budget_usd=5.0)


def test_other_failure_with_affordable_budget_is_not_a_budget_error(monkeypatch) -> None:
    """A solver failure with a budget that fits is reported with HiGHS's message."""
    _patched(monkeypatch, 4, False, "numerical trouble")
    with pytest.raises(ValueError, match="numerical trouble") as exc:
        placement.solve_placement(REACH, WEIGHTS, 2, site_cost_usd=np.ones(3), budget_usd=5.0)
    assert "budget" not in str(exc.value)


def test_proven_optimum_is_reported_optimal() -> None:
    """Without a time limit hit the solution is flagged optimal and matches enumeration."""
    sol = placement.solve_placement(REACH, WEIGHTS, 2)
    best, _ = placement.brute_force_placement(REACH, WEIGHTS, 2)
    assert sol.optimal and sol.value == pytest.approx(best)

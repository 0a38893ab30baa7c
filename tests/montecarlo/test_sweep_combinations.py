"""triumf sweep checks every combination of --set values before running anything."""

import pytest
from typer.testing import CliRunner

from triumf.cli import app
from triumf.equipment.database import load_database
from triumf.montecarlo.sweep import run_sweep
from triumf.scenario.errors import ScenarioError

runner = CliRunner()
# each value is valid alone in the 60 s small scenario; duration 10 s with a 30 s step is not
SETS = ["--set", "duration_s=10,60", "--set", "time_step_s=1,30"]


def test_bad_combination_exits_2_naming_it_before_running(small_file, tmp_path):
    """Two values valid alone but not together: exit 2, the combination and field named."""
    res = runner.invoke(app, ["sweep", str(small_file), *SETS, "-n", "1",
                              "--out", str(tmp_path / "s")])
    assert res.exit_code == 2
    assert "duration_s=10 time_step_s=30" in res.output and "time_step_s" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "s").exists()


def test_run_sweep_rejects_a_bad_combination_before_writing(small, tmp_path):
    """The Python API raises ScenarioError for the combination and creates no directory."""
    scn, _, _ = small
    with pytest.raises(ScenarioError, match="duration_s=10 time_step_s=30"):
        run_sweep(scn, load_database(), {"duration_s": [10, 60], "time_step_s": [1, 30]},
                  tmp_path / "s", 1)
    assert not (tmp_path / "s").exists()

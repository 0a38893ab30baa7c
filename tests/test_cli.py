"""The command line: exit codes, error messages, run directory contents."""

import json
import subprocess
import sys

import pyarrow.parquet as pq
from typer.testing import CliRunner

from scenario_texts import ASSET_A, ORIGIN, battalion_b
from triumf.cli import app

runner = CliRunner()

# five lines, then the eight of the battalion: "count: -3" stays on line 17
BAD = (
    "name: bad\nduration_s: 100\n" + ORIGIN
    + "assets:\n" + ASSET_A
    + battalion_b("{name: L, launcher: 5P85SE2, position: {east_m: 0, north_m: 0}, "
                  "missiles: {48N6E: 4}}")
    + """\
raids:
  - name: x
    threat: babur
    count: -3
    launch_area: {center: {east_m: 1000, north_m: 0}, radius_m: 0}
    launch_window_s: [0, 0]
    target: Nowhere
"""
)


def test_malformed_scenario_exits_2_with_file_line_and_field(tmp_path):
    """A bad scenario gives exit code 2 and names the file, line and field, no traceback."""
    f = tmp_path / "bad.yaml"
    f.write_text(BAD)
    proc = subprocess.run([sys.executable, "-m", "triumf.cli", "validate", str(f)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    text = proc.stdout + proc.stderr
    assert "Traceback" not in text
    assert "bad.yaml:17" in text and "raids[0].count" in text
    assert "raids[0].target" in text and "Nowhere" in text


def test_schema_is_json_with_scenario_properties():
    """`triumf schema` prints a JSON Schema naming the top-level fields."""
    res = runner.invoke(app, ["schema"])
    assert res.exit_code == 0
    props = json.loads(res.stdout)["properties"]
    assert {"assets", "battalions", "raids", "doctrine", "origin"} <= set(props)


def test_run_writes_directory_and_refuses_to_overwrite(tmp_path):
    """A run writes its six outputs; a second run to the same place needs --force."""
    out = tmp_path / "run"
    res = runner.invoke(app, ["run", "long-range", "-n", "2", "--out", str(out), "--json",
                              "--workers", "1"])  # one batch: recorded during the run
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["replications"] == 2
    assert {p.name for p in out.iterdir()} == {"scenario.yaml", "events.parquet",
                                               "outcomes.parquet", "summary.json",
                                               "trajectories.parquet", "report.html"}
    outcomes = pq.read_table(out / "outcomes.parquet")
    assert outcomes.num_rows == 2 * (summary["threats"] + summary["friendly_aircraft"])
    before = (out / "summary.json").read_text()
    again = runner.invoke(app, ["run", "long-range", "-n", "1", "--out", str(out)])
    assert again.exit_code == 2
    assert (out / "summary.json").read_text() == before


def test_equipment_show_prints_sources():
    """`triumf equipment show 40N6E` lists figures with tags and sources."""
    res = runner.invoke(app, ["equipment", "show", "40N6E"])
    assert res.exit_code == 0
    assert "max_range_m" in res.stdout


def test_unknown_equipment_is_exit_2():
    """An unknown system name is a clear error, exit 2."""
    res = runner.invoke(app, ["equipment", "show", "S-500"])
    assert res.exit_code == 2

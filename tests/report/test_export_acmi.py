"""ACMI export: parsed back by pyacmi, an independent reader."""

from __future__ import annotations

import numpy as np
import pytest
import report_run_fixtures as fx
import yaml
from acmi_oracle import read_acmi, unescape
from typer.testing import CliRunner

from triumf.cli import app
from triumf.report.export_acmi import NoTrajectoriesError, run_acmi, write_acmi
from triumf.report.run_data import load_run, static_sites


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    run = load_run(fx.make_run_dir(tmp_path_factory.mktemp("acmi")))
    path = write_acmi(run, run.path / "out.acmi")
    return run, read_acmi(path)


def test_object_count(parsed):
    """Static sites plus two threats and one interceptor of replication 0; no tracks."""
    run, acmi = parsed
    assert len(acmi.objects) == len(static_sites(run.scenario)) + 3


def test_time_span(parsed):
    """Time frames run from 0 to the last recorded sample."""
    _, acmi = parsed
    assert acmi.timeframes[0] == 0.0
    assert acmi.timeframes[-1] == pytest.approx(fx.T_END)
    assert acmi.timeframes == sorted(acmi.timeframes)


def test_header_and_reference(parsed):
    """File type, version and reference point are the format's and the scenario origin's."""
    run, acmi = parsed
    assert acmi.file_type == "text/acmi/tacview"
    assert acmi.file_version == 2.2
    assert acmi.reference_latitude == pytest.approx(run.origin[0])
    assert acmi.reference_longitude == pytest.approx(run.origin[1])
    assert acmi.reference_time is not None


def test_removals_at_death(parsed):
    """The killed threat and the interceptor are removed when they die; the leaker too."""
    _, acmi = parsed
    removed = sorted(o.removed_at for o in acmi.removed_objects())
    assert removed == pytest.approx(sorted([fx.KILL_T, fx.INTERCEPTOR_SPAN[1], fx.T_END]))


def test_positions_round_trip(parsed):
    """Every position of threat 1 read back equals the table's lon/lat/alt."""
    _, acmi = parsed
    tr = fx.trajectories().to_pylist()
    rows = [r for r in tr if r["replication"] == 0 and r["kind"] == "threat" and r["id"] == 1]
    obj = next(o for o in acmi.objects.values() if o.name and o.name.endswith("/2"))
    for r in rows:
        assert obj.longitude(r["t_s"]) == pytest.approx(r["lon_deg"], abs=2e-7)
        assert obj.latitude(r["t_s"]) == pytest.approx(r["lat_deg"], abs=2e-7)
        assert obj.altitude(r["t_s"]) == pytest.approx(r["alt_m"], abs=0.1)


def test_names_survive(parsed):
    """Names with commas, quotes, < and & come back unchanged."""
    _, acmi = parsed
    names = {unescape(o.name) for o in acmi.objects.values()}
    assert fx.NASTY_ASSET in names
    assert f"{fx.NASTY_RAID}/1" in names
    assert f"9M96E2 {fx.NASTY_UNIT}" in names


def test_coalitions(parsed):
    """Threats are enemies; sites and interceptors allies."""
    _, acmi = parsed
    by_name = {unescape(o.name): o.coalition() for o in acmi.objects.values()}
    assert by_name[f"{fx.NASTY_RAID}/1"] == "Enemies"
    assert by_name[f"9M96E2 {fx.NASTY_UNIT}"] == "Allies"
    assert by_name[fx.NASTY_ASSET] == "Allies"


def test_other_replication(tmp_path):
    """--replication 1 exports replication 1's only object (never removed)."""
    run = load_run(fx.make_run_dir(tmp_path))
    acmi = read_acmi(write_acmi(run, tmp_path / "r1.acmi", replication=1))
    assert len(acmi.objects) == len(static_sites(run.scenario)) + 1
    assert not acmi.removed_objects()


def test_no_trajectories_error(tmp_path):
    """A run without trajectories.parquet: a clear error naming the cause and the fix."""
    run = load_run(fx.make_run_dir(tmp_path, with_trajectories=False))
    with pytest.raises(NoTrajectoriesError, match="no recorded trajectories.*triumf run"):
        run_acmi(run)


def test_cli_no_trajectories_exit_2(tmp_path):
    """The CLI says so with exit code 2 and no traceback."""
    path = fx.make_run_dir(tmp_path, with_trajectories=False)
    res = CliRunner().invoke(app, ["export", str(path), "--format", "acmi"])
    assert res.exit_code == 2
    assert "no recorded trajectories" in res.output
    assert "Traceback" not in res.output


def test_cli_refuses_overwrite(tmp_path):
    """An existing output is kept without --force and replaced with it."""
    path = fx.make_run_dir(tmp_path)
    target = tmp_path / "x.acmi"
    target.write_text("old")
    res = CliRunner().invoke(app, ["export", str(path), "-o", str(target)])
    assert res.exit_code == 2 and "--force" in res.output
    assert target.read_text() == "old"
    res = CliRunner().invoke(app, ["export", str(path), "-o", str(target), "--force", "--json"])
    assert res.exit_code == 0, res.output
    assert target.read_text().startswith("FileType=text/acmi/tacview\nFileVersion=2.2\n")


def test_real_run_parses(tmp_path):
    """A real short run's recorded trajectories export and parse: one object per recorded
    threat or interceptor plus the sites, over the recorded time span."""
    data = yaml.safe_load(fx.scenario_yaml())
    data["duration_s"] = 15.0
    data["raids"][0]["launch_window_s"] = [0.0, 2.0]
    scenario = tmp_path / "small.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    res = CliRunner().invoke(app, ["run", str(scenario), "--out", str(tmp_path / "real"),
                                   "--quiet", "--json"])
    assert res.exit_code == 0, res.output
    run = load_run(tmp_path / "real")
    if run.trajectories is None:
        pytest.skip("this build's 'triumf run' records no trajectories yet")
    rep = run.replications_recorded()[0]
    acmi = read_acmi(write_acmi(run, tmp_path / "real.acmi"))
    tr = [r for r in run.trajectories.to_pylist()
          if r["replication"] == rep and r["kind"] in ("threat", "interceptor")]
    lives = 0
    for key in {(r["kind"], r["id"]) for r in tr}:
        alive = [a for _, a in sorted((r["t_s"], r["alive"]) for r in tr
                                      if (r["kind"], r["id"]) == key)]
        lives += sum(1 for k, a in enumerate(alive) if a and (k == 0 or not alive[k - 1]))
    assert len(acmi.objects) == len(static_sites(run.scenario)) + lives
    t = np.array([r["t_s"] for r in tr])
    assert acmi.timeframes[-1] == pytest.approx(t.max(), abs=1e-3)


def test_reused_slot_gets_new_object(tmp_path):
    """An interceptor slot flown twice becomes two objects, each removed at its death."""
    import pyarrow as pa

    from triumf.report.export_acmi import acmi_text

    base = fx.trajectories().filter(pa.compute.equal(fx.trajectories().column("kind"),
                                                     "interceptor")).to_pylist()
    again = [dict(r, t_s=r["t_s"] + 10.0) for r in base]  # second flight, same slot
    table = pa.Table.from_pylist(base + again, schema=fx.trajectories().schema)
    path = tmp_path / "reuse.acmi"
    path.write_text(acmi_text(table, [], (30.0, 75.0, 200.0)), encoding="utf-8")
    acmi = read_acmi(path)
    assert len(acmi.objects) == 2
    assert sorted(o.removed_at for o in acmi.objects.values()) == pytest.approx(
        [fx.INTERCEPTOR_SPAN[1], fx.INTERCEPTOR_SPAN[1] + 10.0])

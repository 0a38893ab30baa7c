"""Safety of the code itself: YAML only through safe loaders, no pickle/eval/exec, outputs only
under the chosen directory with sanitised names, no overwrite without --force."""

import re
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from triumf.cli import _default_out, app
from triumf.equipment import database
from triumf.scenario import load
from triumf.scenario.limits import safe_file_name

SRC = Path(load.__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analysis"))
runner = CliRunner()


def _sources() -> dict[Path, str]:
    return {p: p.read_text("utf-8") for p in SRC.rglob("*.py")}


def test_yaml_is_read_only_through_safe_loaders():
    """Every YAML read in src/ is yaml.safe_load or a SafeLoader subclass; no unsafe API."""
    unsafe = re.compile(r"yaml\.(unsafe_load|full_load|load_all|Loader\b|FullLoader|UnsafeLoader"
                        r"|CLoader|CFullLoader|CUnsafeLoader)")
    loads = re.compile(r"yaml\.load\(([^)]*)\)")
    for path, text in _sources().items():
        assert not unsafe.search(text), path
        for call in loads.findall(text):
            assert "Loader=_Loader" in call, (path, call)
    safe = (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert issubclass(database._Loader, safe)
    assert issubclass(load._ScenarioLoader, yaml.SafeLoader)


def test_no_pickle_eval_or_exec_in_the_sources():
    """No pickle, marshal, shelve, eval( or exec( anywhere in src/ (user data is never code)."""
    banned = re.compile(r"\bimport (pickle|marshal|shelve|dill|cloudpickle)\b|\bpickle\.loads?\("
                        r"|(?<![\w.])eval\(|(?<![\w.])exec\(|__import__\(|subprocess|os\.system")
    for path, text in _sources().items():
        hits = [m.group(0) for m in banned.finditer(text)]
        assert not hits, (path, hits)


@given(st.text(max_size=300))
def test_sanitised_names_are_one_safe_path_component(name):
    """Any scenario name becomes one path component of letters, digits, '.', '_' and '-'."""
    clean = safe_file_name(name)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,100}", clean)
    assert not clean.startswith((".", "-")) and clean not in (".", "..")


@given(st.text(min_size=1, max_size=100))
def test_default_output_stays_under_the_runs_root(tmp_path_factory, name):
    """The default run directory of any scenario name is a child of the runs root."""
    root = tmp_path_factory.mktemp("runs")
    target = _default_out(name, root)
    assert target.parent == root
    assert target.resolve().parent == root.resolve()


def test_traversing_scenario_name_writes_under_runs(tmp_path, monkeypatch):
    """A scenario called '../../escape' runs into runs/escape, nothing outside."""
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    data = yaml.safe_load((load.EXAMPLES_DIR / "long-range.yaml").read_text("utf-8"))
    data.update(name="../../escape", duration_s=2)
    (work / "s.yaml").write_text(yaml.safe_dump(data))
    res = runner.invoke(app, ["run", "s.yaml", "-n", "1", "--json"])
    assert res.exit_code == 0, res.output
    assert (work / "runs" / "escape" / "summary.json").is_file()
    assert not (tmp_path / "escape").exists() and not (work.parent / "escape").exists()


def test_every_writing_command_refuses_an_existing_directory(tmp_path):
    """run and mc refuse an existing --out without --force, sweep always; nothing is changed."""
    existing = tmp_path / "old"
    existing.mkdir()
    (existing / "keep.txt").write_text("keep")
    for args in (["run", "long-range", "-n", "1"], ["mc", "long-range", "-n", "1"],
                 ["sweep", "long-range", "--set", "seed=1", "-n", "1"]):
        res = runner.invoke(app, [*args, "--out", str(existing)])
        assert res.exit_code == 2, (args, res.output)
        assert "already exists" in res.output or "exists" in res.output
        assert [p.name for p in existing.iterdir()] == ["keep.txt"]


HOSTILE = "../../escaped x$\\undefinedcmd$"
"""A scenario name that climbs out of the output root and is mathtext to matplotlib."""

_SENSITIVITY_SMALL = Path(__file__).resolve().parents[2] / "docs" / "examples" / \
    "sensitivity-small.yaml"


def _hostile_scenario(work: Path, base: str, **changes: object) -> str:
    """Write scenario ``base`` (a shipped name, 'procurement-tiny' or 'sensitivity-small') into
    ``work`` under the hostile name; return its path."""
    if base == "procurement-tiny":
        from procurement_fixtures import TINY

        data = yaml.safe_load(TINY)
    elif base == "sensitivity-small":
        data = yaml.safe_load(_SENSITIVITY_SMALL.read_text("utf-8"))
    else:
        data = yaml.safe_load((load.EXAMPLES_DIR / f"{base}.yaml").read_text("utf-8"))
    data.update(name=HOSTILE, **changes)
    path = work / f"{base}-hostile.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


SCENARIO_COMMANDS = {
    "run": ("long-range", {"duration_s": 2}, ["-n", "1"]),
    "mc": ("long-range", {"duration_s": 2}, ["-n", "2", "--workers", "1"]),
    "sweep": ("long-range", {"duration_s": 2},
              ["--set", "seed=1,2", "-n", "1", "--workers", "1"]),
    "coverage": ("demo", {}, ["--grid", "20", "--extent-km", "40"]),
    "defended-area": ("ridge", {}, ["--threat", "babur", "--grid", "5", "--extent-km", "20",
                                    "--step-m", "2000"]),
    "place": ("procurement-tiny", {}, ["--units", "1", "--replications", "0"]),
    "procure": ("procurement-tiny", {"duration_s": 60},
                ["--max-units", "1", "--loadouts", "full", "--replications", "2",
                 "--workers", "1"]),
    "sensitivity": ("sensitivity-small", {"duration_s": 10},
                    ["--param", "*.pk_max", "--trajectories", "2", "-n", "1",
                     "--resamples", "20"]),
}


_SLOW = ("run", "procure")  # over 10 s on a loaded machine


@pytest.mark.parametrize("command", [pytest.param(c, marks=pytest.mark.slow) if c in _SLOW
                                     else c for c in SCENARIO_COMMANDS])
def test_hostile_scenario_name_writes_only_under_runs(tmp_path, monkeypatch, command):
    """Every command writing a default output keeps a '../../' and '$..$' scenario name under
    runs/ and draws its figures."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    base, changes, args = SCENARIO_COMMANDS[command]
    scenario = _hostile_scenario(work, base, **changes)
    monkeypatch.chdir(work)
    before = _files(tmp_path)
    res = runner.invoke(app, [command, scenario, *args, "--json"])
    assert res.exit_code == 0, res.output
    new = _files(tmp_path) - before
    assert new, "nothing written"
    outside = [p for p in new if not p.is_relative_to(work / "runs")]
    assert not outside, outside


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A run directory (with trajectories) of a scenario with the hostile name."""
    work = tmp_path_factory.mktemp("hostile")
    scenario = _hostile_scenario(work, "long-range", duration_s=20)
    out = work / "runs" / "r"
    res = runner.invoke(app, ["run", scenario, "-n", "1", "--workers", "1", "--out", str(out),
                              "--json"])
    assert res.exit_code == 0, res.output
    return out


RUN_DIR_COMMANDS = {
    "figures": [],
    "export": ["--format", "acmi"],
    "export-kml": ["--format", "kml"],
    "report": [],
}


@pytest.mark.parametrize("command", list(RUN_DIR_COMMANDS))
def test_hostile_scenario_name_writes_only_in_the_run_dir(hostile_run, command):
    """figures, export and report of a run with a hostile scenario name write only inside the
    run directory and draw its figures."""
    root = hostile_run.parent.parent
    before = _files(root)
    name = command.split("-")[0]
    res = runner.invoke(app, [name, str(hostile_run), *RUN_DIR_COMMANDS[command], "--json",
                              *(["--force"] if name == "export" else [])])
    assert res.exit_code == 0, res.output
    new = _files(root) - before
    assert not [p for p in new if not p.is_relative_to(hostile_run)], new

"""Safety of the code itself: YAML only through safe loaders, no pickle/eval/exec, outputs only
under the chosen directory with sanitised names, no overwrite without --force."""

import re
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from triumf.cli import _default_out, app
from triumf.equipment import database
from triumf.scenario import load
from triumf.scenario.limits import safe_file_name

SRC = Path(load.__file__).resolve().parents[1]
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

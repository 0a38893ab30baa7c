"""Fuzzing the command line: bad scenario files and bad arguments exit with code 2, print a
plain error (no traceback) and write nothing; an existing run is left untouched."""

import subprocess
import sys
from pathlib import Path

import yaml
from fuzz_support import check_loader, examples, mutated_example
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()

BAD_FILES = {
    "tag.yaml": b"name: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n",
    "latin1.yaml": "name: caf\xe9\n".encode("latin-1"),
    "bom-bad.yaml": b"\xef\xbb\xbfname: x\nduration_s: -5\n",
    "broken.yaml": b"name: x\nassets: [\n  {a: 1}\nraids: 3\n",
    "empty.yaml": b"",
    "deep.yaml": b"a: " + b"[" * 200 + b"]" * 200 + b"\n",
    "bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                 b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                 b"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    "huge.yaml": b"name: x\n" + b"# padding\n" * 40_000,
    "bigint.yaml": b"name: x\nseed: 1" + b"0" * 5000 + b"\n",
}


def assert_clean_exit_2(res):
    """Exit code 2, a plain message, no traceback, no Python exception escaped."""
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert res.output.strip()


def _write(tmp: Path, name: str, raw: bytes) -> Path:
    path = tmp / name
    path.write_bytes(raw)
    return path


@examples(10)
@given(mutated_example())
def test_validate_on_mutants_exits_0_or_2_without_traceback(tmp_path_factory, case):
    """`triumf validate` on a mutated shipped scenario exits 0 (valid) or 2 with file:field."""
    name, data = case
    path = tmp_path_factory.mktemp("cli") / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    res = runner.invoke(app, ["validate", str(path)])
    if res.exit_code == 0:
        assert "valid" in res.output
        return
    assert_clean_exit_2(res)
    assert str(path) in res.output


@examples(5)
@given(mutated_example(), st.sampled_from(["run", "mc"]))
def test_run_and_mc_on_bad_mutants_write_nothing(tmp_path_factory, case, command):
    """`triumf run`/`mc` on an invalid mutant exit 2 and create no output directory."""
    name, data = case
    tmp = tmp_path_factory.mktemp("cli")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if check_loader(text) == "valid":
        return  # valid scenarios are the simulation tests' business
    path = tmp / f"{name}.yaml"
    path.write_text(text, "utf-8")
    out = tmp / "out"
    res = runner.invoke(app, [command, str(path), "-n", "1", "--out", str(out), "--json",
                              "--runs", str(tmp / "runs")] if command == "mc" else
                        [command, str(path), "-n", "1", "--out", str(out), "--json"])
    assert_clean_exit_2(res)
    assert not out.exists() and not (tmp / "runs").exists()


def test_every_bad_file_exits_2_through_every_command(tmp_path):
    """Each hostile file exits 2 from validate, run and mc, writing nothing (no pwned.txt)."""
    for name, raw in BAD_FILES.items():
        path = _write(tmp_path, name, raw)
        for args in (["validate", str(path)],
                     ["run", str(path), "-n", "1", "--out", str(tmp_path / "o")],
                     ["mc", str(path), "-n", "1", "--out", str(tmp_path / "o")]):
            res = runner.invoke(app, args)
            assert_clean_exit_2(res)
            assert name in res.output, (name, res.output)
        assert not (tmp_path / "o").exists()
    assert not list(tmp_path.rglob("pwned.txt")) and not Path("pwned.txt").exists()


def test_bad_input_leaves_an_existing_run_untouched_even_with_force(tmp_path):
    """A bad scenario with --out on an existing run and --force changes nothing in it."""
    existing = tmp_path / "run"
    existing.mkdir()
    (existing / "summary.json").write_text("{\"keep\": true}")
    bad = _write(tmp_path, "bad.yaml", BAD_FILES["broken.yaml"])
    for command in ("run", "mc"):
        res = runner.invoke(app, [command, str(bad), "-n", "1", "--out", str(existing),
                                  "--force"] if command == "run" else
                            [command, str(bad), "-n", "1", "--out", str(existing)])
        assert_clean_exit_2(res)
    assert [p.name for p in existing.iterdir()] == ["summary.json"]
    assert (existing / "summary.json").read_text() == "{\"keep\": true}"


@given(st.sampled_from([
    ["run", "long-range", "-n", "0"], ["run", "long-range", "-n", "-3"],
    ["run", "long-range", "-n", "1" + "0" * 30], ["run", "long-range", "--seed", "-1"],
    ["run", "long-range", "--chunk", "0"], ["run", "long-range", "--workers", "x"],
    ["mc", "long-range", "--chunk", "0"], ["mc", "long-range", "--until-halfwidth", "nan"],
    ["mc", "long-range", "--until-halfwidth", "0.9"], ["mc"], ["run", "no-such-scenario"],
    ["validate", ""], ["validate", "."], ["validate", "/"], ["validate", "a\x00b.yaml"],
    ["validate", "x" * 5000 + ".yaml"], ["run", "long-range", "--bogus"],
    ["sweep", "long-range", "--set", "raids.count=1,2,3", "--set", "seed=" + ",".join(
        str(i) for i in range(400))],
    ["sweep", "long-range", "-n", "1" + "0" * 12, "--set", "seed=1"],
]))
def test_bad_arguments_exit_2_without_traceback(tmp_path_factory, args):
    """Out-of-range, malformed or missing arguments exit 2 with a plain message."""
    tmp = tmp_path_factory.mktemp("args")
    res = runner.invoke(app, [*args, *(["--out", str(tmp / "o")] if args[0] != "validate"
                                       and len(args) > 1 else [])])
    assert_clean_exit_2(res)
    assert not (tmp / "o").exists()


set_paths = st.sampled_from([
    "raids.count", "raids.0.count", "raids.99.count", "raids.nope.count", "doctrine",
    "doctrine.salvo_size", "doctrine.salvo_size.x", "seed", "name", "origin", "..",
    "raids..count", "assets.0.position.east_m", "battalions.0", "terrain.extent_m", "=", "",
    "duration_s", "raids.count.0", "__class__", "raids.__len__",
])
set_values = st.sampled_from([
    "1", "-1", "0", ".nan", ".inf", "1e999", "9" * 5000, "[1, 2]", "{a: 1}", "[", "'",
    "!!python/object/apply:os.system [true]", "&a 1", "*a", "", "x" * 20_000, "true", "null",
    "../../x", "1,2", "2001-01-01",
])


@examples(10)
@example(path="..", vals=["1"])  # crashed with IndexError before the fix
@example(path="raids.count", vals=["9" * 5000])  # crashed with ValueError before the fix
@given(set_paths, st.lists(set_values, min_size=1, max_size=3))
def test_sweep_bad_set_overrides_exit_2_and_write_nothing(tmp_path_factory, path, vals):
    """`triumf sweep --set PATH=V,...` with a bad path or value exits 2 and writes nothing."""
    tmp = tmp_path_factory.mktemp("sweep")
    from triumf.scenario.errors import ScenarioError
    from triumf.scenario.load import load_scenario
    from triumf.scenario.overrides import apply_overrides, parse_set

    text = f"{path}={','.join(vals)}"
    try:  # valid overrides would run a campaign: leave those to the sweep tests
        p, parsed = parse_set(text)
        scn, _ = load_scenario("long-range")
        for v in parsed:
            apply_overrides(scn, {p: v})
        return
    except ScenarioError:
        pass
    res = runner.invoke(app, ["sweep", "long-range", "--set", text, "-n", "1",
                              "--out", str(tmp / "o"), "--runs", str(tmp / "runs")])
    assert_clean_exit_2(res)
    assert not (tmp / "o").exists() and not (tmp / "runs").exists()


def test_real_processes_exit_2_without_traceback(tmp_path):
    """Through a real interpreter: hostile files give exit 2, stderr without a traceback."""
    for name in ("tag.yaml", "latin1.yaml", "bomb.yaml"):
        path = _write(tmp_path, name, BAD_FILES[name])
        proc = subprocess.run([sys.executable, "-m", "triumf.cli", "run", str(path), "-n", "1",
                               "--out", str(tmp_path / "o")], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        assert name in proc.stderr
        assert not (tmp_path / "o").exists() and not (tmp_path / "pwned.txt").exists()


def test_unwritable_out_exits_2_naming_out(tmp_path):
    """`triumf mc --out` below a regular file exits 2 naming --out, without a traceback."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    res = runner.invoke(app, ["mc", "long-range", "-n", "1", "--out", str(blocker / "sub")])
    assert_clean_exit_2(res)
    assert "--out" in res.output and blocker.read_text() == "not a directory"

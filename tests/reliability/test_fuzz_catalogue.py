"""Fuzzing the run catalogue: damaged manifest.json / summary.json files under --runs never
stop `triumf runs` or `triumf query` with a traceback."""

import json

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=8),
              st.floats(allow_nan=False)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["seed", "chunk", "replications", "scenario", "kind", "version",
                                 "created", "scenario_sha256"]), inner, max_size=6)),
    max_leaves=8,
)


@given(st.sampled_from(["manifest.json", "summary.json"]),
       st.one_of(json_values.map(json.dumps), st.binary(max_size=40).map(
           lambda b: b.decode("latin-1"))))
def test_damaged_catalogue_files_never_crash_runs_or_query(tmp_path_factory, name, text):
    """Any content of manifest.json or summary.json: runs and query exit 0, no traceback."""
    root = tmp_path_factory.mktemp("runs")
    (root / "damaged").mkdir()
    (root / "damaged" / name).write_text(text, encoding="latin-1")
    for args in (["runs", "--runs", str(root), "--json"],
                 ["query", "SELECT run, seed, replications FROM runs", "--runs", str(root)]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        assert res.exception is None and "Traceback" not in res.output

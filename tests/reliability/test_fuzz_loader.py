"""Fuzzing the scenario loader: every input is a valid scenario that compiles, or a
ScenarioError naming the file, the field and what is valid (never any other exception)."""

from pathlib import Path

import yaml
from fuzz_support import (
    ODD_STRINGS,
    assert_clear_error,
    check_loader,
    database,
    example_data,
    fuzzed_examples,
    mutated_example,
    values,
)
from hypothesis import given, note
from hypothesis import strategies as st

from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import EXAMPLES_DIR, load_scenario

yaml_text_pieces = st.sampled_from([
    "name: x\n", "duration_s: 10\n", "origin: {latitude_deg: 30, longitude_deg: 75}\n",
    "assets: []\n", "raids:\n  - {name: r, count: -1}\n", "battalions: [{}]\n", "a: &a [1, 2]\n",
    "b: *a\n", "c: *missing\n", "<<: {name: y}\n", "- item\n", "  indented: 1\n", "key: [\n",
    "key: {\n", "'unterminated\n", "\t tab: 1\n", "? complex\n: key\n", "name: !!binary aGk=\n",
    "name: !!python/object/apply:os.system ['true']\n", "%YAML 1.1\n---\n", "---\n", "...\n",
    "name: !!set {a, b}\n", "x: 2001-12-14\n", "y: 0o17\n", "z: 1_0\n", "w: .nan\n",
])


@given(mutated_example())
def test_mutated_shipped_scenarios_load_or_fail_clearly(case):
    """A shipped scenario with random edits compiles, or every issue names file and field."""
    name, data = case
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    note(text)
    check_loader(text, f"{name}-mutant.yaml", field_paths=True)


@given(st.sampled_from(fuzzed_examples()), st.data())
def test_truncated_shipped_scenarios_fail_clearly(name, data):
    """A shipped scenario cut off anywhere is valid or a clear error (broken YAML)."""
    text = (EXAMPLES_DIR / f"{name}.yaml").read_text("utf-8")
    cut = data.draw(st.integers(0, len(text)))
    check_loader(text[:cut], f"{name}-cut.yaml")


@given(st.lists(yaml_text_pieces, max_size=8))
def test_random_yaml_documents_fail_clearly(pieces):
    """Text glued from YAML fragments (anchors, merges, tags, broken syntax) fails clearly."""
    check_loader("".join(pieces))


@given(st.dictionaries(st.sampled_from(
    ["name", "duration_s", "origin", "assets", "battalions", "raids", "doctrine", "terrain",
     "seed", "time_step_s", "jammers", "friendlies", "tracking", "environment", "extra"]),
    values, max_size=8))
def test_random_top_level_fields_fail_clearly(doc):
    """Any value for any top-level field (wrong types, NaN, lists for mappings) fails clearly."""
    check_loader(yaml.safe_dump(doc, allow_unicode=True), field_paths=True)


@given(st.sampled_from(fuzzed_examples()), st.data())
def test_byte_level_corruption_fails_clearly(tmp_path_factory, name, data):
    """Bytes flipped, inserted (non-UTF-8, NUL, BOM) or deleted: valid or a clear error."""
    raw = bytearray((EXAMPLES_DIR / f"{name}.yaml").read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw)))
        piece = data.draw(st.sampled_from(
            [b"\xff", b"\xc3", b"\x00", b"\xef\xbb\xbf", b"\x07", b"\r", b":", b"- ", b"\t",
             b"\xe2\x80\xae", b"&a ", b"*a ", b"!!", b"{", b"]"]))
        if data.draw(st.booleans()):
            raw[i:i] = piece
        else:
            del raw[i:i + len(piece)]
    path = tmp_path_factory.mktemp("bytes") / "corrupt.yaml"
    path.write_bytes(bytes(raw))
    try:
        scenario, _ = load_scenario(path, db=database())
    except ScenarioError as exc:
        assert_clear_error(exc, str(path))


@given(st.sampled_from(ODD_STRINGS), st.sampled_from(["raids", "assets", "battalions"]))
def test_odd_names_and_references_fail_clearly_or_load(text, where):
    """Odd text as the first element's name in raids/assets/battalions loads or fails clearly."""
    data = example_data("long-range")
    data = {**data, where: [{**data[where][0], "name": text}, *data[where][1:]]}
    check_loader(yaml.safe_dump(data, allow_unicode=True), field_paths=True)


def test_loader_reads_shipped_examples(tmp_path: Path) -> None:
    """Sanity of the oracle: every shipped scenario is valid."""
    for name in fuzzed_examples():
        text = (EXAMPLES_DIR / f"{name}.yaml").read_text("utf-8")
        assert check_loader(text, f"{name}.yaml") == "valid"

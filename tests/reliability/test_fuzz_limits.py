"""Each documented input limit (triumf.scenario.limits, docs/limits.md) is enforced with an
error naming the file, the limit and, where there is one, the field."""

import re
from pathlib import Path

import numpy as np
import pytest
import tifffile
import yaml
from fuzz_support import database, example_data

from triumf.scenario import limits
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario, load_scenario_text
from triumf.scenario.terrain_files import TerrainFileError, check_dem_file


def _issues(text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, file="lim.yaml", db=database())
    return str(info.value)


def _valid_with(**changes: object) -> str:
    return yaml.safe_dump({**example_data("long-range"), **changes})


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    """A file one byte over MAX_FILE_BYTES is refused, naming the limit."""
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * limits.MAX_FILE_BYTES + b"\n")
    with pytest.raises(ScenarioError, match=f"larger than {limits.MAX_FILE_BYTES} bytes"):
        load_scenario(path, db=database())


def test_endless_device_is_refused_not_read_forever() -> None:
    """/dev/zero is read only up to the size limit, then refused."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(ScenarioError, match="larger than"):
        load_scenario("/dev/zero", db=database())


def test_billion_laughs_alias_bomb_is_refused() -> None:
    """Nine levels of nine aliases (9^9 values once expanded) hit MAX_NODES quickly."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "\n".join(lines) + "\nname: x\nraids: *l8\n"
    assert f"more than {limits.MAX_NODES} values" in _issues(text)


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    """Lists nested MAX_NESTING + 1 deep are refused; the limit itself is fine for YAML."""
    deep = "a: " + "[" * (limits.MAX_NESTING + 1) + "]" * (limits.MAX_NESTING + 1) + "\n"
    assert f"nested more than {limits.MAX_NESTING} deep" in _issues(deep)
    ok = "a: " + "[" * (limits.MAX_NESTING - 2) + "]" * (limits.MAX_NESTING - 2) + "\n"
    assert "nested" not in _issues(ok)


def test_long_text_value_is_refused_with_its_field() -> None:
    """A description longer than MAX_STRING_CHARS is refused, naming description."""
    text = _valid_with(description="x" * (limits.MAX_STRING_CHARS + 1))
    message = _issues(text)
    assert re.search(rf"lim\.yaml:\d+: description: a value of {limits.MAX_STRING_CHARS + 1} "
                     "characters", message), message


def test_long_name_is_refused_with_its_field() -> None:
    """A raid name longer than MAX_NAME_CHARS is refused at raids[0].name."""
    data = example_data("long-range")
    raid = {**data["raids"][0], "name": "r" * (limits.MAX_NAME_CHARS + 1)}
    text = _valid_with(raids=[raid, *data["raids"][1:]])
    assert f"raids[0].name: must have at most {limits.MAX_NAME_CHARS} characters" in (
        _issues(text))


def test_integer_with_too_many_digits_is_refused() -> None:
    """An integer longer than MAX_INT_DIGITS (Python refuses above 4300) is refused."""
    text = "name: x\nseed: " + "9" * 5000 + "\n"
    assert f"more than {limits.MAX_INT_DIGITS} digits" in _issues(text)


def test_seed_beyond_64_bits_is_refused() -> None:
    """A seed of 2^63 or more is refused at seed (it could not be stored in the tables)."""
    assert "seed: must be at most" in _issues(_valid_with(seed=2**63))


def test_threats_over_the_limit_are_refused_at_raids() -> None:
    """Raids adding up to more than MAX_THREATS threats are refused at raids."""
    data = example_data("long-range")
    raid = {**data["raids"][0], "count": limits.MAX_THREATS}
    second = {**raid, "name": "second raid", "count": 1}
    text = _valid_with(raids=[raid, second])
    assert f"at most {limits.MAX_THREATS} are allowed" in _issues(text)


def test_only_the_first_issues_are_listed() -> None:
    """A file with thousands of unknown fields lists MAX_ISSUES of them and counts the rest."""
    text = "".join(f"k{i}: 1\n" for i in range(3 * limits.MAX_ISSUES))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text, file="lim.yaml", db=database())
    assert len(info.value.issues) <= limits.MAX_ISSUES + 1
    assert "only the first" in str(info.value)


def test_geotiff_over_the_pixel_limit_is_refused_from_its_header(tmp_path: Path) -> None:
    """A GeoTIFF with more than MAX_DEM_PIXELS pixels is refused before its pixels are read."""
    side = int(np.sqrt(limits.MAX_DEM_PIXELS)) + 1
    path = tmp_path / "big.tif"
    keys = (1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326)
    tifffile.imwrite(path, np.zeros((side, side), np.uint8), compression="zlib", extratags=[
        (33550, "d", 3, (1e-4, 1e-4, 0.0), False),
        (33922, "d", 6, (0.0, 0.0, 0.0, 75.0, 31.0, 0.0), False),
        (34735, "H", len(keys), keys, False),
    ])
    message = check_dem_file(path)
    assert message is not None and f"at most {limits.MAX_DEM_PIXELS} pixels" in message
    assert issubclass(TerrainFileError, Exception)

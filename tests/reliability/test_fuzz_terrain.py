"""Fuzzing terrain files: garbage bytes, truncated or odd GeoTIFFs and .hgt tiles either load
and compile, or give a ScenarioError naming the scenario file and terrain.files."""

import numpy as np
import tifffile
import yaml
from fuzz_support import assert_clear_error, database, example_data
from hypothesis import given
from hypothesis import strategies as st

from triumf.scenario.compile import compile_scenario
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario

SCENARIO = {**example_data("long-range"), "duration_s": 10,
            "origin": {"latitude_deg": 30.5, "longitude_deg": 75.5},
            "terrain": {"files": ["TERRAIN"], "extent_m": 5000, "spacing_m": 1000}}


def _load_and_compile(tmp_path, dem_name):
    scn_path = tmp_path / "s.yaml"
    scn_path.write_text(yaml.safe_dump(SCENARIO).replace("TERRAIN", dem_name))
    try:
        scn, _ = load_scenario(scn_path, db=database())
    except ScenarioError as exc:
        assert_clear_error(exc, str(scn_path))
        assert any(i.field_path.startswith("terrain") for i in exc.issues)
        return
    compile_scenario(scn, database())


@given(st.sampled_from(["N30E075.hgt", "dem.tif", "dem.tiff", "dem.dem"]),
       st.binary(max_size=2000), st.sampled_from([0, 1, 100, 2884801]))
def test_garbage_terrain_files_fail_clearly(tmp_path_factory, name, head, size):
    """A terrain file of random bytes (any size, one byte short of a .hgt tile) fails clearly."""
    tmp_path = tmp_path_factory.mktemp("dem")
    raw = (head + b"\x00" * size)[:max(size, len(head))]
    (tmp_path / name).write_bytes(raw)
    _load_and_compile(tmp_path, name)


@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from([0.01, 0.0, -0.01, 1e-12, 10.0]),
       st.sampled_from([0.0, np.nan, np.inf, -1e30, 1e30]), st.integers(0, 400))
def test_odd_geotiffs_fail_clearly(tmp_path_factory, rows, cols, step, fill, cut):
    """GeoTIFFs with tiny grids, zero or negative pixel size, NaN/inf heights or truncated
    bytes load and compile, or fail clearly."""
    tmp_path = tmp_path_factory.mktemp("tif")
    path = tmp_path / "dem.tif"
    keys = (1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326)
    tifffile.imwrite(path, np.full((rows, cols), fill, np.float32), extratags=[
        (33550, "d", 3, (step, step, 0.0), False),
        (33922, "d", 6, (0.0, 0.0, 0.0, 75.45, 30.55, 0.0), False),
        (34735, "H", len(keys), keys, False),
    ])
    if cut:
        path.write_bytes(path.read_bytes()[:-cut])
    _load_and_compile(tmp_path, "dem.tif")

"""DEM readers: SRTM .hgt and GeoTIFF heights and georeferencing, checked against pymap3d."""

import numpy as np
import pytest
import tifffile
from pymap3d.vincenty import vreckon

from scenario_texts import FIRE_UNIT_L1, battalion_b
from triumf.scenario.errors import ScenarioError
from triumf.scenario.load import load_scenario
from triumf.scenario.terrain_files import (
    TerrainFileError,
    check_dem_file,
    read_dem,
    read_geotiff,
    read_hgt,
    terrain_from_dems,
)


def _plane(lat, lon):
    """A DEM height that bilinear interpolation reproduces exactly: linear in lat and lon."""
    return 100.0 + 2000.0 * (lat - 30.0) + 1000.0 * (lon - 75.0)


def _write_hgt(path, lat0, lon0, n=1201):
    lat = lat0 + 1.0 - np.arange(n)[:, None] / (n - 1)  # rows from north to south
    lon = lon0 + np.arange(n)[None, :] / (n - 1)
    h = np.rint(_plane(lat, lon)).astype(">i2")
    h.tofile(path)
    return h


def _geokeys(crs_key=2048, crs=4326, model=2):
    return (1, 1, 0, 3, 1024, 0, 1, model, 1025, 0, 1, 1, crs_key, 0, 1, crs)


def _write_tif(path, lat_top, lon_left, step, rows, cols, keys=None):
    # PixelIsArea: pixel (i, j) has its centre at (lon_left + (i + 1/2) step, ...)
    lat = lat_top - (np.arange(rows)[:, None] + 0.5) * step
    lon = lon_left + (np.arange(cols)[None, :] + 0.5) * step
    data = _plane(lat, lon).astype(np.float32)
    keys = keys or _geokeys()
    tifffile.imwrite(path, data, extratags=[
        (33550, "d", 3, (step, step, 0.0), False),
        (33922, "d", 6, (0.0, 0.0, 0.0, lon_left, lat_top, 0.0), False),
        (34735, "H", len(keys), keys, False),
    ])


def test_hgt_sample_grid_from_the_tile_name(tmp_path):
    """A tile named N30E075 has its south-west sample at 30 N 75 E and rows running south."""
    path = tmp_path / "N30E075.hgt"
    raw = _write_hgt(path, 30, 75)
    g = read_hgt(path)
    assert g.height_m.shape == (1201, 1201)
    assert g.sample(np.array([30.0]), np.array([75.0]))[0] == raw[-1, 0]
    assert g.sample(np.array([31.0]), np.array([76.0]))[0] == raw[0, -1]
    assert np.isnan(g.sample(np.array([29.9]), np.array([75.5])))[0]


def test_hgt_voids_are_filled_from_neighbours(tmp_path):
    """A -32768 void takes a valid neighbour's height, never the void value."""
    path = tmp_path / "S01W001.hgt"
    raw = _write_hgt(path, -1, -1)
    raw[600, 600] = -32768
    raw.tofile(path)
    g = read_hgt(path)
    assert np.isnan(g.height_m[600, 600])
    lat, lon = g.lat_top_deg - 600 * g.dlat_deg, g.lon_left_deg + 600 * g.dlon_deg
    value = g.sample(np.array([lat]), np.array([lon]))[0]
    neighbours = raw[599:602, 599:602].astype(float).ravel()
    assert value in neighbours[neighbours > -32768]


def test_terrain_nodes_match_geodesic_positions(tmp_path):
    """Each terrain node's height is the DEM at the point pymap3d reaches from the origin."""
    paths = [tmp_path / "N30E075.hgt", tmp_path / "N30E074.hgt"]  # two tiles, mosaicked
    _write_hgt(paths[0], 30, 75)
    _write_hgt(paths[1], 30, 74)
    t = terrain_from_dems([read_hgt(p) for p in paths], 30.5, 75.0, 0.0, 20000.0, 2000.0)
    ny, nx = t.shape
    jj, ii = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
    e = t.east0_m + ii * t.spacing_m
    n = t.north0_m + jj * t.spacing_m
    lat, lon = vreckon(30.5, 75.0, np.hypot(e, n), np.degrees(np.arctan2(e, n)) % 360.0)
    # whole-metre samples: the plane is reproduced to half a metre
    assert np.allclose(t.height_m, _plane(np.asarray(lat), np.asarray(lon)), atol=0.6)
    assert (np.asarray(lon) < 75.0).any() and (np.asarray(lon) > 75.0).any()


def test_geotiff_georeferencing(tmp_path):
    """A PixelIsArea EPSG:4326 GeoTIFF is sampled at its pixel centres."""
    path = tmp_path / "dem.tif"
    _write_tif(path, 31.0, 74.5, 0.01, 100, 120)
    g = read_geotiff(path)
    assert np.isclose(g.lat_top_deg, 31.0 - 0.005) and np.isclose(g.lon_left_deg, 74.505)
    t = terrain_from_dems([g], 30.5, 75.0, 0.0, 30000.0, 3000.0)
    ny, nx = t.shape
    jj, ii = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
    e = t.east0_m + ii * t.spacing_m
    n = t.north0_m + jj * t.spacing_m
    lat, lon = vreckon(30.5, 75.0, np.hypot(e, n), np.degrees(np.arctan2(e, n)) % 360.0)
    assert np.allclose(t.height_m, _plane(np.asarray(lat), np.asarray(lon)), atol=0.01)


def test_dem_heights_relative_to_origin_altitude(tmp_path):
    """Heights are taken above the origin's level and clipped at the engine's sphere."""
    path = tmp_path / "N30E075.hgt"
    _write_hgt(path, 30, 75)
    g = read_hgt(path)
    t = terrain_from_dems([g], 30.5, 75.5, 1000.0, 5000.0, 1000.0)
    assert np.isclose(t.height_at(0.0, 0.0), _plane(30.5, 75.5) - 1000.0, atol=0.6)
    t_high = terrain_from_dems([g], 30.5, 75.5, 5000.0, 5000.0, 1000.0)
    assert np.all(t_high.height_m == 0.0)


def test_projected_geotiff_is_refused(tmp_path):
    """A GeoTIFF in a projected CRS (UTM 43N) is refused, naming the CRS and EPSG:4326."""
    path = tmp_path / "utm.tif"
    _write_tif(path, 31.0, 74.5, 0.01, 10, 10, keys=_geokeys(3072, 32643, 1))
    with pytest.raises(TerrainFileError, match=r"EPSG:32643.*EPSG:4326"):
        read_geotiff(path)


def test_bad_hgt_size_and_name_are_refused(tmp_path):
    """A .hgt of the wrong size or name is refused with what would be valid."""
    bad = tmp_path / "N30E075.hgt"
    bad.write_bytes(b"\x00" * 100)
    with pytest.raises(TerrainFileError, match="2884802 bytes"):
        read_dem(bad)
    named = tmp_path / "dem.hgt"
    _write_hgt(named, 30, 75)
    with pytest.raises(TerrainFileError, match="N30E075.hgt"):
        read_dem(named)


SCENARIO = """
name: t
duration_s: 10
origin: {latitude_deg: 30.5, longitude_deg: 75.5}
terrain: {files: [TERRAIN], extent_m: 20000, spacing_m: 1000}
assets: [{name: A, position: {east_m: 0, north_m: 0}, value: 1, radius_m: 100}]
""" + battalion_b(FIRE_UNIT_L1) + "raids: []\n"


def test_scenario_terrain_file_relative_to_scenario(tmp_path):
    """A terrain file is found next to the scenario and made absolute."""
    _write_hgt(tmp_path / "N30E075.hgt", 30, 75)
    scn_path = tmp_path / "s.yaml"
    scn_path.write_text(SCENARIO.replace("TERRAIN", "N30E075.hgt"))
    scn, _ = load_scenario(scn_path)
    assert scn.terrain is not None
    assert scn.terrain.files == ((tmp_path / "N30E075.hgt").resolve(),)


def test_scenario_with_missing_terrain_file_names_the_field(tmp_path):
    """A missing terrain file is an error citing the file, line and terrain.files[0]."""
    scn_path = tmp_path / "s.yaml"
    scn_path.write_text(SCENARIO.replace("TERRAIN", "nowhere.hgt"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(scn_path)
    text = str(info.value)
    assert "s.yaml:5: terrain.files[0]: terrain file not found" in text


def test_scenario_terrain_needs_exactly_one_source(tmp_path):
    """Neither files nor synthetic (or both) is an error saying what is valid."""
    scn_path = tmp_path / "s.yaml"
    scn_path.write_text(SCENARIO.replace("files: [TERRAIN], ", ""))
    with pytest.raises(ScenarioError, match="either files .* or synthetic"):
        load_scenario(scn_path)


def test_multiband_geotiff_is_refused(tmp_path):
    """An RGB GeoTIFF is not a height raster: refused before reading its pixels."""
    path = tmp_path / "rgb.tif"
    keys = _geokeys()
    tifffile.imwrite(path, np.zeros((8, 8, 3), np.uint8), photometric="rgb", extratags=[
        (33550, "d", 3, (0.01, 0.01, 0.0), False),
        (33922, "d", 6, (0.0, 0.0, 0.0, 75.0, 31.0, 0.0), False),
        (34735, "H", len(keys), keys, False),
    ])
    assert "one band" in check_dem_file(path)

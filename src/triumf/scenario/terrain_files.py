"""Digital elevation models from files: SRTM ``.hgt`` tiles and GeoTIFF, onto a Terrain grid.

Formats
-------
SRTM ``.hgt``
    A square of big-endian signed 16-bit heights in metres, 1201 x 1201 (3 arc-second) or
    3601 x 3601 (1 arc-second) samples, rows from north to south. The file name gives the
    south-west corner, e.g. ``N30E075.hgt`` covers 30-31 N, 75-76 E; samples lie on the whole
    degree lines (the edges are shared with the neighbouring tiles). Voids are -32768.
    (NASA/USGS, *SRTM Topography*, SRTM documentation, 2003, sec. "Data Formats".)
GeoTIFF
    A single-band raster in geographic WGS84 coordinates (EPSG:4326), georeferenced by the
    ModelTiepoint and ModelPixelScale tags (OGC GeoTIFF 1.1, 2019, sec. 7.2); other coordinate
    reference systems are refused. The GDAL_NODATA tag marks voids.

Heights are read as metres above mean sea level and placed in the engine as heights above the
scenario origin's level (``dem - origin.altitude_m``; the geoid-ellipsoid separation is
ignored), clipped at 0 because the engine's sphere is its lowest ground. Voids are filled with
the nearest valid sample. Several files are mosaicked (the first file that covers a point wins).
Points outside every file are at sea level.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from triumf.core.frames import map_to_geodetic
from triumf.core.terrain import Terrain
from triumf.scenario.limits import MAX_DEM_PIXELS

__all__ = [
    "DemGrid",
    "TerrainFileError",
    "check_dem_file",
    "read_dem",
    "read_geotiff",
    "read_hgt",
    "terrain_from_dems",
]

HGT_VOID = -32768
_HGT_SIZES = {1201 * 1201 * 2: 1201, 3601 * 3601 * 2: 3601}
_HGT_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})$", re.IGNORECASE)
# GeoTIFF tags and GeoKeys (OGC GeoTIFF 1.1)
_TAG_PIXEL_SCALE = 33550
_TAG_TIEPOINT = 33922
_TAG_GEOKEYS = 34735
_TAG_GDAL_NODATA = 42113
_KEY_MODEL_TYPE = 1024  # 2 = geographic
_KEY_RASTER_TYPE = 1025  # 1 = PixelIsArea, 2 = PixelIsPoint
_KEY_GEOGRAPHIC_TYPE = 2048  # 4326 = WGS84
_KEY_PROJECTED_TYPE = 3072
_MODEL_GEOGRAPHIC = 2
_EPSG_WGS84 = 4326
_RASTER_PIXEL_IS_POINT = 2


class TerrainFileError(ValueError):
    """A DEM file that cannot be used; the message names the file and what would be valid."""


@dataclass(frozen=True)
class DemGrid:
    """Heights on a regular latitude/longitude grid.

    Attributes
    ----------
    lat_top_deg, lon_left_deg : float
        Latitude of row 0 (the northern row) and longitude of column 0 (the western column) of
        the sample points, degrees.
    dlat_deg, dlon_deg : float
        Sample spacing, degrees (rows run south).
    height_m : ndarray, shape (rows, cols)
        Heights above mean sea level, metres; NaN for voids.
    """

    lat_top_deg: float
    lon_left_deg: float
    dlat_deg: float
    dlon_deg: float
    height_m: NDArray[np.float64]

    def sample(self, lat_deg: NDArray[np.float64], lon_deg: NDArray[np.float64]
               ) -> NDArray[np.float64]:
        """Bilinear height at each point, NaN outside the grid, voids filled.

        Parameters
        ----------
        lat_deg, lon_deg : ndarray, shape (...), degrees

        Returns
        -------
        ndarray, shape (...), metres
        """
        h = _fill_voids(self.height_m)
        rows, cols = h.shape
        fy = (self.lat_top_deg - lat_deg) / self.dlat_deg
        fx = (lon_deg - self.lon_left_deg) / self.dlon_deg
        inside = (fx >= 0) & (fx <= cols - 1) & (fy >= 0) & (fy <= rows - 1)
        i = np.clip(np.floor(fx).astype(np.intp), 0, cols - 2)
        j = np.clip(np.floor(fy).astype(np.intp), 0, rows - 2)
        u = np.clip(fx - i, 0.0, 1.0)
        w = np.clip(fy - j, 0.0, 1.0)
        out = ((1 - u) * (1 - w) * h[j, i] + u * (1 - w) * h[j, i + 1]
               + (1 - u) * w * h[j + 1, i] + u * w * h[j + 1, i + 1])
        return np.where(inside, out, np.nan)


def _fill_voids(h: NDArray[np.float64]) -> NDArray[np.float64]:
    """Replace NaN samples by the nearest valid sample (in grid cells)."""
    void = np.isnan(h)
    if not void.any():
        return h
    from scipy.ndimage import distance_transform_edt

    _, (jj, ii) = distance_transform_edt(void, return_distances=True, return_indices=True)
    return np.asarray(h[jj, ii], dtype=np.float64)


def _hgt_corner(path: Path) -> tuple[int, int]:
    m = _HGT_NAME.match(path.stem)
    if m is None:
        raise TerrainFileError(
            f"{path}: an SRTM tile must be named for its south-west corner, like N30E075.hgt "
            f"or S12W077.hgt (got '{path.name}')")
    lat = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
    lon = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
    if lat > 89 or lat < -90 or lon > 179 or lon < -180:
        raise TerrainFileError(f"{path}: corner {lat}, {lon} is not a valid tile corner")
    return lat, lon


def _hgt_size(path: Path) -> int:
    size = path.stat().st_size
    if size not in _HGT_SIZES:
        raise TerrainFileError(
            f"{path}: {size} bytes is not an SRTM tile (valid: {1201 * 1201 * 2} bytes for "
            f"3 arc-second, {3601 * 3601 * 2} for 1 arc-second)")
    return _HGT_SIZES[size]


def read_hgt(path: str | Path) -> DemGrid:
    """Read one SRTM ``.hgt`` tile.

    Parameters
    ----------
    path : str or Path
        ``[NS]dd[EW]ddd.hgt``, 1201 or 3601 samples square.

    Returns
    -------
    DemGrid
        Voids (-32768) as NaN.
    """
    p = Path(path)
    lat, lon = _hgt_corner(p)
    n = _hgt_size(p)
    raw = np.fromfile(p, dtype=">i2").reshape(n, n)
    h = raw.astype(np.float64)
    h[raw == HGT_VOID] = np.nan
    step = 1.0 / (n - 1)
    return DemGrid(float(lat + 1), float(lon), step, step, h)


def _geokeys(values: Sequence[int]) -> dict[int, int]:
    """GeoKeyDirectory -> {key: short value} (keys stored in other tags are skipped)."""
    v = [int(x) for x in values]
    keys: dict[int, int] = {}
    for k in range(4, 4 + 4 * v[3], 4):
        key, location, _count, value = v[k:k + 4]
        if location == 0:
            keys[key] = value
    return keys


def _geotiff_georef(path: Path) -> tuple[tuple[float, ...], tuple[float, ...], dict[int, int],
                                         float | None]:
    import tifffile

    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            tags = page.tags  # type: ignore[union-attr]
            missing = [name for code, name in ((_TAG_PIXEL_SCALE, "ModelPixelScale"),
                                               (_TAG_TIEPOINT, "ModelTiepoint"),
                                               (_TAG_GEOKEYS, "GeoKeyDirectory"))
                       if code not in tags]
            if missing:
                raise TerrainFileError(
                    f"{path}: not a georeferenced GeoTIFF (missing {', '.join(missing)}); a "
                    "terrain GeoTIFF needs EPSG:4326 with ModelTiepoint and ModelPixelScale")
            shape = tuple(page.shape)
            if len(shape) != 2:
                raise TerrainFileError(f"{path}: expected one band of heights, got a raster "
                                       f"of shape {shape}")
            if shape[0] * shape[1] > MAX_DEM_PIXELS:
                raise TerrainFileError(f"{path}: a raster of {shape[0]} x {shape[1]} pixels; at "
                                       f"most {MAX_DEM_PIXELS} pixels are read (crop it, e.g. "
                                       "gdal_translate -projwin)")
            size = path.stat().st_size
            ends = [int(o) + int(n) for o, n in zip(page.dataoffsets,
                                                    page.databytecounts,
                                                    strict=False)]
            if not ends or max(ends) > size:
                raise TerrainFileError(f"{path}: the file is truncated (its pixel data end "
                                       f"beyond its {size} bytes)")
            scale = tuple(float(x) for x in tags[_TAG_PIXEL_SCALE].value)
            tie = tuple(float(x) for x in tags[_TAG_TIEPOINT].value)
            keys = _geokeys(tags[_TAG_GEOKEYS].value)
            nodata = None
            if _TAG_GDAL_NODATA in tags:
                text = str(tags[_TAG_GDAL_NODATA].value).strip().strip("\x00")
                nodata = float(text) if text else None
    except (tifffile.TiffFileError, ValueError, IndexError, KeyError, TypeError, OSError) as exc:
        raise TerrainFileError(f"{path}: not a readable TIFF file ({exc})") from None
    if keys.get(_KEY_PROJECTED_TYPE) is not None or keys.get(_KEY_MODEL_TYPE) != _MODEL_GEOGRAPHIC \
            or keys.get(_KEY_GEOGRAPHIC_TYPE, _EPSG_WGS84) != _EPSG_WGS84:
        crs = keys.get(_KEY_PROJECTED_TYPE) or keys.get(_KEY_GEOGRAPHIC_TYPE) or "unknown"
        raise TerrainFileError(
            f"{path}: coordinate reference system EPSG:{crs} is not supported; terrain "
            "GeoTIFFs must be geographic WGS84 (EPSG:4326), e.g. "
            "gdalwarp -t_srs EPSG:4326 in.tif out.tif")
    if len(tie) < 6 or len(scale) < 2 or scale[0] <= 0 or scale[1] <= 0:
        raise TerrainFileError(f"{path}: ModelTiepoint/ModelPixelScale are not a simple "
                               "north-up grid (positive pixel scale and one tiepoint needed)")
    return scale, tie, keys, nodata


def read_geotiff(path: str | Path) -> DemGrid:
    """Read a single-band EPSG:4326 GeoTIFF.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    DemGrid
        Sample points at pixel centres (PixelIsArea) or at the tie grid (PixelIsPoint);
        GDAL_NODATA samples and non-finite values as NaN.
    """
    import tifffile

    p = Path(path)
    scale, tie, keys, nodata = _geotiff_georef(p)
    try:
        data = np.asarray(tifffile.imread(p), dtype=np.float64)
    except (tifffile.TiffFileError, ValueError, IndexError, KeyError, TypeError, OSError) as exc:
        raise TerrainFileError(f"{p}: the heights cannot be read ({exc})") from None
    if data.ndim != 2:
        raise TerrainFileError(f"{p}: expected one band of heights, got an array of shape "
                               f"{data.shape}")
    i0, j0, _, lon0, lat0, _ = tie[:6]
    dlon, dlat = scale[0], scale[1]
    # raster (i, j) -> model (lon0 + (i - i0) dlon, lat0 - (j - j0) dlat); PixelIsArea:
    # the sample of pixel (i, j) is its centre (i + 1/2, j + 1/2)
    half = 0.0 if keys.get(_KEY_RASTER_TYPE) == _RASTER_PIXEL_IS_POINT else 0.5
    lon_left = lon0 + (half - i0) * dlon
    lat_top = lat0 - (half - j0) * dlat
    if nodata is not None:
        data[data == nodata] = np.nan
    data[~np.isfinite(data)] = np.nan
    return DemGrid(lat_top, lon_left, dlat, dlon, data)


def read_dem(path: str | Path) -> DemGrid:
    """Read a ``.hgt`` tile or a GeoTIFF (``.tif``/``.tiff``), chosen by the file suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".hgt":
        return read_hgt(p)
    if suffix in (".tif", ".tiff"):
        return read_geotiff(p)
    raise TerrainFileError(f"{p}: unknown terrain file type '{p.suffix}' (valid: .hgt SRTM "
                           "tiles, .tif/.tiff GeoTIFF in EPSG:4326)")


def check_dem_file(path: str | Path) -> str | None:
    """Why a terrain file cannot be used, without reading its heights (None when it can).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str or None
        A plain message naming what is wrong and what would be valid.
    """
    p = Path(path)
    if not p.is_file():
        return f"terrain file not found: {p}"
    try:
        suffix = p.suffix.lower()
        if suffix == ".hgt":
            _hgt_corner(p)
            _hgt_size(p)
        elif suffix in (".tif", ".tiff"):
            _geotiff_georef(p)
        else:
            read_dem(p)
    except TerrainFileError as exc:
        return str(exc)
    return None


def terrain_from_dems(
    grids: Sequence[DemGrid],
    lat0_deg: float,
    lon0_deg: float,
    alt0_m: float,
    extent_m: float,
    spacing_m: float,
) -> Terrain:
    """Resample DEM grids onto a :class:`Terrain` square about the scenario origin.

    Parameters
    ----------
    grids : sequence of DemGrid
        Mosaicked in order: the first grid covering a point gives its height.
    lat0_deg, lon0_deg, alt0_m : float
        Scenario origin (degrees, metres).
    extent_m : float
        Half-width of the square grid, metres (map coordinates -extent..+extent).
    spacing_m : float
        Grid spacing, metres.

    Returns
    -------
    Terrain
        ``max(dem - alt0_m, 0)``; 0 where no grid covers a node.
    """
    n = int(np.floor(2.0 * extent_m / spacing_m)) + 1
    coords = -extent_m + spacing_m * np.arange(n)
    east, north = np.meshgrid(coords, coords)
    lat, lon = map_to_geodetic(east, north, lat0_deg, lon0_deg)
    h = np.full(east.shape, np.nan)
    for g in grids:
        todo = np.isnan(h)
        h[todo] = g.sample(lat[todo], lon[todo])
    h = np.where(np.isnan(h), 0.0, np.maximum(h - alt0_m, 0.0))
    return Terrain(float(coords[0]), float(coords[0]), float(spacing_m), h)

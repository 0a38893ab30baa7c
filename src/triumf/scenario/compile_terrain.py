"""Scenario ``terrain:`` block -> :class:`triumf.core.terrain.Terrain` on map coordinates."""

from __future__ import annotations

import numpy as np

from triumf.core.earth import enu_to_map, geodetic_to_engine, map_to_enu
from triumf.core.terrain import Terrain
from triumf.core.terrain_synthetic import Hill, Ridge, synthetic_terrain
from triumf.scenario.schema import GeodeticPosition, Origin, Position, TerrainSpec
from triumf.scenario.terrain_files import read_dem, terrain_from_dems

__all__ = ["compile_terrain"]


def _ground(position: Position, origin: Origin) -> tuple[float, float]:
    """Map coordinates (east, north) of a position's ground point, metres."""
    if isinstance(position, GeodeticPosition):
        pos = geodetic_to_engine(position.latitude_deg, position.longitude_deg, 0.0,
                                 origin.latitude_deg, origin.longitude_deg, 0.0)
    else:
        pos = map_to_enu(position.east_m, position.north_m, 0.0)
    e, n, _ = enu_to_map(pos)
    return float(e), float(n)


def compile_terrain(spec: TerrainSpec | None, origin: Origin) -> Terrain | None:
    """The scenario's terrain grid, or None for the bare sphere.

    Parameters
    ----------
    spec : TerrainSpec or None
        With ``files`` already absolute (as :func:`triumf.scenario.load.load_scenario`
        returns them).
    origin : Origin

    Returns
    -------
    Terrain or None
        A square grid ``-extent_m .. +extent_m`` about the origin, every ``spacing_m``.
    """
    if spec is None:
        return None
    if spec.files:
        grids = [read_dem(p) for p in spec.files]
        return terrain_from_dems(grids, origin.latitude_deg, origin.longitude_deg,
                                 origin.altitude_m, spec.extent_m, spec.spacing_m)
    syn = spec.synthetic
    assert syn is not None
    ridges = [Ridge(*_ground(r.start, origin), *_ground(r.end, origin), r.height_m,
                    r.half_width_m) for r in syn.ridges]
    hills = [Hill(*_ground(h.position, origin), h.height_m, h.radius_m) for h in syn.hills]
    n = int(np.floor(2.0 * spec.extent_m / spec.spacing_m)) + 1
    return synthetic_terrain(-spec.extent_m, -spec.extent_m, (n, n), spec.spacing_m,
                             seed=syn.seed, rms_m=syn.rms_m, beta=syn.beta, ridges=ridges,
                             hills=hills)

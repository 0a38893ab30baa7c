"""Everything the engine needs, as arrays: a compiled scenario."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.c2.doctrine import C2Params
from triumf.core.terrain import Terrain
from triumf.engage.base import MissileTypes
from triumf.sense.base import RadarParams
from triumf.sense.environment import Jammers, SurfaceParams
from triumf.threat.base import ThreatParams
from triumf.track.base import TrackerParams


@dataclass(frozen=True)
class SimParams:
    """A compiled scenario (see `triumf.scenario.compile`).

    Attributes
    ----------
    name : str
    seed : int
    duration_s, time_step_s : float
    threats : ThreatParams
    radars : tuple of RadarParams
    radar_battalion : ndarray of int, shape (S,)
    iff_reply_probability : float
    tracker : TrackerParams
    c2 : C2Params
    c2_cycle_s : float
    missiles : MissileTypes
    loaded : ndarray of int, shape (W, Mt)
        Missiles loaded on each fire unit at the start.
    unit_names, asset_names : tuple of str
    engage_substep_s : float
        Integration sub-step of interceptors in flight.
    terrain : Terrain or None
        Ground heights on map coordinates (None: the bare sphere, sea level everywhere).
    engagement_radar : ndarray of int, shape (Bn,), or None
        Index into ``radars`` of each battalion's engagement (fire-control) radar; a fire unit
        engages only tracks that radar has updated within ``fc_track_max_age_revisits`` of its
        revisit periods. None: no such condition.
    fc_track_max_age_revisits : float
        How many revisit periods of the engagement radar a track may go without an update by it
        and still be engaged (E: 2.5, one missed look allowed).
    effective_earth_factor : float
        Effective Earth-radius factor k of the radars' line of sight (4/3: standard).
    surface : SurfaceParams or None
        Reflecting surface for multipath and clutter (None: free space, no clutter).
    jammers : Jammers
        Noise jammers (none by default).
    """

    name: str
    seed: int
    duration_s: float
    time_step_s: float
    threats: ThreatParams
    radars: tuple[RadarParams, ...]
    iff_reply_probability: float
    tracker: TrackerParams
    c2: C2Params
    c2_cycle_s: float
    missiles: MissileTypes
    loaded: NDArray[np.int64]
    unit_names: tuple[str, ...]
    asset_names: tuple[str, ...]
    engage_substep_s: float = 0.1
    terrain: Terrain | None = None
    engagement_radar: NDArray[np.int64] | None = None
    fc_track_max_age_revisits: float = 2.5
    effective_earth_factor: float = 4.0 / 3.0
    surface: SurfaceParams | None = None
    jammers: Jammers = field(default_factory=Jammers.none)

    @property
    def n_steps(self) -> int:
        """Number of engine ticks."""
        return int(round(self.duration_s / self.time_step_s))

    @property
    def interceptor_slots(self) -> int:
        """Interceptor capacity M: every loaded missile could be in the air at once."""
        return max(1, int(self.loaded.sum()))

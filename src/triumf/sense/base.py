"""Records the sense stage hands to the tracker.

The tracker sees only these: measured positions in the radar's local frame, their noise,
a validity mask and the IFF reply flag. The truth index of each detection is kept by the
engine for scoring and never travels in this record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Detections:
    """One scan of one radar, batched over replications.

    Attributes
    ----------
    time_s : float
        Time of the scan, seconds since scenario start.
    sensor_index : int
        Index of the radar in the scenario's radar list.
    sensor_pos : ndarray, shape (3,), metres, engine ENU
        Antenna position (including mast height).
    sensor_rot : ndarray, shape (3, 3)
        Rotation from the radar's local east/north/up frame (tangent to the Earth sphere at
        the radar) to the engine ENU frame: ``v_engine = sensor_rot @ v_local``.
    z : ndarray, shape (R, D, 3)
        Measured range (m), azimuth (rad, clockwise from local north) and elevation (rad,
        above the local horizontal), in the radar's local frame.
    sigma : ndarray, shape (R, D, 3)
        One-sigma measurement noise of range (m), azimuth (rad) and elevation (rad).
    valid : ndarray of bool, shape (R, D)
        Which detection slots hold a detection.
    iff_friend : ndarray of bool, shape (R, D)
        True where the detection came with a valid friendly IFF reply.
    range_rate : ndarray, shape (R, D), m/s, or None
        Measured range rate (positive opening); the tracker may ignore it.
    range_rate_sigma : ndarray, shape (R, D), m/s, or None
        Its one-sigma noise.
    """

    time_s: float
    sensor_index: int
    sensor_pos: NDArray[np.float64]
    sensor_rot: NDArray[np.float64]
    z: NDArray[np.float64]
    sigma: NDArray[np.float64]
    valid: NDArray[np.bool_]
    iff_friend: NDArray[np.bool_]
    range_rate: NDArray[np.float64] | None = None
    range_rate_sigma: NDArray[np.float64] | None = None


@dataclass(frozen=True)
class RadarParams:
    """One radar, compiled from its equipment file and the scenario (SI units).

    Attributes
    ----------
    name, type_name : str
    battalion : int
        Index of the battalion the radar belongs to.
    pos : ndarray, shape (3,), metres, engine ENU
        Antenna phase centre (ground position plus antenna or mast height).
    rot : ndarray, shape (3, 3)
        Radar local frame to engine ENU.
    frequency_hz, peak_power_w, gain_db, pulse_width_s : float
    n_pulses : int
        Pulses non-coherently integrated per dwell.
    losses_db, system_temp_k, pfa : float
    az_beamwidth_rad, el_beamwidth_rad, range_resolution_m : float
    max_range_m, min_elevation_rad, max_elevation_rad : float
    revisit_s : float
        Time between looks at a target (scan period or track revisit).
    engagement : bool
        True for the fire-control radar that guides interceptors.
    track_capacity : int
        Most detections reported per scan (cued targets first, then nearest first).
    sector_az_center_rad, sector_az_width_rad : float
        Search sector in azimuth (local frame, clockwise from north); width ``2 pi`` for all
        round.
    track_revisit_s : float
        Revisit of cued targets in track mode (``inf``: no track mode).
    track_pulses : int
        Pulses integrated on a cued target in track mode.
    dwell_s : float
        Coherent dwell per look (sets the range-rate accuracy).
    sidelobe_level_db : float
        Average receive sidelobe level relative to the main-lobe peak (negative dB).
    clutter_improvement_db : float
        MTI / pulse-Doppler suppression of stationary surface clutter.
    bias : ndarray, shape (3,)
        Fixed measurement bias of range (m), azimuth (rad), elevation (rad).
    false_alarms : bool
        Generate thermal-noise false alarms at ``pfa`` per resolution cell.
    """

    name: str
    type_name: str
    battalion: int
    pos: NDArray[np.float64]
    rot: NDArray[np.float64]
    frequency_hz: float
    peak_power_w: float
    gain_db: float
    pulse_width_s: float
    n_pulses: int
    losses_db: float
    system_temp_k: float
    pfa: float
    az_beamwidth_rad: float
    el_beamwidth_rad: float
    range_resolution_m: float
    max_range_m: float
    min_elevation_rad: float
    max_elevation_rad: float
    revisit_s: float
    engagement: bool
    track_capacity: int = 1_000_000
    sector_az_center_rad: float = 0.0
    sector_az_width_rad: float = 2.0 * float(np.pi)
    track_revisit_s: float = float("inf")
    track_pulses: int = 0
    dwell_s: float = 0.01
    sidelobe_level_db: float = -30.0
    clutter_improvement_db: float = 40.0
    bias: NDArray[np.float64] = field(default_factory=lambda: np.zeros(3))
    false_alarms: bool = True

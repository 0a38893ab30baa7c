"""Records the sense stage hands to the tracker.

The tracker sees only these: measured positions in the radar's local frame, their noise,
a validity mask and the IFF reply flag. The truth index of each detection is kept by the
engine for scoring and never travels in this record.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """

    time_s: float
    sensor_index: int
    sensor_pos: NDArray[np.float64]
    sensor_rot: NDArray[np.float64]
    z: NDArray[np.float64]
    sigma: NDArray[np.float64]
    valid: NDArray[np.bool_]
    iff_friend: NDArray[np.bool_]

"""Thermal-noise false alarms of one scan: how many, and where.

A radar that tests every resolution cell of its search volume against a threshold set for a
false-alarm probability ``Pfa`` per cell declares, per scan, a Binomial(``n_cells``, ``Pfa``)
number of false detections, which for many cells and small ``Pfa`` is Poisson with mean
``n_cells Pfa`` (Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 2.5; Richards,
*Fundamentals of Radar Signal Processing*, ch. 6; Stone Soup's and MATLAB
``radarDataGenerator``'s clutter/false-alarm generators use the same Poisson-per-scan form).
The cells are range cells times beam positions, ``n_cells = (R_max / dR) (az_extent /
theta_az) (el_extent / theta_el)``, and each false alarm falls in a cell chosen uniformly, i.e.
uniform in range, azimuth and elevation over the coverage.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

__all__ = ["resolution_cells", "false_alarm_slots", "false_alarm_counts", "false_alarm_aer"]

FloatArray = NDArray[np.float64]

_SLOT_SIGMAS = 6.0
"""Slots reserved per scan: mean + 6 sqrt(mean) + 6 (a Poisson count exceeds it with
probability below 1e-9 for any mean; the excess is dropped)."""


def resolution_cells(
    max_range_m: ArrayLike,
    range_resolution_m: ArrayLike,
    az_extent_rad: ArrayLike,
    el_extent_rad: ArrayLike,
    az_beamwidth_rad: ArrayLike,
    el_beamwidth_rad: ArrayLike,
) -> FloatArray:
    """Number of resolution cells searched in one scan.

    Parameters
    ----------
    max_range_m, range_resolution_m : array_like, shape (...), metres
    az_extent_rad, el_extent_rad : array_like, shape (...), radians
        Angular extent of the search volume.
    az_beamwidth_rad, el_beamwidth_rad : array_like, shape (...), radians

    Returns
    -------
    ndarray, shape (...)
        ``(R_max / dR) (az_extent / theta_az) (el_extent / theta_el)`` (beam positions at
        beamwidth spacing).
    """
    rng_cells = np.asarray(max_range_m, dtype=np.float64) / np.asarray(range_resolution_m)
    az = np.asarray(az_extent_rad, dtype=np.float64) / np.asarray(az_beamwidth_rad)
    el = np.asarray(el_extent_rad, dtype=np.float64) / np.asarray(el_beamwidth_rad)
    return np.asarray(rng_cells * np.maximum(az, 1.0) * np.maximum(el, 1.0), dtype=np.float64)


def false_alarm_slots(mean_per_scan: float) -> int:
    """Detection slots to reserve for false alarms: ``ceil(mean + 6 sqrt(mean) + 6)``, 0 if
    the mean is 0."""
    if mean_per_scan <= 0.0:
        return 0
    return int(np.ceil(mean_per_scan + _SLOT_SIGMAS * np.sqrt(mean_per_scan) + _SLOT_SIGMAS))


def false_alarm_counts(u: ArrayLike, mean_per_scan: float, slots: int) -> NDArray[np.int64]:
    """Poisson counts by inversion of uniform draws, capped at ``slots``.

    Parameters
    ----------
    u : array_like, shape (R,)
        Uniform draws in [0, 1).
    mean_per_scan : float
        ``n_cells Pfa``.
    slots : int

    Returns
    -------
    ndarray of int, shape (R,)
    """
    n = stats.poisson.ppf(np.asarray(u, dtype=np.float64), mean_per_scan)
    return np.asarray(np.minimum(np.nan_to_num(n, nan=0.0), slots), dtype=np.int64)


def false_alarm_aer(
    u: ArrayLike,
    max_range_m: float,
    az_center_rad: float,
    az_extent_rad: float,
    min_elevation_rad: float,
    max_elevation_rad: float,
) -> FloatArray:
    """Place false alarms uniformly in range, azimuth and elevation over the coverage.

    Parameters
    ----------
    u : array_like, shape (..., 3)
        Uniform draws.
    max_range_m : float
    az_center_rad, az_extent_rad : float
        Search sector (extent ``2 pi`` for all round).
    min_elevation_rad, max_elevation_rad : float

    Returns
    -------
    ndarray, shape (..., 3)
        Range (m), azimuth (rad, in [0, 2 pi)), elevation (rad).
    """
    u = np.asarray(u, dtype=np.float64)
    rng_m = u[..., 0] * max_range_m
    az = np.mod(az_center_rad + (u[..., 1] - 0.5) * az_extent_rad, 2.0 * np.pi)
    el = min_elevation_rad + u[..., 2] * (max_elevation_rad - min_elevation_rad)
    return np.stack([rng_m, az, el], axis=-1)

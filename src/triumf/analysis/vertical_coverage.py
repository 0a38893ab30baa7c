"""Vertical coverage of one radar: how far it detects a target at each altitude.

For each target altitude ``h`` the detection region is the slant-range interval where

- the single-look probability of detection (Swerling case, Pfa, pulses integrated per dwell)
  reaches the stated Pd: ``R <= R_pd``, from the radar equation
  (:func:`triumf.sense.radar_equation.range_for_snr_m`) at the SNR that Pd needs
  (:func:`triumf.sense.detection.required_snr_db`); free space: no pattern, multipath or
  atmospheric loss;
- the target is inside the instrumented range;
- the target is above the radar horizon of the effective Earth (radius ``k a``): the tangent
  ray from the antenna at height ``h_a`` reaches height ``h`` at slant range
  ``sqrt((a_e + h_a)^2 - a_e^2) + sqrt((a_e + h)^2 - a_e^2)`` (about ``sqrt(2 a_e h_a) +
  sqrt(2 a_e h)``);
- the geometric elevation angle is inside the radar's elevation coverage (real Earth, as the
  engine checks it): a ray at elevation ``el`` reaches height ``h`` at slant range
  ``R = -b + sqrt(b^2 + (a + h)^2 - (a + h_a)^2)``, ``b = (a + h_a) sin(el)``; the lower edge
  bounds the far end, the upper edge (the cone of silence) the near end.

This is the Blake-chart picture (L. V. Blake, *Radar Range-Performance Analysis*, 1980, ch. 2)
without the lobing of a real antenna over a reflecting surface.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import EARTH_RADIUS_M, EFFECTIVE_EARTH_FACTOR, altitude_m
from triumf.sense.base import RadarParams
from triumf.sense.detection import required_snr_db
from triumf.sense.radar_equation import range_for_snr_m

__all__ = [
    "VerticalCoverage",
    "detection_range_m",
    "elevation_ray_range_m",
    "horizon_slant_range_m",
    "vertical_coverage",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class VerticalCoverage:
    """Detection region of one radar against one target size, by altitude.

    Attributes
    ----------
    altitude_m : ndarray, shape (H,), metres
    near_m, far_m : ndarray, shape (H,), metres
        Slant-range interval of detection at each altitude (NaN where there is none).
    detection_range_m : float
        Free-space range at which the stated Pd is reached, metres.
    horizon_m : ndarray, shape (H,), metres
        Slant range to the radar horizon for each altitude.
    rcs_m2, pd : float
    """

    altitude_m: FloatArray
    near_m: FloatArray
    far_m: FloatArray
    detection_range_m: float
    horizon_m: FloatArray
    rcs_m2: float
    pd: float


def horizon_slant_range_m(
    antenna_alt_m: ArrayLike, altitude: ArrayLike, k: float = EFFECTIVE_EARTH_FACTOR,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Slant range along the tangent ray from an antenna to a height, on the effective Earth.

    Parameters
    ----------
    antenna_alt_m, altitude : array_like, shape (...), metres (clipped at 0)
    k : float
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...), metres
    """
    ae = k * radius_m
    ha = np.maximum(np.asarray(antenna_alt_m, dtype=np.float64), 0.0)
    h = np.maximum(np.asarray(altitude, dtype=np.float64), 0.0)
    # (ae + h)^2 - ae^2 = h (2 ae + h)
    return np.asarray(np.sqrt(ha * (2 * ae + ha)) + np.sqrt(h * (2 * ae + h)), dtype=np.float64)


def elevation_ray_range_m(
    antenna_alt_m: ArrayLike, altitude: ArrayLike, el_rad: ArrayLike,
    radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Slant range at which a straight ray at elevation ``el`` reaches a height.

    Parameters
    ----------
    antenna_alt_m, altitude : array_like, shape (...), metres
    el_rad : array_like, shape (...), radians
    radius_m : float, metres

    Returns
    -------
    ndarray, shape (...), metres
        The far root of ``(a + h)^2 = (a + h_a)^2 + R^2 + 2 (a + h_a) R sin(el)``; NaN where the
        ray never reaches the height.
    """
    ra = radius_m + np.asarray(antenna_alt_m, dtype=np.float64)
    rt = radius_m + np.asarray(altitude, dtype=np.float64)
    b = ra * np.sin(np.asarray(el_rad, dtype=np.float64))
    disc = b * b + (rt - ra) * (rt + ra)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.where(disc >= 0, -b + np.sqrt(disc), np.nan), dtype=np.float64)


def detection_range_m(radar: RadarParams, rcs_m2: float, pd: float, swerling: int) -> float:
    """Free-space range at which single-look Pd reaches ``pd``, metres."""
    snr_req = required_snr_db(pd, radar.pfa, radar.n_pulses, swerling)
    return float(range_for_snr_m(
        snr_req, rcs_m2, radar.peak_power_w, radar.gain_db, radar.frequency_hz,
        radar.pulse_width_s, radar.system_temp_k, radar.losses_db,
    ))


def vertical_coverage(
    radar: RadarParams,
    rcs_m2: float,
    altitudes_m: ArrayLike,
    pd: float = 0.5,
    swerling: int = 1,
    k: float = EFFECTIVE_EARTH_FACTOR,
) -> VerticalCoverage:
    """Where the radar detects a target of ``rcs_m2`` with probability ``pd`` in one look.

    Parameters
    ----------
    radar : RadarParams
    rcs_m2 : float
        Mean radar cross section, m^2.
    altitudes_m : array_like, shape (H,), metres above the sphere
    pd : float
        Single-look probability of detection.
    swerling : int
        Swerling case of the target (0-4).
    k : float
        Effective Earth-radius factor of the horizon.

    Returns
    -------
    VerticalCoverage
    """
    h = np.asarray(altitudes_m, dtype=np.float64)
    ha = float(altitude_m(radar.pos))
    r_pd = detection_range_m(radar, rcs_m2, pd, swerling)
    horizon = horizon_slant_range_m(ha, h, k)
    r_low = elevation_ray_range_m(ha, h, radar.min_elevation_rad)
    r_low = np.where(np.isnan(r_low), 0.0, r_low)
    far = np.minimum.reduce([np.full_like(h, r_pd), np.full_like(h, radar.max_range_m),
                             horizon, r_low])
    near = elevation_ray_range_m(ha, h, radar.max_elevation_rad)
    near = np.where(np.isnan(near), 0.0, near)
    ok = far > near
    return VerticalCoverage(
        altitude_m=h, near_m=np.where(ok, near, np.nan), far_m=np.where(ok, far, np.nan),
        detection_range_m=r_pd, horizon_m=horizon, rcs_m2=float(rcs_m2), pd=float(pd),
    )

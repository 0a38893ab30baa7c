"""Thermal-noise measurement errors of range, azimuth and elevation.

One-sigma noise from the SNR of the detection (the standard textbook forms; see Curry,
*Radar System Performance Modeling*, 2nd ed., Artech House 2005, ch. 8, and Richards in
Richards, Scheer & Holm, *Principles of Modern Radar: Basic Principles*, SciTech 2010, ch. 18):

    sigma_R     = Delta_R / sqrt(2 SNR)
    sigma_theta = theta_3dB / (k_m sqrt(2 SNR)),   k_m = 1.6 (monopulse error slope)

where ``Delta_R`` is the range resolution and ``theta_3dB`` the one-way 3 dB beamwidth. Each
is combined with a fixed random error (the "floor") by root-sum-square, the usual way of
adding independent errors (Curry ch. 8): ``sigma = sqrt(sigma_SNR^2 + floor^2)``, so the
noise never falls below the floor at very high SNR.

Range rate from the Doppler frequency measured over a coherent dwell ``T_d`` has the same form
with the velocity resolution ``Delta_v = lambda / (2 T_d)`` in place of ``Delta_R``:
``sigma_v = lambda / (2 T_d sqrt(2 SNR))`` (Curry ch. 8; Barton, *Radar System Analysis and
Modeling*, 2005, ch. 11). Fixed biases (range, azimuth, elevation) are radar parameters and
are added by the scan to every measurement of that radar.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.frames import wrap_to_2pi

__all__ = ["MONOPULSE_SLOPE", "measurement_sigmas", "noisy_measurement", "range_rate_sigma"]

FloatArray = NDArray[np.float64]

MONOPULSE_SLOPE: float = 1.6
"""Normalised monopulse error slope k_m used in the angle-noise formula."""


def measurement_sigmas(
    snr_db: ArrayLike,
    range_resolution_m: ArrayLike,
    az_beamwidth_rad: ArrayLike,
    el_beamwidth_rad: ArrayLike,
    floor: tuple[float, float, float] | ArrayLike = (1.0, 1e-4, 1e-4),
) -> FloatArray:
    """One-sigma measurement noise of range, azimuth and elevation.

    Parameters
    ----------
    snr_db : array_like, shape (...), dB
        SNR of the detection (after integration over the dwell).
    range_resolution_m : array_like, shape (...), metres
        Range resolution ``c / (2 B)``.
    az_beamwidth_rad, el_beamwidth_rad : array_like, shape (...), radians
        One-way 3 dB beamwidths.
    floor : array_like, shape (..., 3)
        Fixed random errors (m, rad, rad), added in quadrature.

    Returns
    -------
    ndarray, shape (..., 3)
        ``[sigma_range_m, sigma_az_rad, sigma_el_rad]``; ``inf`` where the SNR is zero.
    """
    snr = np.power(10.0, np.asarray(snr_db, dtype=np.float64) / 10.0)
    with np.errstate(divide="ignore"):
        inv = 1.0 / np.sqrt(2.0 * snr)
    sig_r = np.asarray(range_resolution_m, dtype=np.float64) * inv
    sig_az = np.asarray(az_beamwidth_rad, dtype=np.float64) * inv / MONOPULSE_SLOPE
    sig_el = np.asarray(el_beamwidth_rad, dtype=np.float64) * inv / MONOPULSE_SLOPE
    thermal = np.stack(np.broadcast_arrays(sig_r, sig_az, sig_el), axis=-1)
    fl = np.asarray(floor, dtype=np.float64)
    return np.asarray(np.hypot(thermal, fl), dtype=np.float64)


def noisy_measurement(true_aer: ArrayLike, sigma: ArrayLike, normals: ArrayLike) -> FloatArray:
    """Add Gaussian noise to a range-azimuth-elevation measurement.

    Parameters
    ----------
    true_aer : array_like, shape (..., 3)
        True slant range (m), azimuth (rad) and elevation (rad).
    sigma : array_like, shape (..., 3)
        One-sigma noise (m, rad, rad), e.g. from :func:`measurement_sigmas`.
    normals : array_like, shape (..., 3)
        Standard normal draws, supplied by the caller's random stream.

    Returns
    -------
    ndarray, shape (..., 3)
        ``true_aer + sigma * normals`` with the azimuth wrapped to ``[0, 2 pi)``. Range and
        elevation are not clipped (noise is small compared with them where it matters).
    """
    z = np.asarray(true_aer, dtype=np.float64) + np.asarray(sigma, dtype=np.float64) * np.asarray(
        normals, dtype=np.float64
    )
    az = wrap_to_2pi(z[..., 1])
    return np.stack(np.broadcast_arrays(z[..., 0], az, z[..., 2]), axis=-1)


def range_rate_sigma(
    snr_db: ArrayLike,
    wavelength_m: ArrayLike,
    dwell_s: ArrayLike,
    floor_mps: ArrayLike = 0.1,
) -> FloatArray:
    """One-sigma range-rate noise ``sqrt((lambda / (2 T_d sqrt(2 SNR)))^2 + floor^2)``.

    Parameters
    ----------
    snr_db : array_like, shape (...), dB
        SNR of the detection after integration over the dwell.
    wavelength_m : array_like, shape (...), metres
    dwell_s : array_like, shape (...), seconds
        Coherent dwell (Doppler resolution ``1 / T_d``).
    floor_mps : array_like, shape (...), m/s
        Fixed random error added in quadrature.

    Returns
    -------
    ndarray, shape (...), m/s
    """
    snr = np.power(10.0, np.asarray(snr_db, dtype=np.float64) / 10.0)
    with np.errstate(divide="ignore"):
        thermal = np.asarray(wavelength_m, dtype=np.float64) / (
            2.0 * np.asarray(dwell_s, dtype=np.float64) * np.sqrt(2.0 * snr))
    return np.asarray(np.hypot(thermal, np.asarray(floor_mps, dtype=np.float64)),
                      dtype=np.float64)

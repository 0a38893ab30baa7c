"""Monostatic radar range equation for a single pulse.

    SNR = Pt tau Gt Gr lambda^2 sigma / ((4 pi)^3 k Ts R^4 L)

with peak power ``Pt`` (W), pulse width ``tau`` (s; for a matched filter ``tau`` stands for
the pulse energy over peak power, and ``k Ts`` the noise spectral density), transmit and
receive gains ``Gt, Gr``, wavelength ``lambda = c / f``, radar cross section ``sigma`` (m^2),
Boltzmann's constant ``k``, system noise temperature ``Ts`` (K), range ``R`` (m) and total
losses ``L`` (>= 1). This is the form of MATLAB's ``radareqsnr`` / ``radareqrng`` /
``radareqpow`` (Radar Toolbox documentation) and of Skolnik, *Introduction to Radar Systems*,
3rd ed., ch. 2. All functions broadcast over their array arguments.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BOLTZMANN",
    "SPEED_OF_LIGHT",
    "snr_db",
    "range_for_snr_m",
    "peak_power_for_snr_w",
    "system_temperature_k",
]

FloatArray = NDArray[np.float64]

BOLTZMANN: float = 1.380649e-23
"""Boltzmann constant, J/K (exact, SI 2019)."""
SPEED_OF_LIGHT: float = 299_792_458.0
"""Speed of light in vacuum, m/s (exact)."""

_FOUR_PI_CUBED = (4.0 * np.pi) ** 3
_T0_K = 290.0  # IEEE standard reference temperature for noise figure


def _db_to_lin(x_db: ArrayLike) -> FloatArray:
    return np.power(10.0, np.asarray(x_db, dtype=np.float64) / 10.0)


def _constant_terms(
    rcs_m2: ArrayLike,
    gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    pulse_width_s: ArrayLike,
    system_temp_k: ArrayLike,
    losses_db: ArrayLike,
    rx_gain_db: ArrayLike | None,
) -> FloatArray:
    """``tau Gt Gr lambda^2 sigma / ((4 pi)^3 k Ts L)``: SNR * R^4 / Pt, units m^4/W."""
    gt = _db_to_lin(gain_db)
    gr = gt if rx_gain_db is None else _db_to_lin(rx_gain_db)
    lam = SPEED_OF_LIGHT / np.asarray(frequency_hz, dtype=np.float64)
    num = np.asarray(pulse_width_s, dtype=np.float64) * gt * gr * lam**2
    num = num * np.asarray(rcs_m2, dtype=np.float64)
    den = _FOUR_PI_CUBED * BOLTZMANN * np.asarray(system_temp_k, dtype=np.float64)
    return np.asarray(num / (den * _db_to_lin(losses_db)), dtype=np.float64)


def snr_db(
    range_m: ArrayLike,
    rcs_m2: ArrayLike,
    peak_power_w: ArrayLike,
    gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    pulse_width_s: ArrayLike,
    system_temp_k: ArrayLike = 290.0,
    losses_db: ArrayLike = 0.0,
    rx_gain_db: ArrayLike | None = None,
) -> FloatArray:
    """Single-pulse signal-to-noise ratio from the radar range equation.

    Parameters
    ----------
    range_m : array_like, shape (...), metres
        One-way slant range to the target.
    rcs_m2 : array_like, shape (...), m^2
        Radar cross section.
    peak_power_w : array_like, shape (...), watts
    gain_db : array_like, shape (...), dBi
        Transmit antenna gain (also the receive gain unless ``rx_gain_db`` is given).
    frequency_hz : array_like, shape (...), Hz
    pulse_width_s : array_like, shape (...), seconds
    system_temp_k : array_like, shape (...), kelvin
    losses_db : array_like, shape (...), dB
        Total system losses (positive dB reduce the SNR).
    rx_gain_db : array_like or None, shape (...), dBi
        Receive antenna gain; defaults to ``gain_db``.

    Returns
    -------
    ndarray, shape (...), dB
        Per-pulse SNR. A range of 0 gives +inf.
    """
    c = _constant_terms(
        rcs_m2, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db, rx_gain_db
    )
    r = np.asarray(range_m, dtype=np.float64)
    with np.errstate(divide="ignore"):
        snr = np.asarray(peak_power_w, dtype=np.float64) * c / r**4
        return np.asarray(10.0 * np.log10(snr), dtype=np.float64)


def range_for_snr_m(
    snr_db: ArrayLike,
    rcs_m2: ArrayLike,
    peak_power_w: ArrayLike,
    gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    pulse_width_s: ArrayLike,
    system_temp_k: ArrayLike = 290.0,
    losses_db: ArrayLike = 0.0,
    rx_gain_db: ArrayLike | None = None,
) -> FloatArray:
    """Range at which a target gives a stated single-pulse SNR.

    Parameters
    ----------
    snr_db : array_like, shape (...), dB
        Required per-pulse SNR.
    rcs_m2, peak_power_w, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db,
    rx_gain_db
        As in :func:`snr_db`.

    Returns
    -------
    ndarray, shape (...), metres
        ``R = (Pt tau Gt Gr lambda^2 sigma / ((4 pi)^3 k Ts L SNR))^(1/4)``.
    """
    c = _constant_terms(
        rcs_m2, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db, rx_gain_db
    )
    r4 = np.asarray(peak_power_w, dtype=np.float64) * c / _db_to_lin(snr_db)
    return np.asarray(r4**0.25, dtype=np.float64)


def peak_power_for_snr_w(
    snr_db: ArrayLike,
    range_m: ArrayLike,
    rcs_m2: ArrayLike,
    gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    pulse_width_s: ArrayLike,
    system_temp_k: ArrayLike = 290.0,
    losses_db: ArrayLike = 0.0,
    rx_gain_db: ArrayLike | None = None,
) -> FloatArray:
    """Peak transmit power that gives a stated single-pulse SNR at a stated range.

    Parameters
    ----------
    snr_db : array_like, shape (...), dB
    range_m : array_like, shape (...), metres
    rcs_m2, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db, rx_gain_db
        As in :func:`snr_db`.

    Returns
    -------
    ndarray, shape (...), watts
        ``Pt = SNR (4 pi)^3 k Ts R^4 L / (tau Gt Gr lambda^2 sigma)``.
    """
    c = _constant_terms(
        rcs_m2, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db, rx_gain_db
    )
    r = np.asarray(range_m, dtype=np.float64)
    return np.asarray(_db_to_lin(snr_db) * r**4 / c, dtype=np.float64)


def system_temperature_k(
    noise_figure_db: ArrayLike, antenna_temp_k: ArrayLike = 290.0
) -> FloatArray:
    """System noise temperature from the receiver noise figure.

    Parameters
    ----------
    noise_figure_db : array_like, shape (...), dB
    antenna_temp_k : array_like, shape (...), kelvin

    Returns
    -------
    ndarray, shape (...), kelvin
        ``Ts = Ta + T0 (F - 1)`` with ``T0 = 290 K`` (receiver-only; transmission-line loss
        ahead of the receiver is left to ``losses_db``).
    """
    f = _db_to_lin(noise_figure_db)
    return np.asarray(np.asarray(antenna_temp_k, dtype=np.float64) + _T0_K * (f - 1.0))

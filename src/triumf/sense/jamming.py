"""Noise jamming: jammer-to-noise and jammer-to-signal ratios, S/(N+J), burn-through range.

Barrage noise of effective radiated power ``ERP = P_j G_j`` (W) spread over the bandwidth
``B_j`` (Hz) reaches the radar at one-way range ``R_j`` and enters through the receive gain
``G_r(theta)`` toward the jammer (main lobe for a self-screening jammer, usually a sidelobe for
a stand-off jammer). Its power spectral density at the receiver is (Skolnik, *Introduction to
Radar Systems*, 3rd ed., sec. 10.5; Adamy, *EW 101*, ch. 9; Schleher, *Electronic Warfare in
the Information Age*, ch. 3)

    J0 = ERP G_r lambda^2 / ((4 pi)^2 R_j^2 B_j L_j)      (W/Hz)

against the thermal noise density ``N0 = k Ts``. With the single-pulse signal energy ``E =
Pt tau G_t G_r lambda^2 sigma / ((4 pi)^3 R^4 L)`` (the form of
:mod:`triumf.sense.radar_equation`), the interference-limited ratio is ``E / (N0 + J0)``:

    SNR  = E / N0,  JNR = J0 / N0,  SINR = SNR / (1 + JNR).

Self-screening jammer (``R_j = R``, main-lobe gain ``G``): setting ``SINR = SNR_req`` gives a
quadratic in ``x = R^2``,

    SNR_req N0 x^2 + SNR_req J1 x - E1 = 0,   E1 = E R^4,  J1 = J0 R^2,

so the burn-through range (where the echo beats the noise plus jamming by the required SNR) is

    R_bt^2 = (-SNR_req J1 + sqrt(SNR_req^2 J1^2 + 4 SNR_req N0 E1)) / (2 SNR_req N0)
           = 2 E1 / (SNR_req J1 + sqrt(SNR_req^2 J1^2 + 4 SNR_req N0 E1)),

which tends to ``R_bt = sqrt(E1 / (SNR_req J1))`` when jamming dominates (the classic
``R^2`` burn-through law) and to the free-space detection range when ``J1 -> 0``.
A stand-off jammer at fixed range and gain adds a constant ``J0``: the detection range shrinks
by ``(1 + JNR)^(-1/4)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.sense.radar_equation import BOLTZMANN, SPEED_OF_LIGHT

__all__ = [
    "jammer_density_w_per_hz",
    "jammer_to_noise_db",
    "sinr_db",
    "self_screening_burn_through_m",
    "stand_off_detection_range_m",
]

FloatArray = NDArray[np.float64]


def _lin(x_db: ArrayLike) -> FloatArray:
    return np.asarray(10.0 ** (np.asarray(x_db, dtype=np.float64) / 10.0), dtype=np.float64)


def jammer_density_w_per_hz(
    erp_w: ArrayLike,
    bandwidth_hz: ArrayLike,
    range_m: ArrayLike,
    rx_gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    jammer_losses_db: ArrayLike = 0.0,
) -> FloatArray:
    """Jamming power spectral density at the radar receiver, ``J0`` (W/Hz).

    Parameters
    ----------
    erp_w : array_like, shape (...), W
        Jammer effective radiated power toward the radar.
    bandwidth_hz : array_like, shape (...), Hz
        Noise bandwidth (at least the radar's bandwidth for barrage noise).
    range_m : array_like, shape (...), metres
        Jammer-to-radar range.
    rx_gain_db : array_like, shape (...), dBi
        Radar receive gain toward the jammer.
    frequency_hz : array_like, shape (...), Hz
    jammer_losses_db : array_like, shape (...), dB
        One-way losses on the jamming path (polarisation, atmosphere, receiver).

    Returns
    -------
    ndarray, shape (...), W/Hz
    """
    lam = SPEED_OF_LIGHT / np.asarray(frequency_hz, dtype=np.float64)
    r = np.asarray(range_m, dtype=np.float64)
    num = np.asarray(erp_w, dtype=np.float64) * _lin(rx_gain_db) * lam**2
    with np.errstate(divide="ignore"):
        den = (4.0 * np.pi) ** 2 * r**2 * np.asarray(bandwidth_hz) * _lin(jammer_losses_db)
        return np.asarray(num / den, dtype=np.float64)


def jammer_to_noise_db(j0_w_per_hz: ArrayLike, system_temp_k: ArrayLike) -> FloatArray:
    """``JNR = J0 / (k Ts)`` in dB.

    Parameters
    ----------
    j0_w_per_hz : array_like, shape (...), W/Hz
    system_temp_k : array_like, shape (...), kelvin

    Returns
    -------
    ndarray, shape (...), dB (``-inf`` without jamming)
    """
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(
            np.asarray(j0_w_per_hz, dtype=np.float64)
            / (BOLTZMANN * np.asarray(system_temp_k, dtype=np.float64))), dtype=np.float64)


def sinr_db(snr_db: ArrayLike, *interference_to_noise_db: ArrayLike) -> FloatArray:
    """Signal to noise-plus-interference ratio: ``SNR / (1 + sum_i INR_i)`` in dB.

    Parameters
    ----------
    snr_db : array_like, shape (...), dB
    *interference_to_noise_db : array_like, shape (...), dB
        Jamming-to-noise, clutter-to-noise, ... ratios (``-inf`` for none).

    Returns
    -------
    ndarray, shape (...), dB
    """
    total = np.ones(())
    for inr in interference_to_noise_db:
        total = total + _lin(inr)
    return np.asarray(np.asarray(snr_db, dtype=np.float64) - 10.0 * np.log10(total),
                      dtype=np.float64)


def self_screening_burn_through_m(
    required_snr_db: ArrayLike,
    rcs_m2: ArrayLike,
    peak_power_w: ArrayLike,
    gain_db: ArrayLike,
    frequency_hz: ArrayLike,
    pulse_width_s: ArrayLike,
    system_temp_k: ArrayLike,
    losses_db: ArrayLike,
    erp_w: ArrayLike,
    bandwidth_hz: ArrayLike,
    jammer_losses_db: ArrayLike = 0.0,
) -> FloatArray:
    """Burn-through range against a self-screening noise jammer, thermal noise included.

    Parameters
    ----------
    required_snr_db : array_like, shape (...), dB
        Single-pulse SINR needed (e.g. from :func:`triumf.sense.detection.required_snr_db`).
    rcs_m2, peak_power_w, gain_db, frequency_hz, pulse_width_s, system_temp_k, losses_db
        Radar and target, as in :func:`triumf.sense.radar_equation.snr_db`.
    erp_w, bandwidth_hz, jammer_losses_db
        The jammer, as in :func:`jammer_density_w_per_hz` (main-lobe receive gain).

    Returns
    -------
    ndarray, shape (...), metres
        Range inside which ``SINR >= required``.
    """
    lam = SPEED_OF_LIGHT / np.asarray(frequency_hz, dtype=np.float64)
    g = _lin(gain_db)
    e1 = (np.asarray(peak_power_w) * np.asarray(pulse_width_s) * g * g * lam**2
          * np.asarray(rcs_m2) / ((4.0 * np.pi) ** 3 * _lin(losses_db)))
    j1 = jammer_density_w_per_hz(erp_w, bandwidth_hz, 1.0, gain_db, frequency_hz,
                                 jammer_losses_db)
    n0 = BOLTZMANN * np.asarray(system_temp_k, dtype=np.float64)
    q = _lin(required_snr_db)
    # the positive root, in the form without cancellation when jamming dominates
    x = 2.0 * e1 / (q * j1 + np.sqrt((q * j1) ** 2 + 4.0 * q * n0 * e1))
    return np.asarray(np.sqrt(x), dtype=np.float64)


def stand_off_detection_range_m(free_space_range_m: ArrayLike, jnr_db: ArrayLike) -> FloatArray:
    """Detection range under a constant jamming density: ``R_0 (1 + JNR)^(-1/4)``.

    Parameters
    ----------
    free_space_range_m : array_like, shape (...), metres
        Range at which the unjammed SNR equals the required SNR.
    jnr_db : array_like, shape (...), dB

    Returns
    -------
    ndarray, shape (...), metres
    """
    return np.asarray(np.asarray(free_space_range_m, dtype=np.float64)
                      * (1.0 + _lin(jnr_db)) ** -0.25, dtype=np.float64)

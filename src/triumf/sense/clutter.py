"""Surface clutter competing with a low target in its resolution cell.

Reflectivity
------------
Land: the constant-gamma model ``sigma0 = gamma sin psi`` (Barton, "Land clutter models for
radar design and analysis", Proc. IEEE 73(2), 1985; MATLAB ``surfacegamma`` /
``constantGammaClutter``), with gamma quoted at 10 GHz and scaled as ``gamma(f) = gamma_0 +
5 log10(f / 10 GHz)`` dB (the frequency scaling MATLAB ``surfacegamma`` documents, after
Nathanson, *Radar Design Principles*).

Sea: the NRL empirical model (Gregers-Hansen & Mital, "An improved empirical model for radar
sea clutter reflectivity", IEEE Trans. AES 48(4), 2012), for 0.5-35 GHz, sea states 0-6,
grazing angles 0.1-60 degrees:

    sigma0_dB = c1 + c2 log10(sin psi) + (27.5 + c3 psi) log10(f_GHz) / (1 + 0.95 psi)
                + c4 (SS + 1)^(1 / (2 + 0.085 psi + 0.033 SS)) + c5 psi^2,  psi in degrees,

with the coefficients of the paper for horizontal (H) and vertical (V) polarisation.

Clutter in the target's cell
----------------------------
At low grazing angles the illuminated patch is range-cell limited: ``A = R theta_az dR sec
psi`` (Skolnik, *Introduction to Radar Systems*, 3rd ed., sec. 7.4), ``sigma_c = sigma0 A``.
The clutter returns through the elevation pattern at the depression angle ``-psi``; with a
Gaussian beam the two-way gain relative to the target direction is ``exp(-8 ln 2 (el_t +
psi)^2 / theta_el^2)``, floored at the two-way sidelobe level. A pulse-Doppler or MTI processor
suppresses stationary clutter by its improvement factor ``I`` (a radar parameter). Clutter is
only present in cells the antenna can see: ranges inside its own surface horizon
``sqrt(2 k a h_r)``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "NRL_COEFFICIENTS",
    "constant_gamma_sigma0",
    "nrl_sea_sigma0_db",
    "clutter_cell_area_m2",
    "gaussian_beam_gain",
]

FloatArray = NDArray[np.float64]

NRL_COEFFICIENTS: dict[str, tuple[float, float, float, float, float]] = {
    "H": (-73.0, 20.781, 7.351, 25.65, 0.0054),
    "V": (-50.796, 25.93, 0.7093, 21.588, 0.00211),
}
"""(c1, c2, c3, c4, c5) of the NRL sea-clutter model (Gregers-Hansen & Mital 2012, table of
coefficients fitted over 0-60 degrees grazing), by polarisation. [P]"""

_REF_FREQ_HZ = 1.0e10  # frequency at which land gamma values are quoted (MATLAB surfacegamma)


def constant_gamma_sigma0(
    grazing_rad: ArrayLike, gamma_db: ArrayLike, frequency_hz: ArrayLike = _REF_FREQ_HZ
) -> FloatArray:
    """Constant-gamma surface reflectivity ``sigma0 = gamma(f) sin psi`` (m^2/m^2, linear).

    Parameters
    ----------
    grazing_rad : array_like, shape (...), radians
    gamma_db : array_like, shape (...), dB
        Gamma at 10 GHz.
    frequency_hz : array_like, shape (...), Hz

    Returns
    -------
    ndarray, shape (...)
    """
    g_db = np.asarray(gamma_db, dtype=np.float64) + 5.0 * np.log10(
        np.asarray(frequency_hz, dtype=np.float64) / _REF_FREQ_HZ)
    psi = np.asarray(grazing_rad, dtype=np.float64)
    return np.asarray(10.0 ** (g_db / 10.0) * np.sin(np.maximum(psi, 0.0)), dtype=np.float64)


def nrl_sea_sigma0_db(
    grazing_rad: ArrayLike,
    frequency_hz: ArrayLike,
    sea_state: ArrayLike,
    polarisation: str = "H",
) -> FloatArray:
    """NRL sea-clutter reflectivity ``sigma0`` in dB (Gregers-Hansen & Mital 2012).

    Parameters
    ----------
    grazing_rad : array_like, shape (...), radians
        Clipped to at least 0.1 degree (the model's lower validity limit).
    frequency_hz : array_like, shape (...), Hz
    sea_state : array_like, shape (...)
        Douglas sea state 0-6.
    polarisation : {"H", "V"}

    Returns
    -------
    ndarray, shape (...), dB (m^2/m^2)
    """
    if polarisation not in NRL_COEFFICIENTS:
        raise ValueError(f"polarisation must be 'H' or 'V', not {polarisation!r}")
    c1, c2, c3, c4, c5 = NRL_COEFFICIENTS[polarisation]
    psi_deg = np.maximum(np.degrees(np.asarray(grazing_rad, dtype=np.float64)), 0.1)
    ss = np.asarray(sea_state, dtype=np.float64)
    f_ghz = np.asarray(frequency_hz, dtype=np.float64) / 1e9
    out = (c1 + c2 * np.log10(np.sin(np.radians(psi_deg)))
           + (27.5 + c3 * psi_deg) * np.log10(f_ghz) / (1.0 + 0.95 * psi_deg)
           + c4 * (ss + 1.0) ** (1.0 / (2.0 + 0.085 * psi_deg + 0.033 * ss))
           + c5 * psi_deg**2)
    return np.asarray(out, dtype=np.float64)


def clutter_cell_area_m2(
    range_m: ArrayLike, az_beamwidth_rad: ArrayLike, range_resolution_m: ArrayLike,
    grazing_rad: ArrayLike,
) -> FloatArray:
    """Range-cell-limited clutter patch ``A = R theta_az dR sec psi`` (m^2).

    Parameters
    ----------
    range_m : array_like, shape (...), metres
    az_beamwidth_rad : array_like, shape (...), radians
    range_resolution_m : array_like, shape (...), metres
    grazing_rad : array_like, shape (...), radians

    Returns
    -------
    ndarray, shape (...), m^2
    """
    return np.asarray(
        np.asarray(range_m, dtype=np.float64) * np.asarray(az_beamwidth_rad)
        * np.asarray(range_resolution_m) / np.cos(np.asarray(grazing_rad, dtype=np.float64)),
        dtype=np.float64,
    )


def gaussian_beam_gain(
    off_axis_rad: ArrayLike, beamwidth_rad: ArrayLike, sidelobe_level_db: ArrayLike = -30.0
) -> FloatArray:
    """One-way Gaussian beam gain relative to the peak, floored at the sidelobe level.

    ``g = exp(-4 ln 2 (theta / theta_3dB)^2)`` (-3 dB at half the beamwidth off axis), never
    below ``10^(sidelobe_level_db / 10)``.

    Parameters
    ----------
    off_axis_rad : array_like, shape (...), radians
    beamwidth_rad : array_like, shape (...), radians
        One-way 3 dB beamwidth.
    sidelobe_level_db : array_like, shape (...), dB (negative)

    Returns
    -------
    ndarray, shape (...), linear power gain in (0, 1]
    """
    x = np.asarray(off_axis_rad, dtype=np.float64) / np.asarray(beamwidth_rad, dtype=np.float64)
    g = np.exp(-4.0 * np.log(2.0) * x**2)
    floor = 10.0 ** (np.asarray(sidelobe_level_db, dtype=np.float64) / 10.0)
    return np.asarray(np.maximum(g, floor), dtype=np.float64)

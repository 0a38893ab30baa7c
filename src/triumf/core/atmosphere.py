"""The 1976 U.S. Standard Atmosphere, vectorised over any array of altitudes.

Below 86 km geometric altitude this is the COESA 1976 model (identical to the ICAO standard
atmosphere below 32 km): seven layers of constant lapse rate in *geopotential* altitude

    H = r0 z / (r0 + z),   r0 = 6 356 766 m,

with hydrostatic pressure

    p = p_b (T_b / T)^(g0 M0 / (R* L))     (L != 0)
    p = p_b exp(-g0 M0 (H - H_b) / (R* T_b))    (L == 0)

density from the perfect-gas law and speed of sound a = sqrt(gamma R T). The constants are those
of the 1976 standard (R* = 8.31432 J/(mol K), M0 = 28.9644 g/mol, g0 = 9.80665 m/s^2, gamma = 1.4).
The molecular-weight ratio M/M0 that the standard applies between 80 and 86 km is ignored (it is
below 0.04 % there).

Outside the standard's range:

* below 0 m the first (tropospheric) layer is extrapolated;
* above 86 km the temperature is held at its 86 km value (186.87 K) and pressure and density
  decay exponentially with the isothermal scale height at that temperature. This is smooth and
  monotone but is not the 1976 upper-atmosphere model; at those heights drag on an interceptor or
  a re-entry vehicle is negligible for this simulator's purposes.

References: U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562, NASA-TM-X-74335), section 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "GAMMA_AIR",
    "R_AIR_JPKGK",
    "SEA_LEVEL_DENSITY_KGPM3",
    "SEA_LEVEL_PRESSURE_PA",
    "SEA_LEVEL_TEMPERATURE_K",
    "density_and_sound_speed",
    "geopotential_altitude_m",
    "isa",
]

# Constants of the 1976 standard.
G0_MPS2 = 9.80665
R_STAR_JPMOLK = 8.31432
M0_KGPMOL = 28.9644e-3
R_AIR_JPKGK = R_STAR_JPMOLK / M0_KGPMOL  # 287.0528 J/(kg K)
GAMMA_AIR = 1.4
R0_M = 6_356_766.0  # effective Earth radius for the geopotential conversion
SEA_LEVEL_TEMPERATURE_K = 288.15
SEA_LEVEL_PRESSURE_PA = 101_325.0
SEA_LEVEL_DENSITY_KGPM3 = SEA_LEVEL_PRESSURE_PA / (R_AIR_JPKGK * SEA_LEVEL_TEMPERATURE_K)
TOP_GEOMETRIC_M = 86_000.0

# Layer bases (geopotential metres) and lapse rates (K/m) of the 1976 standard.
_H_BASE_M = np.array([0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0])
_LAPSE_KPM = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3])
_GMR = G0_MPS2 / R_AIR_JPKGK  # g0 M0 / R*, K/m


def _layer_bases() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Temperature and pressure at each layer base, integrated from sea level."""
    t_base = np.empty_like(_H_BASE_M)
    p_base = np.empty_like(_H_BASE_M)
    t_base[0] = SEA_LEVEL_TEMPERATURE_K
    p_base[0] = SEA_LEVEL_PRESSURE_PA
    for i in range(1, _H_BASE_M.size):
        dh = _H_BASE_M[i] - _H_BASE_M[i - 1]
        lapse = _LAPSE_KPM[i - 1]
        t_base[i] = t_base[i - 1] + lapse * dh
        if lapse == 0.0:
            p_base[i] = p_base[i - 1] * np.exp(-_GMR * dh / t_base[i - 1])
        else:
            p_base[i] = p_base[i - 1] * (t_base[i - 1] / t_base[i]) ** (_GMR / lapse)
    return t_base, p_base


_T_BASE_K, _P_BASE_PA = _layer_bases()
# Lapse rates with zeros replaced, so the power-law branch never divides by zero.
_LAPSE_SAFE = np.where(_LAPSE_KPM == 0.0, 1.0, _LAPSE_KPM)


def geopotential_altitude_m(altitude_m: ArrayLike) -> NDArray[np.float64]:
    """Geopotential altitude of a geometric altitude.

    Parameters
    ----------
    altitude_m : array_like, shape (...), metres, geometric altitude

    Returns
    -------
    ndarray, shape (...), geopotential metres, ``r0 z / (r0 + z)``
    """
    z = np.asarray(altitude_m, dtype=np.float64)
    return R0_M * z / (R0_M + z)


def _below_top(
    h: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Temperature and pressure for geopotential altitudes inside (or below) the layers."""
    i = np.clip(np.searchsorted(_H_BASE_M, h, side="right") - 1, 0, _H_BASE_M.size - 1)
    h_b = _H_BASE_M[i]
    t_b = _T_BASE_K[i]
    p_b = _P_BASE_PA[i]
    lapse = _LAPSE_KPM[i]
    dh = h - h_b
    t = t_b + lapse * dh
    isothermal = lapse == 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        p_grad = p_b * (t_b / t) ** (_GMR / _LAPSE_SAFE[i])
        p_iso = p_b * np.exp(-_GMR * dh / t_b)
    p = np.where(isothermal, p_iso, p_grad)
    return t, p


_H_TOP_M = float(geopotential_altitude_m(TOP_GEOMETRIC_M))
_T_TOP_ARR, _P_TOP_ARR = _below_top(np.array([_H_TOP_M]))
_T_TOP_K = float(_T_TOP_ARR[0])
_P_TOP_PA = float(_P_TOP_ARR[0])


def isa(
    altitude_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """1976 U.S. Standard Atmosphere at geometric altitudes.

    Parameters
    ----------
    altitude_m : array_like, shape (...), metres, geometric altitude above mean sea level.
        Values below 0 extrapolate the tropospheric layer; values above 86 km use an isothermal
        exponential decay (see the module docstring).

    Returns
    -------
    temperature_k : ndarray, shape (...), kelvin
    pressure_pa : ndarray, shape (...), pascal
    density_kgpm3 : ndarray, shape (...), kg/m^3
    speed_of_sound_mps : ndarray, shape (...), m/s
    """
    z = np.asarray(altitude_m, dtype=np.float64)
    h = geopotential_altitude_m(np.minimum(z, TOP_GEOMETRIC_M))
    t, p = _below_top(h)
    above = z > TOP_GEOMETRIC_M
    if np.any(above):
        # Isothermal above 86 km: p = p_top exp(-g0 (H - H_top) / (R T_top)).
        h_up = geopotential_altitude_m(np.where(above, z, TOP_GEOMETRIC_M))
        p = np.where(above, _P_TOP_PA * np.exp(-_GMR * (h_up - _H_TOP_M) / _T_TOP_K), p)
        t = np.where(above, _T_TOP_K, t)
    rho = p / (R_AIR_JPKGK * t)
    a = np.sqrt(GAMMA_AIR * R_AIR_JPKGK * t)
    return t, p, rho, a


_FAST_H0_M = -2_000.0
_FAST_DH_M = 5.0
_FAST_N = int(round((400_000.0 - _FAST_H0_M) / _FAST_DH_M)) + 1


def _fast_table() -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Log-density and sound speed at uniform geopotential nodes (every layer base is a node)."""
    h = _FAST_H0_M + _FAST_DH_M * np.arange(_FAST_N)
    z = R0_M * h / (R0_M - h)
    _, _, rho, a = isa(z)
    return np.log(rho), a


_FAST_LOG_RHO, _FAST_SOUND_MPS = _fast_table()


def density_and_sound_speed(
    altitude_m: ArrayLike,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Density and speed of sound of :func:`isa`, read from a precomputed table (fast path).

    Log-density and sound speed are interpolated linearly between nodes every 5 geopotential
    metres from -2 km to 400 km; every layer base is a node, so the relative error is below
    1e-6 except within 5 m of the 86 km junction (below 1e-5). Outside that span the end values
    are held. Several times faster than :func:`isa`: use it in integration loops.

    Parameters
    ----------
    altitude_m : array_like, shape (...), metres, geometric altitude

    Returns
    -------
    density_kgpm3 : ndarray, shape (...), kg/m^3
    speed_of_sound_mps : ndarray, shape (...), m/s
    """
    z = np.asarray(altitude_m, dtype=np.float64)
    x = (R0_M * z / (R0_M + z) - _FAST_H0_M) * (1.0 / _FAST_DH_M)
    x = np.clip(x, 0.0, _FAST_N - 1.0)
    i = np.minimum(x.astype(np.intp), _FAST_N - 2)
    w = x - i
    lr0 = _FAST_LOG_RHO[i]
    a0 = _FAST_SOUND_MPS[i]
    rho = np.exp(lr0 + w * (_FAST_LOG_RHO[i + 1] - lr0))
    a = a0 + w * (_FAST_SOUND_MPS[i + 1] - a0)
    return rho, a

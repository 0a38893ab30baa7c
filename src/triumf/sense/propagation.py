"""Multipath over a reflecting surface: the two-ray pattern propagation factor.

The field at the target is the direct ray plus a ray reflected once at the surface with the
complex reflection coefficient ``Gamma = rho e^{j phi}``. With path-length difference
``delta`` the one-way pattern propagation factor is (Skolnik, *Introduction to Radar Systems*,
3rd ed., sec. 8.2; Blake, *Radar Range-Performance Analysis*, ch. 6; MATLAB Radar Toolbox
``twoRayChannel`` / ``radarpropfactor``)

    F = |1 + Gamma exp(-j 2 pi delta / lambda)|

and the received power of a monostatic radar scales by ``F^4``. Over a smooth, flat surface at
low grazing angles ``Gamma -> -1`` (phase ``pi``), ``delta ~= 2 h_r h_t / d`` and

    F = 2 |sin(2 pi h_r h_t / (lambda d))|,

lobes with nulls at elevation angles ``theta_n ~= n lambda / (2 h_r)`` and peaks halfway
between, and the ``F^4 ~ d^-4`` fall-off that hides very low targets (sea-skimmers,
helicopters) well inside the geometric horizon.

Earth curvature is applied to first order: the heights above the tangent plane at the
reflection point are ``h' = h - d_i^2 / (2 k a)`` with ``d_i`` the ground distance of each end
to the flat-surface reflection point (Blake ch. 6; Kerr, *Propagation of Short Radio Waves*,
1951); the divergence factor is left out (it only matters close to the horizon, where ``F`` is
already small). Surface roughness reduces the specular coefficient by the Ament factor
``rho_s = exp(-2 (2 pi sigma_h sin psi / lambda)^2)`` (Ament 1953, as in Skolnik sec. 8.2).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from triumf.core.earth import EARTH_RADIUS_M, EFFECTIVE_EARTH_FACTOR

__all__ = ["roughness_factor", "two_ray_propagation_factor", "grazing_angle_rad"]

FloatArray = NDArray[np.float64]


def roughness_factor(
    grazing_rad: ArrayLike, surface_height_std_m: ArrayLike, wavelength_m: ArrayLike
) -> FloatArray:
    """Ament specular-scattering factor ``exp(-2 (2 pi sigma_h sin psi / lambda)^2)``.

    Parameters
    ----------
    grazing_rad : array_like, shape (...), radians
    surface_height_std_m : array_like, shape (...), metres
        Standard deviation of the surface height (sea waves, ground relief).
    wavelength_m : array_like, shape (...), metres

    Returns
    -------
    ndarray, shape (...)
        In (0, 1]; 1 for a smooth surface.
    """
    g = 2.0 * np.pi * np.asarray(surface_height_std_m, dtype=np.float64)
    g = g * np.sin(np.asarray(grazing_rad, dtype=np.float64)) / np.asarray(wavelength_m)
    return np.asarray(np.exp(-2.0 * g**2), dtype=np.float64)


def _effective_heights(
    ground_m: FloatArray, h_r: FloatArray, h_t: FloatArray, k_a: float
) -> tuple[FloatArray, FloatArray]:
    """Heights above the tangent plane at the (flat-surface) reflection point."""
    total = np.maximum(h_r + h_t, 1e-9)
    d1 = ground_m * h_r / total
    d2 = ground_m - d1
    if np.isinf(k_a):
        return h_r, h_t
    return (np.maximum(h_r - d1**2 / (2.0 * k_a), 0.0),
            np.maximum(h_t - d2**2 / (2.0 * k_a), 0.0))


def _reflection_geometry(
    ground_m: ArrayLike, h_r: FloatArray, h_t: FloatArray, k_a: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Ground distance, heights above the tangent plane and grazing angle of the reflection.

    Returns ``(d, h'_r, h'_t, psi)``, each shape (...): metres, metres, metres, radians, with
    ``psi = atan((h'_r + h'_t) / d)``.
    """
    d = np.asarray(ground_m, dtype=np.float64)
    hr, ht = _effective_heights(d, h_r, h_t, k_a)
    return d, hr, ht, np.arctan2(hr + ht, np.maximum(d, 1e-9))


def grazing_angle_rad(
    ground_m: ArrayLike,
    radar_height_m: ArrayLike,
    target_height_m: ArrayLike,
    k_factor: float = EFFECTIVE_EARTH_FACTOR,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """Grazing angle of the reflected ray at the surface, ``atan((h'_r + h'_t) / d)``.

    Parameters
    ----------
    ground_m : array_like, shape (...), metres
        Ground distance between the antenna and the target.
    radar_height_m, target_height_m : array_like, shape (...), metres
        Heights above the reflecting surface.
    k_factor : float
        Effective-Earth-radius factor (``inf`` for a flat Earth).

    Returns
    -------
    ndarray, shape (...), radians
    """
    psi = _reflection_geometry(ground_m, np.asarray(radar_height_m, dtype=np.float64),
                               np.asarray(target_height_m, dtype=np.float64),
                               k_factor * earth_radius_m)[3]
    return np.asarray(psi, dtype=np.float64)


def two_ray_propagation_factor(
    ground_m: ArrayLike,
    radar_height_m: ArrayLike,
    target_height_m: ArrayLike,
    wavelength_m: ArrayLike,
    reflection_magnitude: ArrayLike = 1.0,
    reflection_phase_rad: ArrayLike = np.pi,
    surface_height_std_m: ArrayLike = 0.0,
    k_factor: float = EFFECTIVE_EARTH_FACTOR,
    earth_radius_m: float = EARTH_RADIUS_M,
) -> FloatArray:
    """One-way pattern propagation factor ``F`` of the direct plus the surface-reflected ray.

    Parameters
    ----------
    ground_m : array_like, shape (...), metres
        Ground distance between the antenna and the target.
    radar_height_m, target_height_m : array_like, shape (...), metres
        Heights above the reflecting surface (clipped at 0).
    wavelength_m : array_like, shape (...), metres
    reflection_magnitude, reflection_phase_rad : array_like, shape (...)
        Smooth-surface reflection coefficient ``rho e^{j phi}`` (``1, pi`` for a smooth sea
        at low grazing angle, horizontal polarisation).
    surface_height_std_m : array_like, shape (...), metres
        Surface roughness for the Ament factor (0: smooth).
    k_factor : float
        Effective-Earth-radius factor for the curvature correction (``inf``: flat Earth).

    Returns
    -------
    ndarray, shape (...)
        ``F`` in ``[0, 1 + rho]``; multiply the SNR by ``F^4``.
    """
    d, hr, ht, psi = _reflection_geometry(
        ground_m, np.maximum(np.asarray(radar_height_m, dtype=np.float64), 0.0),
        np.maximum(np.asarray(target_height_m, dtype=np.float64), 0.0),
        k_factor * earth_radius_m)
    lam = np.asarray(wavelength_m, dtype=np.float64)
    # exact image geometry over the tangent plane: delta = R_reflected - R_direct
    r_dir = np.hypot(d, ht - hr)
    r_ref = np.hypot(d, ht + hr)
    delta = 4.0 * hr * ht / (r_dir + r_ref)  # = r_ref - r_dir without cancellation
    rho = np.asarray(reflection_magnitude, dtype=np.float64) * roughness_factor(
        psi, surface_height_std_m, lam)
    phase = np.asarray(reflection_phase_rad, dtype=np.float64) - 2.0 * np.pi * delta / lam
    f2 = 1.0 + rho**2 + 2.0 * rho * np.cos(phase)
    return np.asarray(np.sqrt(np.maximum(f2, 0.0)), dtype=np.float64)

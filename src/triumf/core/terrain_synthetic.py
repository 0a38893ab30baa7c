"""Synthetic terrain for fictional geography: a fractal surface plus named ridges and hills.

The generator is pure: the same arguments (including ``seed``) give the same grid bit for bit.
Its random part is a spectral fractal surface (Fourier synthesis of a power-law spectrum,
``P(f) ~ f^-beta``; Saupe, "Algorithms for random fractals", in Peitgen & Saupe (eds.), *The
Science of Fractal Images*, Springer 1988, ch. 2.6), scaled to a stated RMS height and lifted
so that its lowest point is at sea level. Ridges and hills are deterministic shapes added on
top: a ridge is a segment with a Gaussian cross-section and rounded ends, a hill a Gaussian
bump. Heights below sea level are clipped to 0 (the sea).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.terrain import Terrain

__all__ = ["Hill", "Ridge", "fractal_surface", "synthetic_terrain"]


@dataclass(frozen=True)
class Ridge:
    """A straight ridge with a Gaussian cross-section.

    Parameters
    ----------
    start_east_m, start_north_m, end_east_m, end_north_m : float
        Map coordinates of the crest line's two ends, metres.
    height_m : float
        Crest height above the surface below it, metres.
    half_width_m : float
        Gaussian width ``w`` of the cross-section: ``h(d) = height exp(-d^2 / (2 w^2))`` at
        distance ``d`` from the crest segment (ends rounded the same way), metres (> 0).
    """

    start_east_m: float
    start_north_m: float
    end_east_m: float
    end_north_m: float
    height_m: float
    half_width_m: float


@dataclass(frozen=True)
class Hill:
    """A Gaussian hill ``h(d) = height exp(-d^2 / (2 r^2))``.

    Parameters
    ----------
    east_m, north_m : float
        Map coordinates of the summit, metres.
    height_m : float
        Summit height above the surface below it, metres.
    radius_m : float
        Gaussian width ``r``, metres (> 0).
    """

    east_m: float
    north_m: float
    height_m: float
    radius_m: float


def fractal_surface(
    shape: tuple[int, int], spacing_m: float, rms_m: float, beta: float, seed: int
) -> NDArray[np.float64]:
    """Zero-mean fractal surface by spectral synthesis.

    Parameters
    ----------
    shape : (Ny, Nx)
    spacing_m : float
        Grid spacing, metres.
    rms_m : float
        Root-mean-square height of the result, metres (0 gives a flat zero surface).
    beta : float
        Spectral exponent of the power spectrum ``P(f) ~ f^-beta`` (2 < beta < 4 gives natural
        looking terrain; 3 is a common choice, fractal dimension ``(7 - beta) / 2 = 2``).
    seed : int
        Seed of the counter-based generator (:mod:`triumf.core.rng`).

    Returns
    -------
    ndarray, shape (Ny, Nx), metres
    """
    ny, nx = shape
    if rms_m == 0.0:
        return np.zeros(shape)
    key = rng.replication_keys(seed, np.array([0], np.int64))
    white = rng.normal(key, 0, (ny, nx))[0]
    spec = np.fft.rfft2(white)
    fy = np.fft.fftfreq(ny, d=spacing_m)[:, None]
    fx = np.fft.rfftfreq(nx, d=spacing_m)[None, :]
    f = np.hypot(fx, fy)
    f[0, 0] = np.inf  # no mean
    # amplitude ~ f^(-beta/2) so that power ~ f^-beta
    surf = np.fft.irfft2(spec * f ** (-0.5 * beta), s=(ny, nx))
    std = float(surf.std())
    return np.asarray(surf * (rms_m / std) if std > 0.0 else surf, dtype=np.float64)


def _segment_distance(
    e: NDArray[np.float64], n: NDArray[np.float64], ridge: Ridge
) -> NDArray[np.float64]:
    """Distance from points to the ridge's crest segment, metres."""
    ax, ay = ridge.start_east_m, ridge.start_north_m
    dx, dy = ridge.end_east_m - ax, ridge.end_north_m - ay
    length2 = dx * dx + dy * dy
    t = np.zeros_like(e) if length2 == 0.0 else ((e - ax) * dx + (n - ay) * dy) / length2
    t = np.clip(t, 0.0, 1.0)
    return np.asarray(np.hypot(e - (ax + t * dx), n - (ay + t * dy)), dtype=np.float64)


def synthetic_terrain(
    east0_m: float,
    north0_m: float,
    shape: tuple[int, int],
    spacing_m: float,
    *,
    seed: int = 0,
    rms_m: float = 0.0,
    beta: float = 3.0,
    ridges: Sequence[Ridge] = (),
    hills: Sequence[Hill] = (),
) -> Terrain:
    """A :class:`Terrain` of fictional geography.

    Parameters
    ----------
    east0_m, north0_m : float
        Map coordinates of the south-west node, metres.
    shape : (Ny, Nx)
        Nodes north and east (each >= 2).
    spacing_m : float
        Grid spacing, metres.
    seed : int
        Seed of the fractal part.
    rms_m : float
        RMS height of the fractal part, metres (0: no fractal part). The fractal part is lifted
        so that its lowest node is at 0 m.
    beta : float
        Spectral exponent of the fractal part (see :func:`fractal_surface`).
    ridges, hills : sequences of Ridge, Hill
        Shapes added on top.

    Returns
    -------
    Terrain
        Heights clipped at 0 m (sea level) from below.
    """
    ny, nx = shape
    e, n = np.meshgrid(east0_m + spacing_m * np.arange(nx, dtype=np.float64),
                       north0_m + spacing_m * np.arange(ny, dtype=np.float64))
    h = fractal_surface(shape, spacing_m, rms_m, beta, seed)
    h = h - h.min()
    for r in ridges:
        if not r.half_width_m > 0.0:
            raise ValueError(f"ridge half_width_m must be positive, got {r.half_width_m}")
        d = _segment_distance(e, n, r)
        h = h + r.height_m * np.exp(-0.5 * (d / r.half_width_m) ** 2)
    for hill in hills:
        if not hill.radius_m > 0.0:
            raise ValueError(f"hill radius_m must be positive, got {hill.radius_m}")
        d2 = (e - hill.east_m) ** 2 + (n - hill.north_m) ** 2
        h = h + hill.height_m * np.exp(-0.5 * d2 / hill.radius_m**2)
    return Terrain(east0_m, north0_m, spacing_m, np.maximum(h, 0.0))

"""Doctrine rules of the command post: friendly corridors, engagement zones, reserves, reloads.

Small pure functions used by :func:`triumf.c2.doctrine.command_cycle`:

- **Friendly corridors** (minimum-risk routes): a track inside a corridor is never engaged,
  whatever its IFF state. A corridor is a straight segment on the local ENU plane with a
  half-width and an altitude band (heights are the ENU up coordinate: within a few hundred
  kilometres of the origin the difference from height above the ellipsoid is the Earth's
  drop, ``d^2 / 2R``, about 0.8 km at 100 km; keep corridor bands generous or short).
- **Engagement zones** (layered defence): a missile type may be fired only when the
  predicted intercept point's ground range from the launcher lies in the type's zone
  ``[min, max]``, e.g. 40N6E beyond 120 km, 48N6E from 20 to 200 km, 9M96E inside 20 km: the
  short-range rounds are kept for leakers that got through the outer layers.
- **Reserve rounds**: a number of rounds of each type on each launcher is fired only at an
  imminent threat (time to go at most ``reserve_release_s``).
- **Reloads**: an empty launcher with reload sets left is reloaded to its initial load after
  its reload time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Corridors", "in_corridor", "in_zone", "reserve_split", "reload_step"]


@dataclass(frozen=True)
class Corridors:
    """Friendly corridors (C of them), local ENU metres.

    Attributes
    ----------
    start, end : ndarray, shape (C, 3)
        End points of each corridor's centre line (only east and north are used).
    half_width_m : ndarray, shape (C,)
    min_altitude_m, max_altitude_m : ndarray, shape (C,)
        Altitude band (ENU up coordinate).
    """

    start: NDArray[np.float64]
    end: NDArray[np.float64]
    half_width_m: NDArray[np.float64]
    min_altitude_m: NDArray[np.float64]
    max_altitude_m: NDArray[np.float64]


def in_corridor(pos: NDArray[np.float64], corridors: Corridors | None) -> NDArray[np.bool_]:
    """Whether each position lies inside any friendly corridor.

    Parameters
    ----------
    pos : ndarray, shape (..., 3), metres, ENU
    corridors : Corridors or None

    Returns
    -------
    ndarray of bool, shape (...)
    """
    pos = np.asarray(pos, dtype=np.float64)
    if corridors is None or corridors.start.shape[0] == 0:
        return np.zeros(pos.shape[:-1], bool)
    a = corridors.start[:, :2]  # (C, 2)
    ab = corridors.end[:, :2] - a
    p = pos[..., None, :2]  # (..., 1, 2)
    # distance from the segment: clamp the projection onto [0, 1]
    s = np.clip(np.sum((p - a) * ab, axis=-1) / np.maximum(np.sum(ab * ab, axis=-1), 1e-9),
                0.0, 1.0)
    d = np.linalg.norm(p - (a + s[..., None] * ab), axis=-1)  # (..., C)
    h = pos[..., None, 2]
    inside = (d <= corridors.half_width_m) & (h >= corridors.min_altitude_m) & \
        (h <= corridors.max_altitude_m)
    return np.asarray(inside.any(axis=-1))


def in_zone(pip: NDArray[np.float64], launcher_pos: NDArray[np.float64],
            zone_min_m: NDArray[np.float64], zone_max_m: NDArray[np.float64]
            ) -> NDArray[np.bool_]:
    """Whether each predicted intercept point lies in its missile type's engagement zone.

    Parameters
    ----------
    pip : ndarray, shape (N, W, Mt, 3), metres, ENU
        Predicted intercept points (NaN where none: outside every zone).
    launcher_pos : ndarray, shape (W, 3)
    zone_min_m, zone_max_m : ndarray, shape (Mt,)
        Ground-range band of each missile type (0 and inf: no restriction).

    Returns
    -------
    ndarray of bool, shape (N, W, Mt)
    """
    d = np.linalg.norm(pip[..., :2] - launcher_pos[None, :, None, :2], axis=-1)
    return np.asarray((d >= zone_min_m) & (d <= zone_max_m))


def reserve_split(inventory: NDArray[np.int64], reserve: NDArray[np.int64]
                  ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Split ready rounds into free and reserved ones.

    Parameters
    ----------
    inventory : ndarray of int, shape (..., W, Mt)
    reserve : ndarray of int, shape (Mt,)
        Rounds of each type held back on every launcher.

    Returns
    -------
    free, reserved : ndarray of int, shape (..., W, Mt)
        ``free + reserved == inventory``; reserved rounds are the last to go.
    """
    reserved = np.minimum(inventory, reserve)
    return inventory - reserved, reserved


def reload_step(inventory: NDArray[np.int64], reloads_left: NDArray[np.int64],
                reload_done_at: NDArray[np.float64], loaded: NDArray[np.int64],
                reload_time_s: NDArray[np.float64], t: float) -> NDArray[np.bool_]:
    """Start and finish launcher reloads (arrays updated in place).

    An empty launcher with reload sets left starts reloading at ``t`` (the first cycle that
    sees it empty); once its reload time has passed it holds its initial load again.

    Parameters
    ----------
    inventory : ndarray of int, shape (R, W, Mt)
    reloads_left : ndarray of int, shape (R, W)
    reload_done_at : ndarray, shape (R, W)
        Time the current reload ends, s (inf: not reloading).
    loaded : ndarray of int, shape (W, Mt)
        Initial load of each launcher.
    reload_time_s : ndarray, shape (W,)
    t : float
        Time now, s.

    Returns
    -------
    reloading : ndarray of bool, shape (R, W)
        Launchers still reloading after this step.
    """
    empty = inventory.sum(axis=-1) == 0
    start = empty & (reloads_left > 0) & ~np.isfinite(reload_done_at)
    reload_done_at[start] = (t + np.broadcast_to(reload_time_s, empty.shape))[start]
    done = np.isfinite(reload_done_at) & (reload_done_at <= t)
    r, w = np.nonzero(done)
    inventory[r, w] = loaded[w]
    reloads_left[r, w] -= 1
    reload_done_at[r, w] = np.inf
    return np.asarray(np.isfinite(reload_done_at))

"""What surrounds the radars: the reflecting surface and the jammers (compiled records).

Both are compiled from the scenario and the equipment files (``kind: surface`` and
``kind: jammer``); every figure's source is in those files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["SurfaceParams", "Jammers", "jammer_positions"]


@dataclass(frozen=True)
class SurfaceParams:
    """The surface under the radars and targets, for multipath and clutter.

    Attributes
    ----------
    kind : str
        ``"land"`` (constant-gamma clutter) or ``"sea"`` (NRL sea clutter).
    reflection_magnitude : float
        Smooth-surface reflection coefficient magnitude at low grazing angles (phase ``pi``).
    height_std_m : float
        Surface height standard deviation (roughness of the Ament factor), metres.
    clutter_gamma_db : float
        Land gamma at 10 GHz, dB (used when ``kind == "land"``).
    sea_state : float
        Douglas sea state (used when ``kind == "sea"``).
    multipath, clutter : bool
        Switch each effect on or off.
    """

    kind: str = "land"
    reflection_magnitude: float = 0.5
    height_std_m: float = 1.0
    clutter_gamma_db: float = -15.0
    sea_state: float = 3.0
    multipath: bool = True
    clutter: bool = True


@dataclass(frozen=True)
class Jammers:
    """Noise jammers of a scenario, ``J`` of them.

    Attributes
    ----------
    names : tuple of str, length J
    erp_w, bandwidth_hz, losses_db : ndarray, shape (J,)
        Effective radiated power toward the radar (W), noise bandwidth (Hz), one-way losses on
        the jamming path (dB).
    carrier : ndarray of int, shape (J,)
        Threat slot carrying a self-screening jammer, or -1 for a stand-off jammer.
    route : ndarray, shape (J, P, 3), metres, engine ENU
        Stand-off jammer track points (padded by repeating the last one).
    route_time_s : ndarray, shape (J, P), seconds
        Time at each track point (held at the ends).
    """

    names: tuple[str, ...]
    erp_w: NDArray[np.float64]
    bandwidth_hz: NDArray[np.float64]
    losses_db: NDArray[np.float64]
    carrier: NDArray[np.int64]
    route: NDArray[np.float64]
    route_time_s: NDArray[np.float64]

    @property
    def count(self) -> int:
        """Number of jammers J."""
        return len(self.names)

    @staticmethod
    def none() -> Jammers:
        """No jammers."""
        return Jammers((), np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0, np.int64),
                       np.zeros((0, 1, 3)), np.zeros((0, 1)))


def jammer_positions(
    jammers: Jammers,
    time_s: float,
    truth_pos: NDArray[np.float64],
    truth_active: NDArray[np.bool_],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Where each jammer is now and whether it radiates.

    Parameters
    ----------
    jammers : Jammers
    time_s : float
    truth_pos : ndarray, shape (R, T, 3)
    truth_active : ndarray of bool, shape (R, T)

    Returns
    -------
    pos : ndarray, shape (R, J, 3), metres, engine ENU
        Stand-off jammers: linear interpolation of their track in time (same in every
        replication); self-screening jammers: their carrier's position.
    on : ndarray of bool, shape (R, J)
        Stand-off jammers always; self-screening ones while their carrier is in the air.
    """
    n_rep = truth_pos.shape[0]
    n_j = jammers.count
    pos = np.zeros((n_rep, n_j, 3))
    on = np.ones((n_rep, n_j), bool)
    for j in range(n_j):  # a handful of jammers
        c = int(jammers.carrier[j])
        if c >= 0:
            pos[:, j] = truth_pos[:, c]
            on[:, j] = truth_active[:, c]
        else:
            tt = jammers.route_time_s[j]
            pos[:, j] = [np.interp(time_s, tt, jammers.route[j, :, k]) for k in range(3)]
    return pos, on

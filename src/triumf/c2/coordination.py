"""Coordination of several battalions: which battalion is offered a track first.

The command post runs one weapon-target assignment per battalion (each has its own fire
channels). When several battalions can reach the same track, the one that assigns first takes
it: the track is then held for every battalion (shoot-look-shoot waits for the assessment of
the salvo in flight). Offering the tracks to the battalions in list order therefore gave each
track to the *first listed* battalion that could reach it, however poor its shot: a fire unit
60 km off a guided rocket's path fired long crossing shots that missed, and the fire unit
under the path, which alone killed the rocket, was held off until too late (the procurement
scenario: more fire units, more leaking rockets).

Here each track is first offered to its *preferred* battalion, the one whose ready weapons
(missile on a ready launcher, intercept point feasible and inside the doctrine's zone,
fire-control track held, a free target and missile channel) intercept it earliest: the
earliest intercept is the shortest fly-out, hence the missile with most energy left and the
smallest prediction error at the intercept, and it leaves the most time for a look and a
second salvo. Ties go to the lower battalion index. The tracks a preferred battalion does not
take (its channels went to more valuable tracks) are offered to the other battalions
afterwards. A fire unit added far from a threat's path therefore does not take that threat
from the fire unit under the path.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["preferred_battalion"]


def preferred_battalion(
    t_intercept_s: NDArray[np.float64],
    usable: NDArray[np.bool_],
    launcher_battalion: NDArray[np.int64],
    n_battalions: int,
) -> NDArray[np.int64]:
    """The battalion whose usable weapons intercept each track earliest.

    Parameters
    ----------
    t_intercept_s : ndarray, shape (N, W, Mt), seconds from now
        Predicted intercept time of each (track, fire unit, missile type); NaN where none.
    usable : ndarray of bool, shape (N, W, Mt)
        Where a round could be fired now (feasible, in zone, loaded, ready, tracked, with
        free channels).
    launcher_battalion : ndarray of int, shape (W,)
        Battalion of each fire unit.
    n_battalions : int

    Returns
    -------
    ndarray of int, shape (N,)
        Index of the preferred battalion; -1 where no battalion can fire. Ties (equal
        intercept times) go to the lowest index.
    """
    t = np.where(np.asarray(usable, bool), np.asarray(t_intercept_s, np.float64), np.inf)
    t = np.where(np.isnan(t), np.inf, t)
    per_unit = np.min(t, axis=2, initial=np.inf)  # (N, W)
    n = per_unit.shape[0]
    per_bat = np.full((n, n_battalions), np.inf)
    for b in range(n_battalions):  # a few battalions
        mine = np.asarray(launcher_battalion) == b
        if mine.any():
            per_bat[:, b] = per_unit[:, mine].min(axis=1)
    if n_battalions == 0:
        return np.full(n, -1, np.int64)
    best = np.argmin(per_bat, axis=1)
    return np.where(np.isfinite(per_bat).any(axis=1), best, -1).astype(np.int64)

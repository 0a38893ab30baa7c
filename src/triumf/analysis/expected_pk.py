"""Expected single-shot kill probability over a circular-normal miss distance.

The engine's lethality law (`triumf.engage.endgame.kill_probability`) is

    Pk(r) = pk_max exp(-r^2 / (2 sigma^2)),   sigma = lethal_radius_m,

for a miss distance ``r``. With a circular-normal miss (two independent zero-mean Gaussian
components across the line of sight, each of standard deviation ``m``), ``r`` is Rayleigh with
density ``r / m^2 exp(-r^2 / (2 m^2))`` and

    E[Pk] = pk_max / m^2 int_0^inf r exp(-r^2 (1/(2 sigma^2) + 1/(2 m^2))) dr
          = pk_max sigma^2 / (sigma^2 + m^2).

The semi-analytic analyses (defended area) use ``pk_max`` (``m = 0``) unless a miss standard
deviation is given: ``pk_max`` is then an upper bound on the engine's kill probability, since
no public figure gives the miss distance of the S-400's missiles (references.md section 8).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["expected_kill_probability"]


def expected_kill_probability(miss_std_m: ArrayLike, lethal_radius_m: ArrayLike,
                              pk_max: ArrayLike) -> NDArray[np.float64]:
    """Mean of the Gaussian lethality law over a circular-normal miss distance.

    Parameters
    ----------
    miss_std_m : array_like, shape (...), metres, >= 0
        Standard deviation of each of the two miss components across the line of sight.
    lethal_radius_m : array_like, shape (...), metres, > 0
        The lethality law's standard deviation (``lethal_radius_m`` figure).
    pk_max : array_like, shape (...)
        Kill probability at zero miss.

    Returns
    -------
    ndarray, shape (...)
        ``pk_max sigma^2 / (sigma^2 + m^2)``, in ``[0, pk_max]``.
    """
    m = np.asarray(miss_std_m, np.float64)
    s2 = np.asarray(lethal_radius_m, np.float64) ** 2
    if np.any(m < 0):
        raise ValueError("miss_std_m must be >= 0")
    return np.asarray(np.asarray(pk_max, np.float64) * s2 / (s2 + m * m), np.float64)

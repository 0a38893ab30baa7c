"""The fly-out table's available lateral acceleration follows the manoeuvre limits."""

from __future__ import annotations

import numpy as np

from triumf.equipment.database import load_database
from triumf.scenario.compile import missile_types

G0 = 9.80665


def test_available_acceleration_is_capped_and_falls_with_altitude() -> None:
    """48N6E3 (aerodynamic control): at most its 25 g structural limit wherever reachable,
    defined exactly where the time of flight is, and lower in thin air (q S cn_max / m)."""
    types = missile_types(["48N6E3"], load_database())
    table = types.flyout[0]
    assert table.accel_mps2 is not None
    acc = table.accel_mps2.values
    tof = table.time_s.values
    np.testing.assert_array_equal(np.isfinite(acc), np.isfinite(tof))
    assert np.nanmax(acc) <= 25.0 * G0 + 1e-9
    ok = np.isfinite(acc)
    low = table.accel_mps2.y < 2000.0
    high = table.accel_mps2.y > 24000.0
    assert np.nanmedian(np.where(ok[:, high], acc[:, high], np.nan)) < np.nanmedian(
        np.where(ok[:, low], acc[:, low], np.nan))

"""Engagement-envelope figures: computed range-altitude envelopes with the public claims.

For each missile, the envelope is computed from the interceptor dynamics and guidance
(:func:`triumf.engage.envelope.compute_envelope`) and drawn as ground range against altitude;
the public maximum range (with its low-high band) and maximum altitude from the equipment
files are overlaid. Writes one PNG.

Usage::

    PYTHONPATH=src python -m triumf.report.figures_envelope --out docs/img/envelopes.png
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from triumf.engage.envelope import Envelope, compute_envelope  # noqa: E402
from triumf.equipment.database import EquipmentDatabase, load_database  # noqa: E402
from triumf.scenario.compile import missile_types  # noqa: E402

__all__ = ["DEFAULT_MISSILES", "missile_envelope", "plot_envelopes", "main"]

DEFAULT_MISSILES = ("9M96E2", "48N6E3", "40N6E")
_ALTITUDES_M = np.array([50.0, 1000.0, 3000.0, 6000.0, 10000.0, 15000.0, 20000.0, 25000.0,
                         30000.0, 35000.0])


def missile_envelope(name: str, db: EquipmentDatabase, n_ranges: int = 49) -> Envelope:
    """The computed envelope of one missile, on ranges up to 1.3 x its published maximum.

    Parameters
    ----------
    name : str
        Missile name in the equipment database.
    db : EquipmentDatabase
    n_ranges : int
        Grid points in ground range.

    Returns
    -------
    Envelope
    """
    mt = missile_types([name], db)
    top = 1.3 * db.get(name).bounds("max_range_m")[1]
    return compute_envelope(
        mt.kin.take(0), float(mt.nav_gain[0]), float(mt.loft_factor[0]),
        float(mt.max_loft_m[0]), float(mt.max_flight_time_s[0]), float(mt.min_speed_mps[0]),
        np.linspace(1000.0, top, n_ranges), _ALTITUDES_M,
        handover_range_m=float(mt.setting("loft_handover_range_m")[0]),
        turn_gain_per_s=float(mt.setting("turn_gain_per_s")[0]),
        turn_threshold_rad=float(mt.setting("turn_threshold_rad")[0]),
    )


def plot_envelopes(names: tuple[str, ...], out: Path, db: EquipmentDatabase) -> Path:
    """Draw the envelopes of ``names`` side by side into the PNG ``out``.

    Returns
    -------
    Path
        The file written.
    """
    fig, axes = plt.subplots(1, len(names), figsize=(4.0 * len(names), 3.4), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        env = missile_envelope(name, db)
        eq = db.get(name)
        km = 1e-3
        ok = np.isfinite(env.max_range_m)
        ax.fill_betweenx(env.altitude_m[ok] * km, env.min_range_m[ok] * km,
                         env.max_range_m[ok] * km, color="tab:blue", alpha=0.3,
                         label="computed (reachable)")
        ax.plot(env.max_range_m[ok] * km, env.altitude_m[ok] * km, color="tab:blue")
        low, high = eq.bounds("max_range_m")
        pub = eq.value("max_range_m")
        ax.axvspan(low * km, max(high, low + 1.0) * km, color="tab:red", alpha=0.15)
        ax.axvline(pub * km, color="tab:red", ls="--", label="public max range")
        ax.axhline(eq.value("max_altitude_m") * km, color="tab:green", ls=":",
                   label="public max altitude")
        ax.set_title(name)
        ax.set_xlabel("ground range to intercept (km)")
        ax.set_ylabel("intercept altitude (km)")
        ax.set_xlim(0.0, env.table.time_s.x[-1] * km)
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: compute and draw the envelopes, print the file written."""
    ap = argparse.ArgumentParser(description="Draw S-400 missile engagement envelopes.")
    ap.add_argument("--out", type=Path, default=Path("docs/img/envelopes.png"),
                    help="PNG file to write (default: docs/img/envelopes.png)")
    ap.add_argument("--missiles", nargs="+", default=list(DEFAULT_MISSILES),
                    help="missile names from the equipment database")
    args = ap.parse_args(argv)
    db = load_database()
    unknown = [m for m in args.missiles if m not in db]
    if unknown:
        ap.error(f"unknown missile(s) {', '.join(unknown)}; valid: "
                 f"{', '.join(db.names('missile'))}")
    path = plot_envelopes(tuple(args.missiles), args.out, db)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

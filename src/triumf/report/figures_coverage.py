"""Vertical coverage figure (Blake-chart style): detection range against altitude.

Run as a script to write the documentation figure::

    python -m triumf.report.figures_coverage docs/img/coverage_96l6e.png --radar 96L6E --mast

The figure is made from the project's own physics (:mod:`triumf.analysis.vertical_coverage`).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from triumf.analysis.vertical_coverage import vertical_coverage
from triumf.core.earth import EFFECTIVE_EARTH_FACTOR, altitude_m
from triumf.sense.base import RadarParams

__all__ = ["plot_vertical_coverage", "main"]

_ALTITUDES_M = np.concatenate([np.linspace(0.0, 1000.0, 101), np.linspace(1020.0, 40000.0, 400)])


def plot_vertical_coverage(
    radar: RadarParams,
    path: str | Path,
    rcs_m2: Sequence[float] = (1.0, 0.01),
    pds: Sequence[float] = (0.5, 0.9),
    swerling: int = 1,
    k: float = EFFECTIVE_EARTH_FACTOR,
    max_altitude_m: float = 30000.0,
) -> Path:
    """Write a PNG of the radar's detection range against altitude for several target sizes.

    Parameters
    ----------
    radar : RadarParams
    path : str or Path
        Output PNG.
    rcs_m2 : sequence of float
        Target sizes, m^2 (one colour each).
    pds : sequence of float
        Single-look Pd levels (solid line for the first, dashed for the others).
    swerling : int
        Swerling case of the targets.
    k : float
        Effective Earth-radius factor.
    max_altitude_m : float
        Top of the plot, metres.

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    alt = _ALTITUDES_M[_ALTITUDES_M <= max_altitude_m]
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.0), dpi=90,
                             gridspec_kw={"width_ratios": [1.4, 1.0]})
    colours = ("tab:blue", "tab:red", "tab:green", "tab:purple")
    low_top_m = 1500.0
    for ax, top in zip(axes, (max_altitude_m, low_top_m), strict=True):
        for c, sigma in enumerate(rcs_m2):
            for i, pd in enumerate(pds):
                cov = vertical_coverage(radar, sigma, alt, pd=pd, swerling=swerling, k=k)
                style = "-" if i == 0 else "--"
                label = (f"{sigma:g} m², Pd {pd:g} "
                         f"({cov.detection_range_m / 1e3:.0f} km free space)")
                ax.plot(cov.far_m / 1e3, alt / 1e3, style, color=colours[c % 4], label=label)
                if i == 0:
                    ax.fill_betweenx(alt / 1e3, cov.near_m / 1e3, cov.far_m / 1e3,
                                     color=colours[c % 4], alpha=0.10, lw=0)
        horizon = vertical_coverage(radar, 1.0, alt, k=k).horizon_m
        ax.plot(horizon / 1e3, alt / 1e3, ":", color="black", label=f"radar horizon, k={k:.3g}")
        ax.axvline(radar.max_range_m / 1e3, color="grey", lw=0.8, ls="-.",
                   label="instrumented range")
        ax.set_xlabel("slant range, km")
        ax.set_ylim(0.0, top / 1e3)
        ax.grid(alpha=0.3)
    axes[0].set_xlim(0.0, radar.max_range_m * 1.05 / 1e3)
    axes[0].set_ylabel("target altitude, km")
    axes[0].legend(fontsize=7, loc="upper right")
    far_low = vertical_coverage(radar, max(rcs_m2), np.array([low_top_m]), k=k).far_m[0]
    axes[1].set_xlim(0.0, 1.15 * float(far_low) / 1e3)
    axes[1].set_title("low altitude", fontsize=9)
    h_ant = float(altitude_m(radar.pos))
    fig.suptitle(f"{radar.type_name}, antenna {h_ant:.0f} m: single-look detection, "
                 f"Swerling {swerling}, Pfa {radar.pfa:g}, {radar.n_pulses} pulses",
                 fontsize=10)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: write one radar's coverage figure."""
    from triumf.equipment.database import load_database
    from triumf.scenario.compile import radar_at_origin

    parser = argparse.ArgumentParser(
        prog="python -m triumf.report.figures_coverage",
        description="Write a radar's vertical coverage figure (PNG).")
    parser.add_argument("out", type=Path, help="output PNG, e.g. docs/img/coverage_96l6e.png")
    parser.add_argument("--radar", default="96L6E", help="radar type (default 96L6E)")
    parser.add_argument("--mast", action="store_true", help="antenna on its mast")
    args = parser.parse_args(argv)
    db = load_database()
    try:
        eq = db.get(args.radar)
    except Exception as exc:  # the database's own error names the valid types
        parser.exit(2, f"error: {exc}\n")
    if eq.kind != "radar":
        parser.exit(2, f"error: {args.radar} is a {eq.kind}, not a radar; radars: "
                       f"{', '.join(db.names('radar'))}\n")
    out = plot_vertical_coverage(radar_at_origin(eq, on_mast=args.mast), args.out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

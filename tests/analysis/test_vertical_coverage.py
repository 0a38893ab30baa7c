"""Vertical coverage against the closed-form radar equation, Swerling 1 Pd and the horizon."""

import numpy as np
import pytest

from triumf.analysis.vertical_coverage import vertical_coverage
from triumf.core.earth import EARTH_RADIUS_M, local_frame, map_to_enu
from triumf.sense.base import RadarParams

BOLTZMANN = 1.380649e-23
C = 299_792_458.0


def _radar(height_m=20.0, max_range_m=4.0e5, n_pulses=1, max_el_deg=60.0):
    pos = map_to_enu(0.0, 0.0, height_m)
    return RadarParams(
        name="r", type_name="test", battalion=0, pos=pos, rot=local_frame(pos),
        frequency_hz=3.0e9, peak_power_w=1.0e6, gain_db=38.0, pulse_width_s=1.0e-6,
        n_pulses=n_pulses, losses_db=6.0, system_temp_k=500.0, pfa=1.0e-6,
        az_beamwidth_rad=0.02, el_beamwidth_rad=0.02, range_resolution_m=150.0,
        max_range_m=max_range_m, min_elevation_rad=np.deg2rad(-5.0),
        max_elevation_rad=np.deg2rad(max_el_deg), revisit_s=10.0, engagement=False)


def _closed_form_range(r, rcs, pd):
    """R^4 = Pt tau G^2 lambda^2 sigma / ((4 pi)^3 k T L SNR), SNR = ln Pfa / ln Pd - 1."""
    snr = np.log(r.pfa) / np.log(pd) - 1.0  # Swerling 1, one pulse: Pd = Pfa^(1 / (1 + SNR))
    lam = C / r.frequency_hz
    g = 10 ** (r.gain_db / 10)
    num = r.peak_power_w * r.pulse_width_s * g * g * lam**2 * rcs
    den = (4 * np.pi) ** 3 * BOLTZMANN * r.system_temp_k * 10 ** (r.losses_db / 10) * snr
    return (num / den) ** 0.25


@pytest.mark.parametrize("rcs, pd", [(1.0, 0.5), (0.01, 0.5), (1.0, 0.9), (0.01, 0.9)])
def test_far_edge_at_altitude_is_the_radar_equation_range(rcs, pd):
    """Well above the horizon the far edge is the closed-form range for Swerling 1 Pd."""
    r = _radar()
    cov = vertical_coverage(r, rcs, [20000.0], pd=pd, swerling=1)
    assert np.isclose(cov.far_m[0], _closed_form_range(r, rcs, pd), rtol=1e-6)


@pytest.mark.parametrize("k", [1.0, 4.0 / 3.0])
def test_low_targets_are_cut_at_the_horizon(k):
    """Near the surface the far edge is the horizon sqrt(2 k a h1) + sqrt(2 k a h2)."""
    r = _radar(height_m=20.0)
    h = np.array([5.0, 30.0, 100.0])
    cov = vertical_coverage(r, 100.0, h, k=k)
    ka = k * EARTH_RADIUS_M
    assert np.allclose(cov.far_m, np.sqrt(2 * ka * 20.0) + np.sqrt(2 * ka * h), rtol=1e-4)


def test_instrumented_range_caps_a_large_target():
    """A target the radar equation would see farther is cut at the instrumented range."""
    r = _radar(max_range_m=50_000.0)
    cov = vertical_coverage(r, 100.0, [10000.0])
    assert cov.detection_range_m > 50_000.0
    assert cov.far_m[0] == 50_000.0


def test_cone_of_silence_near_edge():
    """Above the radar the near edge is where the elevation reaches its upper limit:
    (h - h_a) / sin(el_max) on a flat Earth, to the curvature correction."""
    r = _radar(height_m=20.0, max_el_deg=45.0)
    cov = vertical_coverage(r, 1.0, [5000.0])
    assert np.isclose(cov.near_m[0], (5000.0 - 20.0) / np.sin(np.deg2rad(45.0)), rtol=2e-3)


def test_figure_is_written_small(tmp_path):
    """The coverage figure is a PNG of at most ~150 KB."""
    from triumf.report.figures_coverage import plot_vertical_coverage

    out = plot_vertical_coverage(_radar(), tmp_path / "c.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) < 150_000

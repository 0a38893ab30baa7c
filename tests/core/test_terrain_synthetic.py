"""Synthetic terrain: deterministic, shapes where the closed forms put them."""

import numpy as np

from triumf.core.terrain_synthetic import Hill, Ridge, fractal_surface, synthetic_terrain


def test_same_seed_same_grid():
    """The generator is pure: the same arguments give the same heights bit for bit."""
    a = synthetic_terrain(0.0, 0.0, (64, 80), 100.0, seed=4, rms_m=30.0)
    b = synthetic_terrain(0.0, 0.0, (64, 80), 100.0, seed=4, rms_m=30.0)
    c = synthetic_terrain(0.0, 0.0, (64, 80), 100.0, seed=5, rms_m=30.0)
    assert np.array_equal(a.height_m, b.height_m)
    assert not np.array_equal(a.height_m, c.height_m)


def test_fractal_surface_has_the_stated_rms():
    """The fractal part has zero mean and the requested RMS height."""
    s = fractal_surface((128, 96), 50.0, 25.0, 3.0, seed=1)
    assert abs(s.mean()) < 1e-9
    assert np.isclose(s.std(), 25.0)


def test_fractal_power_spectrum_follows_the_power_law():
    """The radially averaged power spectrum falls as f^-beta (log-log slope within 0.3)."""
    n = 256
    s = fractal_surface((n, n), 1.0, 1.0, 3.0, seed=2)
    p = np.abs(np.fft.fft2(s)) ** 2
    f = np.hypot(*np.meshgrid(np.fft.fftfreq(n), np.fft.fftfreq(n)))
    bands = np.geomspace(4.0 / n, 0.4, 12)
    mids, power = [], []
    for lo, hi in zip(bands[:-1], bands[1:], strict=True):
        sel = (f >= lo) & (f < hi)
        mids.append(np.sqrt(lo * hi))
        power.append(p[sel].mean())
    slope = np.polyfit(np.log(mids), np.log(power), 1)[0]
    assert abs(slope + 3.0) < 0.3


def test_ridge_cross_section_is_gaussian():
    """Across a ridge the height is h exp(-d^2 / 2w^2) at distance d from the crest line."""
    ridge = Ridge(0.0, -5000.0, 0.0, 5000.0, 400.0, 1000.0)
    t = synthetic_terrain(-5000.0, -5000.0, (101, 101), 100.0, ridges=[ridge])
    d = np.array([0.0, 500.0, 1000.0, 2500.0])
    expected = 400.0 * np.exp(-0.5 * (d / 1000.0) ** 2)
    assert np.allclose(t.height_at(d, 0.0), expected, rtol=1e-12)
    # rounded end: beyond the end point the distance is to that point
    assert np.isclose(t.height_at(0.0, 4900.0 + 0.0), 400.0)


def test_hill_summit_and_flank():
    """A hill is a Gaussian bump: full height at the summit, h e^-1/2 one radius out."""
    t = synthetic_terrain(-10000.0, -10000.0, (201, 201), 100.0,
                          hills=[Hill(1000.0, -2000.0, 300.0, 2000.0)])
    assert np.isclose(t.height_at(1000.0, -2000.0), 300.0)
    assert np.isclose(t.height_at(1000.0, 0.0), 300.0 * np.exp(-0.5))

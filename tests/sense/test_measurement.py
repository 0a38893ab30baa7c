"""Measurement noise: SNR scaling, floors, azimuth wrapping and sample statistics."""

from __future__ import annotations

import numpy as np

from triumf.sense.measurement import measurement_sigmas, noisy_measurement

NO_FLOOR = (0.0, 0.0, 0.0)


def test_sigma_closed_form():
    """At SNR 1/2 (-3.01 dB), sigma is the range resolution and beamwidth / 1.6."""
    snr_db = 10 * np.log10(0.5)
    sig = measurement_sigmas(snr_db, 150.0, 0.02, 0.03, floor=NO_FLOOR)
    np.testing.assert_allclose(sig, [150.0, 0.02 / 1.6, 0.03 / 1.6], rtol=1e-12)


def test_sigma_falls_as_inverse_sqrt_snr():
    """Raising the SNR by 20 dB (x100) divides every sigma by 10."""
    snr_db = np.array([5.0, 25.0])
    sig = measurement_sigmas(snr_db, 30.0, np.radians(1.0), np.radians(2.0), floor=NO_FLOOR)
    np.testing.assert_allclose(sig[0] / sig[1], [10.0, 10.0, 10.0], rtol=1e-12)


def test_floor_added_in_quadrature():
    """The floor is root-sum-squared: at very high SNR sigma tends to the floor."""
    floor = (2.0, 1e-4, 3e-4)
    high = measurement_sigmas(200.0, 150.0, 0.02, 0.02, floor=floor)
    np.testing.assert_allclose(high, floor, rtol=1e-9)
    snr_db = 10 * np.log10(0.5)
    sig = measurement_sigmas(snr_db, 3.0, 0.0016, 0.0016, floor=(4.0, 1e-3, 1e-3))
    np.testing.assert_allclose(sig, [5.0, np.hypot(1e-3, 1e-3), np.hypot(1e-3, 1e-3)],
                               rtol=1e-12)


def test_sigma_broadcasts():
    """Sigmas broadcast over a (R, T) SNR array to shape (R, T, 3)."""
    snr_db = np.random.default_rng(0).uniform(0.0, 30.0, (4, 7))
    sig = measurement_sigmas(snr_db, 50.0, 0.01, 0.02)
    assert sig.shape == (4, 7, 3)
    assert np.all(sig > 0.0)


def test_zero_snr_gives_infinite_sigma():
    """No signal (-inf dB) gives an infinite sigma, without warnings."""
    sig = measurement_sigmas(-np.inf, 50.0, 0.01, 0.02)
    assert np.all(np.isinf(sig))


def test_azimuth_wraps_to_0_2pi():
    """Azimuth noise across north wraps into [0, 2 pi); range and elevation are plain sums."""
    true_aer = np.array([[1000.0, 0.001, 0.1], [1000.0, 2 * np.pi - 0.001, 0.1]])
    sigma = np.array([1.0, 0.01, 0.01])
    normals = np.array([[0.5, -1.0, 1.0], [-0.5, 1.0, -1.0]])
    z = noisy_measurement(true_aer, sigma, normals)
    np.testing.assert_allclose(z[:, 1], [2 * np.pi - 0.009, 0.009], atol=1e-12)
    np.testing.assert_allclose(z[:, 0], [1000.5, 999.5])
    np.testing.assert_allclose(z[:, 2], [0.11, 0.09])
    assert np.all((z[:, 1] >= 0.0) & (z[:, 1] < 2 * np.pi))


def test_sample_std_matches_sigma():
    """Over 100 000 standard normals the sample std of each component is sigma within 2 %."""
    n = 100_000
    rng = np.random.default_rng(42)
    true_aer = np.array([150e3, np.pi, 0.2])
    sigma = measurement_sigmas(12.0, 150.0, np.radians(1.5), np.radians(2.0))
    z = noisy_measurement(np.broadcast_to(true_aer, (n, 3)), sigma, rng.standard_normal((n, 3)))
    np.testing.assert_allclose(z.std(axis=0), sigma, rtol=0.02)
    assert np.all(np.abs(z.mean(axis=0) - true_aer) < 5.0 * sigma / np.sqrt(n))

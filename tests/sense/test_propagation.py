"""Two-ray multipath: closed-form lobing over a flat, smooth reflecting surface."""

from __future__ import annotations

import numpy as np

from triumf.sense.propagation import roughness_factor, two_ray_propagation_factor

LAM = 0.03  # X band, metres
H_R = 10.0  # radar height, metres


def test_flat_smooth_surface_matches_path_difference():
    """F = 2 |sin(pi delta / lambda)| with delta = R_reflected - R_direct (rho = -1, flat)."""
    d = np.linspace(2e3, 40e3, 400)
    h_t = np.array([5.0, 20.0, 300.0])[:, None]
    delta = np.hypot(d, h_t + H_R) - np.hypot(d, h_t - H_R)
    f = two_ray_propagation_factor(d, H_R, h_t, LAM, 1.0, np.pi, 0.0, k_factor=np.inf)
    np.testing.assert_allclose(f, 2.0 * np.abs(np.sin(np.pi * delta / LAM)), atol=2e-6)


def test_nulls_and_peaks_at_lobing_angles():
    """Nulls at theta_n = n lambda / (2 h_r), peaks halfway between (small-angle two-ray)."""
    d = 20e3
    n = np.arange(1, 6)
    null_h = d * np.tan(n * LAM / (2 * H_R))
    peak_h = d * np.tan((n - 0.5) * LAM / (2 * H_R))
    f_null = two_ray_propagation_factor(d, H_R, null_h, LAM, 1.0, np.pi, 0.0, k_factor=np.inf)
    f_peak = two_ray_propagation_factor(d, H_R, peak_h, LAM, 1.0, np.pi, 0.0, k_factor=np.inf)
    assert np.all(f_null < 0.01)
    assert np.all(f_peak > 1.99)


def test_low_target_fourth_power_law():
    """Far below the first lobe F ~ 4 pi h_r h_t / (lambda d): the power falls as d^-8."""
    d = np.array([20e3, 40e3])
    f = two_ray_propagation_factor(d, H_R, 0.2, LAM, 1.0, np.pi, 0.0, k_factor=np.inf)
    np.testing.assert_allclose(f, 4 * np.pi * H_R * 0.2 / (LAM * d), rtol=1e-3)


def test_roughness_reduces_lobing():
    """The Ament factor exp(-2 (2 pi sigma_h sin psi / lambda)^2) bounds F by 1 + rho_s."""
    psi = np.radians(1.0)
    rho_s = roughness_factor(psi, 0.5, LAM)
    assert abs(rho_s - np.exp(-2 * (2 * np.pi * 0.5 * np.sin(psi) / LAM) ** 2)) < 1e-15
    d = 20e3
    h = np.linspace(1.0, 800.0, 3000)
    f = two_ray_propagation_factor(d, H_R, h, LAM, 1.0, np.pi, 0.5, k_factor=np.inf)
    psi_all = np.arctan2(h + H_R, d)
    assert np.all(f <= 1.0 + roughness_factor(psi_all, 0.5, LAM) + 1e-12)
    assert np.all(f >= 1.0 - roughness_factor(psi_all, 0.5, LAM) - 1e-12)


def test_curvature_kills_the_signal_at_the_horizon():
    """On a 4/3 Earth the effective heights vanish at the horizon: F -> 0 there."""
    k_a = 4.0 / 3.0 * 6_371_000.0
    h_t = 10.0
    horizon = np.sqrt(2 * k_a * H_R) + np.sqrt(2 * k_a * h_t)
    f = two_ray_propagation_factor(horizon, H_R, h_t, LAM, 1.0, np.pi, 0.0)
    f_flat = two_ray_propagation_factor(horizon, H_R, h_t, LAM, 1.0, np.pi, 0.0,
                                        k_factor=np.inf)
    assert f < 1e-6 < f_flat

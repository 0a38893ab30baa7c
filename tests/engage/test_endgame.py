"""Tests of closest approach and the Gaussian lethality law."""

import numpy as np
import pytest
from scipy import integrate

from triumf.engage.endgame import closest_approach, kill_probability


def test_head_on_pass_with_offset() -> None:
    """A head-on pass at 3 km/s with lateral offset b misses by b at t* = x0 / v."""
    b, x0, v = 7.5, 300.0, 3000.0
    t_star, miss = closest_approach([x0, b, 0.0], [-v, 0.0, 0.0], 0.5)
    assert t_star == pytest.approx(x0 / v)
    assert miss == pytest.approx(b)


def test_oblique_geometry() -> None:
    """For r = (100, 0, 0), v = (-10, 10, 0), t* = 5 s and miss = 100 / sqrt(2)."""
    t_star, miss = closest_approach([100.0, 0.0, 0.0], [-10.0, 10.0, 0.0], 10.0)
    assert t_star == pytest.approx(5.0)
    assert miss == pytest.approx(100.0 / np.sqrt(2.0))


def test_clipped_to_step() -> None:
    """t* is clipped to [0, dt]: receding gives 0, still closing at the end gives dt."""
    r = np.array([[100.0, 5.0, 0.0], [100.0, 5.0, 0.0]])
    v = np.array([[10.0, 0.0, 0.0], [-10.0, 0.0, 0.0]])
    t_star, miss = closest_approach(r, v, np.array([1.0, 1.0]))
    np.testing.assert_allclose(t_star, [0.0, 1.0])
    np.testing.assert_allclose(miss, [np.hypot(100.0, 5.0), np.hypot(90.0, 5.0)])


def test_zero_relative_velocity() -> None:
    """With no relative motion the miss is the current distance."""
    t_star, miss = closest_approach([3.0, 4.0, 0.0], [0.0, 0.0, 0.0], 1.0)
    assert t_star == 0.0 and miss == pytest.approx(5.0)


def test_pk_at_zero_and_one_sigma() -> None:
    """Pk = pk_max at zero miss and exp(-1/2) pk_max = 0.6065 pk_max at one lethal radius."""
    pk = kill_probability(np.array([0.0, 20.0]), 20.0, 0.9)
    np.testing.assert_allclose(pk, [0.9, 0.9 * 0.60653066], rtol=1e-7)


def test_pk_monotone_and_bounded() -> None:
    """Pk falls with miss distance and stays in [0, pk_max]."""
    pk = kill_probability(np.linspace(0.0, 500.0, 101), 30.0, 0.8)
    assert np.all(np.diff(pk) < 0.0) and pk.min() >= 0.0 and pk.max() <= 0.8


def test_expected_pk_over_circular_normal_miss() -> None:
    """Averaged over a circular-normal miss (Rayleigh radius), E[Pk] = pk sigma^2/(sigma^2+s^2)."""
    sigma, s, pk_max = 20.0, 15.0, 0.9

    def integrand(rho: float) -> float:
        rayleigh = rho / s**2 * np.exp(-(rho**2) / (2 * s**2))
        return float(kill_probability(rho, sigma, pk_max)) * rayleigh

    value, _ = integrate.quad(integrand, 0.0, np.inf)
    assert value == pytest.approx(pk_max * sigma**2 / (sigma**2 + s**2), rel=1e-8)

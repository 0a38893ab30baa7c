"""Tests of the 1976 U.S. Standard Atmosphere against published values."""

import numpy as np
import pytest

from triumf.core.atmosphere import isa

R0_M = 6_356_766.0  # 1976 standard's radius for geopotential altitude


def geometric_from_geopotential(h_m: float) -> float:
    """Invert H = r0 z / (r0 + z)."""
    return R0_M * h_m / (R0_M - h_m)


# Published layer-base values of the 1976 standard (geopotential metres):
# (H, temperature K, pressure Pa, density kg/m^3).
LAYER_BASES = [
    (11_000.0, 216.65, 22_632.06, 0.3639176),
    (20_000.0, 216.65, 5_474.889, 0.08803471),
    (32_000.0, 228.65, 868.0187, 0.01322500),
    (47_000.0, 270.65, 110.9063, 0.001427527),
]


def test_sea_level() -> None:
    """Sea level gives 288.15 K, 101325 Pa, 1.225 kg/m^3 and 340.29 m/s."""
    t, p, rho, a = isa(0.0)
    np.testing.assert_allclose([t, p, rho, a], [288.15, 101_325.0, 1.225, 340.29], rtol=1e-4)


@pytest.mark.parametrize(("h_m", "t_k", "p_pa", "rho"), LAYER_BASES)
def test_layer_bases(h_m: float, t_k: float, p_pa: float, rho: float) -> None:
    """Temperature, pressure and density at the published layer bases agree to 0.1 %."""
    t, p, r, _ = isa(geometric_from_geopotential(h_m))
    np.testing.assert_allclose([t, p, r], [t_k, p_pa, rho], rtol=1e-3)


def test_speed_of_sound_tropopause() -> None:
    """Speed of sound in the lower stratosphere is the published 295.07 m/s."""
    _, _, _, a = isa(15_000.0)
    assert a == pytest.approx(295.07, rel=1e-3)


def test_ncar_geometric_example() -> None:
    """NCAR stdatmus_z2tdp example: 100 m gives 14.35 C, 1.21328 kg/m^3, 1001.29 hPa."""
    t, p, rho, _ = isa(100.0)
    np.testing.assert_allclose([t - 273.15, rho, p / 100.0], [14.35, 1.21328, 1001.29], rtol=1e-3)


def test_vectorised_shape() -> None:
    """An array of altitudes of any shape returns arrays of the same shape."""
    z = np.linspace(-500.0, 120_000.0, 24).reshape(2, 3, 4)
    out = isa(z)
    assert all(o.shape == z.shape for o in out)


def test_density_monotone_and_continuous() -> None:
    """Density falls monotonically from -1 km to 150 km, with no jump at 86 km."""
    z = np.linspace(-1_000.0, 150_000.0, 30_001)
    _, p, rho, _ = isa(z)
    assert np.all(np.diff(rho) < 0.0)
    assert np.all(np.diff(p) < 0.0)
    below, above = isa(85_999.999)[2], isa(86_000.001)[2]
    assert above == pytest.approx(below, rel=1e-6)


def test_hydrostatic_balance() -> None:
    """dp/dz = -rho g(z) with g = g0 (r0 / (r0 + z))^2 inside the layers (an invariant)."""
    z = np.linspace(500.0, 84_000.0, 200)
    dz = 0.5
    _, p_hi, _, _ = isa(z + dz)
    _, p_lo, _, _ = isa(z - dz)
    _, _, rho, _ = isa(z)
    g = 9.80665 * (R0_M / (R0_M + z)) ** 2
    np.testing.assert_allclose((p_hi - p_lo) / (2 * dz), -rho * g, rtol=1e-5)


def test_fast_path_matches_isa() -> None:
    """The tabulated density and sound speed agree with isa to 1e-6 (1e-5 near 86 km)."""
    from triumf.core.atmosphere import density_and_sound_speed

    z = np.random.default_rng(0).uniform(-1_900.0, 399_000.0, 20_000)
    _, _, rho, a = isa(z)
    rho_fast, a_fast = density_and_sound_speed(z)
    tol = np.where(np.abs(z - 86_000.0) < 10.0, 2e-5, 1e-6)
    assert np.all(np.abs(rho_fast / rho - 1.0) < tol)
    assert np.all(np.abs(a_fast / a - 1.0) < tol)

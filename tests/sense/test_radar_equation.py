"""Radar range equation against the MATLAB documentation examples (references.md 2.4)."""

from __future__ import annotations

import numpy as np

from triumf.sense.radar_equation import (
    BOLTZMANN,
    SPEED_OF_LIGHT,
    peak_power_for_snr_w,
    range_for_snr_m,
    snr_db,
    system_temperature_k,
)


def test_constants_are_si_exact():
    """Boltzmann's constant and the speed of light have their exact SI 2019 values."""
    assert BOLTZMANN == 1.380649e-23
    assert SPEED_OF_LIGHT == 299_792_458.0


def test_radareqsnr_example_1():
    """f 1 GHz, R 50 km, Pt 1 MW, tau 0.2 us, G 20 dB, sigma 1 m^2 gives 5.5868 dB."""
    got = snr_db(50e3, 1.0, 1e6, 20.0, 1e9, 0.2e-6)
    assert abs(got - 5.5868) < 5e-5


def test_radareqsnr_example_2():
    """f 10 GHz, R 100 km, 1 MW, 1 us, 0.5 m^2, G 40 dB, Ts 300 K, L 3 dB gives 14.3778 dB."""
    got = snr_db(100e3, 0.5, 1e6, 40.0, 10e9, 1e-6, system_temp_k=300.0, losses_db=3.0)
    assert abs(got - 14.3778) < 5e-5


def test_radareqrng_example_1():
    """f 10 GHz, SNR 6 dB, Pt 1 MW, tau 10 us, G 20 dB, sigma 1 m^2 gives 41 057 m."""
    got = range_for_snr_m(6.0, 1.0, 1e6, 20.0, 10e9, 10e-6)
    assert abs(got - 41_057.0) < 0.5


def test_radareqrng_example_2():
    """As example 1 with G 40 dB, sigma 0.1 m^2, L 3 dB gives 194 260 m."""
    got = range_for_snr_m(6.0, 0.1, 1e6, 40.0, 10e9, 10e-6, losses_db=3.0)
    assert abs(got - 194_260.0) < 5.0


def test_radareqpow_example_1():
    """f 1 GHz, R 50 km, SNR 6 dB, tau 1 us, G 20 dB, sigma 1 m^2 needs 2.1996e5 W."""
    got = peak_power_for_snr_w(6.0, 50e3, 1.0, 20.0, 1e9, 1e-6)
    assert abs(got - 2.1996e5) < 5.0


def test_range_scales_as_rcs_to_the_quarter():
    """Detection range scales as sigma^(1/4): 0.01 m^2 is seen at 0.316 of the 1 m^2 range."""
    r = range_for_snr_m(13.0, np.array([1.0, 0.01, 16.0]), 1e6, 35.0, 3e9, 1e-6)
    np.testing.assert_allclose(r[1:] / r[0], [0.01**0.25, 2.0], rtol=1e-12)
    assert abs(r[1] / r[0] - 0.316) < 5e-4


def test_snr_falls_40db_per_decade_of_range():
    """SNR drops by 40 dB when the range grows tenfold (R^-4)."""
    s = snr_db(np.array([10e3, 100e3]), 1.0, 1e6, 30.0, 3e9, 1e-6)
    np.testing.assert_allclose(s[0] - s[1], 40.0, rtol=0, atol=1e-10)


def test_inverses_are_consistent():
    """range_for_snr_m and peak_power_for_snr_w invert snr_db, with a separate receive gain."""
    kw = dict(gain_db=38.0, frequency_hz=5.6e9, pulse_width_s=2e-6, system_temp_k=450.0,
              losses_db=4.0, rx_gain_db=33.0)
    s = snr_db(120e3, 0.3, 2e5, **kw)
    np.testing.assert_allclose(range_for_snr_m(s, 0.3, 2e5, **kw), 120e3, rtol=1e-12)
    np.testing.assert_allclose(peak_power_for_snr_w(s, 120e3, 0.3, **kw), 2e5, rtol=1e-12)


def test_rx_gain_enters_once():
    """A receive gain 6 dB below the transmit gain lowers the SNR by exactly 6 dB."""
    base = snr_db(80e3, 1.0, 1e6, 30.0, 3e9, 1e-6)
    lower = snr_db(80e3, 1.0, 1e6, 30.0, 3e9, 1e-6, rx_gain_db=24.0)
    np.testing.assert_allclose(base - lower, 6.0, atol=1e-12)


def test_system_temperature_from_noise_figure():
    """Ts = Ta + 290 (F - 1): NF 3.0103 dB (F = 2) with Ta 290 K gives 580 K."""
    nf_db = 10.0 * np.log10(2.0)
    np.testing.assert_allclose(system_temperature_k(nf_db), 580.0, rtol=1e-12)
    np.testing.assert_allclose(system_temperature_k(0.0, antenna_temp_k=50.0), 50.0)

"""Noise jamming: burn-through and stand-off detection range against the radar equation."""

from __future__ import annotations

import numpy as np
from scipy import optimize

from triumf.sense.jamming import (
    jammer_density_w_per_hz,
    jammer_to_noise_db,
    self_screening_burn_through_m,
    sinr_db,
    stand_off_detection_range_m,
)
from triumf.sense.radar_equation import BOLTZMANN, range_for_snr_m, snr_db

RADAR = dict(peak_power_w=2.0e5, gain_db=40.0, frequency_hz=1.0e10, pulse_width_s=2.0e-5,
             system_temp_k=500.0, losses_db=8.0)
JAM = dict(erp_w=100.0, bandwidth_hz=5.0e7)


def _sinr(r: float, rcs: float, jam: bool) -> float:
    """SINR at range r from the radar equation and J0 = ERP G lambda^2 / ((4 pi)^2 R^2 B)."""
    s = snr_db(r, rcs, **RADAR)
    if not jam:
        return float(s)
    lam = 299_792_458.0 / RADAR["frequency_hz"]
    j0 = JAM["erp_w"] * 10 ** (RADAR["gain_db"] / 10) * lam**2 / (
        (4 * np.pi) ** 2 * r**2 * JAM["bandwidth_hz"])
    jnr = j0 / (BOLTZMANN * RADAR["system_temp_k"])
    return float(s - 10 * np.log10(1 + jnr))


def test_burn_through_solves_the_radar_equation():
    """Self-screening burn-through equals the root of SINR(R) = required (brentq)."""
    for rcs, req in ((0.1, 6.0), (1.0, 10.0), (5.0, 13.0)):
        got = self_screening_burn_through_m(req, rcs, erp_w=JAM["erp_w"],
                                            bandwidth_hz=JAM["bandwidth_hz"], **RADAR)
        ref = optimize.brentq(lambda r, rcs=rcs, req=req: _sinr(r, rcs, True) - req, 10.0, 1e7)
        assert abs(got - ref) / ref < 1e-8


def test_burn_through_square_root_law():
    """When jamming dominates, R_bt grows as sqrt(sigma) (J/S = 1 at burn-through)."""
    r1 = self_screening_burn_through_m(10.0, 0.01, erp_w=1e4, bandwidth_hz=1e6, **RADAR)
    r2 = self_screening_burn_through_m(10.0, 1.00, erp_w=1e4, bandwidth_hz=1e6, **RADAR)
    assert abs(r2 / r1 - 10.0) < 0.01


def test_no_jamming_gives_free_space_range():
    """With ERP 0 the burn-through range is the free-space detection range."""
    got = self_screening_burn_through_m(10.0, 1.0, erp_w=0.0, bandwidth_hz=1e6, **RADAR)
    assert abs(got - range_for_snr_m(10.0, 1.0, **RADAR)) < 1e-6 * got


def test_stand_off_range_reduction():
    """Constant J0: detection range shrinks by (1 + JNR)^(-1/4) (brentq on the SINR)."""
    j0 = jammer_density_w_per_hz(1e4, 1e8, 100e3, 10.0, RADAR["frequency_hz"])
    jnr = jammer_to_noise_db(j0, RADAR["system_temp_k"])
    r0 = range_for_snr_m(10.0, 1.0, **RADAR)
    ref = optimize.brentq(lambda r: sinr_db(snr_db(r, 1.0, **RADAR), jnr) - 10.0, 10.0, 1e7)
    assert abs(stand_off_detection_range_m(r0, jnr) - ref) / ref < 1e-9


def test_sinr_sums_interference():
    """SINR = SNR / (1 + JNR + CNR) in linear terms."""
    got = sinr_db(20.0, 10.0, 0.0)
    assert abs(got - (20.0 - 10 * np.log10(1 + 10 + 1))) < 1e-12

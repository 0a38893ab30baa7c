"""Surface clutter: constant gamma, the NRL sea model's trends, the cell area, the beam."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.sense.clutter import (
    clutter_cell_area_m2,
    constant_gamma_sigma0,
    gaussian_beam_gain,
    nrl_sea_sigma0_db,
)


def test_constant_gamma_closed_form():
    """sigma0 = gamma sin(psi) at 10 GHz, +5 log10(f / 10 GHz) dB at other frequencies."""
    psi = np.radians([0.1, 1.0, 10.0])
    np.testing.assert_allclose(constant_gamma_sigma0(psi, -20.0), 0.01 * np.sin(psi))
    np.testing.assert_allclose(constant_gamma_sigma0(psi, -20.0, 1e9),
                               0.01 * 10 ** (-0.5) * np.sin(psi))


def test_nrl_sea_clutter_trends():
    """NRL sigma0 rises with sea state, grazing angle and frequency; V above H at low grazing."""
    psi = np.radians(np.array([0.2, 1.0, 5.0]))
    ss = np.arange(0, 7)[:, None]
    h = nrl_sea_sigma0_db(psi, 1e10, ss, "H")
    assert np.all(np.diff(h, axis=0) > 0) and np.all(np.diff(h, axis=1) > 0)
    assert np.all(nrl_sea_sigma0_db(psi, 1e10, 3, "V") > nrl_sea_sigma0_db(psi, 1e10, 3, "H"))
    assert np.all(nrl_sea_sigma0_db(psi, 1e10, 3) > nrl_sea_sigma0_db(psi, 3e9, 3))


def test_nrl_rejects_unknown_polarisation():
    """Only H and V polarisations exist in the model."""
    with pytest.raises(ValueError, match="polarisation"):
        nrl_sea_sigma0_db(0.01, 1e10, 3, "X")


def test_cell_area_closed_form():
    """A = R theta_az dR sec(psi)."""
    assert abs(clutter_cell_area_m2(10e3, 0.01, 150.0, 0.0) - 15000.0) < 1e-9
    assert abs(clutter_cell_area_m2(10e3, 0.01, 150.0, np.pi / 3) - 30000.0) < 1e-6


def test_gaussian_beam_half_power_and_floor():
    """The beam is -3 dB at half the beamwidth off axis and never below the sidelobe floor."""
    assert abs(10 * np.log10(gaussian_beam_gain(0.5, 1.0, -40.0)) + 3.0103) < 1e-3
    assert gaussian_beam_gain(5.0, 1.0, -30.0) == pytest.approx(1e-3)

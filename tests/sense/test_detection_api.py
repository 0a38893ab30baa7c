"""Public detection API: methods of required_snr_db, the references.md row, random-point quad."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special, stats

from triumf.sense.detection import (
    cumulative_detection_probability,
    detection_probability,
    required_snr_db,
)

# references.md 2.3, Pd 0.9, Pfa 1e-6, N 1
EXACT_ROW = [13.18, 21.14, 21.14, 17.30, 17.30]
SHNIDMAN_ROW = [13.12, 21.35, 21.35, 17.23, 17.23]
ALBERSHEIM = 13.11


@pytest.mark.parametrize("swerling", range(5))
def test_reference_row_exact_method(swerling):
    """method='exact' reproduces the exact column of references.md 2.3 for each Swerling case."""
    got = required_snr_db(0.9, 1e-6, 1, swerling, method="exact")
    assert abs(got - EXACT_ROW[swerling]) < 0.005


@pytest.mark.parametrize("swerling", range(5))
def test_reference_row_shnidman_method(swerling):
    """method='shnidman' reproduces the Shnidman columns of references.md 2.3."""
    got = required_snr_db(0.9, 1e-6, 1, swerling, method="shnidman")
    assert abs(got - SHNIDMAN_ROW[swerling]) < 0.005


def test_reference_row_albersheim_method():
    """method='albersheim' gives 13.11 dB at Pd 0.9, Pfa 1e-6, N 1 (references.md 2.3)."""
    assert abs(required_snr_db(0.9, 1e-6, 1, 0, method="albersheim") - ALBERSHEIM) < 0.005


def test_albersheim_rejects_fluctuating_target():
    """Albersheim's equation is for a steady target: other Swerling cases raise ValueError."""
    with pytest.raises(ValueError, match="steady"):
        required_snr_db(0.9, 1e-6, 1, 1, method="albersheim")


def test_unknown_method_rejected():
    """An unknown method name raises ValueError naming the valid ones."""
    with pytest.raises(ValueError, match="shnidman"):
        required_snr_db(0.9, 1e-6, 1, 0, method="swerling")


def test_required_snr_broadcasts_over_all_arguments():
    """Each method broadcasts pd, pfa, n_pulses and swerling together."""
    pd = np.array([0.5, 0.9])[:, None, None]
    pfa = np.array([1e-6, 1e-4])[None, :, None]
    n = np.array([1, 4, 16])[None, None, :]
    for method in ("exact", "albersheim", "shnidman"):
        assert required_snr_db(pd, pfa, n, 0, method=method).shape == (2, 2, 3)


def _quad_reference(snr_db: float, pfa: float, n: int, swerling: int) -> float:
    """Pd by SciPy quadrature: ncx2 tail of the integrated statistic over the SNR density.

    Steady target: one ncx2 tail. Fluctuating: integrate the ncx2 tail against the Gamma
    density of the total SNR (shape 1, N, 2, 2N for Swerling 1-4), done by quad.
    """
    thr = special.gammainccinv(n, pfa)
    mean = n * 10.0 ** (snr_db / 10.0)
    if swerling == 0:
        return float(stats.ncx2.sf(2 * thr, 2 * n, 2 * mean))
    shape = {1: 1.0, 2: float(n), 3: 2.0, 4: 2.0 * n}[swerling]
    dist = stats.gamma(shape, scale=mean / shape)

    def f(x: float) -> float:
        return float(stats.ncx2.sf(2 * thr, 2 * n, 2 * x) * dist.pdf(x))

    lo, hi = dist.ppf(1e-14), dist.ppf(1.0 - 1e-14)
    pts = [p for p in (dist.mean(), thr) if lo < p < hi]
    return float(integrate.quad(f, lo, hi, points=pts or None, limit=400,
                                epsabs=1e-12, epsrel=1e-10)[0])


def test_exact_pd_matches_quadrature_at_random_points():
    """Exact Pd equals SciPy quadrature at 40 random (SNR, N, Pfa, Swerling) points."""
    g = np.random.default_rng(20261125)
    for _ in range(40):
        sw = int(g.integers(0, 5))
        n = int(g.integers(1, 40))
        pfa = float(10.0 ** g.uniform(-9.0, -3.0))
        snr = float(g.uniform(-10.0, 25.0))
        got = float(detection_probability(snr, pfa, n, sw))
        ref = _quad_reference(snr, pfa, n, sw)
        assert abs(got - ref) < 1e-7, (snr, pfa, n, sw, got, ref)


def test_detection_probability_broadcasts():
    """detection_probability broadcasts SNR, Pfa, N and Swerling arrays into one shape."""
    out = detection_probability(np.zeros((3, 1, 1, 1)), np.array([1e-6, 1e-4])[:, None, None],
                                np.array([1, 8])[:, None], np.arange(5))
    assert out.shape == (3, 2, 2, 5)


def test_cumulative_detection_closed_form():
    """Equal looks: P_c after k looks is 1 - (1 - Pd)^k."""
    pd = np.full((2, 6), 0.3)
    got = cumulative_detection_probability(pd, axis=1)
    np.testing.assert_allclose(got[0], 1.0 - 0.7 ** np.arange(1, 7))


def test_cumulative_detection_monotone_and_bounded():
    """Cumulative Pd never decreases, starts at the first Pd and stays in [0, 1]."""
    pd = np.random.default_rng(1).uniform(0.0, 1.0, (4, 30))
    got = cumulative_detection_probability(pd)
    assert np.all(np.diff(got, axis=-1) >= 0.0)
    np.testing.assert_allclose(got[:, 0], pd[:, 0])
    assert np.all((got >= 0.0) & (got <= 1.0))

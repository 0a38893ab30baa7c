"""Square-law detection with non-coherent integration: closed forms, SciPy and references.md 2.3."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special, stats

from triumf.sense.detection import (
    PdTable,
    albersheim_snr_db,
    detection_probability,
    required_snr_db,
    shnidman_snr_db,
    threshold,
)

SWERLING_SHAPE = {1: lambda n: 1.0, 2: lambda n: float(n), 3: lambda n: 2.0, 4: lambda n: 2.0 * n}


def _quad_pd(snr_db: float, pfa: float, n: int, swerling: int) -> float:
    """Independent reference: SciPy quadrature of the SW0 (ncx2) Pd over the Gamma SNR."""
    thr = special.gammainccinv(n, pfa)
    shape = SWERLING_SHAPE[swerling](n)
    mean = n * 10.0 ** (snr_db / 10.0)

    def integrand(x: float) -> float:
        return stats.ncx2.sf(2 * thr, 2 * n, 2 * x) * stats.gamma.pdf(x, shape, scale=mean / shape)

    return integrate.quad(integrand, 0.0, np.inf, limit=500, epsabs=1e-13, epsrel=1e-11)[0]


def test_threshold_gives_pfa():
    """The threshold is the Gamma(N, 1) upper quantile; for N = 1 it is -ln Pfa."""
    pfa = np.array([1e-3, 1e-6, 1e-9])
    np.testing.assert_allclose(threshold(pfa, 1), -np.log(pfa), rtol=1e-12)
    for n in (2, 10, 64):
        np.testing.assert_allclose(special.gammaincc(n, threshold(pfa, n)), pfa, rtol=1e-9)


def test_reference_table_exact_columns():
    """Exact required SNR at Pd 0.9, Pfa 1e-6, N 1: SW0 13.18, SW1/2 21.14, SW3/4 17.30 dB."""
    got = required_snr_db(0.9, 1e-6, 1, np.arange(5))
    np.testing.assert_allclose(got, [13.18, 21.14, 21.14, 17.30, 17.30], atol=0.005)


def test_sdr_min_snr_square_law():
    """Exact SW0 at Pd 0.9, Pfa 1e-6 equals sdr.min_snr(0.9, 1e-6, 'square-law') = 13.1835 dB."""
    assert abs(required_snr_db(0.9, 1e-6) - 13.1835) < 5e-5


def test_swerling1_single_pulse_closed_form_snr():
    """SW1, N 1: required SNR = ln Pfa / ln Pd - 1 (21.14 dB at Pd 0.9, Pfa 1e-6)."""
    pd = np.array([0.3, 0.5, 0.8, 0.9, 0.99])[:, None]
    pfa = np.array([1e-3, 1e-6, 1e-9])[None, :]
    expected = 10 * np.log10(np.log(pfa) / np.log(pd) - 1.0)
    np.testing.assert_allclose(required_snr_db(pd, pfa, 1, 1), expected, atol=1e-8)
    assert abs(expected[3, 1] - 21.14) < 0.005


def test_swerling1_single_pulse_closed_form_pd():
    """SW1, N 1: Pd = Pfa^(1 / (1 + snr)) for every SNR."""
    snr_db = np.linspace(-20.0, 50.0, 141)
    for pfa in (1e-3, 1e-6, 1e-10):
        expected = pfa ** (1.0 / (1.0 + 10 ** (snr_db / 10)))
        np.testing.assert_allclose(detection_probability(snr_db, pfa, 1, 1), expected,
                                   rtol=1e-10, atol=1e-14)


def test_swerling2_closed_form():
    """SW2: Pd = Gamma_upper(N, T / (1 + snr)) (regularised)."""
    snr_db = np.linspace(-15.0, 30.0, 91)[:, None]
    n = np.array([1, 2, 5, 10, 30, 100])[None, :]
    pfa = 1e-6
    expected = special.gammaincc(n, threshold(pfa, n) / (1.0 + 10 ** (snr_db / 10)))
    np.testing.assert_allclose(detection_probability(snr_db, pfa, n, 2), expected,
                               rtol=1e-9, atol=1e-12)


def test_swerling0_matches_scipy_noncentral_chi2():
    """SW0 equals scipy.stats.ncx2.sf(2T, 2N, 2 N snr) (Marcum Q)."""
    snr_db = np.linspace(-20.0, 25.0, 91)[:, None]
    n = np.array([1, 3, 10, 50])[None, :]
    pfa = 1e-6
    snr = 10 ** (snr_db / 10)
    expected = stats.ncx2.sf(2 * threshold(pfa, n), 2 * n, 2 * n * snr)
    np.testing.assert_allclose(detection_probability(snr_db, pfa, n, 0), expected,
                               rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize(
    ("snr_db", "pfa", "n", "swerling"),
    [(17.30, 1e-6, 1, 3), (8.9, 1e-6, 100, 3), (3.0, 1e-4, 20, 4), (12.0, 1e-8, 5, 1),
     (-2.0, 1e-5, 40, 2)],
)
def test_fluctuating_matches_quadrature(snr_db, pfa, n, swerling):
    """SW1-4 equal an independent SciPy quadrature of the SW0 Pd over the Gamma SNR."""
    got = detection_probability(snr_db, pfa, n, swerling)
    assert abs(got - _quad_pd(snr_db, pfa, n, swerling)) < 1e-9


def test_pd_tends_to_pfa_at_low_snr():
    """With no signal Pd equals Pfa, for every Swerling case and N."""
    sw = np.arange(5)[:, None]
    n = np.array([1, 10, 100])[None, :]
    for pfa in (1e-3, 1e-6):
        np.testing.assert_allclose(detection_probability(-np.inf, pfa, n, sw), pfa, atol=1e-12)
        np.testing.assert_allclose(detection_probability(-60.0, pfa, n, sw), pfa, rtol=1e-3)


def test_pd_tends_to_one_at_high_snr():
    """At very high SNR Pd approaches 1."""
    pd = detection_probability(80.0, 1e-6, np.array([1, 10]), np.arange(5)[:, None])
    assert np.all(pd > 1.0 - 1e-5)


def test_pd_monotone_in_snr():
    """Pd never decreases with SNR."""
    snr_db = np.linspace(-30.0, 60.0, 1801)
    for sw in range(5):
        for n in (1, 10):
            pd = detection_probability(snr_db, 1e-6, n, sw)
            assert np.all(np.diff(pd) >= -1e-15)


def test_integration_lowers_required_snr():
    """More integrated pulses need less single-pulse SNR for the same Pd."""
    req = required_snr_db(0.9, 1e-6, np.array([1, 2, 10, 100]), 0)
    assert np.all(np.diff(req) < 0)


def test_required_snr_inverts_detection_probability():
    """Pd(required_snr_db(pd)) returns pd."""
    pd = np.array([0.2, 0.5, 0.9, 0.99])[:, None]
    sw = np.arange(5)[None, :]
    snr = required_snr_db(pd, 1e-5, 8, sw)
    pd_back = detection_probability(snr, 1e-5, 8, sw)
    np.testing.assert_allclose(pd_back, np.broadcast_to(pd, snr.shape), atol=1e-10)


def test_required_snr_nan_outside_reach():
    """A Pd below Pfa cannot be asked for: the result is NaN."""
    assert np.isnan(required_snr_db(1e-7, 1e-6))


def test_albersheim_reference_value():
    """Albersheim at Pd 0.9, Pfa 1e-6, N 1 gives 13.11 dB (references.md table)."""
    assert abs(albersheim_snr_db(0.9, 1e-6, 1) - 13.11) < 0.005


def test_albersheim_term_order():
    """The log argument is A + 0.12 A B + 1.7 B, not the miscopied A + 0.12 B + 1.7 A B."""
    pd, pfa = 0.8, 1e-5
    a, b = np.log(0.62 / pfa), np.log(pd / (1 - pd))
    right = (6.2 + 4.54 / np.sqrt(1.44)) * np.log10(a + 0.12 * a * b + 1.7 * b)
    wrong = (6.2 + 4.54 / np.sqrt(1.44)) * np.log10(a + 0.12 * b + 1.7 * a * b)
    assert abs(albersheim_snr_db(pd, pfa) - right) < 1e-12
    assert abs(right - wrong) > 1.0


def test_albersheim_close_to_exact_square_law():
    """Albersheim is within 0.3 dB of exact SW0 for Pd 0.5-0.9, Pfa 1e-7-1e-3, N 1-100."""
    pd = np.array([0.5, 0.7, 0.9])[:, None, None]
    pfa = np.array([1e-7, 1e-5, 1e-3])[None, :, None]
    n = np.array([1, 3, 10, 30, 100])[None, None, :]
    diff = albersheim_snr_db(pd, pfa, n) - required_snr_db(pd, pfa, n, 0)
    assert np.max(np.abs(diff)) < 0.3


def test_shnidman_reference_values():
    """Shnidman at Pd 0.9, Pfa 1e-6, N 1: SW0 13.12, SW1/2 21.35, SW3/4 17.23 dB."""
    got = shnidman_snr_db(0.9, 1e-6, 1, np.arange(5))
    np.testing.assert_allclose(got, [13.12, 21.35, 21.35, 17.23, 17.23], atol=0.005)


def test_shnidman_close_to_exact():
    """Shnidman is within 0.5 dB of exact for SW0-4, Pd 0.5-0.9, Pfa 1e-8-1e-5, N 1-20."""
    pd = np.array([0.5, 0.8, 0.9])[:, None, None, None]
    pfa = np.array([1e-8, 1e-6, 1e-5])[None, :, None, None]
    n = np.array([1, 4, 10, 20])[None, None, :, None]
    sw = np.arange(5)[None, None, None, :]
    diff = shnidman_snr_db(pd, pfa, n, sw) - required_snr_db(pd, pfa, n, sw)
    assert np.max(np.abs(diff)) < 0.5


def test_shnidman_within_claimed_accuracy_over_validity_box():
    """Shnidman stays within about 1 dB of exact over its whole stated validity box."""
    pd = np.array([0.1, 0.5, 0.9, 0.99])[:, None, None, None]
    pfa = np.array([1e-9, 1e-6, 1e-3])[None, :, None, None]
    n = np.array([1, 10, 100])[None, None, :, None]
    sw = np.arange(5)[None, None, None, :]
    diff = shnidman_snr_db(pd, pfa, n, sw) - required_snr_db(pd, pfa, n, sw)
    # sdr documents "less than 1 dB"; the worst corner (SW1, Pd 0.1, Pfa 1e-3, N 1) is 1.04 dB
    assert np.max(np.abs(diff)) < 1.1


@pytest.mark.parametrize(("n", "swerling"), [(1, 0), (1, 1), (10, 0), (10, 3), (64, 2), (64, 4)])
def test_pd_table_matches_exact(n, swerling):
    """PdTable agrees with the exact Pd to 1e-3 at off-grid SNRs."""
    table = PdTable(1e-6, n, swerling)
    snr_db = np.random.default_rng(n + swerling).uniform(-30.0, 60.0, 4000)
    exact = detection_probability(snr_db, 1e-6, n, swerling)
    assert np.max(np.abs(table(snr_db) - exact)) < 1e-3


def test_pd_table_outside_grid_and_shape():
    """PdTable holds its end values outside the grid and keeps the input shape."""
    table = PdTable(1e-6, 1, 1)
    out = table(np.array([[-np.inf, -200.0], [200.0, np.inf]]))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out[0], table.pd_grid[0])
    np.testing.assert_allclose(out[1], table.pd_grid[-1])
    # SW1, N 1 closed form at the grid ends: Pd = Pfa^(1 / (1 + snr))
    closed = 1e-6 ** (1 / (1 + 10 ** np.array([-3.0, 6.0])))
    np.testing.assert_allclose(table.pd_grid[[0, -1]], closed, rtol=0, atol=1e-12)


def test_invalid_swerling_rejected():
    """Swerling cases outside 0-5 raise ValueError."""
    with pytest.raises(ValueError):
        detection_probability(10.0, 1e-6, 1, 6)

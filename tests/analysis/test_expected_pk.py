"""Expected Pk over a circular-normal miss, the weapons' Pk basis and zero-valued threat figures."""

import dataclasses

import numpy as np
import pytest
from scipy import integrate

from triumf.analysis.expected_pk import expected_kill_probability
from triumf.engage.endgame import kill_probability
from triumf.equipment.database import load_database
from triumf.scenario.compile_analysis import compile_weapons, threat_profile
from triumf.scenario.load import load_scenario

DB = load_database()


@pytest.mark.parametrize(("miss", "sigma", "pk"), [(5.0, 20.0, 0.8), (30.0, 10.0, 0.9),
                                                  (20.0, 20.0, 0.5)])
def test_expected_pk_matches_numerical_integral_over_rayleigh_miss(miss, sigma, pk):
    """Closed form equals the engine's Pk(r) integrated against the Rayleigh density (quad)."""
    def integrand(r):
        return float(kill_probability(r, sigma, pk)) * r / miss**2 * np.exp(-r * r / (2 * miss**2))
    ref, _ = integrate.quad(integrand, 0.0, np.inf)
    assert float(expected_kill_probability(miss, sigma, pk)) == pytest.approx(ref, rel=1e-9)


def test_zero_miss_gives_pk_max():
    """With no miss the expectation is the Pk at zero miss."""
    assert float(expected_kill_probability(0.0, 20.0, 0.8)) == 0.8


def test_weapons_pk_is_pk_max_unless_a_miss_is_given():
    """compile_weapons uses pk_max by default and the closed form for a given miss std."""
    scn, _ = load_scenario("demo", db=DB)
    bound = compile_weapons(scn, DB)
    exp = compile_weapons(scn, DB, miss_std_m=15.0)
    for i, name in enumerate(bound.names):
        eq = DB.get(name)
        s, pk = eq.value("lethal_radius_m"), eq.value("pk_max")
        assert bound.pk[i] == pk
        assert exp.pk[i] == pytest.approx(pk * s * s / (s * s + 225.0))


class _OneThreatDb:
    """A database whose threat figures are replaced (for zero-valued figures)."""

    def __init__(self, name, **values):
        eq = DB.get(name)
        figs = dict(eq.figures)
        for k, v in values.items():
            figs[k] = dataclasses.replace(figs[k], value=float(v))
        self.eq = dataclasses.replace(eq, figures=figs)

    def get(self, name):
        return self.eq


def test_zero_cruise_altitude_is_a_value_not_a_missing_figure():
    """A cruise altitude of 0 m is kept (not replaced by the terminal altitude)."""
    db = _OneThreatDb("brahmos", cruise_altitude_m=0.0)
    prof = threat_profile(db, "brahmos")  # type: ignore[arg-type]
    assert prof.altitude_m == 0.0

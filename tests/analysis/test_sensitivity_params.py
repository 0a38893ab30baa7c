"""The estimates a scenario uses, and a scenario with some of them replaced."""

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import yaml

from triumf.analysis.sensitivity_params import (
    DOCTRINE_ESTIMATES,
    ParameterError,
    apply_parameters,
    estimate_parameters,
)
from triumf.equipment.database import DATA_DIR, load_database
from triumf.scenario.compile import compile_scenario
from triumf.scenario.load import load_scenario

SMALL = Path(__file__).resolve().parents[2] / "docs" / "examples" / "sensitivity-small.yaml"
G0 = 9.80665  # standard gravity, m/s^2 (CGPM 1901)


@lru_cache(maxsize=1)
def small():
    scn, _ = load_scenario(str(SMALL))
    return scn, load_database(scn.equipment_dirs)


def raw_figure(system, key):
    """A figure straight from the shipped YAML file (not through triumf's loader)."""
    text = (DATA_DIR / f"{system.lower()}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.SafeLoader)["figures"][key]


def by_name(params, name):
    return next(p for p in params if p.name == name)


def test_parameters_are_estimates_with_bounds_around_the_value():
    """Every listed equipment parameter is tagged E in its file, with low < high bracketing it."""
    scn, db = small()
    params = [p for p in estimate_parameters(scn, db) if p.kind != "doctrine"]
    assert params
    for p in params:
        fig = raw_figure(p.system, p.figure)
        assert fig["tag"] == "E", p.name
        assert float(fig["low"]) == p.low and float(fig["high"]) == p.high
        assert p.low < p.high and p.low <= float(fig["value"]) <= p.high


def test_only_equipment_the_scenario_uses():
    """Systems of the scenario appear; systems it does not use (40N6E, 96L6E, shahed) do not."""
    scn, db = small()
    systems = {p.system for p in estimate_parameters(scn, db)}
    assert {"48N6E3", "91N6E", "92N6E", "babur", "55K6E"} <= systems
    assert not {"40N6E", "96L6E", "shahed", "9M96E2"} & systems


def test_doctrine_estimate_listed_with_its_bounds():
    """doctrine.min_intercept_accel_g is offered with the bounds of DOCTRINE_ESTIMATES."""
    scn, db = small()
    p = by_name(estimate_parameters(scn, db), "doctrine.min_intercept_accel_g")
    fig = DOCTRINE_ESTIMATES["min_intercept_accel_g"]
    assert (p.low, p.high, p.value) == (fig.low, fig.high, scn.doctrine.min_intercept_accel_g)


def test_glob_selects_a_family_and_interceptor_means_missile():
    """'*.pk_max' selects one figure; 'interceptor.*' equals 'missile.*'."""
    scn, db = small()
    assert [p.name for p in estimate_parameters(scn, db, ["*.PK_MAX"])] == [
        "missile.48N6E3.pk_max"]
    a = estimate_parameters(scn, db, ["interceptor.*"])
    assert a == estimate_parameters(scn, db, ["missile.*"])
    assert a and all(p.kind == "missile" for p in a)


def test_glob_without_match_rejected_with_names():
    """A glob matching nothing raises an error naming the kinds."""
    scn, db = small()
    with pytest.raises(ParameterError, match="missile"):
        estimate_parameters(scn, db, ["launcher.nothing"])


def test_applying_a_value_changes_exactly_that_figure():
    """pk_max x 1.1: the compiled pk_max is the YAML value x 1.1; no other figure changes."""
    scn, db = small()
    p = by_name(estimate_parameters(scn, db), "missile.48N6E3.pk_max")
    nominal = float(raw_figure("48N6E3", "pk_max")["value"])
    scn2, db2 = apply_parameters(scn, db, [p], [nominal * 1.1])
    for eq in db.entries.values():
        eq2 = db2.get(eq.name)
        changed = [k for k in eq.figures if eq.figures[k] != eq2.figures[k]]
        assert changed == (["pk_max"] if eq.name == "48N6E3" else []), eq.name
    compiled = compile_scenario(scn2, db2)
    i = compiled.missiles.names.index("48N6E3")
    assert compiled.missiles.pk_max[i] == pytest.approx(nominal * 1.1, rel=1e-12)
    assert compiled.c2.pk_max[i] == pytest.approx(nominal * 1.1, rel=1e-12)
    assert scn2 == scn


def test_apply_is_pure():
    """The input database and scenario keep their values."""
    scn, db = small()
    params = estimate_parameters(scn, db, ["*.rcs_m2", "doctrine.*"])
    before = (db.get("babur").value("rcs_m2"), scn.doctrine.min_intercept_accel_g)
    apply_parameters(scn, db, params, [p.high for p in params])
    assert (db.get("babur").value("rcs_m2"), scn.doctrine.min_intercept_accel_g) == before


def test_applying_doctrine_estimate_reaches_compiled_c2():
    """doctrine.min_intercept_accel_g = 4.5 g compiles to 4.5 g0 m/s^2 in the C2 parameters."""
    scn, db = small()
    p = by_name(estimate_parameters(scn, db), "doctrine.min_intercept_accel_g")
    scn2, db2 = apply_parameters(scn, db, [p], [4.5])
    assert compile_scenario(scn2, db2).c2.min_intercept_accel_mps2 == pytest.approx(4.5 * G0)


def test_integer_figure_rounded():
    """An integral figure (pulses per dwell) is set to the nearest integer."""
    scn, db = small()
    p = by_name(estimate_parameters(scn, db), "radar.92N6E.pulses_per_dwell")
    assert p.integer
    _, db2 = apply_parameters(scn, db, [p], [11.6])
    assert db2.get("92N6E").value("pulses_per_dwell") == 12.0


@pytest.mark.parametrize("offset", [-1e-3, 1e-3])
def test_out_of_bounds_value_rejected(offset):
    """A value just outside [low, high] is refused with the parameter and bounds named."""
    scn, db = small()
    p = by_name(estimate_parameters(scn, db), "threat.babur.rcs_m2")
    value = p.low + offset if offset < 0 else p.high + offset
    with pytest.raises(ParameterError, match=r"threat\.babur\.rcs_m2.*outside its bounds"):
        apply_parameters(scn, db, [p], [value])


def test_nan_and_wrong_length_rejected():
    """NaN and a vector of the wrong length are refused."""
    scn, db = small()
    params = estimate_parameters(scn, db, ["*.rcs_m2"])
    with pytest.raises(ParameterError, match="finite"):
        apply_parameters(scn, db, params, [np.nan])
    with pytest.raises(ParameterError, match="expected 1 values"):
        apply_parameters(scn, db, params, [0.02, 0.03])


@pytest.mark.slow
def test_demo_parameters_are_estimates_inside_bounds():
    """Every parameter of the demo is an E figure (or doctrine estimate) with low <= v <= high."""
    scn, _ = load_scenario("demo")
    db = load_database(scn.equipment_dirs)
    params = estimate_parameters(scn, db)
    assert {"40N6E", "96L6E", "shahed", "brahmos", "fatah-1"} <= {p.system for p in params}
    for p in params:
        fig = raw_figure(p.system, p.figure) if p.kind != "doctrine" else {
            "tag": DOCTRINE_ESTIMATES[p.figure].tag, "value": p.value}
        assert fig["tag"] == "E" and p.low < p.high and p.low <= float(fig["value"]) <= p.high

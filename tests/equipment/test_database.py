"""The equipment database: loading, validation errors, overrides, and the shipped data.

Data checks compare against published figures of /work/shared/references.md, closed forms
(radar equation with the exact Swerling-1 detection probability, Keplerian free flight, the
rocket equation) and invariants, never against numbers copied from the files.
"""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

from triumf.equipment.database import (
    DATA_DIR,
    ENV_VAR,
    Equipment,
    EquipmentDatabase,
    EquipmentError,
    figure_rows,
    listing_rows,
    load_database,
    load_file,
)

# The brief's list of systems and required figures (independent of the module's own table).
SHIPPED = {
    "radar": ["91N6E", "92N6E", "96L6E"],
    "command_post": ["55K6E"],
    "launcher": ["5P85SE2", "5P85TE2"],
    "missile": ["40N6E", "48N6E", "48N6E2", "48N6E3", "9M96E", "9M96E2"],
    "threat": ["babur", "brahmos", "fatah-1", "fatah-2", "shahed", "small-drone", "fighter",
               "aew", "helicopter"],
    "aircraft": ["su-30mki", "mig-29", "ka-31"],
}
RADAR_KEYS = """frequency_hz peak_power_w antenna_gain_db pulse_width_s pulses_per_dwell losses_db
noise_figure_db pfa az_beamwidth_deg el_beamwidth_deg range_resolution_m instrumented_range_m
min_elevation_deg max_elevation_deg revisit_s track_capacity antenna_height_m role""".split()
MISSILE_KEYS = """size_class max_range_m min_range_m max_altitude_m min_altitude_m max_speed_mps
launch_mass_kg burnout_mass_kg boost_thrust_n boost_time_s sustain_thrust_n sustain_time_s
diameter_m cd0 cn_max max_lateral_g gas_dynamic seeker seeker_acquisition_range_m nav_gain
loft_factor max_loft_m max_flight_time_s min_speed_mps lethal_radius_m pk_max cost_usd""".split()
THREAT_KEYS = """category speed_mps cruise_altitude_m terminal_altitude_m terminal_range_m rcs_m2
swerling max_range_m max_lateral_g lethality cost_usd""".split()
REQUIRED = {
    "radar": RADAR_KEYS,
    "command_post": ["reaction_time_s", "c2_cycle_s", "kill_assessment_delay_s",
                     "iff_reply_probability"],
    "launcher": ["capacity_large", "capacity_small", "ripple_interval_s", "reload_time_s"],
    "missile": MISSILE_KEYS,
    "threat": THREAT_KEYS,
    "aircraft": [*THREAT_KEYS, "iff"],
    "jammer": ["erp_w", "bandwidth_hz", "losses_db"],
    "surface": ["surface_kind", "reflection_coefficient", "surface_height_std_m",
                "clutter_gamma_db", "sea_state"],
}

K_BOLTZMANN = 1.380649e-23
C_LIGHT = 299_792_458.0
MU_EARTH = 3.986004418e14
R_EARTH = 6_371_000.0
G0 = 9.80665

GOOD_RADAR = """\
name: Test-Radar
kind: radar
description: a small test radar
figures:
  role: {value: search, unit: "-", tag: E, source: test}
  frequency_hz: {value: 3.0e9, unit: Hz, tag: E, low: 2.0e9, high: 4.0e9, source: test}
  peak_power_w: {value: 1.0e5, unit: W, tag: C, source: test}
  antenna_gain_db: {value: 40, unit: dB, tag: E, low: 35, high: 45, source: test}
  pulse_width_s: {value: 1e-5, unit: s, tag: E, low: 1e-6, high: 1e-4, source: test}
  pulses_per_dwell: {value: 8, unit: "1", tag: E, low: 4, high: 16, source: test}
  losses_db: {value: 8, unit: dB, tag: E, low: 5, high: 12, source: test}
  noise_figure_db: {value: 3, unit: dB, tag: E, low: 2, high: 5, source: test}
  pfa: {value: 1e-6, unit: "1", tag: E, low: 1e-8, high: 1e-4, source: test}
  az_beamwidth_deg: {value: 1, unit: deg, tag: E, low: 0.5, high: 2, source: test}
  el_beamwidth_deg: {value: 1, unit: deg, tag: E, low: 0.5, high: 2, source: test}
  range_resolution_m: {value: 150, unit: m, tag: E, low: 50, high: 300, source: test}
  instrumented_range_m: {value: 3.0e5, unit: m, tag: U, source: test}
  min_elevation_deg: {value: -2, unit: deg, tag: E, low: -4, high: 0, source: test}
  max_elevation_deg: {value: 60, unit: deg, tag: E, low: 40, high: 75, source: test}
  revisit_s: {value: 10, unit: s, tag: E, low: 5, high: 12, source: test}
  track_capacity: {value: 100, unit: "1", tag: U, source: test}
  antenna_height_m: {value: 6, unit: m, tag: E, low: 4, high: 8, source: test}
"""


@pytest.fixture(scope="module")
def db() -> EquipmentDatabase:
    return load_database()


@pytest.fixture(autouse=True)
def _no_user_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def write(directory: Path, stem: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.yaml"
    path.write_text(text)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(EquipmentError) as info:
        load_file(path)
    return str(info.value)


# ------------------------------------------------------------------------------------------
# Shipped files: presence, provenance, required figures
# ------------------------------------------------------------------------------------------


def test_every_shipped_system_loads(db: EquipmentDatabase) -> None:
    """Every system the brief asks for is shipped, loads, and has the right kind."""
    for kind, names in SHIPPED.items():
        for name in names:
            assert db.get(name).kind == kind


def test_shipped_file_names_are_lower_case_system_names() -> None:
    """Each shipped file is named after its system in lower case."""
    for path in DATA_DIR.glob("*.yaml"):
        assert path.stem == load_file(path).name.lower()


def test_every_figure_has_a_source_and_a_valid_tag(db: EquipmentDatabase) -> None:
    """Every figure carries a non-empty source, a unit, and one of the tags P, C, E, U."""
    for eq in db:
        for key, fig in eq.figures.items():
            assert fig.tag in {"P", "C", "E", "U"}, (eq.name, key)
            assert len(fig.source.strip()) > 3, (eq.name, key)
            assert fig.unit.strip(), (eq.name, key)


def test_estimates_have_bounds_around_the_value(db: EquipmentDatabase) -> None:
    """Every numeric E figure has low <= value <= high, and any bounds contain the value."""
    for eq in db:
        for key, fig in eq.figures.items():
            if not fig.is_number:
                continue
            if fig.tag == "E":
                assert fig.low is not None and fig.high is not None, (eq.name, key)
            if fig.low is not None or fig.high is not None:
                lo, hi = eq.bounds(key)
                assert lo <= eq.value(key) <= hi, (eq.name, key)


def test_required_figures_are_present_per_kind(db: EquipmentDatabase) -> None:
    """Every system gives the figures its kind requires (the brief's list)."""
    for eq in db:
        missing = [k for k in REQUIRED[eq.kind] if k not in eq]
        assert not missing, (eq.name, missing)


def test_conditional_figures_are_present(db: EquipmentDatabase) -> None:
    """Engagement radars give channels, ballistic threats their angle, the 96L6E its mast."""
    for eq in db.by_kind("radar"):
        if eq.text("role") == "engagement":
            assert "max_targets_engaged" in eq and "max_missiles_guided" in eq
    for eq in db.by_kind("threat"):
        if eq.text("category") == "ballistic":
            assert "flight_path_angle_deg" in eq and "max_speed_mps" in eq
    assert db.get("96L6E").value("mast_height_m") > db.get("96L6E").value("antenna_height_m")


def test_value_types_of_text_and_flag_figures(db: EquipmentDatabase) -> None:
    """Roles, seekers, size classes and categories are valid text; flags are booleans."""
    for eq in db.by_kind("radar"):
        assert eq.text("role") in {"search", "engagement"}
    for eq in db.by_kind("missile"):
        assert eq.text("size_class") in {"large", "small"}
        assert eq.text("seeker") in {"semi-active", "active"}
        assert isinstance(eq.flag("gas_dynamic"), bool)
    for eq in [*db.by_kind("threat"), *db.by_kind("aircraft")]:
        assert eq.text("category") in {"ballistic", "cruise", "aircraft", "drone", "helicopter"}
        assert eq.value("swerling") in {0.0, 1.0, 2.0, 3.0, 4.0}
    for eq in db.by_kind("aircraft"):
        assert eq.flag("iff") is True


def test_threat_categories_match_the_brief(db: EquipmentDatabase) -> None:
    """Each threat type is of the class the brief describes."""
    expected = {"babur": "cruise", "brahmos": "cruise", "fatah-1": "ballistic",
                "fatah-2": "ballistic", "shahed": "drone", "small-drone": "drone",
                "fighter": "aircraft", "aew": "aircraft", "helicopter": "helicopter",
                "ka-31": "helicopter", "su-30mki": "aircraft", "mig-29": "aircraft"}
    for name, category in expected.items():
        assert db.get(name).text("category") == category


# ------------------------------------------------------------------------------------------
# Lookup and rows
# ------------------------------------------------------------------------------------------


def test_get_is_case_insensitive(db: EquipmentDatabase) -> None:
    """get('40n6e') and get('40N6E') return the same system."""
    assert db.get("40n6e") is db.get("40N6E")
    assert "Fatah-1" in db


def test_unknown_name_lists_valid_names(db: EquipmentDatabase) -> None:
    """An unknown name raises EquipmentError naming it and listing valid names."""
    with pytest.raises(EquipmentError, match="S-500.*40N6E"):
        db.get("S-500")


def test_names_and_by_kind_filter_by_kind(db: EquipmentDatabase) -> None:
    """names(kind) and by_kind(kind) return only systems of that kind, sorted."""
    assert db.names("missile") == sorted(SHIPPED["missile"], key=str.lower)
    assert [e.name for e in db.by_kind("launcher")] == ["5P85SE2", "5P85TE2"]
    with pytest.raises(EquipmentError, match="radar, command_post"):
        db.names("sam")


def test_value_text_flag_refuse_the_wrong_type(db: EquipmentDatabase) -> None:
    """value() refuses text, text() refuses numbers, a missing figure lists the figures."""
    eq = db.get("48N6E")
    with pytest.raises(EquipmentError, match="seeker"):
        eq.value("seeker")
    with pytest.raises(EquipmentError):
        eq.text("max_range_m")
    with pytest.raises(EquipmentError, match="max_range_m"):
        eq.figure("range")


def test_listing_rows_cover_every_system(db: EquipmentDatabase) -> None:
    """listing_rows gives one (name, kind, description) per system, radars first."""
    rows = listing_rows(db)
    assert len(rows) == len(db)
    assert all(len(r) == 3 and all(isinstance(x, str) and x for x in r) for r in rows)
    assert rows[0][1] == "radar"


def test_figure_rows_are_printable_text(db: EquipmentDatabase) -> None:
    """figure_rows gives seven text columns per figure, empty bounds as ''."""
    eq = db.get("40N6E")
    rows = figure_rows(eq)
    assert len(rows) == len(eq.figures)
    assert all(len(r) == 7 and all(isinstance(x, str) for x in r) for r in rows)
    by_key = {r[0]: r for r in rows}
    assert by_key["gas_dynamic"][1] == "false"
    assert float(by_key["max_range_m"][1]) == eq.value("max_range_m")


# ------------------------------------------------------------------------------------------
# Malformed files
# ------------------------------------------------------------------------------------------


def test_good_file_reads_exponent_floats(tmp_path: Path) -> None:
    """A valid file loads; 3.0e9 and 1e-6 read as numbers (YAML 1.2 style)."""
    eq = load_file(write(tmp_path, "test-radar", GOOD_RADAR))
    assert eq.value("frequency_hz") == 3.0e9
    assert eq.value("pfa") == 1e-6
    assert isinstance(eq, Equipment) and eq.path == tmp_path / "test-radar.yaml"


def test_missing_figure_names_file_and_field(tmp_path: Path) -> None:
    """A radar without peak_power_w is an error naming the file and the figure."""
    text = "\n".join(ln for ln in GOOD_RADAR.splitlines() if "peak_power_w" not in ln)
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "test-radar.yaml" in msg and "peak_power_w" in msg


def test_unknown_kind_lists_valid_kinds(tmp_path: Path) -> None:
    """An unknown kind is an error naming the file, the field and the valid kinds."""
    msg = error_of(write(tmp_path, "test-radar", GOOD_RADAR.replace("kind: radar", "kind: sam")))
    assert "test-radar.yaml" in msg and "kind 'sam'" in msg and "command_post" in msg


def test_estimate_without_bounds_is_an_error(tmp_path: Path) -> None:
    """An E figure without low/high is an error naming the file, the figure and the bounds."""
    text = GOOD_RADAR.replace("{value: 8, unit: dB, tag: E, low: 5, high: 12,",
                              "{value: 8, unit: dB, tag: E,")
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "test-radar.yaml" in msg and "figures.losses_db" in msg and "low" in msg


def test_value_outside_its_bounds_is_an_error(tmp_path: Path) -> None:
    """A value outside [low, high] is an error naming the figure."""
    text = GOOD_RADAR.replace("value: 8, unit: dB, tag: E, low: 5",
                              "value: 4, unit: dB, tag: E, low: 5")
    assert "figures.losses_db" in error_of(write(tmp_path, "test-radar", text))


def test_not_yaml_names_the_file(tmp_path: Path) -> None:
    """A file that is not YAML is an error naming the file and the line."""
    msg = error_of(write(tmp_path, "broken", "name: [unclosed\nkind: radar\n"))
    assert "broken.yaml" in msg and "not valid YAML" in msg and "line" in msg


def test_bad_tag_and_unknown_field_are_named(tmp_path: Path) -> None:
    """An unknown tag or an unknown key is an error naming the field and what is valid."""
    text = GOOD_RADAR.replace("peak_power_w: {value: 1.0e5, unit: W, tag: C,",
                              "peak_power_w: {value: 1.0e5, unit: W, tag: X, note: x,")
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "figures.peak_power_w.tag" in msg and "P, C, E, U" in msg
    assert "figures.peak_power_w.note" in msg


def test_wrong_unit_for_the_name_is_an_error(tmp_path: Path) -> None:
    """A figure whose name ends in _m must be in metres."""
    text = GOOD_RADAR.replace("antenna_height_m: {value: 6, unit: m,",
                              "antenna_height_m: {value: 6, unit: ft,")
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "figures.antenna_height_m.unit" in msg and "'m'" in msg


def test_invalid_choice_lists_valid_values(tmp_path: Path) -> None:
    """role must be search or engagement."""
    text = GOOD_RADAR.replace("value: search", "value: tracking")
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "figures.role" in msg and "search, engagement" in msg


def test_engagement_radar_needs_channel_figures(tmp_path: Path) -> None:
    """An engagement radar without max_targets_engaged / max_missiles_guided is an error."""
    text = GOOD_RADAR.replace("value: search", "value: engagement")
    msg = error_of(write(tmp_path, "test-radar", text))
    assert "max_targets_engaged" in msg and "max_missiles_guided" in msg


def test_file_name_must_match_system_name(tmp_path: Path) -> None:
    """A file whose name is not the system name is an error saying what to call it."""
    msg = error_of(write(tmp_path, "copy-of-radar", GOOD_RADAR))
    assert "copy-of-radar.yaml" in msg and "test-radar.yaml" in msg


# ------------------------------------------------------------------------------------------
# User directories
# ------------------------------------------------------------------------------------------


def test_user_directory_overrides_a_shipped_system(tmp_path: Path, db: EquipmentDatabase) -> None:
    """A user file with a shipped name replaces the shipped system; others are kept."""
    text = (DATA_DIR / "92n6e.yaml").read_text().replace(
        "max_targets_engaged: {value: 6,", "max_targets_engaged: {value: 10,")
    write(tmp_path, "92n6e", text)
    mine = load_database([tmp_path])
    assert mine.get("92N6E").value("max_targets_engaged") == 10.0
    assert mine.get("92N6E").path == tmp_path / "92n6e.yaml"
    assert len(mine) == len(db)


def test_environment_path_adds_systems_and_extra_dirs_come_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TRIUMF_EQUIPMENT_PATH adds directories; extra_dirs override them."""
    env_dir, arg_dir = tmp_path / "env", tmp_path / "arg"
    write(env_dir, "test-radar", GOOD_RADAR)
    write(arg_dir, "test-radar", GOOD_RADAR.replace("value: 100, unit", "value: 50, unit"))
    monkeypatch.setenv(ENV_VAR, f"{tmp_path / 'absent-but-empty-entry'}{os.pathsep}")
    with pytest.raises(EquipmentError, match="absent-but-empty-entry"):
        load_database()
    monkeypatch.setenv(ENV_VAR, str(env_dir))
    assert load_database().get("test-radar").value("track_capacity") == 100.0
    assert load_database([arg_dir]).get("TEST-RADAR").value("track_capacity") == 50.0


def test_duplicate_names_in_one_directory_are_an_error(tmp_path: Path) -> None:
    """Two files defining the same system in one directory are an error naming both."""
    write(tmp_path, "test-radar", GOOD_RADAR)
    shutil.copy(tmp_path / "test-radar.yaml", tmp_path / "test-radar.yml")
    with pytest.raises(EquipmentError) as info:
        load_database([tmp_path])
    assert "test-radar.yaml" in str(info.value) and "test-radar.yml" in str(info.value)


# ------------------------------------------------------------------------------------------
# Published figures (references.md sections 4 and 6)
# ------------------------------------------------------------------------------------------


def test_missile_ranges_match_published_figures(db: EquipmentDatabase) -> None:
    """40N6E 380-400 km; 48N6E/E2/E3 150/200/250 km; 9M96E/E2 40/120 km (references.md s4)."""
    assert 380e3 <= db.get("40N6E").value("max_range_m") <= 400e3
    for name, km in {"48N6E": 150, "48N6E2": 200, "48N6E3": 250, "9M96E": 40,
                     "9M96E2": 120}.items():
        assert db.get(name).value("max_range_m") == pytest.approx(km * 1e3), name


def test_missile_altitudes_and_speeds_match_published_figures(db: EquipmentDatabase) -> None:
    """Ceilings within the 30 km system figure; 9M96 ceilings 20/30 km; speeds as cited."""
    for eq in db.by_kind("missile"):
        assert eq.value("max_altitude_m") <= 30e3
        assert eq.value("min_altitude_m") >= 5.0  # system floor, Sputnik Arabic 2019
    assert db.get("9M96E").value("max_altitude_m") == 20e3
    assert db.get("9M96E2").value("max_altitude_m") == 30e3
    for name in ("48N6E", "48N6E2", "48N6E3"):
        assert 1900 <= db.get(name).value("max_speed_mps") <= 2100
    assert db.get("9M96E").value("max_speed_mps") == pytest.approx(900, rel=0.1)
    assert db.get("9M96E2").value("max_speed_mps") == pytest.approx(1000, rel=0.1)


def test_missile_masses_match_commonly_cited_figures(db: EquipmentDatabase) -> None:
    """48N6 1,800-1,900 kg, 40N6 ~1,900 kg, 9M96E ~333 kg, 9M96E2 ~420 kg."""
    for name in ("48N6E", "48N6E2", "48N6E3"):
        assert 1800 <= db.get(name).value("launch_mass_kg") <= 1900
    assert db.get("40N6E").value("launch_mass_kg") == pytest.approx(1900, rel=0.03)
    assert db.get("9M96E").value("launch_mass_kg") == pytest.approx(333, rel=0.01)
    assert db.get("9M96E2").value("launch_mass_kg") == pytest.approx(420, rel=0.01)


def test_engagement_channels_match_the_system_figures(db: EquipmentDatabase) -> None:
    """92N6E engages 6 targets with 12 missiles; 6 battalions give the official 36 / 72."""
    radar, post = db.get("92N6E"), db.get("55K6E")
    assert radar.value("max_targets_engaged") == 6
    assert radar.value("max_missiles_guided") == 12
    assert 6 * radar.value("max_targets_engaged") == post.value("system_max_targets") == 36
    assert 6 * radar.value("max_missiles_guided") == post.value("system_max_missiles_guided") == 72


def test_radar_and_command_post_figures_match_published_figures(db: EquipmentDatabase) -> None:
    """91N6E 600 km / 300 tracks, 92N6E 400 km, 96L6E 300 km / 100 targets, 9-10 s reaction."""
    assert db.get("91N6E").value("instrumented_range_m") == 600e3
    assert db.get("91N6E").value("track_capacity") == 300
    assert db.get("92N6E").value("instrumented_range_m") == 400e3
    assert db.get("96L6E").value("instrumented_range_m") == 300e3
    assert db.get("96L6E").value("track_capacity") == 100
    assert 9.0 <= db.get("55K6E").value("reaction_time_s") <= 10.0
    bands = {"91N6E": (2e9, 4e9), "92N6E": (8e9, 12e9), "96L6E": (4e9, 8e9)}  # S, X, C
    for name, (lo, hi) in bands.items():
        assert lo <= db.get(name).value("frequency_hz") <= hi


def test_launcher_capacities(db: EquipmentDatabase) -> None:
    """4 large canisters or 16 small missiles per launcher; ripple 3-5 s."""
    for eq in db.by_kind("launcher"):
        assert (eq.value("capacity_large"), eq.value("capacity_small")) == (4, 16)
        assert 3.0 <= eq.value("ripple_interval_s") <= 5.0


def test_threat_figures_match_published_figures(db: EquipmentDatabase) -> None:
    """Ranges of Babur/BrahMos/Fatah; BrahMos Mach 2.8; Shahed <= 185 km/h; RCS classes."""
    assert db.get("babur").value("max_range_m") == 700e3
    assert db.get("brahmos").value("max_range_m") == 290e3
    assert db.get("fatah-1").value("max_range_m") == 140e3
    assert db.get("fatah-2").value("max_range_m") == 400e3
    assert db.get("brahmos").value("speed_mps") == pytest.approx(2.8 * 340.29, rel=0.01)
    assert db.get("shahed").value("speed_mps") <= 185 / 3.6
    assert 0.012 <= db.get("small-drone").value("rcs_m2") <= 0.155  # IEICE ComEx 2020
    assert 10 <= db.get("aew").value("rcs_m2") <= 100  # Britannica / Skolnik
    assert 230 <= db.get("babur").value("speed_mps") <= 270
    assert 1 <= db.get("fighter").value("rcs_m2") <= 5


# ------------------------------------------------------------------------------------------
# Closed-form consistency: radar calibration, antenna gain, rocket motors, ballistic flight
# ------------------------------------------------------------------------------------------


def pd_swerling1(snr: float, pfa: float, n: int) -> float:
    """Exact Pd of N-pulse square-law non-coherent integration, Swerling 1 (Meyer & Mayer).

    Threshold T from Pfa = Q(N, T) (sum of N unit exponentials); then
    Pd = 1 - P(N-1, T) + (1 + 1/(N S))^(N-1) P(N-1, T/(1 + 1/(N S))) exp(-T/(1 + N S)),
    with P the regularised lower incomplete gamma function and S the single-pulse SNR.
    """
    t = special.gammainccinv(n, pfa)
    if n == 1:
        return math.exp(-t / (1.0 + snr))
    a = 1.0 + 1.0 / (n * snr)
    return (1.0 - special.gammainc(n - 1, t)
            + a ** (n - 1) * special.gammainc(n - 1, t / a) * math.exp(-t / (1.0 + n * snr)))


def required_snr_db(pd: float, pfa: float, n: int) -> float:
    """Single-pulse SNR (dB) giving ``pd`` for a Swerling-1 target."""
    return optimize.brentq(lambda x: pd_swerling1(10 ** (x / 10), pfa, n) - pd, -20.0, 40.0)


def test_swerling1_closed_form_matches_published_anchor() -> None:
    """N = 1, Pd 0.9, Pfa 1e-6 gives 21.14 dB (references.md section 2.3)."""
    assert required_snr_db(0.9, 1e-6, 1) == pytest.approx(21.14, abs=0.01)


def test_swerling1_closed_form_matches_numerical_average() -> None:
    """The closed form equals the Marcum-Q (non-central chi2) Pd averaged over exponential SNR."""
    n, pfa, snr = 8, 1e-6, 10 ** 0.6
    t = special.gammainccinv(n, pfa)
    numeric = integrate.quad(
        lambda s: stats.ncx2.sf(2 * t, 2 * n, 2 * n * s) * math.exp(-s / snr) / snr, 0, np.inf,
        limit=200)[0]
    assert pd_swerling1(snr, pfa, n) == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize("name", SHIPPED["radar"])
def test_radar_detects_reference_target_at_reference_range(
    db: EquipmentDatabase, name: str
) -> None:
    """Radar-equation SNR at the reference range equals the required SNR within 0.5 dB."""
    eq = db.get(name)
    lam = C_LIGHT / eq.value("frequency_hz")
    gain = 10 ** (eq.value("antenna_gain_db") / 10)
    loss = 10 ** (eq.value("losses_db") / 10)
    ts = 290.0 * 10 ** (eq.value("noise_figure_db") / 10)
    r = eq.value("reference_range_m")
    snr = (eq.value("peak_power_w") * eq.value("pulse_width_s") * gain**2 * lam**2
           * eq.value("reference_rcs_m2") / ((4 * math.pi) ** 3 * K_BOLTZMANN * ts * r**4 * loss))
    assert eq.value("reference_swerling") == 1
    need = required_snr_db(eq.value("reference_pd"), eq.value("pfa"),
                           int(eq.value("pulses_per_dwell")))
    assert 10 * math.log10(snr) == pytest.approx(need, abs=0.5)
    assert r == eq.value("instrumented_range_m")


def test_antenna_gain_follows_the_beamwidths(db: EquipmentDatabase) -> None:
    """G = 26000 / (az_bw * el_bw) (beamwidths in degrees) within 0.1 dB."""
    for eq in db.by_kind("radar"):
        g = 26000.0 / (eq.value("az_beamwidth_deg") * eq.value("el_beamwidth_deg"))
        assert eq.value("antenna_gain_db") == pytest.approx(10 * math.log10(g), abs=0.1)


def test_missile_motors_are_physical(db: EquipmentDatabase) -> None:
    """Implied specific impulse 200-300 s (solid motors); the rocket equation covers max speed."""
    for eq in db.by_kind("missile"):
        m0, mb = eq.value("launch_mass_kg"), eq.value("burnout_mass_kg")
        impulse = (eq.value("boost_thrust_n") * eq.value("boost_time_s")
                   + eq.value("sustain_thrust_n") * eq.value("sustain_time_s"))
        isp = impulse / ((m0 - mb) * G0)
        assert 200.0 <= isp <= 300.0, eq.name
        dv_ideal = isp * G0 * math.log(m0 / mb)  # Tsiolkovsky
        assert eq.value("max_speed_mps") < dv_ideal < 1.6 * eq.value("max_speed_mps"), eq.name
        assert eq.value("boost_thrust_n") > m0 * G0, eq.name  # lifts off a vertical launch


def keplerian_launch(range_m: float, gamma_deg: float) -> tuple[float, float]:
    """Launch speed and apogee height of free flight between two points on a sphere.

    From the conic r(theta) through the launch point with flight-path angle g, the landing
    point at central angle phi on the same sphere needs
    v^2 = mu (1 - cos phi) / (R cos g (cos g - cos(phi + g))).
    """
    phi, g = range_m / R_EARTH, math.radians(gamma_deg)
    v2 = (MU_EARTH * (1 - math.cos(phi))
          / (R_EARTH * math.cos(g) * (math.cos(g) - math.cos(phi + g))))
    h = R_EARTH * math.sqrt(v2) * math.cos(g)
    energy = v2 / 2 - MU_EARTH / R_EARTH
    a = -MU_EARTH / (2 * energy)
    e = math.sqrt(1 + 2 * energy * h**2 / MU_EARTH**2)
    return math.sqrt(v2), a * (1 + e) - R_EARTH


@pytest.mark.parametrize("name", ["fatah-1", "fatah-2"])
def test_ballistic_speed_and_apogee_follow_from_range_and_angle(
    db: EquipmentDatabase, name: str
) -> None:
    """max_speed_mps and the apogee match Keplerian free flight over max_range_m within 1 %."""
    eq = db.get(name)
    v, apogee = keplerian_launch(eq.value("max_range_m"), eq.value("flight_path_angle_deg"))
    assert eq.value("max_speed_mps") == pytest.approx(v, rel=0.01)
    assert eq.value("cruise_altitude_m") == pytest.approx(apogee, rel=0.01)
    # vacuum flat-Earth cross-check: v^2 = g R / sin(2 gamma), within 5 %
    flat = math.sqrt(G0 * eq.value("max_range_m")
                     / math.sin(2 * math.radians(eq.value("flight_path_angle_deg"))))
    assert eq.value("max_speed_mps") == pytest.approx(flat, rel=0.05)

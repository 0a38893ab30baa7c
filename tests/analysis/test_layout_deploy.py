"""Fire units copied onto sites, loadouts spread over launchers, raids scaled."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from procurement_fixtures import write_tiny

from triumf.analysis.layout import (
    ProcurementError,
    candidate_sites,
    deploy,
    scale_raids,
    spread_loadout,
)
from triumf.equipment.database import load_database
from triumf.scenario.load import load_scenario, validate_scenario
from triumf.scenario.schema_procurement import Procurement


@pytest.fixture(scope="module")
def db():
    return load_database()


def test_spread_loadout_fits_every_launcher(db) -> None:
    """Each launcher's load satisfies n_large/cap_large + n_small/cap_small <= 1 (invariant)."""
    loads = spread_loadout({"40N6E": 4, "48N6E3": 6, "9M96E2": 24}, ["5P85TE2"] * 4, db)
    for load in loads:
        frac = sum(n / (4 if m != "9M96E2" else 16) for m, n in load.items())
        assert frac <= 1.0 + 1e-12
    totals = {m: sum(ld.get(m, 0) for ld in loads) for m in ("40N6E", "48N6E3", "9M96E2")}
    assert totals == {"40N6E": 4, "48N6E3": 6, "9M96E2": 24}


def test_spread_loadout_refuses_too_many(db) -> None:
    """A loadout larger than the launchers hold is refused with the field named."""
    with pytest.raises(ProcurementError, match="procurement.loadouts"):
        spread_loadout({"48N6E3": 5}, ["5P85TE2"], db)


def test_deploy_keeps_offsets_and_validates(tmp_path: Path, db) -> None:
    """Every element keeps its offset from the command post; the result passes validation."""
    scn, _ = load_scenario(str(write_tiny(tmp_path)))
    out = deploy(scn, db, np.array([[1000.0, 2000.0], [-5000.0, 0.0]]), ["P", "Q"],
                 {"9M96E2": 8})
    validate_scenario(out, db)
    q = out.battalions[1]
    assert (q.radars[0].position.east_m, q.radars[0].position.north_m) == (-5000.0, 500.0)
    assert q.fire_units[0].missiles == {"9M96E2": 8}


def test_scale_raids_multiplies_counts(tmp_path: Path) -> None:
    """Raid counts are multiplied and rounded."""
    scn, _ = load_scenario(str(write_tiny(tmp_path)))
    assert scale_raids(scn, 2.5).raids[0].count == 5


def test_site_grid_size_and_spacing() -> None:
    """A grid of half-width 2 spacings has 5 x 5 sites one spacing apart."""
    spec = Procurement.model_validate({
        "site_grid": {"center": {"east_m": 0, "north_m": 0}, "half_width_m": 2000,
                      "spacing_m": 1000},
        "axes": [{"name": "a", "origin": {"east_m": 0, "north_m": 0}, "threat": "shahed"}],
        "loadouts": [{"name": "x", "missiles": {"9M96E2": 1}}]})
    sites = candidate_sites(spec)
    assert sites.xy_m.shape == (25, 2) and np.allclose(np.diff(np.unique(sites.xy_m[:, 0])),
                                                       1000.0)


def test_procurement_without_sites_is_refused() -> None:
    """A procurement section with neither sites nor grid is a validation error."""
    with pytest.raises(ValueError, match="candidate_sites or a site_grid"):
        Procurement.model_validate({
            "axes": [{"name": "a", "origin": {"east_m": 0, "north_m": 0}, "threat": "shahed"}],
            "loadouts": [{"name": "x", "missiles": {"9M96E2": 1}}]})


def test_shipped_procurement_scenario_is_consistent(db) -> None:
    """The shipped scenario validates and every loadout fits the template's launchers."""
    scn, _ = load_scenario("procurement")
    validate_scenario(scn, db)
    assert scn.procurement is not None and len(scn.procurement.axes) == 3
    launchers = [fu.launcher for fu in scn.battalions[0].fire_units]
    for lo in scn.procurement.loadouts:
        spread_loadout(dict(lo.missiles), launchers, db)


@pytest.mark.parametrize(("factor", "half_up"), [(1.25, 3), (1.75, 4), (0.25, 1), (0.2, 1)])
def test_scale_raids_rounds_half_up(tmp_path: Path, factor: float, half_up: int) -> None:
    """Counts are floor(count * factor + 0.5), at least 1 (2.5 -> 3, not half-to-even 2)."""
    scn, _ = load_scenario(str(write_tiny(tmp_path)))
    count = scn.raids[0].count
    assert count * factor == pytest.approx(half_up - 0.5) or factor == 0.2
    assert scale_raids(scn, factor).raids[0].count == half_up

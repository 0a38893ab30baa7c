"""The ``procurement`` section of a scenario: candidate sites, threat axes and missile loadouts.

Read by ``triumf place`` and ``triumf procure`` (:mod:`triumf.analysis.placement` and
:mod:`triumf.analysis.procurement`); the engine ignores it. A *fire unit* here is one
battalion (command post, radars, launchers) built from the scenario's first battalion, the
*template*, moved as a whole so that its command post stands on the chosen site.

Positions in this section are local (metres east/north of the scenario origin).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["AxisSpec", "CandidateSite", "Loadout", "PlanePosition", "Procurement", "SiteGrid"]


class _Model(BaseModel):
    """Immutable, unknown fields rejected, finite numbers only (as the rest of the schema)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class PlanePosition(_Model):
    """A ground position in metres east and north of the scenario origin."""

    east_m: float = Field(ge=-5.0e6, le=5.0e6, description="Metres east of the origin.")
    north_m: float = Field(ge=-5.0e6, le=5.0e6, description="Metres north of the origin.")


class CandidateSite(_Model):
    """A place where a fire unit may be deployed."""

    name: str = Field(min_length=1, description="Site name, unique among the sites.")
    position: PlanePosition
    cost_usd: float = Field(
        default=0.0, ge=0.0,
        description="Cost of preparing the site, USD (added to the fire-unit cost in budgets).",
    )


class SiteGrid(_Model):
    """A square grid of candidate sites centred on a point (added to the listed sites)."""

    center: PlanePosition
    half_width_m: float = Field(gt=0.0, le=1.0e6, description="Half the side of the square, m.")
    spacing_m: float = Field(gt=0.0, le=1.0e6, description="Distance between grid sites, m.")

    @model_validator(mode="after")
    def _not_too_many(self) -> SiteGrid:
        n = 2 * int(self.half_width_m // self.spacing_m) + 1
        if n * n > 2500:
            raise ValueError(f"the grid has {n * n} sites; at most 2500 (increase spacing_m)")
        return self


class AxisSpec(_Model):
    """A threat axis: where threats come from, and how the placement model sees them fly.

    The placement's coverage indicator takes a threat flying straight and level from
    ``origin`` to each asset at ``altitude_m`` and ``speed_mps``; the Monte Carlo check flies
    the scenario's raids with the full threat models.
    """

    name: str = Field(min_length=1, description="Axis name, unique among the axes.")
    origin: PlanePosition = Field(description="Launch point of the axis.")
    threat: str = Field(min_length=1, description="Threat type (equipment name) on the axis.")
    altitude_m: float | None = Field(
        default=None, ge=0.0, le=100000.0,
        description="Altitude of the threat near the assets, m (default: the threat's "
        "terminal_altitude_m, else cruise_altitude_m).")
    speed_mps: float | None = Field(
        default=None, gt=0.0, le=10000.0,
        description="Speed of the threat, m/s (default: the threat's terminal_speed_mps, else "
        "speed_mps).")
    weight: float = Field(default=1.0, gt=0.0, description="Relative importance of the axis.")


class Loadout(_Model):
    """Missiles loaded on one fire unit (spread over the template's launchers)."""

    name: str = Field(min_length=1, description="Loadout name, unique among the loadouts.")
    missiles: dict[str, Annotated[int, Field(ge=0, le=10000)]] = Field(
        min_length=1, description="Missile type -> number per fire unit.")


class Procurement(_Model):
    """What ``triumf place`` and ``triumf procure`` may choose from."""

    candidate_sites: tuple[CandidateSite, ...] = Field(
        default=(), description="Candidate fire-unit sites.")
    site_grid: SiteGrid | None = Field(default=None, description="Extra sites on a grid.")
    axes: tuple[AxisSpec, ...] = Field(min_length=1, description="Threat axes.")
    loadouts: tuple[Loadout, ...] = Field(min_length=1, description="Candidate loadouts.")
    max_units: int = Field(default=3, ge=1, le=20, description="Most fire units considered.")
    coverage_multiplicity: int = Field(
        default=1, ge=1, le=10,
        description="Sites that must reach an (asset, axis) pair for it to count as covered.")
    budget_usd: float | None = Field(
        default=None, gt=0.0,
        description="Most that fire units and sites may cost in a placement, USD (none: no "
        "limit).")
    fire_unit_cost_usd: float | None = Field(
        default=None, gt=0.0,
        description="Cost of one fire unit without missiles, USD (default: the command post's "
        "fire_unit_cost_usd figure).")
    raid_scales: tuple[Annotated[float, Field(gt=0.0, le=20.0)], ...] = Field(
        default=(0.5, 1.0, 2.0, 3.0),
        description="Raid-size multipliers of the saturation curve.")

    @model_validator(mode="after")
    def _some_sites_unique_names(self) -> Procurement:
        if not self.candidate_sites and self.site_grid is None:
            raise ValueError("give candidate_sites or a site_grid")
        for kind, names in (("candidate_sites", [s.name for s in self.candidate_sites]),
                            ("axes", [a.name for a in self.axes]),
                            ("loadouts", [lo.name for lo in self.loadouts])):
            dup = sorted({n for n in names if names.count(n) > 1})
            if dup:
                raise ValueError(f"{kind}: names must be unique (repeated: {', '.join(dup)})")
        return self

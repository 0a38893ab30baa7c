"""The scenario file format: frozen pydantic models, used at the file boundary only.

Field names carry their units (``duration_s``, ``radius_m``, ``latitude_deg``). Positions are
written either geodetic (``{latitude_deg, longitude_deg, altitude_m}``, WGS84, altitude above
the ellipsoid in metres) or local (``{east_m, north_m, up_m}``, metres east/north/up of the
scenario origin); exactly one form per position.

These models check what a single object can check on its own (ranges, required fields, one
position form, a launch window that ends after it starts). Checks that need the whole scenario
or the equipment database (unique names, a raid's target asset, equipment types and kinds,
launcher capacity) are in :func:`triumf.scenario.load.check_references`, so that every problem
in a file is reported at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from triumf.scenario.limits import MAX_NAME_CHARS, MAX_THREATS
from triumf.scenario.schema_procurement import Procurement

__all__ = [
    "GEODETIC_KEYS",
    "LOCAL_KEYS",
    "POSITION_FORM_ERROR",
    "Asset",
    "Battalion",
    "CommandPost",
    "Doctrine",
    "Corridor",
    "FireUnit",
    "Friendly",
    "GeodeticPosition",
    "LaunchArea",
    "LocalPosition",
    "Origin",
    "Position",
    "Profile",
    "Environment",
    "Jammer",
    "Radar",
    "Raid",
    "Scenario",
    "Terminal",
    "TerminalManoeuvre",
    "WeaponsControl",
    "HillSpec",
    "RidgeSpec",
    "SyntheticTerrainSpec",
    "TerrainSpec",
]


class _Model(BaseModel):
    """Base of every scenario model: immutable, unknown fields rejected, finite numbers only."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS,
                           description="Name, unique among its kind.")]
EquipmentType = Annotated[
    str, Field(min_length=1, description="Equipment type name from the equipment database.")
]


# --------------------------------------------------------------------------------------------
# Positions
# --------------------------------------------------------------------------------------------


class GeodeticPosition(_Model):
    """A WGS84 geodetic position."""

    latitude_deg: float = Field(ge=-90.0, le=90.0, description="Geodetic latitude, degrees.")
    longitude_deg: float = Field(ge=-180.0, le=180.0, description="Longitude, degrees east.")
    altitude_m: float = Field(
        default=0.0, ge=-1000.0, le=1.0e6, description="Height above the WGS84 ellipsoid, metres."
    )


class LocalPosition(_Model):
    """A position in metres east, north and up of the scenario origin (local ENU frame)."""

    east_m: float = Field(ge=-5.0e6, le=5.0e6, description="Metres east of the origin.")
    north_m: float = Field(ge=-5.0e6, le=5.0e6, description="Metres north of the origin.")
    up_m: float = Field(default=0.0, ge=-1000.0, le=1.0e6, description="Metres above the origin.")


GEODETIC_KEYS: frozenset[str] = frozenset(GeodeticPosition.model_fields)
LOCAL_KEYS: frozenset[str] = frozenset(LocalPosition.model_fields)
POSITION_FORM_ERROR = "position_form"
"""Pydantic error type raised when a position is neither purely geodetic nor purely local."""


def _position_form(value: Any) -> str | None:
    """Which form a position is written in: ``"geodetic"``, ``"local"`` or None (invalid)."""
    if isinstance(value, GeodeticPosition):
        return "geodetic"
    if isinstance(value, LocalPosition):
        return "local"
    if not isinstance(value, dict):
        return None
    keys = set(value)
    geodetic = bool(keys & GEODETIC_KEYS)
    local = bool(keys & LOCAL_KEYS)
    if geodetic and not local:
        return "geodetic"
    if local and not geodetic:
        return "local"
    return None


Position = Annotated[
    Union[  # noqa: UP007 (Tag annotations need the explicit Union)
        Annotated[GeodeticPosition, Tag("geodetic")],
        Annotated[LocalPosition, Tag("local")],
    ],
    Discriminator(
        _position_form,
        custom_error_type=POSITION_FORM_ERROR,
        custom_error_message=(
            "a position is either {latitude_deg, longitude_deg, altitude_m} or "
            "{east_m, north_m, up_m}, exactly one form"
        ),
    ),
]
"""A geodetic or a local position, told apart by its keys."""

POSITION_TAGS: frozenset[str] = frozenset({"geodetic", "local"})
"""The union tags pydantic inserts into error locations inside a :data:`Position`."""


class Origin(_Model):
    """The scenario origin: the geodetic point where the local ENU frame is anchored."""

    latitude_deg: float = Field(ge=-90.0, le=90.0, description="Geodetic latitude, degrees.")
    longitude_deg: float = Field(ge=-180.0, le=180.0, description="Longitude, degrees east.")
    altitude_m: float = Field(
        default=0.0, ge=-1000.0, le=1.0e5, description="Height above the WGS84 ellipsoid, metres."
    )


# --------------------------------------------------------------------------------------------
# Defended assets and the battalions defending them
# --------------------------------------------------------------------------------------------


class Asset(_Model):
    """A defended asset (airbase, city, the battalion itself)."""

    name: Name
    position: Position
    value: float = Field(gt=0.0, description="Relative value of the asset (> 0).")
    radius_m: float = Field(gt=0.0, description="Radius inside which an impact hits it, metres.")


class CommandPost(_Model):
    """The battalion's command post."""

    type: EquipmentType
    position: Position


class Radar(_Model):
    """A radar of a battalion.

    The antenna height is ``antenna_height_m`` if given, else the equipment's
    ``mast_height_m`` when ``on_mast`` is true, else the equipment's ``antenna_height_m``.
    """

    name: Name
    type: EquipmentType
    position: Position
    antenna_height_m: float | None = Field(
        default=None,
        ge=0.0,
        le=1000.0,
        description="Phase-centre height above ground, metres (default: from the equipment).",
    )
    on_mast: bool = Field(
        default=False, description="Raise the antenna on its mast (the equipment's mast_height_m)."
    )
    sector_azimuth_deg: float | None = Field(
        default=None,
        ge=0.0,
        lt=360.0,
        description=(
            "Centre of the search sector, degrees clockwise from north (radars with a "
            "search_sector_deg below 360; default: toward the mean launch area of the raids)."
        ),
    )

    @model_validator(mode="after")
    def _one_height(self) -> Radar:
        if self.on_mast and self.antenna_height_m is not None:
            raise ValueError(
                "give either antenna_height_m or on_mast: true, not both "
                "(on_mast uses the equipment's mast_height_m)"
            )
        return self


class FireUnit(_Model):
    """A launcher and the missiles loaded on it."""

    name: Name
    launcher: EquipmentType
    position: Position
    missiles: dict[str, Annotated[int, Field(ge=0, le=1000)]] = Field(
        description="Missile type -> number loaded (must fit the launcher's capacity)."
    )
    reloads: int = Field(
        default=0, ge=0, le=100,
        description="Reload sets (the same load again) available to this launcher; an empty "
        "launcher is reloaded after the launcher's reload_time_s.",
    )


class Battalion(_Model):
    """An S-400-class battalion: command post, radars and fire units."""

    name: Name
    command_post: CommandPost
    radars: tuple[Radar, ...] = Field(min_length=1, description="The battalion's radars.")
    engagement_radar: Name = Field(
        description="Name of one of this battalion's radars whose role is engagement."
    )
    fire_units: tuple[FireUnit, ...] = Field(min_length=1, description="Launchers.")


# --------------------------------------------------------------------------------------------
# Threats and friendlies
# --------------------------------------------------------------------------------------------


class LaunchArea(_Model):
    """Where the threats of a raid start: uniformly inside a disc."""

    center: Position
    radius_m: float = Field(ge=0.0, le=1.0e6, description="Radius of the launch disc, metres.")


Terminal = Literal["none", "dive", "popup", "sea-skim"]
"""Terminal manoeuvre of a threat."""


TerminalManoeuvre = Literal["none", "s-turn", "weave"]
"""Terminal manoeuvre of a threat: lateral S-turn (route flyers), weave (powered ballistic)."""


class Profile(_Model):
    """Flight profile overrides for a raid (None: take the threat's equipment default)."""

    altitude_m: float | None = Field(
        default=None, gt=0.0, le=1.0e6, description="Cruise altitude override, metres above ground."
    )
    speed_mps: float | None = Field(
        default=None, gt=0.0, le=1.0e4, description="Cruise speed override, metres per second."
    )
    terminal: Terminal | None = Field(
        default=None, description="Terminal manoeuvre (default: from the threat's category)."
    )
    flight_path_angle_deg: float | None = Field(
        default=None,
        gt=0.0,
        lt=90.0,
        description="Launch flight-path angle, degrees (ballistic only).",
    )
    terminal_manoeuvre: TerminalManoeuvre | None = Field(
        default=None,
        description=(
            "Terminal manoeuvre: s-turn (cruise missiles), weave (ballistic) or none "
            "(default: the threat's equipment figures decide)."
        ),
    )
    terrain_following: bool | None = Field(
        default=None,
        description="Fly the cruise height above the terrain (default: from the equipment).",
    )
    evasive_break: bool | None = Field(
        default=None,
        description="Break away from close interceptors (aircraft; default: from the equipment).",
    )
    route_jitter_m: float = Field(
        default=0.0, ge=0.0, le=1.0e5,
        description="Per-replication scatter (1 sigma, per axis) of the waypoints, metres.",
    )


class Raid(_Model):
    """A group of identical threats launched from one area at one asset."""

    name: Name
    threat: EquipmentType
    count: int = Field(ge=1, le=10000, description="Number of threats in the raid.")
    launch_area: LaunchArea
    launch_window_s: tuple[Annotated[float, Field(ge=0.0)], Annotated[float, Field(ge=0.0)]] = (
        Field(description="[start, end] of launches, seconds after scenario start.")
    )
    target: Name = Field(description="Name of the asset the raid is aimed at.")
    waypoints: tuple[Position, ...] = Field(
        default=(), description="Positions flown through between launch and target."
    )
    profile: Profile = Profile()
    aim_error_m: float = Field(
        default=0.0,
        ge=0.0,
        le=1.0e5,
        description="Per-replication aim-point scatter (1 sigma), metres.",
    )

    @field_validator("launch_window_s")
    @classmethod
    def _window_ordered(cls, window: tuple[float, float]) -> tuple[float, float]:
        start, end = window
        if start > end:
            raise ValueError(f"must be [start, end] with start <= end (got [{start}, {end}])")
        return window


class Friendly(_Model):
    """Friendly aircraft flying a route (a closed loop by default)."""

    name: Name
    aircraft: EquipmentType
    count: int = Field(default=1, ge=1, le=1000, description="Number of aircraft flying the route.")
    route: tuple[Position, ...] = Field(min_length=2, description="At least two positions.")
    altitude_m: float | None = Field(
        default=None,
        gt=0.0,
        le=1.0e5,
        description="Altitude override, metres (default: equipment).",
    )
    speed_mps: float | None = Field(
        default=None, gt=0.0, le=1.0e4, description="Speed override, metres per second."
    )
    start_s: float = Field(default=0.0, ge=0.0, description="Time the aircraft appear, seconds.")
    loop: bool = Field(default=True, description="Fly the route as a closed loop.")


# --------------------------------------------------------------------------------------------
# Terrain
# --------------------------------------------------------------------------------------------


class RidgeSpec(_Model):
    """A straight ridge of a synthetic terrain: Gaussian cross-section, rounded ends."""

    start: Position = Field(description="One end of the crest line (ground position).")
    end: Position = Field(description="The other end of the crest line (ground position).")
    height_m: float = Field(gt=0.0, le=9000.0, description="Crest height, metres.")
    half_width_m: float = Field(
        gt=0.0, le=1.0e5, description="Gaussian width of the cross-section, metres."
    )


class HillSpec(_Model):
    """A Gaussian hill of a synthetic terrain."""

    position: Position = Field(description="Summit (ground position).")
    height_m: float = Field(gt=0.0, le=9000.0, description="Summit height, metres.")
    radius_m: float = Field(gt=0.0, le=1.0e5, description="Gaussian width, metres.")


class SyntheticTerrainSpec(_Model):
    """Fictional terrain: a fractal surface plus ridges and hills (all optional)."""

    seed: int = Field(default=0, ge=0, description="Seed of the fractal surface.")
    rms_m: float = Field(
        default=0.0, ge=0.0, le=3000.0, description="RMS height of the fractal surface, metres."
    )
    beta: float = Field(
        default=3.0, gt=1.0, lt=5.0, description="Spectral exponent of the fractal surface."
    )
    ridges: tuple[RidgeSpec, ...] = Field(default=(), description="Ridges.")
    hills: tuple[HillSpec, ...] = Field(default=(), description="Hills.")


class TerrainSpec(_Model):
    """Ground heights: DEM files (SRTM .hgt tiles, EPSG:4326 GeoTIFF) or a synthetic terrain."""

    files: tuple[Path, ...] = Field(
        default=(),
        description=(
            "SRTM .hgt tiles or GeoTIFF files (EPSG:4326), relative to the scenario file; "
            "mosaicked, the first file covering a point wins."
        ),
    )
    synthetic: SyntheticTerrainSpec | None = Field(
        default=None, description="A synthetic terrain instead of files."
    )
    extent_m: float = Field(
        default=100_000.0,
        gt=0.0,
        le=1.0e6,
        description="Half-width of the square terrain grid about the origin, metres.",
    )
    spacing_m: float = Field(
        default=200.0, ge=10.0, le=10_000.0, description="Terrain grid spacing, metres."
    )

    @model_validator(mode="after")
    def _one_source(self) -> TerrainSpec:
        if bool(self.files) == (self.synthetic is not None):
            raise ValueError("give either files (a list of .hgt/.tif paths) or synthetic, not "
                             "both and not neither")
        if 2.0 * self.extent_m < self.spacing_m:
            raise ValueError("extent_m must be at least half of spacing_m (the grid needs 2 x 2 "
                             "nodes or more)")
        if 2.0 * self.extent_m / self.spacing_m > 5000:
            raise ValueError("extent_m / spacing_m gives more than 5000 x 5000 nodes; raise "
                             "spacing_m or lower extent_m")
        return self


# --------------------------------------------------------------------------------------------
# Doctrine and the scenario
# --------------------------------------------------------------------------------------------

WeaponsControl = Literal["free", "tight"]
"""``free``: fire at anything not identified friendly; ``tight``: only at identified hostiles."""


class Corridor(_Model):
    """A friendly corridor (minimum-risk route): no track inside it is ever engaged."""

    name: Name
    start: Position
    end: Position
    half_width_m: float = Field(gt=0.0, le=200000.0, description="Half-width, metres.")
    min_altitude_m: float = Field(default=0.0, description="Floor of the corridor, metres.")
    max_altitude_m: float = Field(default=20000.0, description="Ceiling of the corridor, metres.")

    @model_validator(mode="after")
    def _band(self) -> Corridor:
        if self.max_altitude_m <= self.min_altitude_m:
            raise ValueError("max_altitude_m must be above min_altitude_m")
        return self


WTAMethod = Literal["greedy", "heuristic", "exact"]
"""Weapon-target assignment of each C2 cycle."""


class Doctrine(_Model):
    """Firing doctrine of the command posts."""

    salvo_size: int = Field(default=2, ge=1, le=4, description="Interceptors fired per engagement.")
    shoot_look_shoot: bool = Field(
        default=True, description="Assess the first salvo before firing again at the same target."
    )
    weapons_control: WeaponsControl = Field(default="free", description="free or tight.")
    keep_out_m: float = Field(
        default=5000.0,
        ge=0.0,
        description=(
            "Distance from a defended asset inside which an intercept comes too late: the "
            "threat must be killed before it gets this close, metres."
        ),
    )
    reaction_time_s: float | None = Field(
        default=None,
        ge=0.0,
        le=3600.0,
        description="Override of the command post's reaction time, s.",
    )
    max_rounds_per_target: int = Field(
        default=4, ge=1, le=100, description="Interceptors at most spent on one target."
    )

    wta_method: WTAMethod = Field(
        default="greedy",
        description="Weapon-target assignment each cycle: greedy (maximal marginal return), "
        "heuristic (greedy + local search) or exact (MILP, slower).",
    )
    wta_time_limit_s: float = Field(
        default=60.0, gt=0.0, le=600.0,
        description="Wall-clock safety cap of one assignment problem for heuristic and exact, "
        "seconds; wta_work_limit normally stops them first, so results do not depend on the "
        "machine's speed.",
    )
    wta_work_limit: int = Field(
        default=10_000, ge=1, le=10_000_000,
        description="Deterministic budget of one assignment problem: improving moves of the "
        "local search (heuristic) or branch-and-bound nodes over all MILP rounds (exact).",
    )
    engagement_zones: dict[str, tuple[float, float]] = Field(
        default={},
        description="Missile type -> [min, max] ground range (metres) of the predicted intercept "
        "point from the launcher at which the type may be fired (layered defence).",
    )
    reserve_rounds: dict[str, Annotated[int, Field(ge=0, le=100)]] = Field(
        default={},
        description="Missile type -> rounds of that type kept on every launcher for imminent "
        "threats (time to go at most reserve_release_s).",
    )
    reserve_release_s: float = Field(
        default=30.0, ge=0.0, le=3600.0,
        description="Time to go below which a threat may draw on the reserve rounds, seconds.",
    )
    friendly_corridors: tuple[Corridor, ...] = Field(
        default=(), description="Friendly corridors: no track inside one is ever engaged."
    )
    min_intercept_accel_g: float = Field(
        default=3.0, ge=0.0, le=100.0,
        description="Lateral acceleration (g) a missile must still have at the predicted "
        "intercept point to be fired there (E: 3 g, three times a 1 g target manoeuvre; "
        "Zarchan: miss grows fast below a 3:1 acceleration advantage). 0: no test.",
    )

    @field_validator("engagement_zones")
    @classmethod
    def _zones_ordered(cls, zones: dict[str, tuple[float, float]]
                       ) -> dict[str, tuple[float, float]]:
        for name, (low, high) in zones.items():
            if not 0.0 <= low < high:
                raise ValueError(f"{name}: need 0 <= min < max (got [{low}, {high}])")
        return zones

    @field_validator("max_rounds_per_target")
    @classmethod
    def _salvo_fits(cls, rounds: int, info: ValidationInfo) -> int:
        salvo = info.data.get("salvo_size")
        if salvo is not None and rounds < salvo:
            raise ValueError(f"must be at least salvo_size ({salvo}) (got {rounds})")
        return rounds


Association = Literal["gnn", "jpda"]
MotionModel = Literal["cv", "imm"]


class Tracking(_Model):
    """Choices of the command post's tracker (see docs/model.md, tracking)."""

    motion_model: MotionModel = Field(
        default="cv",
        description=(
            "cv (nearly constant velocity) or imm (interacting multiple model: constant "
            "velocity and coordinated turn, for manoeuvring threats; with gnn only)."
        ),
    )
    association: Association = Field(
        default="gnn",
        description=(
            "gnn (global nearest neighbour, exact assignment) or jpda (joint probabilistic "
            "data association, for dense raids)."
        ),
    )
    jpda_detection_probability: float = Field(
        default=0.8, gt=0.0, lt=1.0, description="Detection probability assumed by JPDA."
    )
    jpda_clutter_density_per_km3: float = Field(
        default=1e-3,
        gt=0.0,
        description="False detections per cubic kilometre per scan assumed by JPDA.",
    )

    @field_validator("association")
    @classmethod
    def _imm_with_gnn(cls, association: str, info: ValidationInfo) -> str:
        if info.data.get("motion_model") == "imm" and association != "gnn":
            raise ValueError(f"must be gnn when motion_model is imm (got {association})")
        return association
class Environment(_Model):
    """The surface under the radars and which propagation effects are modelled."""

    surface: EquipmentType = Field(
        default="Land",
        description="Surface equipment type (kind surface): Land or Sea, or one of your own.",
    )
    multipath: bool = Field(default=True, description="Two-ray multipath over the surface.")
    clutter: bool = Field(default=True, description="Surface clutter in the target's cell.")
    false_alarms: bool = Field(
        default=True, description="Thermal false alarms at each radar's Pfa per resolution cell."
    )


class Jammer(_Model):
    """A noise jammer: stand-off (a fixed position or a route) or carried by a raid's threats.

    Give exactly one of ``carried_by`` (self-screening: every threat of that raid carries
    one), ``position`` (stand-off, fixed) or ``route`` with ``speed_mps`` (stand-off, flying
    the route once and then holding its last point).
    """

    name: Name
    type: EquipmentType = Field(description="Jammer equipment type (kind jammer).")
    carried_by: Name | None = Field(
        default=None, description="Name of the raid whose threats carry this jammer."
    )
    position: Position | None = Field(default=None, description="Fixed stand-off position.")
    route: tuple[Position, ...] = Field(
        default=(), description="Stand-off route, at least two positions."
    )
    speed_mps: float | None = Field(
        default=None, gt=0.0, le=1.0e4, description="Speed along the route, metres per second."
    )

    @model_validator(mode="after")
    def _one_placement(self) -> Jammer:
        given = [k for k, v in (("carried_by", self.carried_by), ("position", self.position),
                                ("route", self.route or None)) if v is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of carried_by (a raid name), position or route "
                f"(got {', '.join(given) if given else 'none'})"
            )
        if self.route and len(self.route) < 2:
            raise ValueError("a route needs at least two positions")
        if self.route and self.speed_mps is None:
            raise ValueError("a route needs speed_mps")
        return self


class Scenario(_Model):
    """A triumf scenario: where everything is, what attacks what, and how the defence fights."""

    model_config = ConfigDict(
        title="triumf scenario",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    name: Name
    description: str = ""
    seed: int = Field(default=0, ge=0, le=2**63 - 1,
                      description="Root seed of the random number tree.")
    duration_s: float = Field(gt=0.0, le=86400.0, description="Simulated time, seconds.")
    time_step_s: float = Field(default=0.5, ge=0.05, le=5.0, description="Engine tick, seconds.")
    origin: Origin
    equipment_dirs: tuple[Path, ...] = Field(
        default=(),
        description="Extra equipment directories, relative to the scenario file.",
    )
    assets: tuple[Asset, ...] = Field(min_length=1, description="Defended assets.")
    battalions: tuple[Battalion, ...] = Field(min_length=1, description="Battalions.")
    raids: tuple[Raid, ...] = Field(description="Attacking raids (may be empty).")
    friendlies: tuple[Friendly, ...] = Field(default=(), description="Friendly aircraft.")
    doctrine: Doctrine = Doctrine()
    terrain: TerrainSpec | None = Field(default=None, description="Ground heights (none: sea).")
    effective_earth_factor: float = Field(
        default=4.0 / 3.0,
        ge=0.5,
        le=100.0,
        description="Effective Earth-radius factor k of radar refraction (4/3: standard).",
    )
    tracking: Tracking = Tracking()
    environment: Environment = Environment()
    jammers: tuple[Jammer, ...] = Field(default=(), description="Noise jammers.")
    procurement: Procurement | None = Field(
        default=None, description="Candidate sites, threat axes and loadouts for `triumf place` "
        "and `triumf procure` (ignored by the engine).")

    @field_validator("raids")
    @classmethod
    def _threats_within_limit(cls, raids: tuple[Raid, ...]) -> tuple[Raid, ...]:
        total = sum(r.count for r in raids)
        if total > MAX_THREATS:
            raise ValueError(f"the raids hold {total} threats in all; at most {MAX_THREATS} "
                             "are allowed in one scenario")
        return raids

    @field_validator("time_step_s")
    @classmethod
    def _step_fits(cls, step: float, info: ValidationInfo) -> float:
        duration = info.data.get("duration_s")
        if duration is not None and step > duration:
            raise ValueError(f"must not exceed duration_s ({duration}) (got {step})")
        return step

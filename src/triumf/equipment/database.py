"""The equipment database: one YAML file per system, every figure with its provenance.

A file describes one system (radar, command post, launcher, missile, threat or friendly
aircraft)::

    name: 91N6E
    kind: radar
    nato_name: Big Bird
    description: S-band acquisition and battle-management radar of the S-400 battalion.
    figures:
      frequency_hz: {value: 3.0e+9, unit: Hz, tag: E, low: 2.0e+9, high: 4.0e+9,
                     source: "S-band [U] (Wikipedia, S-400); centre of the band [E]"}

Every figure carries a value, a unit, a provenance tag (``P`` published, ``C`` computed,
``E`` estimate, ``U`` commonly cited; see ``/work/shared/references.md``) and a source text.
Figures tagged ``E`` must give ``low`` and ``high`` bounds, the range an analyst sweeps.

Files are read with a safe YAML loader (PyYAML ``SafeLoader``, extended only so that ``3.0e9``
and ``1e-6`` read as numbers, as in YAML 1.2), validated with pydantic at this file boundary,
and converted to frozen dataclasses (:class:`Figure`, :class:`Equipment`). Every problem is
raised as one :class:`EquipmentError` naming the file, the field and what is valid.

The shipped files live in ``triumf/equipment/data``. :func:`load_database` adds user
directories (the ``TRIUMF_EQUIPMENT_PATH`` environment variable, then ``extra_dirs``); a later
file overrides an earlier one of the same name.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

__all__ = [
    "DATA_DIR",
    "ENV_VAR",
    "KINDS",
    "REQUIRED_FIGURES",
    "TAGS",
    "Equipment",
    "EquipmentDatabase",
    "EquipmentError",
    "Figure",
    "expected_unit",
    "figure_rows",
    "format_value",
    "listing_rows",
    "load_database",
    "load_directory",
    "load_file",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Directory of the shipped equipment files."""

ENV_VAR = "TRIUMF_EQUIPMENT_PATH"
"""Environment variable with extra equipment directories (``os.pathsep`` separated)."""

KINDS: tuple[str, ...] = ("radar", "command_post", "launcher", "missile", "threat", "aircraft",
                          "jammer", "surface")
"""Valid equipment kinds, in listing order."""

TAGS: tuple[str, ...] = ("P", "C", "E", "U")
"""Provenance tags: published, computed, estimate, commonly cited."""

FigureValue = float | str | bool

# ------------------------------------------------------------------------------------------
# What each kind must give
# ------------------------------------------------------------------------------------------

# Value types: "number" (int or float), "int" (integral number), "string", "bool".
_RADAR = {
    "frequency_hz": "number", "peak_power_w": "number", "antenna_gain_db": "number",
    "pulse_width_s": "number", "pulses_per_dwell": "int", "losses_db": "number",
    "noise_figure_db": "number", "pfa": "number", "az_beamwidth_deg": "number",
    "el_beamwidth_deg": "number", "range_resolution_m": "number",
    "instrumented_range_m": "number", "min_elevation_deg": "number",
    "max_elevation_deg": "number", "revisit_s": "number", "track_capacity": "int",
    "antenna_height_m": "number", "role": "string",
}
_COMMAND_POST = {
    "reaction_time_s": "number", "c2_cycle_s": "number", "kill_assessment_delay_s": "number",
    "iff_reply_probability": "number",
}
_LAUNCHER = {
    "capacity_large": "int", "capacity_small": "int", "ripple_interval_s": "number",
    "reload_time_s": "number",
}
_MISSILE = {
    "size_class": "string", "max_range_m": "number", "min_range_m": "number",
    "max_altitude_m": "number", "min_altitude_m": "number", "max_speed_mps": "number",
    "launch_mass_kg": "number", "burnout_mass_kg": "number", "boost_thrust_n": "number",
    "boost_time_s": "number", "sustain_thrust_n": "number", "sustain_time_s": "number",
    "diameter_m": "number", "cd0": "number", "cn_max": "number", "max_lateral_g": "number",
    "gas_dynamic": "bool", "seeker": "string", "seeker_acquisition_range_m": "number",
    "nav_gain": "number", "loft_factor": "number", "max_loft_m": "number",
    "max_flight_time_s": "number", "min_speed_mps": "number", "lethal_radius_m": "number",
    "pk_max": "number", "cost_usd": "number",
}
_THREAT = {
    "category": "string", "speed_mps": "number", "cruise_altitude_m": "number",
    "terminal_altitude_m": "number", "terminal_range_m": "number", "rcs_m2": "number",
    "swerling": "int", "max_range_m": "number", "max_lateral_g": "number",
    "lethality": "number", "cost_usd": "number",
}

_JAMMER = {"erp_w": "number", "bandwidth_hz": "number", "losses_db": "number"}
_SURFACE = {
    "surface_kind": "string", "reflection_coefficient": "number",
    "surface_height_std_m": "number", "clutter_gamma_db": "number", "sea_state": "number",
}

REQUIRED_FIGURES: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "radar": MappingProxyType(_RADAR),
    "command_post": MappingProxyType(_COMMAND_POST),
    "launcher": MappingProxyType(_LAUNCHER),
    "missile": MappingProxyType(_MISSILE),
    "threat": MappingProxyType(_THREAT),
    "aircraft": MappingProxyType({**_THREAT, "iff": "bool"}),
    "jammer": MappingProxyType(_JAMMER),
    "surface": MappingProxyType(_SURFACE),
})
"""Figures every system of a kind must give, with their value type."""

# Further figures required when another figure has a given value: (kind, key, value) -> figures.
_CONDITIONAL: Mapping[tuple[str, str, str], Mapping[str, str]] = {
    ("radar", "role", "engagement"): {"max_targets_engaged": "int", "max_missiles_guided": "int"},
    ("threat", "category", "ballistic"): {
        "flight_path_angle_deg": "number", "max_speed_mps": "number"},
    ("aircraft", "category", "ballistic"): {
        "flight_path_angle_deg": "number", "max_speed_mps": "number"},
}

_CHOICES: Mapping[str, tuple[str, ...]] = {
    "role": ("search", "engagement"),
    "size_class": ("large", "small"),
    "seeker": ("semi-active", "active"),
    "category": ("ballistic", "cruise", "aircraft", "drone", "helicopter"),
    "midcourse_guidance": ("command", "inertial-uplink"),
    "surface_kind": ("land", "sea"),
}

# Numeric figures with a closed valid interval.
_INTERVALS: Mapping[str, tuple[float, float]] = {
    "pfa": (0.0, 1.0), "iff_reply_probability": (0.0, 1.0), "pk_max": (0.0, 1.0),
    "lethality": (0.0, 1.0), "swerling": (0.0, 4.0), "reference_pd": (0.0, 1.0),
    "reflection_coefficient": (0.0, 1.0), "sea_state": (0.0, 6.0),
}

# Unit implied by a figure name's suffix (field names carry their units); longest first.
_SUFFIX_UNITS: tuple[tuple[str, str], ...] = (
    ("_per_s", "1/s"),
    ("_m2", "m2"), ("_mps", "m/s"), ("_usd", "USD"), ("_deg", "deg"), ("_hz", "Hz"),
    ("_db", "dB"), ("_kg", "kg"), ("_m", "m"), ("_s", "s"), ("_w", "W"), ("_n", "N"),
    ("_g", "g"),
)


def expected_unit(key: str) -> str | None:
    """Unit implied by the suffix of figure name ``key`` (``max_range_m`` -> ``m``), or None."""
    for suffix, unit in _SUFFIX_UNITS:
        if key.endswith(suffix):
            return unit
    return None


# ------------------------------------------------------------------------------------------
# Records
# ------------------------------------------------------------------------------------------


class EquipmentError(Exception):
    """An equipment file or lookup is invalid; the message is one plain paragraph."""


@dataclass(frozen=True)
class Figure:
    """One figure of a system, with its provenance.

    Attributes
    ----------
    value : float, str or bool
        The value in SI units (integers are stored as floats).
    unit : str
        Unit text (``m``, ``m/s``, ``dB``, ``1`` for pure numbers, ``-`` for text and flags).
    tag : str
        ``P`` published, ``C`` computed, ``E`` estimate, ``U`` commonly cited.
    source : str
        Where the figure comes from (document, URL) or how it was derived.
    low, high : float or None
        Bounds for sweeps; always given for ``E`` figures.
    """

    value: FigureValue
    unit: str
    tag: str
    source: str
    low: float | None = None
    high: float | None = None

    @property
    def is_number(self) -> bool:
        """True when the value is a number (not text, not a flag)."""
        return isinstance(self.value, float) and not isinstance(self.value, bool)


@dataclass(frozen=True)
class Equipment:
    """One system of the database.

    Attributes
    ----------
    name : str
        System name as written in its file (``91N6E``, ``babur``).
    kind : str
        One of :data:`KINDS`.
    description : str
    nato_name : str or None
    figures : mapping of str to Figure
        In file order (read-only).
    path : Path or None
        The file the system was read from.
    """

    name: str
    kind: str
    description: str
    nato_name: str | None
    figures: Mapping[str, Figure]
    path: Path | None = None

    def figure(self, key: str) -> Figure:
        """The figure ``key``; :class:`EquipmentError` listing the figures when missing."""
        try:
            return self.figures[key]
        except KeyError:
            known = ", ".join(self.figures)
            raise EquipmentError(
                f"{self.name} ({self.kind}) has no figure '{key}'; its figures are: {known}."
            ) from None

    def value(self, key: str) -> float:
        """Numeric value of figure ``key`` (SI units); error if it is text or a flag."""
        fig = self.figure(key)
        if not fig.is_number:
            raise EquipmentError(
                f"{self.name}: figure '{key}' is {type(fig.value).__name__} "
                f"{fig.value!r}, not a number; use text() or flag()."
            )
        return float(fig.value)

    def text(self, key: str) -> str:
        """Text value of figure ``key`` (``role``, ``seeker``, ``category``, ...)."""
        fig = self.figure(key)
        if not isinstance(fig.value, str):
            raise EquipmentError(f"{self.name}: figure '{key}' is {fig.value!r}, not text.")
        return fig.value

    def flag(self, key: str) -> bool:
        """Boolean value of figure ``key`` (``gas_dynamic``, ``iff``)."""
        fig = self.figure(key)
        if not isinstance(fig.value, bool):
            raise EquipmentError(f"{self.name}: figure '{key}' is {fig.value!r}, not true/false.")
        return fig.value

    def bounds(self, key: str) -> tuple[float, float]:
        """``(low, high)`` of numeric figure ``key``; the value itself where a bound is absent."""
        fig = self.figure(key)
        v = self.value(key)
        return (v if fig.low is None else fig.low, v if fig.high is None else fig.high)

    def __contains__(self, key: object) -> bool:
        return key in self.figures


@dataclass(frozen=True)
class EquipmentDatabase:
    """All known systems, looked up by name (case-insensitive).

    Attributes
    ----------
    entries : mapping of str to Equipment
        Keyed by lower-case name.
    """

    entries: Mapping[str, Equipment] = field(default_factory=dict)

    def get(self, name: str) -> Equipment:
        """The system ``name`` (any case); :class:`EquipmentError` listing valid names."""
        try:
            return self.entries[name.lower()]
        except KeyError:
            raise EquipmentError(
                f"Unknown equipment '{name}'; valid names: {', '.join(self.names())}."
            ) from None

    def names(self, kind: str | None = None) -> list[str]:
        """Names of all systems, or of those of ``kind``, sorted case-insensitively."""
        if kind is not None:
            _check_kind(kind)
        return sorted(
            (e.name for e in self.entries.values() if kind is None or e.kind == kind),
            key=str.lower,
        )

    def by_kind(self, kind: str) -> list[Equipment]:
        """Systems of ``kind``, sorted by name."""
        return [self.get(n) for n in self.names(kind)]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Equipment]:
        return iter(self.get(n) for n in self.names())


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise EquipmentError(f"Unknown equipment kind '{kind}'; valid kinds: {', '.join(KINDS)}.")


# ------------------------------------------------------------------------------------------
# File boundary: YAML and pydantic
# ------------------------------------------------------------------------------------------


_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _Loader(_SafeBase):
    """PyYAML's safe loader that also reads ``3.0e9`` and ``1e-6`` as floats (YAML 1.2)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)

_Number = StrictInt | StrictFloat


class _FigureModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: StrictBool | StrictInt | StrictFloat | StrictStr
    unit: StrictStr
    tag: Literal["P", "C", "E", "U"]
    source: StrictStr
    low: _Number | None = None
    high: _Number | None = None

    @model_validator(mode="after")
    def _consistent(self) -> _FigureModel:
        if not self.source.strip():
            raise ValueError("source is empty; say where the figure comes from")
        if not self.unit.strip():
            raise ValueError("unit is empty; use '1' for pure numbers and '-' for text or flags")
        numeric = isinstance(self.value, int | float) and not isinstance(self.value, bool)
        if numeric and not math.isfinite(float(self.value)):
            raise ValueError("value must be a finite number")
        if self.tag == "E" and numeric and (self.low is None or self.high is None):
            raise ValueError("figures tagged E need both low and high bounds (the sweep range)")
        if (self.low is not None or self.high is not None) and not numeric:
            raise ValueError("low/high bounds are only for numeric values")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if numeric:
            v = float(self.value)
            if self.low is not None and v < self.low:
                raise ValueError(f"value {v} is below its low bound {self.low}")
            if self.high is not None and v > self.high:
                raise ValueError(f"value {v} is above its high bound {self.high}")
        return self


class _EquipmentModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: StrictStr
    kind: StrictStr
    description: StrictStr
    nato_name: StrictStr | None = None
    figures: dict[str, _FigureModel]


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(file)"


def _fail(path: Path, problems: Sequence[str]) -> EquipmentError:
    return EquipmentError(f"Equipment file {path}: " + "; ".join(problems) + ".")


def _type_ok(value: FigureValue, expected: str) -> bool:
    if expected == "bool":
        return isinstance(value, bool)
    if expected == "string":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return expected == "number" or float(value).is_integer()


_TYPE_WORDS = {"number": "a number", "int": "an integer", "string": "text", "bool": "true/false"}


def _check_figures(kind: str, figures: Mapping[str, _FigureModel]) -> list[str]:
    """Problems with the figures of a file of ``kind`` (missing, wrong type or unit)."""
    required = dict(REQUIRED_FIGURES[kind])
    for (k, key, val), extra in _CONDITIONAL.items():
        fig = figures.get(key)
        if k == kind and fig is not None and fig.value == val:
            required.update(extra)
    problems: list[str] = []
    missing = [key for key in required if key not in figures]
    if missing:
        problems.append(
            f"figures {', '.join(missing)} missing (a {kind} needs: {', '.join(required)})"
        )
    for key, fig in figures.items():
        where = f"figures.{key}"
        expected = required.get(key)
        if expected is not None and not _type_ok(fig.value, expected):
            problems.append(f"{where}.value must be {_TYPE_WORDS[expected]}, got {fig.value!r}")
            continue
        if key in _CHOICES and isinstance(fig.value, str) and fig.value not in _CHOICES[key]:
            problems.append(
                f"{where}.value '{fig.value}' is not valid; valid: {', '.join(_CHOICES[key])}"
            )
        numeric = isinstance(fig.value, int | float) and not isinstance(fig.value, bool)
        if numeric and key in _INTERVALS:
            lo, hi = _INTERVALS[key]
            if not lo <= float(fig.value) <= hi:
                problems.append(f"{where}.value {fig.value} is outside [{lo:g}, {hi:g}]")
        unit = expected_unit(key)
        if numeric and unit is not None and fig.unit != unit:
            suffix = key[key.rfind("_"):]
            problems.append(f"{where}.unit is '{fig.unit}' but a figure named *{suffix} must be "
                            f"in '{unit}'")
        if kind == "aircraft" and key == "iff" and fig.value is not True:
            problems.append(f"{where}.value must be true for a friendly aircraft")
    return problems


def _raw_problems(data: Mapping[str, Any]) -> list[str]:
    """Kind and missing-figure problems of a file that failed validation, from its raw data."""
    kind = data.get("kind")
    if not isinstance(kind, str):
        return []
    if kind not in KINDS:
        return [f"kind '{kind}' is unknown; valid kinds: {', '.join(KINDS)}"]
    figures = data.get("figures")
    if not isinstance(figures, Mapping):
        return []
    required = REQUIRED_FIGURES[kind]
    missing = [key for key in required if key not in figures]
    if not missing:
        return []
    return [f"figures {', '.join(missing)} missing (a {kind} needs: {', '.join(required)})"]


def load_file(path: Path | str) -> Equipment:
    """Read and validate one equipment file.

    Parameters
    ----------
    path : Path or str
        A ``.yaml`` file; its stem must be the system name in lower case.

    Returns
    -------
    Equipment

    Raises
    ------
    EquipmentError
        Naming the file, the field and what is valid.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(p, [f"cannot be read ({exc.strerror or exc})"]) from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _fail(p, [f"is not valid YAML{where}: {problem}"]) from None
    if not isinstance(data, dict):
        raise _fail(p, ["must be a YAML mapping with name, kind, description and figures"])
    try:
        model = _EquipmentModel.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field (valid: value, unit, tag, source, low, high)" if len(
                    err["loc"]) > 1 else (
                    "unknown field (valid: name, kind, description, nato_name, figures)")
            elif err["type"] == "literal_error" and err["loc"][-1] == "tag":
                msg = f"tag must be one of {', '.join(TAGS)} (got {err['input']!r})"
            problems.append(f"{_loc(err['loc'])}: {msg}")
        problems.extend(_raw_problems(data))
        raise _fail(p, problems) from None

    problems = []
    if model.kind not in KINDS:
        problems.append(f"kind '{model.kind}' is unknown; valid kinds: {', '.join(KINDS)}")
    if not model.name.strip():
        problems.append("name is empty")
    elif p.stem != model.name.lower():
        problems.append(f"name '{model.name}' does not match the file name; call the file "
                        f"'{model.name.lower()}{p.suffix}'")
    if not model.description.strip():
        problems.append("description is empty")
    if model.kind in KINDS:
        problems.extend(_check_figures(model.kind, model.figures))
    if problems:
        raise _fail(p, problems)

    figures: dict[str, Figure] = {}
    for key, f in model.figures.items():
        value: FigureValue = f.value if isinstance(f.value, bool | str) else float(f.value)
        figures[key] = Figure(
            value=value, unit=f.unit, tag=f.tag, source=" ".join(f.source.split()),
            low=None if f.low is None else float(f.low),
            high=None if f.high is None else float(f.high),
        )
    return Equipment(
        name=model.name, kind=model.kind, description=" ".join(model.description.split()),
        nato_name=model.nato_name, figures=MappingProxyType(figures), path=p,
    )


def load_directory(directory: Path | str) -> list[Equipment]:
    """Read every ``*.yaml`` / ``*.yml`` file of a directory (not recursive), sorted by name.

    Raises
    ------
    EquipmentError
        When the directory does not exist, a file is invalid, or two files share a name.
    """
    d = Path(directory)
    if not d.is_dir():
        raise EquipmentError(f"Equipment directory {d} does not exist or is not a directory.")
    seen: dict[str, Equipment] = {}
    for path in sorted([*d.glob("*.yaml"), *d.glob("*.yml")]):
        eq = load_file(path)
        other = seen.get(eq.name.lower())
        if other is not None:
            raise EquipmentError(
                f"Equipment files {other.path} and {path} both define '{eq.name}'; "
                "keep one of them."
            )
        seen[eq.name.lower()] = eq
    return [seen[k] for k in sorted(seen)]


def _env_dirs() -> list[Path]:
    raw = os.environ.get(ENV_VAR, "")
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


def load_database(extra_dirs: Sequence[Path | str] = ()) -> EquipmentDatabase:
    """The shipped equipment plus user directories.

    Directories are read in this order, a later system overriding an earlier one of the
    same name (case-insensitive): the shipped data, the directories of the environment
    variable ``TRIUMF_EQUIPMENT_PATH`` (``os.pathsep`` separated), then ``extra_dirs``.

    Parameters
    ----------
    extra_dirs : sequence of Path or str
        User equipment directories.

    Returns
    -------
    EquipmentDatabase

    Raises
    ------
    EquipmentError
        For a missing directory or an invalid file.
    """
    entries: dict[str, Equipment] = {}
    for directory in [DATA_DIR, *_env_dirs(), *(Path(d) for d in extra_dirs)]:
        for eq in load_directory(directory):
            entries[eq.name.lower()] = eq
    return EquipmentDatabase(MappingProxyType(entries))


# ------------------------------------------------------------------------------------------
# Rows for the command line
# ------------------------------------------------------------------------------------------


def format_value(value: FigureValue | None) -> str:
    """A figure value as short text: ``600000``, ``1.42e+05``, ``true``, ``semi-active``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return f"{value:.6g}"


def listing_rows(db: EquipmentDatabase) -> list[tuple[str, str, str]]:
    """``(name, kind, description)`` per system, ordered by kind (as :data:`KINDS`) then name."""
    order = {k: i for i, k in enumerate(KINDS)}
    items = sorted(db.entries.values(), key=lambda e: (order[e.kind], e.name.lower()))
    return [(e.name, e.kind, e.description) for e in items]


def figure_rows(equipment: Equipment) -> list[tuple[str, str, str, str, str, str, str]]:
    """``(figure, value, unit, tag, low, high, source)`` text per figure, in file order.

    Absent bounds are empty strings.
    """
    return [
        (key, format_value(f.value), f.unit, f.tag, format_value(f.low), format_value(f.high),
         f.source)
        for key, f in equipment.figures.items()
    ]

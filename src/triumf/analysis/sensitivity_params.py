"""The disputed figures of a scenario, and a scenario with some of them replaced.

A sensitivity analysis varies every estimate (tag ``E``) that a scenario actually uses, within
the ``low``/``high`` bounds its equipment file gives. "Actually uses" is measured, not guessed:
the scenario is compiled once against a copy of the equipment database that records which
figures of which systems the compiler reads (:func:`used_figures`). Doctrine estimates that
live in the scenario rather than in an equipment file are listed in :data:`DOCTRINE_ESTIMATES`.

Parameters are named ``<kind>.<system>.<figure>`` (``missile.48N6E3.pk_max``,
``radar.92N6E.losses_db``, ``threat.babur.rcs_m2``) or ``doctrine.<field>``, so that a shell
glob selects a family (``missile.*``, ``*.rcs_m2``).

:func:`apply_parameters` is pure: it returns a new scenario and a new equipment database with
the values replaced and never changes its arguments.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike

from triumf.equipment.database import REQUIRED_FIGURES, Equipment, EquipmentDatabase, Figure
from triumf.scenario.compile import compile_scenario
from triumf.scenario.schema import Scenario

__all__ = [
    "DOCTRINE_ESTIMATES",
    "Parameter",
    "ParameterError",
    "apply_parameters",
    "check_values",
    "estimate_parameters",
    "quantize",
    "used_figures",
]

DOCTRINE_ESTIMATES: Mapping[str, Figure] = MappingProxyType({
    "min_intercept_accel_g": Figure(
        value=3.0, unit="g", tag="E", low=1.5, high=6.0,
        source="Estimate: lateral acceleration a missile must keep at the intercept point; "
        "3 g is three times a 1 g target manoeuvre (Zarchan, Tactical and Strategic Missile "
        "Guidance: miss distance grows fast below a 3:1 acceleration advantage); bounds "
        "1.5-6 g span a 1.5:1 to 6:1 advantage [E]."),
})
"""Doctrine figures of the scenario (``doctrine.<field>``) that are estimates, with bounds.

The scenario's own value is the nominal value; the parameter is offered only when that value
lies inside the bounds (a scenario that turned the test off with 0 keeps it off)."""

# Integral figures that are not in REQUIRED_FIGURES with type "int" but must stay integral.
_INTEGRAL_EXTRA = frozenset({"sea_state", "iff_min_interrogations", "track_pulses_per_dwell"})

# Enumerated figures: labels of cases, not quantities (Swerling case 1 and 3 are two models of
# fluctuation; "case 2" is not between them). A sensitivity analysis chooses between the two
# cases its bounds name, ``low`` or ``high``.
_CATEGORICAL = frozenset({"swerling"})


class ParameterError(ValueError):
    """A parameter vector or selection is invalid; the message names the parameter."""


@dataclass(frozen=True)
class Parameter:
    """One estimate varied by a sensitivity analysis.

    Attributes
    ----------
    name : str
        ``<kind>.<system>.<figure>`` or ``doctrine.<field>``.
    kind : str
        Equipment kind (``radar``, ``missile``, ...) or ``doctrine``.
    system : str
        Equipment name as written in its file, or ``doctrine``.
    figure : str
        Figure (or doctrine field) name, with its unit suffix.
    value, low, high : float
        Nominal value and bounds, SI units (as in the equipment file).
    unit : str
    integer : bool
        The figure is integral; sampled values are rounded to the nearest integer.
    source : str
        Where the nominal value and its bounds come from.
    categorical : bool
        The figure names a case (``swerling``): a sampled value is ``low`` below the middle of
        the bounds and ``high`` from it on (see :func:`quantize`).
    """

    name: str
    kind: str
    system: str
    figure: str
    value: float
    low: float
    high: float
    unit: str
    integer: bool
    source: str
    categorical: bool = False


class _RecordingFigures(Mapping[str, Figure]):
    """A read-only figure mapping that notes every figure looked up."""

    def __init__(self, inner: Mapping[str, Figure], seen: set[str]) -> None:
        self._inner = inner
        self._seen = seen

    def __getitem__(self, key: str) -> Figure:
        fig = self._inner[key]
        self._seen.add(key)
        return fig

    def __contains__(self, key: object) -> bool:
        found = key in self._inner
        if found and isinstance(key, str):
            self._seen.add(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._inner)

    def __len__(self) -> int:
        return len(self._inner)


def used_figures(scn: Scenario, db: EquipmentDatabase) -> dict[str, set[str]]:
    """Figures the compiler reads for ``scn``: system name (lower case) -> figure names.

    The scenario is compiled once against a recording copy of ``db`` (fly-out tables are
    cached by the compiler, so a second compile of the same figures is cheap).
    """
    seen: dict[str, set[str]] = {k: set() for k in db.entries}
    recording = EquipmentDatabase(MappingProxyType({
        k: dataclasses.replace(e, figures=_RecordingFigures(e.figures, seen[k]))
        for k, e in db.entries.items()}))
    compile_scenario(scn, recording)
    return {k: v for k, v in seen.items() if v}


def _is_integer(eq: Equipment, key: str) -> bool:
    return REQUIRED_FIGURES[eq.kind].get(key) == "int" or key in _INTEGRAL_EXTRA


_KIND_ALIASES = {"interceptor": "missile"}
"""Other words accepted for a kind at the start of a ``--param`` glob."""


def _pattern(text: str) -> str:
    head, dot, rest = text.lower().partition(".")
    return _KIND_ALIASES.get(head, head) + dot + rest


def _matches(name: str, patterns: Sequence[str]) -> bool:
    low = name.lower()
    return not patterns or any(fnmatch.fnmatchcase(low, _pattern(p)) for p in patterns)


def estimate_parameters(scn: Scenario, db: EquipmentDatabase,
                        patterns: Sequence[str] = ()) -> list[Parameter]:
    """Every estimate ``[E]`` the scenario uses, with bounds, optionally filtered by globs.

    Parameters
    ----------
    scn : Scenario
    db : EquipmentDatabase
    patterns : sequence of str
        Shell globs on the parameter name, case-insensitive (``missile.*``, ``*.pk_max``;
        ``interceptor.*`` means ``missile.*``); a parameter is kept when any matches. Empty:
        keep all.

    Returns
    -------
    list of Parameter
        Equipment parameters in system then file order, then doctrine parameters. Figures with
        ``low == high`` (nothing to vary) are left out.

    Raises
    ------
    ParameterError
        When ``patterns`` select nothing (the message lists what exists).
    """
    found: list[Parameter] = []
    for key, figs in sorted(used_figures(scn, db).items()):
        eq = db.entries[key]
        for fkey, fig in eq.figures.items():
            if fkey not in figs or fig.tag != "E" or not fig.is_number:
                continue
            if fig.low is None or fig.high is None or not fig.low < fig.high:
                continue
            found.append(Parameter(
                name=f"{eq.kind}.{eq.name}.{fkey}", kind=eq.kind, system=eq.name, figure=fkey,
                value=float(fig.value), low=fig.low, high=fig.high, unit=fig.unit,
                integer=_is_integer(eq, fkey), source=fig.source,
                categorical=fkey in _CATEGORICAL))
    for fkey, fig in DOCTRINE_ESTIMATES.items():
        value = float(getattr(scn.doctrine, fkey))
        assert fig.low is not None and fig.high is not None
        if fig.low <= value <= fig.high:
            found.append(Parameter(
                name=f"doctrine.{fkey}", kind="doctrine", system="doctrine", figure=fkey,
                value=value, low=fig.low, high=fig.high, unit=fig.unit, integer=False,
                source=fig.source))
    chosen = [p for p in found if _matches(p.name, patterns)]
    if not chosen:
        kinds = sorted({p.kind for p in found})
        raise ParameterError(
            f"no estimate [E] of this scenario matches --param {' '.join(patterns)}; names are "
            f"<kind>.<system>.<figure> or doctrine.<field> with kinds {', '.join(kinds)}, "
            f"e.g. {found[0].name if found else 'missile.48N6E3.pk_max'}"
            " (list them with --list)")
    return chosen


def check_values(parameters: Sequence[Parameter], values: ArrayLike) -> np.ndarray:
    """``values`` as a float64 vector after checking it against the parameters' bounds.

    Raises
    ------
    ParameterError
        Wrong length, a value that is not finite, or one outside ``[low, high]`` (naming the
        parameter, the value and its bounds).
    """
    v = np.asarray(values, dtype=np.float64)
    if v.shape != (len(parameters),):
        raise ParameterError(
            f"expected {len(parameters)} values (one per parameter), got shape {v.shape}")
    for p, x in zip(parameters, v, strict=True):
        if not np.isfinite(x):
            raise ParameterError(f"{p.name}: value {x} is not a finite number")
        slack = 1e-12 * max(abs(p.low), abs(p.high), 1.0)
        if not p.low - slack <= x <= p.high + slack:
            raise ParameterError(
                f"{p.name}: value {x:g} {p.unit} is outside its bounds [{p.low:g}, {p.high:g}]")
    return v


def quantize(parameters: Sequence[Parameter], x: ArrayLike) -> np.ndarray:
    """Design values as the model uses them: integers rounded, categories chosen.

    Parameters
    ----------
    parameters : sequence of Parameter, length P
    x : array_like, shape (..., P)
        Values inside the bounds (a design matrix or one point).

    Returns
    -------
    ndarray, shape (..., P)
        Continuous figures unchanged; integral ones rounded to the nearest integer
        (``np.rint``); categorical ones ``low`` where ``x < (low + high) / 2``, else ``high``.
    """
    v = np.array(x, dtype=np.float64, copy=True)
    for j, p in enumerate(parameters):
        if p.categorical:
            v[..., j] = np.where(v[..., j] < 0.5 * (p.low + p.high), p.low, p.high)
        elif p.integer:
            v[..., j] = np.rint(v[..., j])
    return v


def apply_parameters(scn: Scenario, db: EquipmentDatabase, parameters: Sequence[Parameter],
                     values: ArrayLike) -> tuple[Scenario, EquipmentDatabase]:
    """A scenario and equipment database with each parameter set to its value.

    Pure: ``scn`` and ``db`` are not changed. Values pass through :func:`quantize` first:
    integral figures are rounded to the nearest integer, categorical ones (``swerling``) set to
    ``low`` or ``high``.

    Parameters
    ----------
    scn : Scenario
    db : EquipmentDatabase
    parameters : sequence of Parameter
        From :func:`estimate_parameters`.
    values : array_like, shape (P,)
        One value per parameter, SI units, inside its bounds.

    Returns
    -------
    tuple
        ``(scenario, equipment database)`` to pass to ``compile_scenario``.

    Raises
    ------
    ParameterError
        See :func:`check_values`; also for a parameter naming a system not in ``db``.
    """
    v = quantize(parameters, check_values(parameters, values))
    changes: dict[str, dict[str, float]] = {}
    doctrine: dict[str, float] = {}
    for p, x in zip(parameters, v, strict=True):
        x = float(x)
        if p.kind == "doctrine":
            doctrine[p.figure] = x
            continue
        key = p.system.lower()
        if key not in db.entries or p.figure not in db.entries[key].figures:
            raise ParameterError(f"{p.name}: no such figure in the equipment database")
        changes.setdefault(key, {})[p.figure] = x
    entries = dict(db.entries)
    for key, figs in changes.items():
        eq = entries[key]
        new = {k: dataclasses.replace(f, value=figs[k]) if k in figs else f
               for k, f in eq.figures.items()}
        entries[key] = dataclasses.replace(eq, figures=MappingProxyType(new))
    new_db = EquipmentDatabase(MappingProxyType(entries))
    if doctrine:
        scn = scn.model_copy(update={"doctrine": scn.doctrine.model_copy(update=doctrine)})
    return scn, new_db

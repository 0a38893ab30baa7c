"""Scenarios for placement and procurement: fire units moved to sites, loadouts, raid sizes.

A fire unit is a copy of the scenario's first battalion (the *template*): every element keeps
its offset from the template's command post, and the command post stands on the chosen site.
A loadout (missiles per fire unit) is spread over the template's launchers, large missiles
first, each launcher filled to ``n_large / capacity_large + n_small / capacity_small <= 1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.equipment.database import EquipmentDatabase
from triumf.scenario.schema import Battalion, LocalPosition, Scenario
from triumf.scenario.schema_procurement import Procurement

__all__ = ["ProcurementError", "Sites", "candidate_sites", "deploy", "scale_raids",
           "procurement_spec", "fire_unit_cost_usd", "loadout_cost_usd", "spread_loadout"]


class ProcurementError(ValueError):
    """A procurement section that cannot be used (the message names the field)."""


@dataclass(frozen=True)
class Sites:
    """Candidate fire-unit sites.

    Attributes
    ----------
    names : tuple of str, length J
    xy_m : ndarray, shape (J, 2), metres east/north of the origin
    cost_usd : ndarray, shape (J,), USD (site preparation)
    """

    names: tuple[str, ...]
    xy_m: NDArray[np.float64]
    cost_usd: NDArray[np.float64]


def procurement_spec(scn: Scenario) -> Procurement:
    """The scenario's ``procurement`` section, or a clear error if it has none."""
    if scn.procurement is None:
        raise ProcurementError(
            f"scenario {scn.name!r} has no 'procurement' section (candidate_sites, axes, "
            "loadouts); see the shipped 'procurement' scenario")
    return scn.procurement


def candidate_sites(spec: Procurement) -> Sites:
    """The listed sites followed by the grid sites (named ``grid E<km> N<km>``)."""
    names = [s.name for s in spec.candidate_sites]
    xy = [(s.position.east_m, s.position.north_m) for s in spec.candidate_sites]
    cost = [s.cost_usd for s in spec.candidate_sites]
    g = spec.site_grid
    if g is not None:
        n = int(g.half_width_m // g.spacing_m)
        offsets = np.arange(-n, n + 1) * g.spacing_m
        for dn in offsets:
            for de in offsets:
                e, nn = g.center.east_m + de, g.center.north_m + dn
                names.append(f"grid E{e / 1000:.0f} N{nn / 1000:.0f}")
                xy.append((e, nn))
                cost.append(0.0)
    return Sites(tuple(names), np.asarray(xy, np.float64).reshape(-1, 2),
                 np.asarray(cost, np.float64))


def _local(pos: object, what: str) -> tuple[float, float, float]:
    if not isinstance(pos, LocalPosition):
        raise ProcurementError(
            f"battalions[0] ({what}): the template battalion must use local positions "
            "{east_m, north_m} for triumf place / procure")
    return pos.east_m, pos.north_m, pos.up_m


def spread_loadout(loadout: dict[str, int], launchers: list[str], db: EquipmentDatabase
                   ) -> list[dict[str, int]]:
    """Missiles per launcher for a fire-unit loadout.

    Parameters
    ----------
    loadout : dict
        Missile type -> number for the whole fire unit.
    launchers : list of str
        Launcher types of the template's fire units, in order.

    Returns
    -------
    list of dict
        One load per launcher.

    Raises
    ------
    ProcurementError
        The missiles do not fit the launchers.
    """
    caps = [(db.get(t).value("capacity_large"), db.get(t).value("capacity_small"))
            for t in launchers]
    left = {db.get(m).name: int(c) for m, c in loadout.items() if c > 0}
    size = {m: db.get(m).text("size_class") for m in left}
    order = sorted(left, key=lambda m: size[m] != "large")  # large first
    loads: list[dict[str, int]] = []
    for cap_l, cap_s in caps:
        free = 1.0
        load: dict[str, int] = {}
        for m in order:
            cap = cap_l if size[m] == "large" else cap_s
            n = min(left[m], int(math.floor(free * cap + 1e-9)))
            if n > 0:
                load[m] = n
                left[m] -= n
                free -= n / cap
        loads.append(load)
    rest = {m: n for m, n in left.items() if n > 0}
    if rest:
        raise ProcurementError(
            f"procurement.loadouts: {loadout} does not fit the {len(launchers)} launchers of "
            f"the template battalion ({rest} left over); each launcher takes "
            "capacity_large large or capacity_small small missiles")
    return loads


def deploy(scn: Scenario, db: EquipmentDatabase, sites_xy: NDArray[np.float64],
           site_names: list[str] | tuple[str, ...], loadout: dict[str, int] | None = None
           ) -> Scenario:
    """The scenario with one template battalion on each site (and the loadout on each).

    Parameters
    ----------
    scn : Scenario
        Its first battalion is the template; all battalions are replaced.
    sites_xy : ndarray, shape (K, 2), metres east/north
    site_names : sequence of str, length K
    loadout : dict, optional
        Missiles per fire unit (default: the template's own load).
    """
    tpl = scn.battalions[0]
    ce, cn, _ = _local(tpl.command_post.position, "command_post")
    loads = None
    if loadout is not None:
        loads = spread_loadout(loadout, [fu.launcher for fu in tpl.fire_units], db)

    def moved(pos: object, what: str, e0: float, n0: float) -> LocalPosition:
        e, n, u = _local(pos, what)
        return LocalPosition(east_m=e - ce + e0, north_m=n - cn + n0, up_m=u)

    bats: list[Battalion] = []
    for (e0, n0), site in zip(np.asarray(sites_xy, np.float64), site_names, strict=True):
        e0, n0 = float(e0), float(n0)
        radars = tuple(r.model_copy(update={
            "name": f"{site} {r.name}", "position": moved(r.position, r.name, e0, n0)})
            for r in tpl.radars)
        units = tuple(fu.model_copy(update={
            "name": f"{site} {fu.name}", "position": moved(fu.position, fu.name, e0, n0),
            **({"missiles": loads[i]} if loads is not None else {})})
            for i, fu in enumerate(tpl.fire_units))
        bats.append(tpl.model_copy(update={
            "name": f"{site}",
            "command_post": tpl.command_post.model_copy(update={
                "position": moved(tpl.command_post.position, "command_post", e0, n0)}),
            "radars": radars, "engagement_radar": f"{site} {tpl.engagement_radar}",
            "fire_units": units}))
    return scn.model_copy(update={"battalions": tuple(bats)})


def scale_raids(scn: Scenario, factor: float) -> Scenario:
    """The scenario with every raid's count multiplied by ``factor``, rounded half up
    (``floor(count * factor + 0.5)``: 2.5 -> 3, 3.5 -> 4, not Python's half-to-even) and at
    least 1."""
    raids = tuple(r.model_copy(update={"count": max(1, math.floor(r.count * factor + 0.5))})
                  for r in scn.raids)
    return scn.model_copy(update={"raids": raids})


def fire_unit_cost_usd(scn: Scenario, db: EquipmentDatabase) -> float:
    """Cost of one fire unit without missiles: the scenario's value or the command post's."""
    spec = procurement_spec(scn)
    if spec.fire_unit_cost_usd is not None:
        return float(spec.fire_unit_cost_usd)
    cp = db.get(scn.battalions[0].command_post.type)
    if "fire_unit_cost_usd" not in cp.figures:
        raise ProcurementError(
            f"procurement.fire_unit_cost_usd: not given, and command post {cp.name} has no "
            "fire_unit_cost_usd figure")
    return float(cp.value("fire_unit_cost_usd"))


def loadout_cost_usd(loadout: dict[str, int], db: EquipmentDatabase) -> float:
    """Cost of the missiles of one loadout (equipment ``cost_usd`` figures), USD."""
    return float(sum(n * db.get(m).value("cost_usd") for m, n in loadout.items()))

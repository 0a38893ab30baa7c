"""Scenario models -> engine arrays (`triumf.sim.params.SimParams`).

Positions become engine ENU (exact WGS84 for geodetic input), routes become map coordinates
(ground east/north, altitude above the Earth sphere), equipment figures become SI arrays, and
each missile type's fly-out table is computed once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.c2.doctrine import C2Params
from triumf.c2.rules import Corridors
from triumf.core.earth import enu_to_map, geodetic_to_engine, local_frame, map_to_enu, up_unit
from triumf.core.tables import FlyoutTable
from triumf.core.terrain import Terrain
from triumf.engage.base import MissileTypes
from triumf.engage.dynamics import MissileKinematics
from triumf.engage.flyout import EJECTION_SPEED_MPS, VERTICAL_PHASE_S, build_flyout_table
from triumf.engage.guidance import LOFT_HANDOVER_RANGE_M, TURN_GAIN_PER_S, TURN_THRESHOLD_RAD
from triumf.equipment.database import Equipment, EquipmentDatabase
from triumf.scenario.compile_sense import compile_jammers, compile_surface, radar_sensing
from triumf.scenario.compile_terrain import compile_terrain
from triumf.scenario.schema import GeodeticPosition, LocalPosition, Origin, Raid, Scenario
from triumf.scenario.threat_profiles import apply_profiles, profile_row
from triumf.sense.base import RadarParams
from triumf.sense.radar_equation import system_temperature_k
from triumf.sense.scan import false_alarm_mean
from triumf.sim.params import SimParams
from triumf.threat.base import ThreatParams
from triumf.track.base import TrackerParams

G0 = 9.80665
# fly-out table grid: ground range (m) and altitude (m) of the intercept point
_FLYOUT_ALTITUDES_M = np.array([5.0, 50.0, 200.0, 500.0, 1000.0, 2000.0, 4000.0, 7000.0,
                                10000.0, 14000.0, 19000.0, 25000.0, 31000.0])
_FLYOUT_RANGE_POINTS = 48
# integration step of the fly-out tables, s: the engine's interceptor sub-step
_FLYOUT_STEP_S = SimParams.engage_substep_s
# spacing of friendly aircraft sharing one route, s
_FRIENDLY_SPACING_S = 30.0
# height of a pop-up manoeuvre above the cruise altitude, m [E]
_POPUP_HEIGHT_M = 300.0
# lateral authority of gas-dynamic control (9M96 family) at any dynamic pressure, g: [E] an
# estimate, no public figure (the structural max_lateral_g of the missile still caps it)
_GAS_DYNAMIC_ACCEL_G = 20.0


def _num(eq: Equipment, key: str) -> float:
    return float(eq.value(key))


def _raw(eq: Equipment, key: str) -> Any:
    return eq.figure(key).value


def to_enu(position: Any, origin: Origin) -> NDArray[np.float64]:
    """A scenario position in engine ENU metres, shape (3,).

    Geodetic positions keep their geodesic distance and bearing from the origin and their
    height above the origin's ground level. Local positions are read the same way: east and
    north are ground distances from the origin (along the surface), up is the height above
    the ground, so ``{east_m: 150000, north_m: 0}`` is a point on the ground 150 km east.
    """
    if isinstance(position, GeodeticPosition):
        return np.asarray(geodetic_to_engine(
            position.latitude_deg, position.longitude_deg, position.altitude_m,
            origin.latitude_deg, origin.longitude_deg, origin.altitude_m), dtype=float)
    return np.asarray(map_to_enu(position.east_m, position.north_m, position.up_m), dtype=float)


def _site(position: Any, origin: Origin, terrain: Terrain | None = None) -> NDArray[np.float64]:
    """A ground site (asset, radar, launcher) in engine ENU, shape (3,).

    The engine's ground is the sphere at the origin's height raised by the terrain when there
    is one, so a site given below it (e.g. a geodetic position with altitude 0 when the origin
    is at 200 m, or a local position with ``up_m: 0`` on a hill) is put on the ground.
    """
    e, n, h = enu_to_map(to_enu(position, origin))
    ground = 0.0 if terrain is None else float(terrain.height_at(e, n))
    return np.asarray(map_to_enu(e, n, max(float(h), ground)), dtype=float)


def _ground_map(position: Any, origin: Origin) -> NDArray[np.float64]:
    """Ground point below a position in map coordinates (east, north), shape (2,)."""
    e, n, _ = enu_to_map(to_enu(position, origin))
    return np.array([float(e), float(n)])


def compile_scenario(scn: Scenario, db: EquipmentDatabase) -> SimParams:
    """Build the engine's parameter arrays from a validated scenario.

    Parameters
    ----------
    scn : Scenario
        A scenario that passed `triumf.scenario.load.validate_scenario`.
    db : EquipmentDatabase
    """
    origin = scn.origin
    terrain = compile_terrain(scn.terrain, origin)
    asset_pos = np.array([_site(a.position, origin, terrain) for a in scn.assets])
    asset_names = tuple(a.name for a in scn.assets)
    threats = _threats(scn, db, asset_pos)

    radars: list[RadarParams] = []
    units: list[tuple[str, int, NDArray[np.float64], Equipment, dict[str, int]]] = []
    eng_radar: list[int] = []
    cps: list[Equipment] = []
    for b, bat in enumerate(scn.battalions):
        cps.append(db.get(bat.command_post.type))
        for rd in bat.radars:
            eq = db.get(rd.type)
            if rd.name == bat.engagement_radar:
                eng_radar.append(len(radars))
            radars.append(_radar(rd, eq, b, origin, terrain, scn))
        for fu in bat.fire_units:
            units.append((fu.name, b, _site(fu.position, origin, terrain),
                          db.get(fu.launcher), dict(fu.missiles)))

    missile_names: list[str] = []
    for *_, loads in units:
        for name, count in loads.items():
            canonical = db.get(name).name
            if count > 0 and canonical not in missile_names:
                missile_names.append(canonical)
    missiles = _missiles(missile_names, db)
    loaded = np.zeros((len(units), len(missile_names)), np.int64)
    for w, (*_, loads) in enumerate(units):
        for name, count in loads.items():
            canonical = db.get(name).name
            if count > 0:
                loaded[w, missile_names.index(canonical)] += count

    cp0 = cps[0]
    doc = scn.doctrine
    reaction = np.array([doc.reaction_time_s if doc.reaction_time_s is not None
                         else _num(cp, "reaction_time_s") for cp in cps])
    eng = [radars[i] for i in eng_radar]
    eng_eq = [db.get(r.type_name) for r in eng]
    c2 = C2Params(
        launcher_pos=np.array([u[2] for u in units]),
        launcher_battalion=np.array([u[1] for u in units], np.int64),
        ripple_interval_s=np.array([_num(u[3], "ripple_interval_s") for u in units]),
        reaction_time_s=reaction,
        max_targets=np.array([int(_num(e, "max_targets_engaged")) for e in eng_eq], np.int64),
        max_missiles=np.array([int(_num(e, "max_missiles_guided")) for e in eng_eq], np.int64),
        radar_pos=np.array([r.pos for r in eng]),
        radar_range_m=np.array([r.max_range_m for r in eng]),
        assessment_delay_s=_num(cp0, "kill_assessment_delay_s"),
        missile_names=missiles.names,
        min_altitude_m=missiles.min_altitude_m,
        max_altitude_m=missiles.max_altitude_m,
        min_range_m=missiles.min_range_m,
        max_range_m=missiles.max_range_m,
        pk_max=missiles.pk_max,
        cost_usd=missiles.cost_usd,
        flyout=missiles.flyout,
        asset_pos=asset_pos,
        asset_radius_m=np.array([a.radius_m for a in scn.assets]),
        asset_value=np.array([a.value for a in scn.assets]),
        keep_out_m=doc.keep_out_m,
        salvo_size=doc.salvo_size,
        shoot_look_shoot=doc.shoot_look_shoot,
        weapons_free=doc.weapons_control == "free",
        max_rounds_per_target=doc.max_rounds_per_target,
        iff_min_interrogations=int(_num(cp0, "iff_min_interrogations"))
        if "iff_min_interrogations" in cp0.figures else C2Params.iff_min_interrogations,
        **_doctrine_extras(scn, db, units, missiles.names, loaded),
    )
    capacity = int(max(32, 2 * threats.count + 16))
    # room for tentative tracks started by false alarms (a few scans' worth)
    capacity += int(np.ceil(4.0 * sum(false_alarm_mean(r) for r in radars)))
    return SimParams(
        name=scn.name,
        seed=scn.seed,
        duration_s=scn.duration_s,
        time_step_s=scn.time_step_s,
        threats=threats,
        radars=tuple(radars),
        iff_reply_probability=_num(cp0, "iff_reply_probability"),
        tracker=TrackerParams(
            capacity=capacity,
            motion_model=scn.tracking.motion_model,
            association=scn.tracking.association,
            jpda_pd=scn.tracking.jpda_detection_probability,
            jpda_clutter_density_m3=scn.tracking.jpda_clutter_density_per_km3 * 1e-9,
            # computed: a confirmed track outlives one look of the slowest radar
            delete_coast_s=max((r.revisit_s for r in radars), default=0.0),
        ),
        c2=c2,
        c2_cycle_s=_num(cp0, "c2_cycle_s"),
        missiles=missiles,
        loaded=loaded,
        unit_names=tuple(u[0] for u in units),
        asset_names=asset_names,
        terrain=terrain,
        engagement_radar=np.array(eng_radar, np.int64),
        effective_earth_factor=scn.effective_earth_factor,
        surface=compile_surface(scn, db),
        jammers=compile_jammers(scn, db, threats, to_enu),
    )


def _radar(rd: Any, eq: Equipment, battalion: int, origin: Origin,
           terrain: Terrain | None = None,
           scn: Scenario | None = None) -> RadarParams:
    ground = _site(rd.position, origin, terrain)
    if rd.antenna_height_m is not None:
        height = rd.antenna_height_m
    elif rd.on_mast:
        height = _num(eq, "mast_height_m")
    else:
        height = _num(eq, "antenna_height_m")
    pos = ground + up_unit(ground) * height
    deg = np.pi / 180.0
    return RadarParams(
        name=rd.name, type_name=eq.name, battalion=battalion, pos=pos, rot=local_frame(pos),
        frequency_hz=_num(eq, "frequency_hz"), peak_power_w=_num(eq, "peak_power_w"),
        gain_db=_num(eq, "antenna_gain_db"), pulse_width_s=_num(eq, "pulse_width_s"),
        n_pulses=int(_num(eq, "pulses_per_dwell")), losses_db=_num(eq, "losses_db"),
        system_temp_k=float(system_temperature_k(_num(eq, "noise_figure_db"))),
        pfa=_num(eq, "pfa"), az_beamwidth_rad=_num(eq, "az_beamwidth_deg") * deg,
        el_beamwidth_rad=_num(eq, "el_beamwidth_deg") * deg,
        range_resolution_m=_num(eq, "range_resolution_m"),
        max_range_m=_num(eq, "instrumented_range_m"),
        min_elevation_rad=_num(eq, "min_elevation_deg") * deg,
        max_elevation_rad=_num(eq, "max_elevation_deg") * deg,
        revisit_s=_num(eq, "revisit_s"),
        engagement=str(_raw(eq, "role")).lower() == "engagement",
        **(radar_sensing(rd, eq, scn, pos, to_enu) if scn is not None else {}),
    )


def missile_types(names: list[str], db: EquipmentDatabase) -> MissileTypes:
    """Compile missile types by name from the equipment database (fly-out tables included).

    Parameters
    ----------
    names : list of str
        Missile names as in the equipment files (e.g. ``["48N6E3", "9M96E2"]``).
    db : EquipmentDatabase

    Returns
    -------
    MissileTypes, arrays of shape (len(names),)
    """
    return _missiles(names, db)


def _missiles(names: list[str], db: EquipmentDatabase) -> MissileTypes:
    eqs = [db.get(n) for n in names]

    def arr(key: str) -> NDArray[np.float64]:
        return np.array([_num(e, key) for e in eqs], dtype=float)

    def opt(key: str, default: float) -> NDArray[np.float64]:
        return np.array([_num(e, key) if key in e else default for e in eqs], dtype=float)

    gas_floor_g = opt("gas_dynamic_accel_g", _GAS_DYNAMIC_ACCEL_G)
    kin = MissileKinematics(
        launch_mass_kg=arr("launch_mass_kg"), burnout_mass_kg=arr("burnout_mass_kg"),
        boost_thrust_n=arr("boost_thrust_n"), boost_time_s=arr("boost_time_s"),
        sustain_thrust_n=arr("sustain_thrust_n"), sustain_time_s=arr("sustain_time_s"),
        ref_area_m2=np.pi / 4.0 * arr("diameter_m") ** 2, cd0=arr("cd0"),
        max_lateral_accel_mps2=arr("max_lateral_g") * G0, cn_max=arr("cn_max"),
        gas_dynamic=np.array([bool(_raw(e, "gas_dynamic")) for e in eqs], dtype=bool),
        gas_dynamic_accel_mps2=np.where(
            np.array([bool(_raw(e, "gas_dynamic")) for e in eqs]), gas_floor_g * G0, 0.0),
        induced_drag_factor=opt("induced_drag_factor", 0.0),
    )
    flyout = tuple(_flyout(e) for e in eqs)
    return MissileTypes(
        names=tuple(e.name for e in eqs), kin=kin, nav_gain=arr("nav_gain"),
        loft_factor=arr("loft_factor"), max_loft_m=arr("max_loft_m"),
        seeker_range_m=arr("seeker_acquisition_range_m"),
        max_flight_time_s=arr("max_flight_time_s"), min_speed_mps=arr("min_speed_mps"),
        lethal_radius_m=arr("lethal_radius_m"), pk_max=arr("pk_max"),
        min_altitude_m=arr("min_altitude_m"), max_altitude_m=arr("max_altitude_m"),
        min_range_m=arr("min_range_m"), max_range_m=arr("max_range_m"),
        cost_usd=arr("cost_usd"), flyout=flyout,
        loft_handover_range_m=opt("loft_handover_range_m", LOFT_HANDOVER_RANGE_M),
        turn_gain_per_s=opt("turn_gain_per_s", TURN_GAIN_PER_S),
        turn_threshold_rad=np.deg2rad(opt("turn_threshold_deg", np.rad2deg(TURN_THRESHOLD_RAD))),
        guidance_time_constant_s=opt("guidance_time_constant_s", 0.0),
        seeker_field_of_regard_rad=np.deg2rad(opt("seeker_field_of_regard_deg", 180.0)),
        seeker_angle_noise_rad=np.deg2rad(opt("seeker_angle_noise_deg", 0.0)),
        uplink_interval_s=opt("uplink_interval_s", 0.0),
        ejection_speed_mps=opt("ejection_speed_mps", EJECTION_SPEED_MPS),
        vertical_phase_s=opt("vertical_phase_s", VERTICAL_PHASE_S),
    )


def _flyout(eq: Equipment) -> FlyoutTable:
    keys = ("launch_mass_kg", "burnout_mass_kg", "boost_thrust_n", "boost_time_s",
            "sustain_thrust_n", "sustain_time_s", "diameter_m", "cd0", "max_lateral_g",
            "cn_max", "nav_gain", "loft_factor", "max_loft_m", "max_flight_time_s",
            "min_speed_mps", "max_range_m")
    figures = tuple((k, _num(eq, k)) for k in keys) + (("gas", bool(_raw(eq, "gas_dynamic"))),)
    optional = (("gas_dynamic_accel_g", _GAS_DYNAMIC_ACCEL_G),
                ("loft_handover_range_m", LOFT_HANDOVER_RANGE_M),
                ("turn_gain_per_s", TURN_GAIN_PER_S),
                ("turn_threshold_deg", float(np.rad2deg(TURN_THRESHOLD_RAD))),
                ("induced_drag_factor", 0.0), ("ejection_speed_mps", EJECTION_SPEED_MPS),
                ("vertical_phase_s", VERTICAL_PHASE_S))
    figures += tuple((k, _num(eq, k) if k in eq else d) for k, d in optional)
    return _flyout_cached(figures)


@lru_cache(maxsize=64)
def _flyout_cached(figures: tuple[tuple[str, float], ...]) -> FlyoutTable:
    f = dict(figures)
    gas = bool(f["gas"])
    kin = MissileKinematics(
        launch_mass_kg=np.asarray(f["launch_mass_kg"]),
        burnout_mass_kg=np.asarray(f["burnout_mass_kg"]),
        boost_thrust_n=np.asarray(f["boost_thrust_n"]), boost_time_s=np.asarray(f["boost_time_s"]),
        sustain_thrust_n=np.asarray(f["sustain_thrust_n"]),
        sustain_time_s=np.asarray(f["sustain_time_s"]),
        ref_area_m2=np.asarray(np.pi / 4.0 * f["diameter_m"] ** 2), cd0=np.asarray(f["cd0"]),
        max_lateral_accel_mps2=np.asarray(f["max_lateral_g"] * G0),
        cn_max=np.asarray(f["cn_max"]), gas_dynamic=np.asarray(gas),
        gas_dynamic_accel_mps2=np.asarray(f["gas_dynamic_accel_g"] * G0 if gas else 0.0),
        induced_drag_factor=np.asarray(f["induced_drag_factor"]),
    )
    ranges = np.linspace(1000.0, 1.15 * f["max_range_m"], _FLYOUT_RANGE_POINTS)
    return build_flyout_table(
        kin, f["nav_gain"], f["loft_factor"], f["max_loft_m"], ranges, _FLYOUT_ALTITUDES_M,
        f["max_flight_time_s"], f["min_speed_mps"], dt=_FLYOUT_STEP_S,
        handover_range_m=f["loft_handover_range_m"], turn_gain_per_s=f["turn_gain_per_s"],
        turn_threshold_rad=float(np.deg2rad(f["turn_threshold_deg"])),
        launch_speed_mps=f["ejection_speed_mps"], vertical_phase_s=f["vertical_phase_s"],
    )


def _threats(scn: Scenario, db: EquipmentDatabase, asset_pos: NDArray[np.float64]
             ) -> ThreatParams:
    origin = scn.origin
    asset_index = {a.name: i for i, a in enumerate(scn.assets)}
    rows: list[dict[str, Any]] = []
    groups: list[str] = []
    for raid in scn.raids:
        eq = db.get(raid.threat)
        route = _raid_route(raid, eq, origin, asset_pos[asset_index[raid.target]])
        g = len(groups)
        groups.append(raid.name)
        ballistic = str(_raw(eq, "category")) == "ballistic"
        fpa = raid.profile.flight_path_angle_deg
        if fpa is None and ballistic:
            fpa = _num(eq, "flight_path_angle_deg")
        speed = raid.profile.speed_mps or _num(eq, "speed_mps")
        prof = profile_row(eq, raid.profile, speed, hostile=True)
        for i in range(raid.count):
            rows.append(dict(
                label=f"{raid.name}#{i + 1}", type_name=eq.name, group=g, hostile=True,
                ballistic=ballistic, route=route, launch_radius_m=raid.launch_area.radius_m,
                aim_error_m=raid.aim_error_m, aim_asset=asset_index[raid.target],
                speed_mps=speed, loop=False,
                window=raid.launch_window_s, rcs=_num(eq, "rcs_m2"),
                swerling=int(_num(eq, "swerling")), fpa=np.deg2rad(fpa or 45.0), prof=prof,
            ))
    for fr in scn.friendlies:
        eq = db.get(fr.aircraft)
        alt = fr.altitude_m if fr.altitude_m is not None else _num(eq, "cruise_altitude_m")
        pts = [np.append(_ground_map(p, origin), alt) for p in fr.route]
        if fr.loop:
            pts.append(pts[0])
        route = np.array(pts)
        g = len(groups)
        groups.append(fr.name)
        speed = fr.speed_mps or _num(eq, "speed_mps")
        for i in range(fr.count):
            start = fr.start_s + i * _FRIENDLY_SPACING_S
            rows.append(dict(
                label=f"{fr.name}#{i + 1}", type_name=eq.name, group=g, hostile=False,
                ballistic=False, route=route, launch_radius_m=0.0, aim_error_m=0.0,
                aim_asset=-1, speed_mps=speed, loop=fr.loop, window=(start, start),
                rcs=_num(eq, "rcs_m2"), swerling=int(_num(eq, "swerling")), fpa=0.0,
                prof=profile_row(eq, None, speed, hostile=False),
            ))
    n_pts = max((len(r["route"]) for r in rows), default=2)
    routes = np.zeros((len(rows), n_pts, 3))
    for i, r in enumerate(rows):
        pts = r["route"]
        routes[i, :len(pts)] = pts
        routes[i, len(pts):] = pts[-1]

    def col(key: str, dtype: Any = float) -> NDArray[Any]:
        return np.array([r[key] for r in rows], dtype=dtype)

    return apply_profiles(ThreatParams(
        label=tuple(r["label"] for r in rows), type_name=tuple(r["type_name"] for r in rows),
        group=col("group", np.int64), group_names=tuple(groups), hostile=col("hostile", bool),
        ballistic=col("ballistic", bool), route=routes,
        launch_radius_m=col("launch_radius_m"), aim_error_m=col("aim_error_m"),
        aim_asset=col("aim_asset", np.int64), speed_mps=col("speed_mps"),
        loop=col("loop", bool),
        launch_window_s=np.array([r["window"] for r in rows], dtype=float).reshape(-1, 2),
        rcs_m2=col("rcs"), swerling=col("swerling", np.int64),
        flight_path_angle_rad=col("fpa"),
    ), [r["prof"] for r in rows])


def _raid_route(raid: Raid, eq: Equipment, origin: Origin, aim_enu: NDArray[np.float64]
                ) -> NDArray[np.float64]:
    """Nominal route of one raid in map coordinates, shape (P, 3).

    Launch point, waypoints (at their own altitude when given, else the cruise altitude),
    then the terminal phase toward the aimed asset: ``dive`` descends from the cruise altitude
    over the last ``terminal_range_m``; ``sea-skim`` flies the last ``terminal_range_m`` at
    ``terminal_altitude_m``; ``popup`` climbs by a few hundred metres then dives; ``none``
    stays at the cruise altitude.
    """
    category = str(_raw(eq, "category"))
    start = _ground_map(raid.launch_area.center, origin)
    ae, an, _ = enu_to_map(aim_enu)
    aim = np.array([float(ae), float(an)])
    if category == "ballistic":
        return np.array([[*start, 0.0], [*aim, 0.0]])
    cruise = raid.profile.altitude_m or _num(eq, "cruise_altitude_m")
    pts = [np.array([*start, cruise])]
    for wp in raid.waypoints:
        # a waypoint at height 0 (the default) is flown at the cruise altitude; a waypoint
        # with a height is flown at that height above the engine's ground
        e, n, h = enu_to_map(to_enu(wp, origin))
        given = (wp.up_m if isinstance(wp, LocalPosition) else wp.altitude_m) != 0.0
        pts.append(np.array([float(e), float(n), float(h) if given else cruise]))
    terminal = raid.profile.terminal or _default_terminal(category)
    t_range = _num(eq, "terminal_range_m")
    t_alt = _num(eq, "terminal_altitude_m")
    if terminal == "dive" and "terminal_dive_angle_deg" in eq.figures:
        # the dive starts where a straight line at the dive angle reaches the target
        t_range = cruise / np.tan(np.deg2rad(_num(eq, "terminal_dive_angle_deg")))
    prev = pts[-1][:2]
    d = np.linalg.norm(aim - prev)
    u = (aim - prev) / d if d > 0 else np.zeros(2)
    if terminal != "none" and d > t_range > 0:
        p_term = aim - u * t_range
        if terminal == "sea-skim":
            pts.append(np.array([*p_term, max(cruise, t_alt)]))
            pts.append(np.array([*(aim - u * 0.8 * t_range), t_alt]))
        elif terminal == "popup":
            pts.append(np.array([*p_term, cruise]))
            pts.append(np.array([*(aim - u * 0.5 * t_range), cruise + _POPUP_HEIGHT_M]))
        else:
            pts.append(np.array([*p_term, cruise]))
    end_alt = {"sea-skim": t_alt, "none": cruise}.get(terminal, 0.0)
    pts.append(np.array([*aim, end_alt]))
    return np.array(pts)


def _default_terminal(category: str) -> str:
    return {"cruise": "sea-skim", "drone": "dive", "aircraft": "none",
            "helicopter": "none"}.get(category, "none")


def radar_at_origin(eq: Equipment, on_mast: bool = False) -> RadarParams:
    """A radar of equipment ``eq`` at the origin of a bare sphere (for coverage analyses).

    Parameters
    ----------
    eq : Equipment
        A radar's equipment entry.
    on_mast : bool
        Raise the antenna to the equipment's ``mast_height_m``.
    """
    from triumf.scenario.schema import Radar

    rd = Radar(name=eq.name, type=eq.name, position=LocalPosition(east_m=0.0, north_m=0.0),
               on_mast=on_mast)
    return _radar(rd, eq, 0, Origin(latitude_deg=0.0, longitude_deg=0.0))
def _doctrine_extras(scn: Scenario, db: EquipmentDatabase, units: list[Any],
                     names: tuple[str, ...], loaded: NDArray[np.int64]) -> dict[str, Any]:
    """C2 parameters of the doctrine block beyond the basics: WTA method, engagement zones,
    reserve rounds, friendly corridors and launcher reloads."""
    doc = scn.doctrine
    n_mt = len(names)
    out: dict[str, Any] = {"wta_method": doc.wta_method,
                           "wta_time_limit_s": doc.wta_time_limit_s,
                           "wta_work_limit": doc.wta_work_limit,
                           "reserve_release_s": doc.reserve_release_s,
                           "min_intercept_accel_mps2": doc.min_intercept_accel_g * G0}
    if doc.engagement_zones:
        lo, hi = np.zeros(n_mt), np.full(n_mt, np.inf)
        for name, (a, b) in doc.engagement_zones.items():
            canonical = db.get(name).name
            if canonical in names:
                lo[names.index(canonical)], hi[names.index(canonical)] = a, b
        out["zone_min_m"], out["zone_max_m"] = lo, hi
    if doc.reserve_rounds:
        res = np.zeros(n_mt, np.int64)
        for name, count in doc.reserve_rounds.items():
            canonical = db.get(name).name
            if canonical in names:
                res[names.index(canonical)] = count
        out["reserve_rounds"] = res
    if doc.friendly_corridors:
        cs = doc.friendly_corridors
        out["corridors"] = Corridors(
            start=np.array([_site(c.start, scn.origin) for c in cs]),
            end=np.array([_site(c.end, scn.origin) for c in cs]),
            half_width_m=np.array([c.half_width_m for c in cs]),
            min_altitude_m=np.array([c.min_altitude_m for c in cs]),
            max_altitude_m=np.array([c.max_altitude_m for c in cs]))
    reloads = np.array([fu.reloads for bat in scn.battalions for fu in bat.fire_units],
                       np.int64)
    if reloads.any():
        out["loaded"] = loaded
        out["reloads"] = reloads
        out["reload_time_s"] = np.array([_num(u[3], "reload_time_s") for u in units])
    return out

"""The command post's cycle: evaluate, test engageability, assign, order fire, explain.

Once per C2 cycle, for every confirmed track: is it friendly (IFF), which asset does it
threaten and when, can any (fire unit, missile type) intercept it, and who should fire under
the fire-channel, magazine, launcher and doctrine limits (an assignment per battalion; each
track is offered first to the battalion that intercepts it earliest, then to the others:
`triumf.c2.coordination`). Every confirmed non-engaged track gets a `NoFireReason`; the
engine logs it when it changes, so the event log answers "why was threat 17 not engaged?".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.c2.base import Engageability, NoFireReason
from triumf.c2.coordination import preferred_battalion
from triumf.c2.engageability import intercept_solutions
from triumf.c2.evaluation import evaluate_threats
from triumf.c2.rules import Corridors, in_corridor, in_zone, reload_step, reserve_split
from triumf.c2.target_motion import (
    MIN_DIFFERENCES,
    ballistic_accel,
    boosting,
    update_accel,
)
from triumf.c2.wta import assign_batch
from triumf.core.tables import FlyoutTable
from triumf.track.base import Tracks, TrackStatus

# geometric reasons from "nearly engageable" to "far from it": the one closest to feasible is
# reported when no (fire unit, missile type) can intercept
_GEOMETRY_ORDER = (
    NoFireReason.TOO_LATE,
    NoFireReason.NOT_VISIBLE,
    NoFireReason.BELOW_MIN_ALTITUDE,
    NoFireReason.ABOVE_MAX_ALTITUDE,
    NoFireReason.OUT_OF_RANGE,
)
# value given to a hostile track that threatens no asset (weapons free), relative to assets
UNTHREATENING_VALUE_FRACTION = 0.1


@dataclass(frozen=True)
class C2Params:
    """Static command-post parameters (W fire units, Mt missile types, Bn battalions, A assets).

    Attributes
    ----------
    launcher_pos : ndarray, shape (W, 3), metres, ENU
    launcher_battalion : ndarray of int, shape (W,)
    ripple_interval_s : ndarray, shape (W,)
        Time between two launches from one launcher.
    reaction_time_s : ndarray, shape (Bn,)
        From the fire decision to the first launch.
    max_targets, max_missiles : ndarray of int, shape (Bn,)
        Target and missile-guidance channels of each battalion's engagement radar.
    radar_pos : ndarray, shape (Bn, 3)
        Engagement radar of each battalion.
    radar_range_m : ndarray, shape (Bn,)
    assessment_delay_s : float
        From intercept to the kill assessment reaching the command post.
    missile_names : tuple of str
    min_altitude_m, max_altitude_m, min_range_m, max_range_m, pk_max : ndarray, shape (Mt,)
    cost_usd : ndarray, shape (Mt,)
        Unit cost: among equally effective missiles the cheapest is fired.
    flyout : tuple of FlyoutTable
    asset_pos : ndarray, shape (A, 3)
    asset_radius_m, asset_value : ndarray, shape (A,)
    keep_out_m : float
    salvo_size : int
    shoot_look_shoot : bool
    weapons_free : bool
    max_rounds_per_target : int
    iff_min_interrogations : int
        Detections without an IFF reply before a track is declared hostile [E]. With a reply
        probability p per detection, a friendly is misidentified with probability (1-p)^n.
    min_intercept_accel_mps2 : float
        Lateral acceleration a missile must still have at the predicted intercept point
        (fly-out table ``accel_mps2``), m/s^2; 0: no test.
    wta_method : str
        Weapon-target assignment each cycle: ``greedy``, ``heuristic`` or ``exact``
        (:func:`triumf.c2.wta.assign_batch`).
    wta_time_limit_s : float
        Wall-clock safety cap of one assignment problem for ``heuristic`` and ``exact``, s;
        the deterministic ``wta_work_limit`` normally stops them first.
    wta_work_limit : int
        Deterministic budget of one assignment problem: improving moves of the local search
        (``heuristic``) or branch-and-bound nodes over all MILP rounds (``exact``), so results
        do not depend on the machine's speed.
    zone_min_m, zone_max_m : ndarray, shape (Mt,), optional
        Engagement zone of each missile type (ground range of the intercept point from the
        launcher); None: no zones.
    reserve_rounds : ndarray of int, shape (Mt,), optional
        Rounds of each type kept on every launcher for imminent threats; None: no reserve.
    reserve_release_s : float
        Time to go below which a threat is imminent and may draw on the reserve, s.
    corridors : Corridors, optional
        Friendly corridors; None: none.
    loaded : ndarray of int, shape (W, Mt), optional
        Initial load of each launcher (what a reload restores); None: no reloads.
    reload_time_s : ndarray, shape (W,), optional
    reloads : ndarray of int, shape (W,), optional
        Reload sets available to each launcher.
    """

    launcher_pos: NDArray[np.float64]
    launcher_battalion: NDArray[np.int64]
    ripple_interval_s: NDArray[np.float64]
    reaction_time_s: NDArray[np.float64]
    max_targets: NDArray[np.int64]
    max_missiles: NDArray[np.int64]
    radar_pos: NDArray[np.float64]
    radar_range_m: NDArray[np.float64]
    assessment_delay_s: float
    missile_names: tuple[str, ...]
    min_altitude_m: NDArray[np.float64]
    max_altitude_m: NDArray[np.float64]
    min_range_m: NDArray[np.float64]
    max_range_m: NDArray[np.float64]
    pk_max: NDArray[np.float64]
    cost_usd: NDArray[np.float64]
    flyout: tuple[FlyoutTable, ...]
    asset_pos: NDArray[np.float64]
    asset_radius_m: NDArray[np.float64]
    asset_value: NDArray[np.float64]
    keep_out_m: float
    salvo_size: int
    shoot_look_shoot: bool
    weapons_free: bool
    max_rounds_per_target: int
    iff_min_interrogations: int = 3
    min_intercept_accel_mps2: float = 0.0
    wta_method: str = "greedy"
    wta_time_limit_s: float = 60.0
    wta_work_limit: int = 10_000
    zone_min_m: NDArray[np.float64] | None = None
    zone_max_m: NDArray[np.float64] | None = None
    reserve_rounds: NDArray[np.int64] | None = None
    reserve_release_s: float = 30.0
    corridors: Corridors | None = None
    loaded: NDArray[np.int64] | None = None
    reload_time_s: NDArray[np.float64] | None = None
    reloads: NDArray[np.int64] | None = None


@dataclass
class C2State:
    """The command post's memory, shape (R, ...) (updated in place).

    Attributes
    ----------
    inventory : ndarray of int, shape (R, W, Mt)
        Ready missiles on each launcher.
    launcher_free_at : ndarray, shape (R, W)
        Earliest next launch from each launcher, s.
    track_id : ndarray of int, shape (R, K)
        Track number the per-track memory below belongs to (slots are reused).
    rounds_fired : ndarray of int, shape (R, K)
    wait_until : ndarray, shape (R, K)
        No new salvo at this track before this time (assessment or predicted intercept).
    reason : ndarray of int8, shape (R, K)
        Last reported `NoFireReason`.
    reloads_left : ndarray of int, shape (R, W), optional
        Reload sets left per launcher (set up at the first cycle from ``C2Params.reloads``).
    reload_done_at : ndarray, shape (R, W), optional
        End of the running reload, s (inf: not reloading).
    accel, ref_vel : ndarray, shape (R, K, 3), optional
        Each track's differenced acceleration (m/s^2) and the velocity (m/s) the next
        difference starts from (:mod:`triumf.c2.target_motion`); set up at the first cycle.
    ref_time : ndarray, shape (R, K), optional
        Time of ``ref_vel``, s (``-inf``: none yet).
    accel_count : ndarray of int, shape (R, K), optional
        Differences averaged into ``accel`` (the estimate is used from
        ``target_motion.MIN_DIFFERENCES`` on).
    """

    inventory: NDArray[np.int64]
    launcher_free_at: NDArray[np.float64]
    track_id: NDArray[np.int64]
    rounds_fired: NDArray[np.int64]
    wait_until: NDArray[np.float64]
    reason: NDArray[np.int8]
    reloads_left: NDArray[np.int64] | None = None
    reload_done_at: NDArray[np.float64] | None = None
    accel: NDArray[np.float64] | None = None
    ref_vel: NDArray[np.float64] | None = None
    ref_time: NDArray[np.float64] | None = None
    accel_count: NDArray[np.int64] | None = None

    @classmethod
    def initial(cls, loaded: NDArray[np.int64], n_rep: int, n_tracks: int) -> C2State:
        """Full magazines (``loaded`` shape (W, Mt)) and an empty memory."""
        n_w = loaded.shape[0]
        return cls(
            inventory=np.broadcast_to(loaded, (n_rep,) + loaded.shape).copy(),
            launcher_free_at=np.zeros((n_rep, n_w)),
            track_id=np.zeros((n_rep, n_tracks), np.int64),
            rounds_fired=np.zeros((n_rep, n_tracks), np.int64),
            wait_until=np.full((n_rep, n_tracks), -np.inf),
            reason=np.zeros((n_rep, n_tracks), np.int8),
        )


@dataclass(frozen=True)
class FireOrders:
    """Salvos ordered this cycle, one entry per round (flat arrays).

    Attributes
    ----------
    r, track_slot, unit, mtype : ndarray of int
    track_id : ndarray of int
    t_launch : ndarray
        Launch time of each round, s.
    t_intercept : ndarray
        Predicted intercept time, s.
    aim : ndarray, shape (n, 6)
        Track state [position, velocity] at the order, for the first uplink.
    aim_accel : ndarray, shape (n, 3)
        Acceleration assumed for the target when predicting the intercept point (gravity plus
        the drag the track shows for ballistic tracks, see
        :func:`triumf.c2.target_motion.ballistic_accel`; zero otherwise).
    """

    r: NDArray[np.intp]
    track_slot: NDArray[np.intp]
    unit: NDArray[np.intp]
    mtype: NDArray[np.intp]
    track_id: NDArray[np.int64]
    t_launch: NDArray[np.float64]
    t_intercept: NDArray[np.float64]
    aim: NDArray[np.float64]
    aim_accel: NDArray[np.float64]


def command_cycle(
    state: C2State,
    params: C2Params,
    tracks: Tracks,
    t: float,
    channel_targets: NDArray[np.int64],
    channel_missiles: NDArray[np.int64],
    fc_sees: NDArray[np.bool_] | None = None,
) -> tuple[FireOrders, NDArray[np.int8]]:
    """One command-post cycle (``state`` is updated in place).

    Parameters
    ----------
    tracks : Tracks
        The fused air picture (never truth).
    t : float
        Time now, s.
    channel_targets, channel_missiles : ndarray of int, shape (R, Bn)
        Target and missile channels in use in each battalion.
    fc_sees : ndarray of bool, shape (R, W, K), optional
        Whether each fire unit's engagement radar holds each track now (default: all True).
        A fire unit engages only tracks its engagement radar holds.

    Returns
    -------
    orders : FireOrders
    reason : ndarray of int8, shape (R, K)
        This cycle's `NoFireReason` of every confirmed track (NONE where engaged now or not
        confirmed).
    """
    n_rep, n_trk = tracks.status.shape
    reloading = _reload(state, params, t)
    reused = tracks.track_id != state.track_id
    state.track_id[reused] = tracks.track_id[reused]
    state.rounds_fired[reused] = 0
    state.wait_until[reused] = -np.inf
    state.reason[reused] = 0
    acc_est, acc_known = _track_accel(state, tracks, reused)

    confirmed = tracks.status == TrackStatus.CONFIRMED
    # declared hostile only after enough detections (IFF interrogations) without a reply
    unidentified = confirmed & ~tracks.friend & (tracks.hits < params.iff_min_interrogations)
    hostile = confirmed & ~tracks.friend & ~unidentified
    corridor = confirmed & ~tracks.friend & in_corridor(tracks.x[..., :3], params.corridors)
    unidentified &= ~corridor
    hostile &= ~corridor
    # threat evaluation on the hostile tracks only, gathered into one flat batch
    hr, hk = np.nonzero(hostile)
    asset = np.full((n_rep, n_trk), -1, np.int64)
    t_go = np.full((n_rep, n_trk), np.inf)
    value = np.zeros((n_rep, n_trk))
    ballistic = np.zeros((n_rep, n_trk), bool)
    if hr.size:
        tp = evaluate_threats(
            tracks.x[hr, hk][None], np.ones((1, hr.size), bool), params.asset_pos,
            params.asset_radius_m, params.asset_value, params.keep_out_m,
        )
        asset[hr, hk] = tp.asset[0]
        t_go[hr, hk] = np.where(tp.asset[0] >= 0, tp.t_go_s[0], np.inf)
        value[hr, hk] = tp.value[0]
        ballistic[hr, hk] = tp.ballistic[0]
    threatening = asset >= 0
    value = np.where(threatening, value,
                     UNTHREATENING_VALUE_FRACTION * float(params.asset_value.min()))
    reason = np.zeros((n_rep, n_trk), np.int8)
    reason[confirmed & tracks.friend] = NoFireReason.FRIENDLY
    reason[unidentified] = NoFireReason.NOT_IDENTIFIED
    reason[corridor] = NoFireReason.FRIENDLY_CORRIDOR
    # shoot-look-shoot waits for the kill assessment; shoot-shoot only for the predicted
    # intercept (see `_order`)
    waiting = hostile & (state.wait_until > t)
    reason[waiting] = NoFireReason.AWAITING_ASSESSMENT
    tight = hostile & ~waiting & ~threatening & (not params.weapons_free)
    reason[tight] = NoFireReason.WEAPONS_TIGHT
    spent = hostile & ~waiting & ~tight & (state.rounds_fired >= params.max_rounds_per_target)
    reason[spent] = NoFireReason.ROUND_LIMIT
    # a track still speeding up along its path (motor burning) has no predictable PIP
    boost = hostile & ~waiting & ~tight & ~spent & boosting(
        acc_est, tracks.x[..., :3], tracks.x[..., 3:], acc_known)
    reason[boost] = NoFireReason.BOOSTING
    eligible = hostile & ~waiting & ~tight & ~spent & ~boost
    er, ek = np.nonzero(eligible)
    if er.size == 0:
        return _no_orders(), reason

    # engageability of the eligible tracks, flat batch (1, W, N, Mt) -> (N, W, Mt)
    bat = params.launcher_battalion
    delay = params.reaction_time_s[bat]
    x_e = tracks.x[er, ek]
    accel = np.where(ballistic[er, ek][:, None],
                     ballistic_accel(x_e[:, :3], x_e[:, 3:], acc_est[er, ek],
                                     acc_known[er, ek]), 0.0)
    eng = _engageability(params, x_e, accel, t_go[er, ek], delay)
    feasible = np.moveaxis(eng.feasible[0], 1, 0)  # (N, W, Mt)
    geo = np.moveaxis(eng.reason[0], 1, 0)
    t_int = np.moveaxis(eng.t_intercept_s[0], 1, 0)
    has_missile = state.inventory[er] > 0  # (N, W, Mt)
    ready = (state.launcher_free_at[er] <= t + delay[None, :]) & ~reloading[er]  # (N, W)
    # zones: feasible for the missile, but doctrine keeps this type for another layer
    if params.zone_min_m is not None and params.zone_max_m is not None:
        pip = np.moveaxis(eng.pip[0], 1, 0)  # (N, W, Mt, 3)
        zoned = feasible & in_zone(pip, params.launcher_pos, params.zone_min_m,
                                   params.zone_max_m)
    else:
        zoned = feasible
    sees = (np.ones((er.size, bat.size), bool) if fc_sees is None
            else np.moveaxis(np.asarray(fc_sees), 2, 1)[er, ek])  # (N, W)
    usable = zoned & has_missile & ready[:, :, None] & sees[:, :, None]
    n_bat = len(params.reaction_time_s)
    free_t_all = np.maximum(params.max_targets[None, :] - channel_targets, 0)  # (R, Bn)
    free_m_all = np.maximum(params.max_missiles[None, :] - channel_missiles, 0)
    # reserve: the last rounds of each type on a launcher only for imminent threats
    blocks = 2 if params.reserve_rounds is not None else 1
    imminent = t_go[er, ek] <= params.reserve_release_s

    def split(usable: NDArray[np.bool_]) -> tuple[NDArray[np.int64], NDArray[np.int64],
                                                   NDArray[np.bool_], NDArray[np.bool_]]:
        if params.reserve_rounds is None:
            return (state.inventory, np.zeros_like(state.inventory), usable,
                    np.zeros_like(usable))
        free_inv, res_inv = reserve_split(state.inventory, params.reserve_rounds)
        return (free_inv, res_inv, usable & (free_inv[er] > 0),
                usable & (res_inv[er] > 0) & imminent[:, None, None])

    free_inv, res_inv, usable_free, usable_res = split(usable)
    # explanations use each battalion's resources at the start of the cycle
    why_bat = []
    for b in range(n_bat):
        wb = np.flatnonzero(bat == b)
        if wb.size:
            why_bat.append(_explain(
                geo[:, wb], feasible[:, wb], has_missile[:, wb] | reloading[er][:, wb, None],
                ready[:, wb], free_t_all[er, b], free_m_all[er, b], zoned[:, wb], sees[:, wb],
                usable_free[:, wb], usable_res[:, wb]))
    # each track is offered first to the battalion that intercepts it earliest
    # (triumf.c2.coordination), then to the others
    with_channels = (free_t_all[er] > 0) & (free_m_all[er] > 0)  # (N, Bn)
    pref = preferred_battalion(
        t_int, (usable_free | usable_res) & with_channels[:, bat, None], bat, n_bat)

    n_mt = state.inventory.shape[2]
    open_ = np.ones(er.size, bool)
    # column of each eligible track in its replication's assignment problem
    first = np.searchsorted(er, er, side="left")
    col = np.arange(er.size) - first
    n_col = int(col.max()) + 1
    used_t = np.zeros((n_rep, n_bat), np.int64)
    used_m = np.zeros((n_rep, n_bat), np.int64)
    orders: list[FireOrders] = []
    for second in (False, True):
        if second:
            if not (open_ & (pref >= 0)).any():
                break
            if orders:  # pass 1 spent rounds and launcher time: the resources left now
                has_now = state.inventory[er] > 0
                ready_now = (state.launcher_free_at[er] <= t + delay[None, :]) & ~reloading[er]
                free_inv, res_inv, usable_free, usable_res = split(
                    zoned & has_now & ready_now[:, :, None] & sees[:, :, None])
        for b in range(n_bat):
            wb = np.flatnonzero(bat == b)
            offer = open_ & ((pref != b) & (pref >= 0) if second else (pref == b))
            if wb.size == 0 or not offer.any():
                continue
            # WTA per replication over its offered tracks only: p_kill (R, w*Mt, n), with
            # column j of replication r holding its j-th eligible track (er sorted by r)
            # rows: (block, unit, type) with block 0 the free rounds and block 1 the reserve
            rows = blocks * wb.size * n_mt
            p = np.zeros((n_rep, rows, n_col))
            pk_b = [np.where(u[:, wb], _economy_pk(params)[None, None, :], 0.0)
                    for u in (usable_free, usable_res)[:blocks]]
            pk = np.concatenate([q.reshape(er.size, -1) for q in pk_b], axis=1)
            p[er, :, col] = pk * offer[:, None]
            vals = np.zeros((n_rep, n_col))
            vals[er, col] = value[er, ek]
            weapons = np.concatenate([inv[:, wb, :].reshape(n_rep, -1)
                                      for inv in (free_inv, res_inv)[:blocks]], axis=1)
            free_t = np.maximum(free_t_all[:, b] - used_t[:, b], 0)
            free_m = np.maximum(free_m_all[:, b] - used_m[:, b], 0)
            x = assign_batch(vals, p, weapons, free_t, free_m, params.salvo_size,
                             params.wta_method, params.wta_time_limit_s,
                             work_limit=params.wta_work_limit)
            if x.shape[1] == 0:  # no missile loaded anywhere (all magazines empty): no rounds
                x = np.zeros((n_rep, 1, n_col), np.int64)
            # at most one salvo per track per cycle: keep the weapon given the most rounds
            best = np.argmax(x, axis=1)  # (R, n)
            rounds = np.minimum(np.take_along_axis(x, best[:, None, :], axis=1)[:, 0, :],
                                params.salvo_size)
            fired = offer & (rounds[er, col] > 0)
            if fired.any():
                rr, kk = er[fired], ek[fired]
                w_local, mt = np.divmod(best[rr, col[fired]] % (wb.size * n_mt), n_mt)
                orders.append(_order(state, params, tracks, t_int[fired], t, delay,
                                     rr, kk, wb[w_local], mt, rounds[rr, col[fired]],
                                     accel[fired]))
                np.add.at(used_t[:, b], rr, 1)
                np.add.at(used_m[:, b], rr, rounds[rr, col[fired]])
            open_ &= ~fired
    # explain the tracks left (the first battalion's reason, as with one battalion)
    for why in why_bat:
        fill = open_ & (reason[er, ek] == 0)
        reason[er[fill], ek[fill]] = why[fill]
    if not orders:
        return _no_orders(), reason
    reason[er[~open_], ek[~open_]] = 0
    return _concat(orders), reason


def _track_accel(state: C2State, tracks: Tracks, reused: NDArray[np.bool_]
                 ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Update and return the tracks' differenced accelerations (R, K, 3) and where known."""
    shape = tracks.status.shape
    if state.accel is None or state.ref_vel is None or state.ref_time is None \
            or state.accel_count is None:
        state.accel = np.zeros(shape + (3,))
        state.ref_vel = np.zeros(shape + (3,))
        state.ref_time = np.full(shape, -np.inf)
        state.accel_count = np.zeros(shape, np.int64)
    live = tracks.status != TrackStatus.FREE
    state.ref_time[reused | ~live] = -np.inf
    state.accel_count[reused | ~live] = 0
    a, v0, t0, n = update_accel(state.accel, state.ref_vel, state.ref_time,
                                tracks.x[..., 3:], tracks.t_state, state.accel_count)
    state.accel[live], state.ref_vel[live] = a[live], v0[live]
    state.ref_time[live], state.accel_count[live] = t0[live], n[live]
    return state.accel, state.accel_count >= MIN_DIFFERENCES


def _engageability(params: C2Params, x: NDArray[np.float64], accel: NDArray[np.float64],
                   t_go: NDArray[np.float64], delay: NDArray[np.float64]) -> Engageability:
    """Predicted intercept points of N tracks, with gravity and drag for ballistic ones.

    The intercept solver extrapolates a track in a straight line. A ballistic track (``accel``
    non-zero: gravity plus drag, :func:`triumf.c2.target_motion.ballistic_accel`) is replaced
    by the tangent to its parabola at the expected intercept time, found in two passes: first
    at half its time to go, then at the intercept time the first pass predicts. The tangent's
    error at the intercept is of second order in the time mismatch, a few metres where the
    straight line would be kilometres off.

    Shapes: x (N, 6), accel (N, 3), t_go (N,); returns arrays of shape (1, W, N, Mt).
    """
    has_acc = np.any(accel != 0.0, axis=1)
    t_go_c = np.where(np.isfinite(t_go), t_go, 60.0)
    tau = np.where(has_acc, np.minimum(t_go_c, 120.0) / 2.0, 0.0)
    eng = _solve_tangent(params, x, accel, tau, t_go, delay)
    b = np.flatnonzero(has_acc)
    if b.size == 0:
        return eng
    # second pass for the ballistic tracks, tangent at the first pass's earliest intercept
    t_int = np.where(eng.feasible[0][:, b], eng.t_intercept_s[0][:, b], np.inf)  # (W, n, Mt)
    best = np.min(np.moveaxis(t_int, 1, 0).reshape(b.size, -1), axis=1)
    tau_b = np.where(np.isfinite(best), best, tau[b])
    again = _solve_tangent(params, x[b], accel[b], tau_b, t_go[b], delay)
    fields = {}
    for f in Engageability.__dataclass_fields__:
        a = getattr(eng, f).copy()
        a[:, :, b] = getattr(again, f)
        fields[f] = a
    return Engageability(**fields)


def _solve_tangent(params: C2Params, x: NDArray[np.float64], accel: NDArray[np.float64],
                   tau: NDArray[np.float64], t_go: NDArray[np.float64],
                   delay: NDArray[np.float64]) -> Engageability:
    """Intercept solutions for the straight line tangent to each track's path at ``tau``."""
    v_tan = x[:, 3:] + accel * tau[:, None]
    p_tan = x[:, :3] + x[:, 3:] * tau[:, None] + 0.5 * accel * tau[:, None] ** 2
    state = np.concatenate([p_tan - v_tan * tau[:, None], v_tan], axis=1)
    bat = params.launcher_battalion
    return intercept_solutions(
        state[None], params.launcher_pos, delay, list(params.flyout),
        params.min_altitude_m, params.max_altitude_m, params.max_range_m, params.min_range_m,
        t_go[None], params.radar_pos[bat], params.radar_range_m[bat],
        min_accel_mps2=params.min_intercept_accel_mps2,
    )


def _economy_pk(params: C2Params) -> NDArray[np.float64]:
    """Kill probabilities nudged down by a hair for dearer missiles, shape (Mt,).

    Breaks ties in the assignment in favour of the cheaper missile (a 9M96E2 rather than a
    40N6E against a drone both can reach) without changing any real preference.
    """
    cost = params.cost_usd / max(float(params.cost_usd.max(initial=0.0)), 1.0)
    return params.pk_max * (1.0 - 1e-6 * cost)


def _order(state: C2State, params: C2Params, tracks: Tracks, t_int: NDArray[np.float64],
           t: float, delay: NDArray[np.float64], rr: NDArray[np.intp], kk: NDArray[np.intp],
           w: NDArray[np.intp], mt: NDArray[np.intp], rounds: NDArray[np.int64],
           accel: NDArray[np.float64]) -> FireOrders:
    """Turn assignments into rounds with launch times, and book them.

    ``t_int`` (n, W, Mt) holds the predicted intercept times (from now, launch delay
    included) of the n assigned tracks for every fire unit; ``w`` are global unit indices.
    """
    n = int(rounds.sum())
    rep = np.repeat(np.arange(rr.size), rounds)
    # round index within its salvo
    first = np.repeat(np.cumsum(rounds) - rounds, rounds)
    i = np.arange(n) - first
    r, k, u, m = rr[rep], kk[rep], w[rep], mt[rep]
    t_fly = t_int[rep, u, m] - delay[u]
    ripple = params.ripple_interval_s[u]
    t0 = np.maximum(t + delay[u], state.launcher_free_at[r, u]) + i * ripple
    # several salvos from one launcher in one cycle queue up behind each other
    t_launch = np.empty(n)
    free_at: dict[tuple[int, int], float] = {}
    for j in np.lexsort((t0, u, r)):  # a handful of rounds per cycle
        key = (int(r[j]), int(u[j]))
        t_launch[j] = max(t0[j], free_at.get(key, -np.inf))
        free_at[key] = t_launch[j] + ripple[j]
    t_icpt = t_launch + t_fly
    np.add.at(state.inventory, (r, u, m), -1)
    np.maximum.at(state.launcher_free_at, (r, u), t_launch + ripple)
    np.add.at(state.rounds_fired, (r, k), 1)
    hold = t_icpt + (params.assessment_delay_s if params.shoot_look_shoot else 0.0)
    np.maximum.at(state.wait_until, (r, k), hold)
    return FireOrders(
        r=r, track_slot=k, unit=u, mtype=m, track_id=tracks.track_id[r, k],
        t_launch=t_launch, t_intercept=t_icpt, aim=tracks.x[r, k].copy(),
        aim_accel=accel[rep],
    )


def _explain(geo: NDArray[np.int8], feasible: NDArray[np.bool_],
             has_missile: NDArray[np.bool_], ready: NDArray[np.bool_],
             free_t: NDArray[np.int64], free_m: NDArray[np.int64],
             zoned: NDArray[np.bool_] | None = None, sees: NDArray[np.bool_] | None = None,
             usable_free: NDArray[np.bool_] | None = None,
             usable_res: NDArray[np.bool_] | None = None) -> NDArray[np.int8]:
    """Reason for each candidate left without a salvo, shape (N,).

    Shapes: geo, feasible, has_missile, zoned, usable_free and usable_res (N, w, Mt), ready
    and sees (N, w), free_t and free_m (N,). The reason is the first missing link: an
    intercept point, the doctrine's zone, a ready round, a fire-control track, a free
    channel, a round outside the reserve; with all of them the track lost to higher values.
    """
    zoned = feasible if zoned is None else zoned
    sees = np.ones(ready.shape, bool) if sees is None else sees
    any_feasible = feasible.any(axis=(1, 2))
    in_zone_ = zoned.any(axis=(1, 2))
    with_missile = (zoned & has_missile).any(axis=(1, 2))
    with_ready = (zoned & has_missile & ready[:, :, None]).any(axis=(1, 2))
    with_fc = (zoned & has_missile & (ready & sees)[:, :, None]).any(axis=(1, 2))
    out = np.full(geo.shape[0], NoFireReason.LOWER_PRIORITY, np.int8)
    out[free_t == 0] = NoFireReason.NO_TARGET_CHANNEL
    out[(free_m == 0) & (free_t > 0)] = NoFireReason.NO_MISSILE_CHANNEL
    if usable_free is not None and usable_res is not None:
        only_reserve = ~usable_free.any(axis=(1, 2)) & ~usable_res.any(axis=(1, 2))
        out[only_reserve & with_fc] = NoFireReason.HELD_IN_RESERVE
    out[~with_fc] = NoFireReason.NO_FIRE_CONTROL_TRACK
    out[~with_ready] = NoFireReason.LAUNCHER_BUSY
    out[~with_missile] = NoFireReason.MAGAZINE_EMPTY
    out[~in_zone_] = NoFireReason.OUTSIDE_ENGAGEMENT_ZONE
    geo_best = np.full(geo.shape[0], NoFireReason.OUT_OF_RANGE, np.int8)
    for why in reversed(_GEOMETRY_ORDER):
        geo_best[(geo == why).any(axis=(1, 2))] = why
    return np.where(any_feasible, out, geo_best).astype(np.int8)


def _no_orders() -> FireOrders:
    zi = np.zeros(0, np.intp)
    zf = np.zeros(0)
    return FireOrders(zi, zi, zi, zi, np.zeros(0, np.int64), zf, zf, np.zeros((0, 6)),
                      np.zeros((0, 3)))


def _concat(orders: list[FireOrders]) -> FireOrders:
    return FireOrders(*[np.concatenate([getattr(o, f) for o in orders])
                        for f in FireOrders.__dataclass_fields__])


def _reload(state: C2State, params: C2Params, t: float) -> NDArray[np.bool_]:
    """Advance launcher reloads; which launchers are reloading, shape (R, W)."""
    n_rep, n_w = state.launcher_free_at.shape
    if params.loaded is None or params.reloads is None or params.reload_time_s is None:
        return np.zeros((n_rep, n_w), bool)
    if state.reloads_left is None or state.reload_done_at is None:
        state.reloads_left = np.broadcast_to(params.reloads, (n_rep, n_w)).copy()
        state.reload_done_at = np.full((n_rep, n_w), np.inf)
    return reload_step(state.inventory, state.reloads_left, state.reload_done_at,
                       params.loaded, params.reload_time_s, t)

"""The engine: one tick of the kill chain, in order, for R replications at once.

threat (truth moves) -> engage (interceptors fly, endgame) -> sense (radars that are due scan)
-> track (each scan is fused as it arrives) -> assess (kill reports reach the command post)
-> c2 (once per cycle: evaluate, assign, order fire). Truth flows only into sense, engage and
the scorer; the tracker and the command post see detections, tracks and reports.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from triumf.assess.reports import KillReports
from triumf.c2.base import NoFireReason
from triumf.c2.doctrine import C2State, FireOrders, command_cycle
from triumf.core import rng
from triumf.engage.base import Interceptors, InterceptorStatus
from triumf.engage.flight import EndCause, FlightEvents, fly
from triumf.sense.environment import jammer_positions
from triumf.sense.scan import DRAWS_PER_SCAN, PdTables, in_sector, scan, visibility
from triumf.sense.visibility import TerrainMask, radar_terrain_masks
from triumf.sim.events import EventKind, EventLog
from triumf.sim.outcomes import Outcomes
from triumf.sim.params import SimParams
from triumf.sim.recording import Recorder
from triumf.sim.track_scoring import SAMPLE_PERIOD_S, TrackScore
from triumf.threat.base import Truth
from triumf.threat.raid import advance, init_truth
from triumf.track.base import Tracks, TrackStatus
from triumf.track.manager import drop_tracks, process_scan

# random-draw counters: each tick owns a block of this many counters per stage
_COUNTERS_PER_TICK = 1024

# Pd look-up tables, a pure function of (pfa, pulses, Swerling case): built once per process
# and shared by every run (each chunk of a campaign used to rebuild them: ~25% of a small chunk)
_PD_TABLES = PdTables()

REASON_NAMES: dict[int, str] = {int(r): r.name.lower() for r in NoFireReason if r}
# reasons that mean "the geometry allowed a shot but the battalion had nothing to shoot with"
_CAPACITY_REASONS = np.array([NoFireReason.NO_TARGET_CHANNEL, NoFireReason.NO_MISSILE_CHANNEL,
                              NoFireReason.MAGAZINE_EMPTY, NoFireReason.LAUNCHER_BUSY,
                              NoFireReason.LOWER_PRIORITY])


@dataclass
class RunResult:
    """What one batch of replications produced.

    Attributes
    ----------
    replications : ndarray of int, shape (R,)
    events : EventLog
    outcomes : Outcomes
    killed, leaked : ndarray of bool, shape (R, T)
    spent : ndarray of int, shape (R, Mt)
        Interceptors launched, by missile type.
    fired_at_friendly : ndarray of int, shape (R,)
        Fire orders at tracks identified friendly (must be 0: IFF is honoured).
    track_score : TrackScore, optional
        Track metrics sampled during the run (GOSPA, continuity, false tracks).
    """

    replications: NDArray[np.int64]
    events: EventLog
    outcomes: Outcomes
    killed: NDArray[np.bool_]
    leaked: NDArray[np.bool_]
    spent: NDArray[np.int64]
    fired_at_friendly: NDArray[np.int64]
    track_score: TrackScore | None = None


@dataclass
class _World:
    """Everything that changes during a run."""

    truth: Truth
    tracks: Tracks
    track_truth: NDArray[np.int64]
    c2: C2State
    icp: Interceptors
    reports: KillReports
    out: Outcomes
    spent: NDArray[np.int64]
    fired_at_friendly: NDArray[np.int64]
    score: TrackScore | None = None


def run(
    params: SimParams,
    replications: NDArray[np.int64] | range,
    progress: Callable[[float], None] | None = None,
    record: Recorder | None = None,
    *,
    on_tick: Callable[[float, _World], None] | None = None,
) -> RunResult:
    """Run a batch of replications of one scenario.

    Parameters
    ----------
    params : SimParams
    replications : array of int, shape (R,)
        Global replication indices: replication ``r`` gives the same result in any batch.
    progress : callable, optional
        Called with the fraction of simulated time done, now and then.
    record : Recorder, optional
        Trajectory recorder (`triumf.sim.recording`); off by default. It only reads the
        state, so the results are the same with or without it.
    on_tick : callable, optional
        Debug hook, called as ``on_tick(t, world)`` at the end of every tick with the live
        state (truth, tracks, interceptors, outcomes): the numerical invariant tests
        (tests/reliability/test_invariants_*.py) inspect it. It must not modify the state.
    """
    reps = np.asarray(replications, dtype=np.int64)
    n_rep, n_thr = reps.size, params.threats.count
    rk = rng.replication_keys(params.seed, reps)
    keys = {s: rng.stage_keys(rk, s) for s in rng.Stage}
    log = EventLog(reps)
    w = _World(
        truth=init_truth(params.threats, keys[rng.Stage.THREAT], terrain=params.terrain),
        tracks=Tracks.empty(n_rep, params.tracker.capacity, n_sensors=len(params.radars),
                            n_modes=2 if params.tracker.motion_model == "imm" else 0),
        track_truth=np.full((n_rep, params.tracker.capacity), -1, np.int64),
        c2=C2State.initial(params.loaded, n_rep, params.tracker.capacity),
        icp=Interceptors.empty(n_rep, params.interceptor_slots),
        reports=KillReports.empty(n_rep, params.interceptor_slots),
        out=Outcomes.empty(n_rep, n_thr),
        spent=np.zeros((n_rep, params.missiles.count), np.int64),
        fired_at_friendly=np.zeros(n_rep, np.int64),
    )
    w.out.t_launch[:] = w.truth.t_launch
    w.score = TrackScore.empty(n_rep, params.tracker.capacity, n_thr)
    if record is not None:
        record.begin(reps, params)
    tables = _PD_TABLES
    masks = radar_terrain_masks([r.pos for r in params.radars], params.terrain,
                                params.effective_earth_factor)
    dt = params.time_step_s
    # stagger the radars' first looks over their revisit periods (no common phase)
    n_rad = len(params.radars)
    next_scan = np.array([r.revisit_s * (i + 1) / (n_rad + 1)
                          for i, r in enumerate(params.radars)])
    # track-mode updates of cued targets between searches (radars with a track mode)
    next_track = np.array([r.track_revisit_s for r in params.radars])
    next_c2 = 0.0
    launched_before = w.truth.launched.copy()
    # a search and a track-mode scan per radar per tick must fit in the tick's counter block
    per_tick = max(_COUNTERS_PER_TICK,
                   1 << int(np.ceil(np.log2(2 * max(n_rad, 1) * DRAWS_PER_SCAN))))
    for tick in range(1, params.n_steps + 1):
        t_prev, t = (tick - 1) * dt, tick * dt
        base = tick * per_tick
        # threats see the interceptors in flight (warning receivers: evasive breaks)
        arrived = advance(w.truth, params.threats, t_prev, t, w.icp.pos,
                          w.icp.status == InterceptorStatus.FLYING)
        _log_launches(log, w, launched_before, t)
        launched_before = w.truth.launched.copy()
        _engage(params, w, log, t_prev, t, keys[rng.Stage.ENGAGE], base)
        _leaks(params, w, log, arrived, t)
        for s, radar in enumerate(params.radars):
            if t + 1e-9 >= next_scan[s]:
                next_scan[s] += radar.revisit_s
                _sense_and_track(params, w, log, s, t, keys[rng.Stage.SENSE],
                                 base + s * DRAWS_PER_SCAN, tables, masks[s])
            elif t + 1e-9 >= next_track[s]:
                _sense_and_track(params, w, log, s, t, keys[rng.Stage.SENSE],
                                 base + (n_rad + s) * DRAWS_PER_SCAN, tables, masks[s],
                                 track_mode=True)
            while t + 1e-9 >= next_track[s]:
                next_track[s] += radar.track_revisit_s
        if t + 1e-9 >= next_c2:
            next_c2 += params.c2_cycle_s
            _assess(w, log, t)
            _command(params, w, log, t)
        if t + 1e-9 >= w.score.next_sample_s:
            w.score.next_sample_s += SAMPLE_PERIOD_S
            w.score.sample(_state_now(w.tracks, t)[..., :3], w.tracks.confirmed,
                           w.tracks.track_id, w.track_truth, w.truth.pos, w.truth.active)
        if record is not None:
            record.sample(t, w.truth, w.tracks, w.icp, w.track_truth)
        if on_tick is not None:
            on_tick(t, w)
        if progress is not None and tick % 50 == 0:
            progress(tick / params.n_steps)
    if progress is not None:
        progress(1.0)
    hostile = params.threats.hostile[None, :]
    leaked = ~np.isnan(w.out.t_leak) & hostile
    killed = ~np.isnan(w.out.t_kill)
    return RunResult(reps, log, w.out, killed, leaked, w.spent, w.fired_at_friendly, w.score)


def _state_now(tracks: Tracks, t: float) -> NDArray[np.float64]:
    """Track states predicted to ``t`` with the constant-velocity model, shape (R, K, 6)."""
    dt = np.where(tracks.live, np.maximum(t - tracks.t_state, 0.0), 0.0)
    x = tracks.x.copy()
    x[..., :3] += x[..., 3:] * dt[..., None]
    return x


def _log_launches(log: EventLog, w: _World, before: NDArray[np.bool_], t: float) -> None:
    r, i = np.nonzero(w.truth.launched & ~before)
    log.add(w.truth.t_launch[r, i], EventKind.THREAT_LAUNCH, r, threat=i)


def _engage(params: SimParams, w: _World, log: EventLog, t_prev: float, t: float,
            keys: NDArray[np.uint64], base: int) -> None:
    """Uplink the latest tracks, fly the interceptors, score the endgames."""
    icp = w.icp
    busy = icp.status == InterceptorStatus.FLYING
    busy |= icp.status == InterceptorStatus.SCHEDULED
    if not busy.any():
        return
    r, m = np.nonzero(busy)
    slot = icp.target_slot[r, m]
    same = w.tracks.track_id[r, slot] == icp.target_track_id[r, m]
    live = same & (w.tracks.status[r, slot] != TrackStatus.FREE)
    # inertial midcourse with radio correction: the target update is uplinked at intervals
    interval = params.missiles.setting("uplink_interval_s")[icp.mtype[r, m]]
    live &= w.tracks.t_state[r, slot] - icp.aim_time[r, m] >= interval - 1e-9
    ru, mu, su = r[live], m[live], slot[live]
    icp.aim[ru, mu] = w.tracks.x[ru, su]
    icp.aim_time[ru, mu] = w.tracks.t_state[ru, su]
    active = w.truth.active.copy()
    launcher_pos = params.c2.launcher_pos
    fe = fly(icp, params.missiles, launcher_pos, w.truth.pos, w.truth.vel, active, t_prev, t,
             params.engage_substep_s, keys, base)
    _record_flight(params, w, log, fe)


def _record_flight(params: SimParams, w: _World, log: EventLog, fe: FlightEvents) -> None:
    icp = w.icp
    r, m = fe.launched_r, fe.launched_m
    log.add(fe.launched_t, EventKind.INTERCEPTOR_LAUNCH, r, interceptor=m,
            unit=icp.launcher[r, m], track=icp.target_track_id[r, m], missile=icp.mtype[r, m],
            threat=w.track_truth[r, icp.target_slot[r, m]])
    np.add.at(w.spent, (r, icp.mtype[r, m]), 1)
    Outcomes.first(w.out.t_first_launch, r, w.track_truth[r, icp.target_slot[r, m]],
                   fe.launched_t)
    if fe.end_r.size == 0:
        return
    r, m, thr = fe.end_r, fe.end_m, fe.end_threat
    kill = fe.end_kill
    common = dict(interceptor=m, unit=icp.launcher[r, m], track=icp.target_track_id[r, m],
                  missile=icp.mtype[r, m])
    rk, tk = r[kill], thr[kill]
    newly = w.truth.alive[rk, tk]
    w.truth.alive[rk, tk] = False
    Outcomes.first(w.out.t_kill, rk[newly], tk[newly], fe.end_t[kill][newly])
    friendly = ~params.threats.hostile[tk]
    log.add(fe.end_t[kill], EventKind.KILL, rk, threat=tk, miss_m=fe.end_miss_m[kill],
            **{k: v[kill] for k, v in common.items()})
    if (friendly & newly).any():
        f = friendly & newly
        log.add(fe.end_t[kill][f], EventKind.FRATRICIDE, rk[f], threat=tk[f])
    miss = ~kill & ~fe.end_lost
    log.add(fe.end_t[miss], EventKind.MISS, r[miss], threat=thr[miss],
            miss_m=fe.end_miss_m[miss], **{k: v[miss] for k, v in common.items()})
    lost = fe.end_lost
    log.add(fe.end_t[lost], EventKind.INTERCEPTOR_LOST, r[lost], threat=thr[lost],
            **{k: v[lost] for k, v in common.items()})
    for cause, kind in ((EndCause.SEEKER_NOT_ACQUIRED, EventKind.SEEKER_NOT_ACQUIRED),
                        (EndCause.OUT_OF_ENERGY, EventKind.OUT_OF_ENERGY),
                        (EndCause.G_LIMITED_MISS, EventKind.G_LIMITED_MISS)):
        c = fe.end_cause == cause
        log.add(fe.end_t[c], kind, r[c], threat=thr[c], miss_m=fe.end_miss_m[c],
                **{k: v[c] for k, v in common.items()})
    has = (thr >= 0) & ~lost
    np.minimum.at(w.out.min_miss_m, (r[has], thr[has]), fe.end_miss_m[has])
    # a kill is reported against the track fired at only if that track is the body hit (the
    # seeker may lock onto another body); otherwise the fired-at track is reported not killed
    slot_m = icp.target_slot[r, m]
    same_track = w.tracks.track_id[r, slot_m] == icp.target_track_id[r, m]
    hit_fired_at = (thr == w.track_truth[r, slot_m]) | ~same_track
    w.reports.schedule(r, m, fe.end_t, kill & hit_fired_at, icp.target_slot[r, m],
                       icp.target_track_id[r, m], params.c2.assessment_delay_s)


def _leaks(params: SimParams, w: _World, log: EventLog, arrived: NDArray[np.bool_],
           t: float) -> None:
    r, i = np.nonzero(arrived & w.truth.alive & params.threats.hostile[None, :])
    Outcomes.first(w.out.t_leak, r, i, t)
    log.add(t, EventKind.LEAK, r, threat=i)


def _sense_and_track(params: SimParams, w: _World, log: EventLog, s: int, t: float,
                     keys: NDArray[np.uint64], counter: int, tables: PdTables,
                     mask: TerrainMask | None = None, track_mode: bool = False) -> None:
    """One radar scan (a search, or a track update of cued targets), fused at once."""
    radar = params.radars[s]
    thr = params.threats
    k_factor = params.effective_earth_factor
    track_pos = _state_now(w.tracks, t)[..., :3]
    # a radar with a track mode is cued by the air picture (the confirmed tracks)
    cue_valid = (w.tracks.status == TrackStatus.CONFIRMED) if radar.track_pulses > 0 else None
    jam_pos, jam_on = jammer_positions(params.jammers, t, w.truth.pos, w.truth.active)
    det, truth_id, detected = scan(
        radar, s, t, w.truth.pos, w.truth.active, thr.rcs_m2, thr.swerling, ~thr.hostile,
        params.iff_reply_probability, keys, counter, tables, k_factor=k_factor,
        los_visible=None if mask is None else mask.visible(w.truth.pos),
        vel=w.truth.vel, surface=params.surface, jammers=params.jammers, jammer_pos=jam_pos,
        jammer_on=jam_on, cue_pos=track_pos if cue_valid is not None else None,
        cue_valid=cue_valid, track_mode=track_mode,
    )
    r, i = np.nonzero(detected)
    fresh = np.isnan(w.out.t_first_detect[r, i])
    log.add(t, EventKind.FIRST_DETECTION, r[fresh], threat=i[fresh])
    Outcomes.first(w.out.t_first_detect, r, i, t)

    could_see, _, track_az, _ = visibility(radar, track_pos, k_factor)
    if mask is not None:
        could_see &= mask.visible(track_pos)
    if track_mode and cue_valid is not None:
        could_see &= cue_valid
    else:
        could_see &= in_sector(radar, track_az) | (cue_valid if cue_valid is not None else False)
    was_friend = w.tracks.friend.copy()
    ids_before = w.tracks.track_id.copy()
    # only confirmed tracks' drops are events (tentative ones from false alarms come and go)
    was_confirmed = w.tracks.status == TrackStatus.CONFIRMED
    if (params.tracker.motion_model == "imm" and det.range_rate is not None
            and det.range_rate_sigma is not None):
        # the IMM's EKF uses the range rate as a fourth measurement column (NaN: none)
        det = dataclasses.replace(
            det, z=np.concatenate([det.z, det.range_rate[..., None]], axis=-1),
            sigma=np.concatenate([det.sigma, det.range_rate_sigma[..., None]], axis=-1))
    res = process_scan(w.tracks, det, t, params.tracker, could_see & w.tracks.live, sensor=s)
    w.tracks = res.tracks
    rr, kk = np.nonzero(res.deleted & (ids_before > 0) & was_confirmed)
    log.add(t, EventKind.TRACK_DROPPED, rr, track=ids_before[rr, kk],
            threat=w.track_truth[rr, kk])
    # scoring: which truth each track follows (the tracker itself never sees this)
    w.track_truth[res.deleted] = -1
    for slots in (res.assignment, res.initiated):
        rr, dd = np.nonzero(slots >= 0)
        w.track_truth[rr, slots[rr, dd]] = truth_id[rr, dd]
    rr, kk = np.nonzero(res.newly_confirmed)
    log.add(t, EventKind.TRACK_CONFIRMED, rr, track=w.tracks.track_id[rr, kk],
            threat=w.track_truth[rr, kk])
    Outcomes.first(w.out.t_confirm, rr, w.track_truth[rr, kk], t)
    # confirmed tracks that got a detection now count as confirmation of that truth too
    conf = w.tracks.status == TrackStatus.CONFIRMED
    rr, kk = np.nonzero(conf & (w.track_truth >= 0))
    Outcomes.first(w.out.t_confirm, rr, w.track_truth[rr, kk], t)
    rr, kk = np.nonzero(conf & w.tracks.friend & ~was_friend)
    log.add(t, EventKind.FRIENDLY_IDENTIFIED, rr, track=w.tracks.track_id[rr, kk],
            threat=w.track_truth[rr, kk])


def _assess(w: _World, log: EventLog, t: float) -> None:
    """Deliver due kill reports: the command post drops killed tracks."""
    r, m, slot, tid = w.reports.deliver(t)
    if r.size == 0:
        return
    same = w.tracks.track_id[r, slot] == tid
    log.add(t, EventKind.KILL_REPORTED, r, track=tid, interceptor=m,
            threat=np.where(same, w.track_truth[r, slot], -1))
    mask = np.zeros(w.tracks.status.shape, bool)
    mask[r[same], slot[same]] = True
    w.tracks = drop_tracks(w.tracks, mask)
    w.track_truth[mask] = -1


def _command(params: SimParams, w: _World, log: EventLog, t: float) -> None:
    """One command-post cycle and the fire orders it gives."""
    icp = w.icp
    n_rep = icp.status.shape[0]
    n_bat = params.c2.reaction_time_s.size
    in_air = (icp.status == InterceptorStatus.SCHEDULED) | (icp.status == InterceptorStatus.FLYING)
    missiles = np.zeros((n_rep, n_bat), np.int64)
    r, m = np.nonzero(in_air)
    np.add.at(missiles, (r, icp.battalion[r, m]), 1)
    # target channels: distinct track numbers under guidance per battalion
    targets = np.zeros((n_rep, n_bat), np.int64)
    if r.size:
        key = np.stack([r, icp.battalion[r, m], icp.target_track_id[r, m]], axis=1)
        uniq = np.unique(key, axis=0)
        np.add.at(targets, (uniq[:, 0], uniq[:, 1]), 1)
    # the command post works on track states predicted to now (it does not use P)
    view = dataclasses.replace(w.tracks, x=_state_now(w.tracks, t))
    # the reason last logged for the track now in each slot (a reused slot starts afresh)
    before = np.where(w.tracks.track_id == w.c2.track_id, w.c2.reason, 0)
    orders, reason = command_cycle(w.c2, params.c2, view, t, targets, missiles,
                                   fc_sees=_fc_sees(params, w.tracks, t))
    _issue(params, w, log, orders, view, t)
    # log reasons that changed (and the first one) for confirmed tracks
    changed = (reason != before) & (reason != 0)
    rr, kk = np.nonzero(changed)
    thr = w.track_truth[rr, kk]
    log.add(t, EventKind.NO_FIRE, rr, track=w.tracks.track_id[rr, kk], threat=thr,
            reason=reason[rr, kk])
    ok = thr >= 0
    w.out.last_reason[rr[ok], thr[ok]] = reason[rr[ok], kk[ok]]
    cap = ok & np.isin(reason[rr, kk], _CAPACITY_REASONS)
    cap[ok] &= w.out.capacity_reason[rr[ok], thr[ok]] == 0
    w.out.capacity_reason[rr[cap], thr[cap]] = reason[rr[cap], kk[cap]]
    w.c2.reason[:] = reason


def _fc_sees(params: SimParams, tracks: Tracks, t: float) -> NDArray[np.bool_] | None:
    """(R, W, K): the fire unit's engagement radar has updated the track recently."""
    if params.engagement_radar is None:
        return None
    radar = params.engagement_radar[params.c2.launcher_battalion]  # (W,)
    max_age = params.fc_track_max_age_revisits * np.array(
        [params.radars[s].revisit_s for s in radar])
    age = t - tracks.last_seen_s[:, :, radar]  # (R, K, W)
    return np.moveaxis(age <= max_age, 2, 1)


def _issue(params: SimParams, w: _World, log: EventLog, orders: FireOrders, view: Tracks,
           t: float) -> None:
    """Put ordered rounds into free interceptor slots."""
    if orders.r.size == 0:
        return
    icp = w.icp
    free = icp.status == InterceptorStatus.FREE
    # k-th round of replication r takes the k-th free slot of r
    order = np.argsort(orders.r, kind="stable")
    r = orders.r[order]
    rank = np.arange(r.size) - np.searchsorted(r, r, side="left")
    free_rank = np.cumsum(free, axis=1) - 1
    slots = np.full(r.size, -1)
    for j in range(r.size):  # a handful of rounds per cycle
        cand = np.flatnonzero(free[r[j]] & (free_rank[r[j]] == rank[j]))
        slots[j] = cand[0] if cand.size else -1
    ok = slots >= 0
    o = order[ok]
    r, m = orders.r[o], slots[ok]
    icp.status[r, m] = InterceptorStatus.SCHEDULED
    icp.mtype[r, m] = orders.mtype[o]
    icp.launcher[r, m] = orders.unit[o]
    icp.battalion[r, m] = params.c2.launcher_battalion[orders.unit[o]]
    icp.t_launch[r, m] = orders.t_launch[o]
    icp.target_slot[r, m] = orders.track_slot[o]
    icp.target_track_id[r, m] = orders.track_id[o]
    icp.aim[r, m] = orders.aim[o]
    icp.aim_time[r, m] = t
    icp.aim_accel[r, m] = orders.aim_accel[o]
    icp.locked[r, m] = -1
    icp.t_intercept_pred[r, m] = orders.t_intercept[o]
    thr = w.track_truth[r, orders.track_slot[o]]
    w.fired_at_friendly += np.bincount(r[view.friend[r, orders.track_slot[o]]],
                                       minlength=w.fired_at_friendly.size)
    log.add(t, EventKind.FIRE_ORDER, r, track=orders.track_id[o], threat=thr,
            unit=orders.unit[o], interceptor=m, missile=orders.mtype[o])
    Outcomes.first(w.out.t_first_fire, r, thr, t)
    good = thr >= 0
    np.add.at(w.out.shots, (r[good], thr[good]), 1)

"""Numerical invariants of an engine run, checked at every tick through ``run(on_tick=...)``.

A module of its own (not a conftest) so the invariant tests can import it by name. The bounds
are physics, not our output:

- every state array of a live body (threat truth, track state and covariance, interceptor
  position, velocity, acceleration) is finite;
- an interceptor's achieved lateral acceleration is at most its structural limit
  (``max_lateral_accel_mps2`` of its equipment file);
- an interceptor's speed is at most the canister ejection speed plus the motor's total impulse
  over the burnout mass (the rocket equation's upper bound: drag only slows) plus what gravity
  can add over the longest flight, ``g * max_flight_time_s``;
- a route flyer's speed is at most ``FLYER_SPEED_FACTOR`` times its nominal speed, a ballistic
  body's at most the first cosmic velocity (a suborbital body cannot exceed orbital speed);
- a live track's covariance is symmetric and positive definite;
- a threat is killed only between its launch and its arrival (impact or end of route), at most
  once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from triumf.engage.base import InterceptorStatus
from triumf.sim.engine import RunResult, run
from triumf.sim.params import SimParams

G0 = 9.80665  # standard gravity, m/s^2 (CGPM 1901)
ORBITAL_SPEED_MPS = 7.9e3  # first cosmic velocity at the surface, m/s (sqrt(mu / R_earth))
# route flyers fly their nominal ground speed; climbs, weaves and S-turns add to it, never more
# than doubling it (estimate [E]: a generous bound, the invariant is "not runaway")
FLYER_SPEED_FACTOR = 2.0
REL_TOL = 1e-6
# the finite-difference lateral acceleration over a tick also holds the thrust and drag along
# an axis that turned during the tick (up to limit * dt / speed radians): 25% covers a 0.5 s
# tick at >= 300 m/s (estimate [E]); slower interceptors (the vertical launch) are not checked
LATERAL_TOL = 0.25
MIN_SPEED_MPS = 300.0


@dataclass
class Record:
    """What the checker saw, tick by tick.

    Attributes
    ----------
    violations : list of str
        One readable line per broken invariant (empty: all held).
    ticks : int
    t_arrive : ndarray, shape (R, T)
        First tick time at which each threat had arrived (NaN: never).
    flying_seen, tracks_seen : int
        Interceptor-ticks and live-track-ticks checked (to show the checks had work to do).
    """

    violations: list[str] = field(default_factory=list)
    ticks: int = 0
    t_arrive: Any = None
    flying_seen: int = 0
    tracks_seen: int = 0
    lateral_checked: int = 0
    prev_vel: Any = None
    prev_flying: Any = None
    prev_launch: Any = None
    prev_t: float = 0.0

    def fail(self, t: float, what: str) -> None:
        """Note a broken invariant (the first few of each kind are enough)."""
        if len(self.violations) < 50:
            self.violations.append(f"t={t:.3f} s: {what}")


def interceptor_speed_bound(params: SimParams) -> np.ndarray:
    """Upper bound of each missile type's speed, m/s, shape (Mt,)."""
    m = params.missiles
    kin = m.kin
    impulse = (np.asarray(kin.boost_thrust_n) * np.asarray(kin.boost_time_s)
               + np.asarray(kin.sustain_thrust_n) * np.asarray(kin.sustain_time_s))
    dv = impulse / np.asarray(kin.burnout_mass_kg)
    return m.setting("ejection_speed_mps") + dv + G0 * m.max_flight_time_s


def _finite(rec: Record, t: float, name: str, a: np.ndarray) -> None:
    if a.size and not np.isfinite(a).all():
        rec.fail(t, f"{name}: {int((~np.isfinite(a)).sum())} non-finite values")


def check_tick(params: SimParams, rec: Record, t: float, w: Any) -> None:
    """Check every invariant on the live state at time ``t``."""
    rec.ticks += 1
    truth = w.truth
    launched = truth.launched
    _finite(rec, t, "threat position", truth.pos[launched])
    _finite(rec, t, "threat velocity", truth.vel[launched])
    speed = np.linalg.norm(truth.vel, axis=-1)
    thr = params.threats
    cap = np.where(thr.ballistic, ORBITAL_SPEED_MPS, FLYER_SPEED_FACTOR * thr.speed_mps)
    fast = launched & (speed > cap[None, :] * (1 + REL_TOL))
    if fast.any():
        r, i = np.argwhere(fast)[0]
        rec.fail(t, f"threat {thr.label[i]} speed {speed[r, i]:.1f} m/s > bound {cap[i]:.1f}")
    arrived = truth.arrived & np.isnan(rec.t_arrive)
    rec.t_arrive[arrived] = t

    tracks = w.tracks
    live = tracks.live
    rec.tracks_seen += int(live.sum())
    _finite(rec, t, "track state", tracks.x[live])
    p = tracks.P[live]
    _finite(rec, t, "track covariance", p)
    if p.size and np.isfinite(p).all():
        scale = np.abs(p).max(axis=(-2, -1))
        asym = np.abs(p - np.swapaxes(p, -1, -2)).max(axis=(-2, -1))
        if (asym > 1e-9 * scale).any():
            rec.fail(t, f"track covariance not symmetric (worst {asym.max():.3g})")
        sym = 0.5 * (p + np.swapaxes(p, -1, -2))
        low = np.linalg.eigvalsh(sym)[..., 0]
        if (low <= 0.0).any():
            rec.fail(t, f"track covariance not positive definite (eigenvalue {low.min():.3g})")

    icp = w.icp
    flying = icp.status == InterceptorStatus.FLYING
    rec.flying_seen += int(flying.sum())
    if flying.any():
        _finite(rec, t, "interceptor position", icp.pos[flying])
        _finite(rec, t, "interceptor velocity", icp.vel[flying])
        _finite(rec, t, "interceptor acceleration", icp.accel[flying])
        mt = icp.mtype[flying]
        _lateral_accel(params, rec, t, icp, flying)
        v = np.linalg.norm(icp.vel[flying], axis=-1)
        vmax = interceptor_speed_bound(params)[mt]
        if (v > vmax).any():
            j = int(np.argmax(v - vmax))
            rec.fail(t, f"interceptor speed {v[j]:.1f} m/s > bound {vmax[j]:.1f}")
    rec.prev_vel = icp.vel.copy()
    rec.prev_flying = flying.copy()
    rec.prev_launch = icp.t_launch.copy()
    rec.prev_t = t


def _lateral_accel(params: SimParams, rec: Record, t: float, icp: Any, flying: Any) -> None:
    """Flown lateral acceleration over the last tick (finite difference) within the limit.

    The mean acceleration over the tick, less gravity, projected across the mean velocity, is
    at most the structural limit plus what the thrust and drag along a turning axis leak into
    that projection (``LATERAL_TOL``); slots flying at both ends of the tick only.
    """
    if rec.prev_vel is None:
        return
    dt = t - rec.prev_t
    both = flying & rec.prev_flying & (icp.t_launch == rec.prev_launch)
    both &= icp.t_launch < rec.prev_t  # launched before the tick began
    if not both.any():
        return
    v0, v1 = rec.prev_vel[both], icp.vel[both]
    a = (v1 - v0) / dt - np.array([0.0, 0.0, -G0])
    u = v0 + v1
    u /= np.maximum(np.linalg.norm(u, axis=-1, keepdims=True), 1e-9)
    lat = np.linalg.norm(a - np.sum(a * u, axis=-1, keepdims=True) * u, axis=-1)
    limit = np.asarray(params.missiles.kin.max_lateral_accel_mps2)[icp.mtype[both]]
    slow = np.minimum(np.linalg.norm(v0, axis=-1), np.linalg.norm(v1, axis=-1)) < MIN_SPEED_MPS
    bad = ~slow & (lat > limit * (1 + LATERAL_TOL))
    rec.lateral_checked += int((~slow).sum())
    if bad.any():
        j = int(np.argmax(np.where(bad, lat - limit, -np.inf)))
        rec.fail(t, f"interceptor lateral acceleration {lat[j]:.1f} m/s^2 over the tick > "
                    f"limit {limit[j]:.1f}")


def check_outcomes(params: SimParams, rec: Record, res: RunResult) -> None:
    """Kill times against launch and arrival times; one kill per threat at most."""
    out = res.outcomes
    t_kill = out.t_kill
    killed = ~np.isnan(t_kill)
    early = killed & (t_kill < out.t_launch - 1e-9)
    if early.any():
        rec.fail(float(t_kill[early].min()), "threat killed before its launch")
    late = killed & (t_kill > rec.t_arrive + 1e-9)
    if late.any():
        rec.fail(float(t_kill[late].min()), "threat killed after its arrival (impact)")
    leak_then_kill = killed & ~np.isnan(out.t_leak) & (t_kill > out.t_leak + 1e-9)
    if leak_then_kill.any():
        rec.fail(float(t_kill[leak_then_kill].min()), "threat killed after it leaked")
    if (killed & (t_kill > params.duration_s + 1e-9)).any():
        rec.fail(params.duration_s, "kill after the end of the run")


def checked_run(params: SimParams, replications: int = 2) -> tuple[RunResult, Record]:
    """Run the engine with every invariant checked at every tick."""
    rec = Record(t_arrive=np.full((replications, params.threats.count), np.nan))
    res = run(params, np.arange(replications),
              on_tick=lambda t, w: check_tick(params, rec, t, w))
    check_outcomes(params, rec, res)
    return res, rec

"""Per-scan cost of the tracker, :func:`triumf.track.manager.process_scan`, against a baseline.

The baseline is the straightforward dense implementation the optimised one replaced (kept
below, self-contained, so that later kernel changes do not move it). Both run on the same
realistic synthetic scans: R replications, K = 84 track slots, D = 34 detection slots,
30 targets per replication (``--targets``) 50-300 km from three radars, moving at
50-2000 m/s, detected with probability 0.55 and sigma = (50 m, 2 mrad, 2 mrad), plus false
alarms. The track tables are taken from a warm-up run, so most slots hold confirmed tracks
and a few tentative ones.

Prints JSON: median seconds per scan of each implementation (median over scans, then over
repeats; wall clock and process CPU time), their ratio, the sizes, minor page faults per scan,
and the largest relative difference between the two results on the same inputs (the
decisions, i.e. integer and boolean fields, must be equal, or the script fails).

On small virtual machines glibc's malloc may hand large freed blocks back to the kernel and
fault them in again on the next allocation; the page-fault counts show how much of the
baseline's time that is.

Usage: ``python benchmarks/bench_tracker.py [--reps 200] [--repeats 7] [--scans 20]
[--targets 30]``
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import linear_sum_assignment

from triumf.sense.base import Detections
from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.gating import gate_threshold
from triumf.track.manager import ScanResult, process_scan

K_SLOTS = 84
D_SLOTS = 34
N_TARGETS = 30
SIGMA = np.array([50.0, 2e-3, 2e-3])  # range m, azimuth rad, elevation rad
RADARS = (np.array([0.0, 0.0, 20.0]), np.array([3e4, -2e4, 30.0]), np.array([-4e4, 1e4, 25.0]))
SCAN_PERIOD_S = 1.5


# ---------------------------------------------------------------------------------------------
# synthetic scans
# ---------------------------------------------------------------------------------------------


def make_targets(
    R: int, rng: np.random.Generator, n_targets: int = N_TARGETS
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Straight-line targets: start positions (R, T, 3) 50-300 km out, velocities 50-2000 m/s."""
    shape = (R, n_targets)
    rng_m = rng.uniform(5e4, 3e5, shape)
    az = rng.uniform(0.0, 2.0 * np.pi, shape)
    p0 = np.stack([rng_m * np.sin(az), rng_m * np.cos(az), rng.uniform(50.0, 2e4, shape)], -1)
    speed = rng.uniform(50.0, 2000.0, shape)
    heading = rng.uniform(0.0, 2.0 * np.pi, shape)
    v = np.stack(
        [speed * np.sin(heading), speed * np.cos(heading), rng.normal(0.0, 20.0, shape)], -1
    )
    return p0, v


def make_scan(
    p0: NDArray[np.float64],
    v: NDArray[np.float64],
    radar: NDArray[np.float64],
    t: float,
    rng: np.random.Generator,
    p_detect: float = 0.55,
    n_false: int = 4,
) -> Detections:
    """One noisy range/azimuth/elevation scan, detections in shuffled slots."""
    R, T, _ = p0.shape
    rel = p0 + v * t - radar
    rng_m = np.linalg.norm(rel, axis=-1)
    z = np.stack(
        [rng_m, np.arctan2(rel[..., 0], rel[..., 1]), np.arcsin(rel[..., 2] / rng_m)], -1
    )
    z += rng.normal(size=z.shape) * SIGMA
    false = np.stack(
        [
            rng.uniform(5e4, 3e5, (R, n_false)),
            rng.uniform(0.0, 2.0 * np.pi, (R, n_false)),
            rng.uniform(0.0, 0.2, (R, n_false)),
        ],
        -1,
    )
    z_all = np.concatenate([z, false], axis=1)
    valid_all = np.concatenate(
        [rng.random((R, T)) < p_detect, rng.random((R, n_false)) < 0.5], axis=1
    )
    order = np.argsort(rng.random((R, T + n_false)), axis=1)[:, :D_SLOTS]
    rows = np.arange(R)[:, None]
    zz = np.tile([1.0, 0.0, 0.0], (R, D_SLOTS, 1))
    valid = np.zeros((R, D_SLOTS), dtype=bool)
    zz[:, : order.shape[1]] = z_all[rows, order]
    valid[:, : order.shape[1]] = valid_all[rows, order]
    return Detections(
        time_s=t,
        sensor_index=0,
        sensor_pos=radar,
        sensor_rot=np.eye(3),
        z=zz,
        sigma=np.broadcast_to(SIGMA, zz.shape).copy(),
        valid=valid,
        iff_friend=rng.random((R, D_SLOTS)) < 0.02,
    )


def make_cases(
    R: int, n_warm: int, n_scans: int, seed: int = 0, n_targets: int = N_TARGETS
) -> tuple[list[tuple[Tracks, Detections, float, NDArray[np.bool_]]], TrackerParams]:
    """Inputs of ``n_scans`` consecutive scans after a warm-up of ``n_warm`` scans."""
    rng = np.random.default_rng(seed)
    params = TrackerParams(capacity=K_SLOTS)
    p0, v = make_targets(R, rng, n_targets)
    tracks = Tracks.empty(R, K_SLOTS)
    cases = []
    for k in range(n_warm + n_scans):
        t = SCAN_PERIOD_S * k
        det = make_scan(p0, v, RADARS[k % len(RADARS)], t, rng)
        could_see = tracks.live & (rng.random(tracks.live.shape) < 0.95)
        if k >= n_warm:
            cases.append((tracks, det, t, could_see))
        tracks = process_scan(tracks, det, t, params, could_see).tracks
    return cases, params


# ---------------------------------------------------------------------------------------------
# comparison and timing
# ---------------------------------------------------------------------------------------------

_FIELDS = ("x", "P", "status", "track_id", "next_id", "t_update", "t_state", "t_confirmed",
           "hits", "opportunities", "misses", "friend")


def compare(a: ScanResult, b: ScanResult) -> dict[str, float]:
    """Largest relative difference of the float fields; raises if integer fields differ."""
    for name in ("assignment", "newly_confirmed", "deleted", "initiated", "n_dropped"):
        if not np.array_equal(getattr(a, name), getattr(b, name)):
            raise AssertionError(f"{name} differs")
    out = {}
    for name in _FIELDS:
        u, w = getattr(a.tracks, name), getattr(b.tracks, name)
        if u.dtype.kind == "f":
            if not np.array_equal(np.isnan(u), np.isnan(w)):
                raise AssertionError(f"{name}: NaN pattern differs")
            finite = ~np.isnan(u)
            if not finite.any():
                out[name] = 0.0
                continue
            scale = max(float(np.abs(u[finite]).max()), 1e-300)
            out[name] = float(np.abs(u[finite] - w[finite]).max()) / scale
        elif not np.array_equal(u, w):
            raise AssertionError(f"{name} differs")
    return out


def time_per_scan(fn, cases, params) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median wall and CPU time of one scan over ``cases`` (s), and minor page faults per scan."""
    wall, cpu = [], []
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for tracks, det, t, could_see in cases:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(tracks, det, t, params, could_see)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0) / len(cases)
    return float(np.median(wall)), float(np.median(cpu)), faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200, help="replications R")
    parser.add_argument("--repeats", type=int, default=7, help="timing repeats (median)")
    parser.add_argument("--scans", type=int, default=20, help="scans timed per repeat")
    parser.add_argument("--warm", type=int, default=40, help="warm-up scans")
    parser.add_argument("--targets", type=int, default=N_TARGETS, help="targets per replication")
    args = parser.parse_args()

    cases, params = make_cases(args.reps, args.warm, args.scans, n_targets=args.targets)
    diff: dict[str, float] = {}
    for tracks, det, t, could_see in cases:
        a = base_process_scan(tracks, det, t, params, could_see)
        b = process_scan(tracks, det, t, params, could_see)
        for k, val in compare(a, b).items():
            diff[k] = max(diff.get(k, 0.0), val)

    base_runs, opt_runs = [], []
    for _ in range(args.repeats):  # interleaved, so that machine noise hits both alike
        base_runs.append(time_per_scan(base_process_scan, cases, params))
        opt_runs.append(time_per_scan(process_scan, cases, params))
    base_s, base_cpu, base_faults = (float(np.median(v)) for v in zip(*base_runs, strict=True))
    opt_s, opt_cpu, opt_faults = (float(np.median(v)) for v in zip(*opt_runs, strict=True))
    live = np.mean([c[0].live.sum(axis=1).mean() for c in cases])
    valid = np.mean([c[1].valid.sum(axis=1).mean() for c in cases])
    print(
        json.dumps(
            {
                "benchmark": "track.manager.process_scan",
                "R": args.reps,
                "targets_per_rep": args.targets,
                "K": K_SLOTS,
                "D": D_SLOTS,
                "mean_live_tracks_per_rep": round(float(live), 2),
                "mean_valid_detections_per_rep": round(float(valid), 2),
                "scans_per_repeat": args.scans,
                "repeats": args.repeats,
                "baseline_s_per_scan": base_s,
                "optimised_s_per_scan": opt_s,
                "speedup": base_s / opt_s,
                "baseline_cpu_s_per_scan": base_cpu,
                "optimised_cpu_s_per_scan": opt_cpu,
                "speedup_cpu": base_cpu / opt_cpu,
                "baseline_runs_s": [r[0] for r in base_runs],
                "optimised_runs_s": [r[0] for r in opt_runs],
                "baseline_minor_page_faults_per_scan": base_faults,
                "optimised_minor_page_faults_per_scan": opt_faults,
                "max_rel_diff_same_inputs": diff,
                "numpy": np.__version__,
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


# ---------------------------------------------------------------------------------------------
# baseline: the dense implementation replaced by the optimised one (copied verbatim, renamed)
# ---------------------------------------------------------------------------------------------

_EYE3 = np.eye(3)
_B_SPEED_GATE_SIGMAS = 3.0
_B_PAIRS_PER_BLOCK = 1 << 17


def _b_predict(
    x: NDArray[np.float64], P: NDArray[np.float64], dt: ArrayLike, q: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baseline copy (kalman.py)."""
    dt = np.asarray(dt, dtype=np.float64)
    q2 = np.asarray(q, dtype=np.float64) ** 2
    pos, vel = x[..., :3], x[..., 3:]
    x_new = np.concatenate([pos + dt[..., None] * vel, vel], axis=-1)

    d = dt[..., None, None]
    A, B = P[..., :3, :3], P[..., :3, 3:]
    C, D = P[..., 3:, :3], P[..., 3:, 3:]
    qpp = (q2 * dt**3 / 3.0)[..., None, None] * _EYE3
    qpv = (q2 * dt**2 / 2.0)[..., None, None] * _EYE3
    qvv = (q2 * dt)[..., None, None] * _EYE3
    # P' = F P F^T + Q with F = [[I, dt I], [0, I]]
    Ppp = A + d * (B + C) + d * d * D + qpp
    Ppv = B + d * D + qpv
    Pvp = C + d * D + qpv
    Pvv = D + qvv
    P_new = np.concatenate(
        [np.concatenate([Ppp, Ppv], axis=-1), np.concatenate([Pvp, Pvv], axis=-1)], axis=-2
    )
    return x_new, _b_symmetrise(P_new)


def _b_converted_measurement(
    z: NDArray[np.float64],
    sigma: NDArray[np.float64],
    sensor_pos: NDArray[np.float64],
    sensor_rot: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baseline copy (kalman.py)."""
    r, az, el = z[..., 0], z[..., 1], z[..., 2]
    sa, ca = np.sin(az), np.cos(az)
    se, ce = np.sin(el), np.cos(el)
    p_local = np.stack([r * ce * sa, r * ce * ca, r * se], axis=-1)
    # Jacobian columns d p / d(r, az, el)
    J = np.stack(
        [
            np.stack([ce * sa, r * ce * ca, -r * se * sa], axis=-1),
            np.stack([ce * ca, -r * ce * sa, -r * se * ca], axis=-1),
            np.stack([se, np.zeros_like(r), r * ce], axis=-1),
        ],
        axis=-2,
    )
    rot = np.asarray(sensor_rot, dtype=np.float64)
    M = rot @ J  # (..., 3, 3): engine-frame Jacobian
    Ms = M * sigma[..., None, :]
    Rcart = _b_symmetrise(Ms @ np.swapaxes(Ms, -1, -2))
    y = np.asarray(sensor_pos, dtype=np.float64) + p_local @ rot.T
    return y, Rcart


def _b_update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baseline copy (kalman.py)."""
    S = P[..., :3, :3] + R
    # K^T = S^-1 H P  (P symmetric, so H P = (P H^T)^T)
    Kt = np.linalg.solve(S, P[..., :3, :])
    K = np.swapaxes(Kt, -1, -2)  # (..., 6, 3)
    nu = y - x[..., :3]
    x_new = x + np.einsum("...ij,...j->...i", K, nu)
    IKH = np.broadcast_to(np.eye(6), K.shape[:-2] + (6, 6)).copy()
    IKH[..., :, :3] -= K
    P_new = IKH @ P @ np.swapaxes(IKH, -1, -2) + K @ R @ Kt
    return x_new, _b_symmetrise(P_new)


def _b_symmetrise(P: NDArray[np.float64]) -> NDArray[np.float64]:
    """Baseline copy (kalman.py)."""
    return 0.5 * (P + np.swapaxes(P, -1, -2))


def _b_innovation_distance(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    R: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Baseline copy (gating.py)."""
    # 6 unique entries of S = P_pos + R, each of shape (..., K, D)
    iu = ((0, 0), (1, 0), (2, 0), (1, 1), (2, 1), (2, 2))
    a, b, c, d, e, f = (
        np.ascontiguousarray(P[..., i, j])[..., :, None]
        + np.ascontiguousarray(R[..., i, j])[..., None, :]
        for i, j in iu
    )
    nu = [y[..., None, :, i] - x[..., :, None, i] for i in range(3)]  # innovation components
    with np.errstate(invalid="ignore", divide="ignore"):
        # S = L L^T with L lower triangular; keep reciprocals of the diagonal
        l11 = np.sqrt(a)
        i11 = 1.0 / l11
        l21 = b * i11
        l31 = c * i11
        l22 = np.sqrt(d - l21 * l21)
        i22 = 1.0 / l22
        l32 = (e - l31 * l21) * i22
        l33 = np.sqrt(f - l31 * l31 - l32 * l32)
        i33 = 1.0 / l33
        # solve L w = nu; d2 = |w|^2
        w1 = nu[0] * i11
        w2 = (nu[1] - l21 * w1) * i22
        w3 = (nu[2] - l31 * w1 - l32 * w2) * i33
        d2 = w1 * w1 + w2 * w2 + w3 * w3
        logdet = 2.0 * np.log(l11 * l22 * l33)
    bad = ~(np.isfinite(d2) & (l11 > 0) & (l22 > 0) & (l33 > 0))
    d2[bad] = np.inf
    logdet[bad] = np.nan
    return d2, logdet


def _b_gnn_assign(cost: NDArray[np.float64], allowed: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Baseline copy (association.py)."""
    cost = np.asarray(cost, dtype=np.float64)
    allowed = np.asarray(allowed, dtype=bool) & np.isfinite(cost)
    R, K, D = cost.shape
    if K == 0 or D == 0:
        return np.full((R, D), -1, dtype=np.int64)
    deg_track = allowed.sum(axis=2)  # (R, K)
    deg_det = allowed.sum(axis=1)  # (R, D)
    conflict = (deg_track > 1).any(axis=1) | (deg_det > 1).any(axis=1)  # (R,)

    # fast path: each detection has at most one gated track and vice versa
    assignment = np.where(deg_det > 0, np.argmax(allowed, axis=1), -1).astype(np.int64)
    for r in np.flatnonzero(conflict):
        assignment[r] = _b_solve_one(cost[r], allowed[r])
    return assignment


def _b_solve_one(
    cost: NDArray[np.float64], allowed: NDArray[np.bool_], restrict: bool = True
) -> NDArray[np.int64]:
    """Baseline copy (association.py)."""
    K, D = cost.shape
    out = np.full(D, -1, dtype=np.int64)
    if not allowed.any():
        return out
    rows = np.flatnonzero(allowed.any(axis=1)) if restrict else np.arange(K)
    cols = np.flatnonzero(allowed.any(axis=0)) if restrict else np.arange(D)
    a = allowed[np.ix_(rows, cols)]
    c = cost[np.ix_(rows, cols)]
    c_min = c[a].min()
    span = c[a].max() - c_min
    # any extra gated pair outweighs every possible difference in total cost
    big = span * min(a.shape) + 1.0
    matrix = np.where(a, c - c_min - big, 0.0)
    ri, ci = linear_sum_assignment(matrix)
    keep = a[ri, ci]
    out[cols[ci[keep]]] = rows[ri[keep]]
    return out


def base_process_scan(
    tracks: Tracks,
    det: Detections,
    t: float,
    params: TrackerParams,
    could_see: NDArray[np.bool_] | None = None,
) -> ScanResult:
    """Baseline copy (manager.py)."""
    R, K = tracks.shape
    q = params.accel_noise_mps2
    v0 = params.initial_velocity_std_mps
    status = tracks.status
    live = status != TrackStatus.FREE

    # 1. predict live tracks to the scan time
    lr, lk = np.nonzero(live)
    x = tracks.x.copy()
    P = tracks.P.copy()
    dt = np.maximum(t - tracks.t_state[lr, lk], 0.0)
    x[lr, lk], P[lr, lk] = _b_predict(x[lr, lk], P[lr, lk], dt, q)
    t_state = np.where(live, t, tracks.t_state)

    # 2. measurements in engine ENU (invalid slots get harmless placeholders)
    valid = np.asarray(det.valid, dtype=bool)
    z = np.where(valid[..., None], det.z, np.array([1.0, 0.0, 0.0]))
    sigma = np.where(valid[..., None], det.sigma, 1.0)
    y, Rc = _b_converted_measurement(z, sigma, det.sensor_pos, det.sensor_rot)

    # 3. gating and GNN association
    # Only live tracks and valid detections take part: they are moved to the front of compact
    # (R, K_live, D_valid) arrays whose widths are the largest counts over replications (at
    # least 1; padding entries are masked by live/valid).
    rows = np.arange(R)[:, None]
    k_ord = np.argsort(~live, axis=1, kind="stable")[:, : max(1, int(live.sum(axis=1).max()))]
    d_ord = np.argsort(~valid, axis=1, kind="stable")[:, : max(1, int(valid.sum(axis=1).max()))]
    fresh = live & (tracks.hits == 1)  # one detection so far: velocity unknown
    allowed, cost = _b_gate_pairs(
        x[rows, k_ord],
        P[rows, k_ord],
        y[rows, d_ord],
        Rc[rows, d_ord],
        live[rows, k_ord],
        valid[rows, d_ord],
        fresh[rows, k_ord],
        np.maximum(t - tracks.t_update[rows, k_ord], 0.0),
        params,
    )
    compact = _b_gnn_assign(cost, allowed)  # (R, D_valid) index into k_ord
    assignment = np.full(valid.shape, -1, dtype=np.int64)
    assignment[rows, d_ord] = np.where(
        compact >= 0, np.take_along_axis(k_ord, np.maximum(compact, 0), axis=1), -1
    )

    # 4. update associated tracks (only those: gather, update, scatter)
    det_of_track = np.full((R, K), -1, dtype=np.int64)
    rr, dd = np.nonzero(assignment >= 0)
    kk = assignment[rr, dd]
    det_of_track[rr, kk] = dd
    upd = det_of_track >= 0
    x[rr, kk], P[rr, kk] = _b_update(x[rr, kk], P[rr, kk], y[rr, dd], Rc[rr, dd])
    iff = np.zeros((R, K), dtype=bool)
    iff[rr, kk] = np.asarray(det.iff_friend, dtype=bool)[rr, dd]

    # 5. opportunities, hits and misses
    seen = live & (upd | (live if could_see is None else np.asarray(could_see, dtype=bool)))
    opportunities = tracks.opportunities + seen
    hits = tracks.hits + upd
    misses = np.where(upd, 0, tracks.misses + (seen & ~upd))
    friend = tracks.friend | iff
    t_update = np.where(upd, t, tracks.t_update)

    # 6. deletion
    tentative = status == TrackStatus.TENTATIVE
    confirmed = status == TrackStatus.CONFIRMED
    remaining = np.maximum(params.confirm_n - opportunities, 0)
    pos_std = np.sqrt(np.maximum(np.trace(P[..., :3, :3], axis1=-2, axis2=-1), 0.0))
    deleted = (
        tentative
        & ((hits + remaining < params.confirm_m) | (t - t_update > params.tentative_max_age_s))
    ) | (confirmed & ((misses >= params.delete_misses) | (pos_std > params.max_position_std_m)))

    new = Tracks(
        x=x,
        P=P,
        status=status.copy(),
        track_id=tracks.track_id.copy(),
        next_id=tracks.next_id.copy(),
        t_update=t_update,
        t_state=t_state,
        t_confirmed=tracks.t_confirmed.copy(),
        hits=hits,
        opportunities=opportunities,
        misses=misses,
        friend=friend,
    )
    _b_clear(new, deleted)

    # 7. initiation from unassociated detections, nearest range first
    candidate = valid & (assignment < 0)
    free = (new.status == TrackStatus.FREE) & ~deleted
    order = np.lexsort((z[..., 2], z[..., 1], z[..., 0], ~candidate), axis=-1)  # (R, D)
    free_slots = np.argsort(~free, axis=-1, kind="stable")  # free slots first, ascending
    n_cand = candidate.sum(axis=1)
    n_new = np.minimum(n_cand, free.sum(axis=1))
    J = min(K, z.shape[1])
    take = np.arange(J)[None, :] < n_new[:, None]  # (R, J)
    ri, ji = np.nonzero(take)
    di = order[ri, ji]
    si = free_slots[ri, ji]
    initiated = np.full(valid.shape, -1, dtype=np.int64)
    initiated[ri, di] = si

    x0 = np.zeros((ri.size, 6))
    x0[:, :3] = y[ri, di]
    P0 = np.zeros((ri.size, 6, 6))
    P0[:, :3, :3] = Rc[ri, di]
    P0[:, 3:, 3:] = v0 * v0 * np.eye(3)
    new.x[ri, si] = x0
    new.P[ri, si] = P0
    new.status[ri, si] = TrackStatus.TENTATIVE
    new.track_id[ri, si] = new.next_id[ri] + ji
    new.next_id = new.next_id + n_new
    new.t_update[ri, si] = t
    new.t_state[ri, si] = t
    new.t_confirmed[ri, si] = np.nan
    new.hits[ri, si] = 1
    new.opportunities[ri, si] = 1
    new.misses[ri, si] = 0
    new.friend[ri, si] = np.asarray(det.iff_friend, dtype=bool)[ri, di]

    # 8. M-of-N confirmation
    newly_confirmed = (new.status == TrackStatus.TENTATIVE) & (new.hits >= params.confirm_m)
    new.status[newly_confirmed] = TrackStatus.CONFIRMED
    new.t_confirmed[newly_confirmed] = t

    return ScanResult(
        tracks=new,
        assignment=assignment,
        newly_confirmed=newly_confirmed,
        deleted=deleted,
        initiated=initiated,
        n_dropped=(n_cand - n_new).astype(np.int64),
    )


def _b_gate_pairs(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    live: NDArray[np.bool_],
    valid: NDArray[np.bool_],
    fresh: NDArray[np.bool_],
    elapsed: NDArray[np.float64],
    params: TrackerParams,
) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Baseline copy (manager.py)."""
    R, K = live.shape
    D = valid.shape[1]
    gate = gate_threshold(params.gate_probability, 3)
    allowed = np.empty((R, K, D), dtype=bool)
    cost = np.empty((R, K, D))
    step = max(1, _B_PAIRS_PER_BLOCK // max(1, K * D))
    for s in range(0, R, step):
        b = slice(s, s + step)
        d2, logdet = _b_innovation_distance(x[b], P[b], y[b], Rc[b])
        ok = d2 <= gate
        # single-detection tracks: maximum-speed gate instead, evaluated on those tracks only
        fb, fk = np.nonzero(fresh[b])
        fr = fb + s
        ok[fb, fk] = _b_speed_gate(x[fr, fk], P[fr, fk], y[fr], Rc[fr], elapsed[fr, fk], params)
        ok &= live[b, :, None] & valid[b, None, :] & np.isfinite(d2)
        allowed[b] = ok
        cost[b] = np.where(ok, 0.5 * (d2 + np.where(ok, logdet, 0.0)), np.inf)
    return allowed, cost


def _b_speed_gate(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    y: NDArray[np.float64],
    Rc: NDArray[np.float64],
    elapsed: NDArray[np.float64],
    params: TrackerParams,
) -> NDArray[np.bool_]:
    """Baseline copy (manager.py)."""
    e = elapsed
    v0 = params.initial_velocity_std_mps
    q = params.accel_noise_mps2
    tr_pos = np.trace(P[..., :3, :3], axis1=-2, axis2=-1)
    tr_r0 = np.maximum(tr_pos - 3.0 * (v0 * v0 * e * e + q * q * e**3 / 3.0), 0.0)  # (N,)
    tr_det = np.trace(Rc, axis1=-2, axis2=-1)  # (N, D)
    diff = y - x[:, None, :3]
    dist2 = np.einsum("...i,...i->...", diff, diff)  # (N, D)
    reach = params.max_speed_mps * e[:, None] + _B_SPEED_GATE_SIGMAS * np.sqrt(
        tr_r0[:, None] + tr_det
    )
    return np.asarray(dist2 <= reach * reach)


def _b_clear(tracks: Tracks, mask: NDArray[np.bool_]) -> None:
    """Baseline copy (manager.py)."""
    tracks.x[mask] = 0.0
    tracks.P[mask] = 0.0
    tracks.status[mask] = TrackStatus.FREE
    tracks.track_id[mask] = 0
    tracks.t_update[mask] = 0.0
    tracks.t_state[mask] = 0.0
    tracks.t_confirmed[mask] = np.nan
    tracks.hits[mask] = 0
    tracks.opportunities[mask] = 0
    tracks.misses[mask] = 0
    tracks.friend[mask] = False



if __name__ == "__main__":
    main()

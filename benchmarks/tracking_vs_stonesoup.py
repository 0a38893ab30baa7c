"""triumf's GNN tracker against Stone Soup's standard multi-target tracker on the same data.

Both trackers use a constant-velocity Kalman filter (continuous white-noise acceleration with
PSD ``q``), a Mahalanobis gate, an exact 2-D assignment (GNN), confirmation after 3 associated
measurements, a tentative track being dropped at its second consecutive missed scan (so the
3 hits come within the first 5 scans; Stone Soup: ``MultiMeasurementInitiator(min_points=3)``
with an ``UpdateTimeStepsDeleter(2)``), and deletion after 5 scans without an update. Both
associate in the same order: confirmed tracks first, then tentative tracks on the detections
left (triumf: ``TrackerParams(confirmed_first=True)``; Stone Soup: the tracker's associator,
then the initiator's on the unassociated detections). Both report confirmed tracks only.
Stone Soup's side is ``KalmanPredictor``/``KalmanUpdater``, ``DistanceHypothesiser`` with
``Mahalanobis``, ``GNNWith2DAssignment``, ``MultiMeasurementInitiator``,
``UpdateTimeStepsDeleter`` and ``MultiTargetTracker``; it runs only when ``stonesoup`` is
installed.

The scenario is generated here from a seed (N constant-velocity targets born over the first 40
scans, some dying over the last 50, position measurements with ``sigma`` per axis, detection
probability ``pd``, Poisson clutter uniform over the region, ``q = 1 m^2/s^3``, 200 scans at
1 s), or read from ``--data FILE.npz`` with these arrays (SI units): ``times (K,)``,
``truth (K, N, 2D)`` with state order ``[x, vx, y, vy(, z, vz)]`` and NaN where dead,
``alive (K, N)``, ``meas (M, D)``, ``meas_scan (M,)`` (scan index, ascending),
``meas_origin (M,)`` (-1 for clutter; never read by the trackers), ``region_lo (D,)``,
``region_hi (D,)`` and scalars ``dt, q, sigma, pd, clutter_rate, ndim, n_targets``.
``--save FILE.npz`` writes the generated scenario in that layout.

triumf's tracker is 3-D; 2-D data are tracked in the plane ``z = 0`` (each measurement gets
``z = 0`` with the same sigma, so the third axis holds no information).

Prints JSON: scans per second of each tracker (median over ``--repeats`` runs of the whole
scenario), their ratio, and the mean over scans of GOSPA (c = 500 m, p = 1, alpha = 2, on
position, confirmed tracks against living truths) of each.

Usage: ``python benchmarks/tracking_vs_stonesoup.py --targets 50`` (also ``--seed``,
``--scans``, ``--ndim``, ``--repeats``, ``--data FILE.npz``, ``--save FILE.npz``,
``--no-stonesoup``, and ``--quick`` for a small run of 10 targets over 60 scans).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import platform
import statistics
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from triumf.track.base import TrackerParams, Tracks
from triumf.track.manager import process_positions
from triumf.track.metrics import gospa

GOSPA_C_M = 500.0
GOSPA_P = 1.0
# tracker settings shared by both sides (benchmark choices, not world data)
INITIAL_VELOCITY_STD_MPS = 200.0  # prior velocity sigma of a new track, per axis
MAX_SPEED_MPS = 400.0  # triumf's speed gate for single-detection tracks
GATE_SIGMAS = 3.0  # Stone Soup's missed_distance (Mahalanobis); triumf: same d2 threshold
CONFIRM_HITS = 3
# a tentative track is dropped at its TENTATIVE_MISSES-th consecutive missed scan (Stone Soup:
# the initiator's UpdateTimeStepsDeleter), so 3 hits fit in at most CONFIRM_WINDOW scans
TENTATIVE_MISSES = 2
CONFIRM_WINDOW = CONFIRM_HITS + (CONFIRM_HITS - 1) * (TENTATIVE_MISSES - 1)
DELETE_MISSES = 5
# --quick (benchmarks/run.py): a small scenario that Stone Soup runs in a few seconds
QUICK_TARGETS = 10
QUICK_SCANS = 60


def generate(
    n_targets: int,
    seed: int = 1,
    n_scans: int = 200,
    ndim: int = 2,
    dt: float = 1.0,
    q: float = 1.0,
    sigma: float = 50.0,
    pd: float = 0.9,
    clutter_rate: float = 5.0,
) -> dict[str, Any]:
    """Seeded scenario in the ``--data`` layout (see the module docstring)."""
    rng = np.random.default_rng(seed)
    half = 20e3 * math.sqrt(max(n_targets, 1) / 50.0) ** (2.0 / ndim)  # ~constant density
    lo, hi = np.full(ndim, -1.5 * half), np.full(ndim, 1.5 * half)
    F1 = np.array([[1.0, dt], [0.0, 1.0]])
    Q1 = q * np.array([[dt**3 / 3, dt**2 / 2], [dt**2 / 2, dt]])
    L1 = np.linalg.cholesky(Q1)
    birth = rng.integers(0, 40, n_targets)
    death = np.where(rng.random(n_targets) < 0.3, rng.integers(n_scans - 50, n_scans, n_targets),
                     n_scans)
    speed = rng.uniform(50.0, 300.0, n_targets)
    direction = rng.normal(size=(n_targets, ndim))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    state = np.zeros((n_targets, ndim, 2))
    state[..., 0] = rng.uniform(-half, half, (n_targets, ndim))
    state[..., 1] = speed[:, None] * direction
    truth = np.full((n_scans, n_targets, 2 * ndim), np.nan)
    alive = np.zeros((n_scans, n_targets), bool)
    meas, meas_scan, meas_origin = [], [], []
    for k in range(n_scans):
        if k:
            noise = rng.normal(size=(n_targets, ndim, 2)) @ L1.T
            state = state @ F1.T + noise
        alive[k] = (birth <= k) & (k < death)
        truth[k, alive[k]] = state[alive[k]].reshape(-1, 2 * ndim)
        det = np.flatnonzero(alive[k] & (rng.random(n_targets) < pd))
        z = state[det, :, 0] + sigma * rng.normal(size=(det.size, ndim))
        n_c = rng.poisson(clutter_rate)
        zc = rng.uniform(lo, hi, (n_c, ndim))
        zk = np.vstack([z, zc])
        origin = np.r_[det, np.full(n_c, -1)]
        perm = rng.permutation(zk.shape[0])
        meas.append(zk[perm])
        meas_origin.append(origin[perm])
        meas_scan.append(np.full(zk.shape[0], k))
    return {
        "times": dt * np.arange(n_scans, dtype=np.float64),
        "truth": truth,
        "alive": alive,
        "meas": np.vstack(meas),
        "meas_scan": np.concatenate(meas_scan),
        "meas_origin": np.concatenate(meas_origin),
        "region_lo": lo,
        "region_hi": hi,
        "dt": dt,
        "q": q,
        "sigma": sigma,
        "pd": pd,
        "clutter_rate": clutter_rate,
        "ndim": ndim,
        "n_targets": n_targets,
    }


def load(path: str) -> dict[str, Any]:
    """Read a scenario in the ``--data`` layout."""
    with np.load(path) as f:
        data = {name: f[name] for name in f.files}
    for name in ("dt", "q", "sigma", "pd", "clutter_rate"):
        data[name] = float(data[name])
    for name in ("ndim", "n_targets"):
        data[name] = int(data[name])
    return data


def _scan_bounds(data: dict[str, Any]) -> NDArray[np.intp]:
    """Start of each scan's measurements in ``meas`` (length K + 1)."""
    n_scans = data["times"].size
    return np.searchsorted(data["meas_scan"], np.arange(n_scans + 1))


def run_triumf(data: dict[str, Any]) -> tuple[list[NDArray[np.float64]], float]:
    """Run triumf's tracker over the scenario (R = 1).

    Returns
    -------
    estimates : list of ndarray (n_k, ndim)
        Confirmed track positions after each scan.
    seconds : float
        Wall time of the tracking loop.
    """
    ndim = int(data["ndim"])
    sigma = float(data["sigma"])
    n_max = int(np.bincount(data["meas_scan"], minlength=data["times"].size).max())
    params = TrackerParams(
        confirm_m=CONFIRM_HITS,
        confirm_n=CONFIRM_WINDOW,
        delete_misses=DELETE_MISSES,
        max_position_std_m=1e9,  # no covariance-growth deletion (Stone Soup has none here)
        accel_noise_mps2=math.sqrt(float(data["q"])),  # triumf's q is the square root of PSD
        gate_probability=_chi2_cdf3(GATE_SIGMAS**2),
        initial_velocity_std_mps=INITIAL_VELOCITY_STD_MPS,
        max_speed_mps=MAX_SPEED_MPS,
        # consecutive-miss rule: dropped once TENTATIVE_MISSES scans have passed without a hit
        tentative_max_age_s=(TENTATIVE_MISSES - 0.5) * float(data["dt"]),
        capacity=2 * int(data["n_targets"]) + 64,
        confirmed_first=True,  # Stone Soup's order: tracks first, then its initiator
    )
    bounds = _scan_bounds(data)
    meas = np.asarray(data["meas"], np.float64)
    cov = sigma**2 * np.eye(3)
    estimates = []
    t0 = time.perf_counter()
    tracks = Tracks.empty(1, params.capacity)
    y = np.zeros((1, n_max, 3))
    valid = np.zeros((1, n_max), bool)
    for k, t in enumerate(data["times"]):
        lo, hi = bounds[k], bounds[k + 1]
        n = hi - lo
        y[0, :n, :ndim] = meas[lo:hi]
        valid[0, :n] = True
        valid[0, n:] = False
        tracks = process_positions(tracks, y, cov, valid, float(t), params).tracks
        estimates.append(tracks.x[0, tracks.confirmed[0], :ndim])
    return estimates, time.perf_counter() - t0


def _chi2_cdf3(x: float) -> float:
    """Chi-square CDF with 3 degrees of freedom (gate probability of a d2 threshold)."""
    from scipy.stats import chi2

    return float(chi2.cdf(x, 3))


def run_stonesoup(data: dict[str, Any]) -> tuple[list[NDArray[np.float64]], float]:
    """Run Stone Soup's standard GNN multi-target tracker over the scenario.

    Returns
    -------
    estimates : list of ndarray (n_k, ndim)
        Track positions after each scan.
    seconds : float
        Wall time of the tracking loop (detections are built beforehand).
    """
    import datetime

    from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
    from stonesoup.deleter.time import UpdateTimeStepsDeleter
    from stonesoup.hypothesiser.distance import DistanceHypothesiser
    from stonesoup.initiator.simple import MultiMeasurementInitiator
    from stonesoup.measures import Mahalanobis
    from stonesoup.models.measurement.linear import LinearGaussian
    from stonesoup.models.transition.linear import (
        CombinedLinearGaussianTransitionModel,
        ConstantVelocity,
    )
    from stonesoup.predictor.kalman import KalmanPredictor
    from stonesoup.tracker.simple import MultiTargetTracker
    from stonesoup.types.detection import Clutter, Detection
    from stonesoup.types.state import GaussianState
    from stonesoup.updater.kalman import KalmanUpdater

    ndim = int(data["ndim"])
    sigma = float(data["sigma"])
    transition = CombinedLinearGaussianTransitionModel(
        [ConstantVelocity(float(data["q"])) for _ in range(ndim)]
    )
    mapping = tuple(2 * i for i in range(ndim))
    measurement = LinearGaussian(
        ndim_state=2 * ndim, mapping=mapping, noise_covar=sigma**2 * np.eye(ndim)
    )
    predictor = KalmanPredictor(transition)
    updater = KalmanUpdater(measurement)
    hypothesiser = DistanceHypothesiser(
        predictor, updater, measure=Mahalanobis(), missed_distance=GATE_SIGMAS
    )
    associator = GNNWith2DAssignment(hypothesiser)
    prior_var = np.zeros(2 * ndim)
    prior_var[1::2] = INITIAL_VELOCITY_STD_MPS**2
    prior_var[0::2] = sigma**2  # replaced by the first measurement's covariance
    initiator = MultiMeasurementInitiator(
        prior_state=GaussianState(np.zeros((2 * ndim, 1)), np.diag(prior_var)),
        measurement_model=measurement,
        deleter=UpdateTimeStepsDeleter(TENTATIVE_MISSES),
        data_associator=associator,
        updater=updater,
        min_points=CONFIRM_HITS,
    )
    deleter = UpdateTimeStepsDeleter(DELETE_MISSES)

    t0_dt = datetime.datetime(2026, 1, 1)
    bounds = _scan_bounds(data)
    scans = []
    for k, t in enumerate(data["times"]):
        stamp = t0_dt + datetime.timedelta(seconds=float(t))
        dets: set[Detection] = set()
        for z in data["meas"][bounds[k] : bounds[k + 1]]:
            # the trackers never read the origin: every measurement is a plain Detection
            dets.add(Detection(z.reshape(-1, 1), timestamp=stamp, measurement_model=measurement))
        scans.append((stamp, dets))
    del Clutter
    tracker = MultiTargetTracker(
        initiator=initiator,
        deleter=deleter,
        detector=scans,
        data_associator=associator,
        updater=updater,
    )
    estimates = []
    t0 = time.perf_counter()
    for _, tracks in tracker:
        est = [np.asarray(tr.state_vector, float).ravel()[list(mapping)] for tr in tracks]
        estimates.append(np.array(est).reshape(-1, ndim))
    return estimates, time.perf_counter() - t0


def mean_gospa(data: dict[str, Any], estimates: list[NDArray[np.float64]]) -> float:
    """Mean over scans of GOSPA (c = 500 m, p = 1, alpha = 2) on position."""
    ndim = int(data["ndim"])
    values = []
    for k, est in enumerate(estimates):
        alive = np.asarray(data["alive"][k], bool)
        truth = np.asarray(data["truth"][k][alive][:, 0::2][:, :ndim], np.float64)
        values.append(float(gospa(est, truth, c=GOSPA_C_M, p=GOSPA_P, alpha=2.0).distance))
    return float(np.mean(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=50, help="number of targets N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--ndim", type=int, default=2, choices=(2, 3))
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of triumf")
    parser.add_argument("--ss-repeats", type=int, default=1, help="timed runs of Stone Soup")
    parser.add_argument("--data", help="read the scenario from this .npz instead")
    parser.add_argument("--save", help="write the generated scenario to this .npz")
    parser.add_argument("--no-stonesoup", action="store_true", help="run triumf only")
    parser.add_argument("--quick", action="store_true",
                        help=f"small run for benchmarks/run.py: {QUICK_TARGETS} targets, "
                        f"{QUICK_SCANS} scans")
    args = parser.parse_args()
    if args.quick:
        args.targets, args.scans = QUICK_TARGETS, QUICK_SCANS

    if args.data:
        data = load(args.data)
    else:
        data = generate(args.targets, seed=args.seed, n_scans=args.scans, ndim=args.ndim)
        if args.save:
            np.savez(args.save, **data)
    n_scans = int(data["times"].size)

    runs = [run_triumf(data) for _ in range(args.repeats)]
    t_triumf = statistics.median(r[1] for r in runs)
    out: dict[str, Any] = {
        "name": "tracking_vs_stonesoup",
        "targets": int(data["n_targets"]),
        "scans": n_scans,
        "ndim": int(data["ndim"]),
        "measurements": int(data["meas"].shape[0]),
        "triumf_scans_per_s": n_scans / t_triumf,
        "triumf_mean_gospa_m": mean_gospa(data, runs[0][0]),
        "gospa": {"c_m": GOSPA_C_M, "p": GOSPA_P, "alpha": 2.0},
        "repeats": {"triumf": args.repeats},
        "python": platform.python_version(),
        "numpy": np.__version__,
    }
    if not args.no_stonesoup and importlib.util.find_spec("stonesoup") is not None:
        ss = [run_stonesoup(data) for _ in range(args.ss_repeats)]
        t_ss = statistics.median(r[1] for r in ss)
        out["stonesoup_scans_per_s"] = n_scans / t_ss
        out["stonesoup_mean_gospa_m"] = mean_gospa(data, ss[0][0])
        out["speed_ratio"] = t_ss / t_triumf
        out["repeats"]["stonesoup"] = args.ss_repeats
    else:
        out["stonesoup"] = "not installed (or --no-stonesoup)"
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()

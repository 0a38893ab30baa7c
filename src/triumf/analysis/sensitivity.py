"""Global sensitivity analysis with SALib: Morris screening and Sobol indices.

The model is pluggable: any function from a design matrix ``X`` of shape (N, P) (one row per
design point, one column per parameter, inside its bounds) to outputs ``Y`` of shape (N, O).
:class:`triumf.analysis.sensitivity_model.ScenarioModel` is the simulator's model (a small Monte
Carlo batch per design point with common random numbers); tests use closed-form functions.

Methods
-------
``morris``
    Elementary effects on a ``levels``-level grid (Morris 1991; mu* of Campolongo, Cariboni &
    Saltelli 2007): ``size`` trajectories of P + 1 points. Each step moves one parameter by
    delta = p / (2 (p - 1)) = 2/3 of its range (p = 4 levels) and its elementary effect is the
    output change divided by delta: mu* (mean absolute effect) is the output change per unit
    of the (0, 1)-normalised range, i.e. scaled to the full range; a 2/3-range move changes
    the output by about 2/3 mu*. sigma is the spread of the effects (interaction or
    non-linearity). Cheap screening.
``sobol``
    Variance-based first-order (S1) and total (ST) indices from Saltelli's scheme with
    Jansen's total-effect estimator (Saltelli et al. 2010, as implemented by SALib): ``size``
    base points (a power of two: a scrambled Sobol' sequence), N = size (P + 2) evaluations.

Confidence intervals are SALib's bootstrap over the design points (``resamples`` resamples,
normal interval of the bootstrap standard error at ``confidence``).

Randomness: the design and the bootstrap draw from generators seeded from ``seed`` through a
``numpy.random.SeedSequence`` (never the global NumPy generator), so the same seed gives the
same design and the same intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike, NDArray
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

__all__ = [
    "METHODS",
    "Model",
    "SensitivityResult",
    "analyse",
    "design_size",
    "evaluate",
    "ranking",
    "run_sensitivity",
    "sample",
]

METHODS: tuple[str, ...] = ("morris", "sobol")
"""Available methods."""

MORRIS_LEVELS = 4
"""Grid levels of the Morris design (the usual choice; Saltelli et al., Global Sensitivity
Analysis: The Primer, 2008, section 3.3)."""

Model = Callable[[NDArray[np.float64]], NDArray[np.float64]]
"""Design matrix (N, P) -> outputs (N, O)."""


def _problem(names: Sequence[str], bounds: NDArray[np.float64]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names),
            "bounds": [[float(lo), float(hi)] for lo, hi in bounds]}


def _generators(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    a, b = np.random.SeedSequence(int(seed)).spawn(2)
    return np.random.default_rng(a), np.random.default_rng(b)


def _check(method: str, size: int, bounds: NDArray[np.float64]) -> None:
    if method not in METHODS:
        raise ValueError(f"method '{method}' is unknown; valid: {', '.join(METHODS)}")
    if bounds.ndim != 2 or bounds.shape[1] != 2 or len(bounds) == 0:
        raise ValueError(f"bounds must have shape (P, 2) with P >= 1, got {bounds.shape}")
    if not np.all(bounds[:, 0] < bounds[:, 1]):
        raise ValueError("every parameter needs low < high")
    if method == "morris" and size < 2:
        raise ValueError(f"Morris needs at least 2 trajectories (got {size})")
    if method == "sobol" and (size < 2 or size & (size - 1)):
        raise ValueError(f"Sobol needs a power of two of at least 2 base samples (got {size}); "
                         "e.g. 16, 32, 64, 128")


def design_size(method: str, size: int, parameters: int) -> int:
    """Model evaluations of a design: ``size (P + 1)`` (Morris) or ``size (P + 2)`` (Sobol)."""
    return size * (parameters + (1 if method == "morris" else 2))


def sample(method: str, names: Sequence[str], bounds: ArrayLike, size: int,
           seed: int = 0) -> NDArray[np.float64]:
    """The design matrix of ``method``.

    Parameters
    ----------
    method : {"morris", "sobol"}
    names : sequence of str, length P
    bounds : array_like, shape (P, 2)
        ``[low, high]`` per parameter (SI units).
    size : int
        Morris trajectories, or Sobol base samples (a power of two).
    seed : int

    Returns
    -------
    ndarray, shape (design_size(method, size, P), P)
        Every row inside the bounds.
    """
    b = np.asarray(bounds, dtype=np.float64)
    _check(method, size, b)
    problem = _problem(names, b)
    rng, _ = _generators(seed)
    if method == "morris":
        x = morris_sample.sample(problem, size, num_levels=MORRIS_LEVELS, seed=rng)
    else:
        x = sobol_sample.sample(problem, size, calc_second_order=False, scramble=True, seed=rng)
    return np.clip(np.asarray(x, dtype=np.float64), b[:, 0], b[:, 1])


def evaluate(model: Model, x: NDArray[np.float64], batch: int = 1,
             progress: Callable[[int], None] | None = None) -> NDArray[np.float64]:
    """Outputs of ``model`` on the rows of ``x``, ``batch`` rows per call.

    Parameters
    ----------
    model : Model
    x : ndarray, shape (N, P)
    batch : int
        Design points passed to the model at once.
    progress : callable, optional
        Called with the number of points done after each call.

    Returns
    -------
    ndarray, shape (N, O)
    """
    parts = []
    for start in range(0, len(x), max(1, batch)):
        y = np.asarray(model(x[start:start + max(1, batch)]), dtype=np.float64)
        parts.append(y.reshape(len(y), -1))
        if progress is not None:
            progress(start + len(y))
    return np.concatenate(parts, axis=0)


def morris_effects(x: NDArray[np.float64], y: NDArray[np.float64], bounds: ArrayLike
                   ) -> NDArray[np.float64]:
    """Elementary effects of a Morris design from the steps actually taken.

    Each trajectory is P + 1 consecutive rows of ``x``; between two rows one parameter moves.
    The effect of that move is ``(y[i+1] - y[i]) / ((x[i+1, j] - x[i, j]) / (high_j - low_j))``:
    the output change per unit of the (0, 1)-normalised range, divided by the step the model
    really saw (after rounding an integer or choosing a category, see
    `triumf.analysis.sensitivity_params.quantize`), not by the design's nominal step.

    Parameters
    ----------
    x : ndarray, shape (T (P + 1), P)
        Design values the model used.
    y : ndarray, shape (T (P + 1),)
    bounds : array_like, shape (P, 2)

    Returns
    -------
    ndarray, shape (P, T)
        NaN where a parameter's step rounded to nothing (no effect measurable) in a trajectory.
    """
    b = np.asarray(bounds, dtype=np.float64)
    p = b.shape[0]
    xs = (np.asarray(x, np.float64) - b[:, 0]) / (b[:, 1] - b[:, 0])
    xs = xs.reshape(-1, p + 1, p)
    ys = np.asarray(y, np.float64).reshape(-1, p + 1)
    dy = np.diff(ys, axis=1)                                        # (T, P)
    dx = np.diff(xs, axis=1)                                        # (T, P steps, P)
    # each step of a trajectory moves one parameter (or none, when it rounded to nothing)
    out = np.full((p, ys.shape[0]), np.nan)
    moved = np.abs(dx).argmax(axis=2)                               # (T, P)
    for t in range(ys.shape[0]):
        for i in range(p):
            j = int(moved[t, i])
            step = dx[t, i, j]
            if step != 0.0:
                out[j, t] = dy[t, i] / step
    return out


def _morris_stats(ee: NDArray[np.float64], resamples: int, confidence: float,
                  rng: np.random.Generator) -> dict[str, NDArray[np.float64]]:
    """mu, mu*, sigma and the bootstrap half-width of mu* (as SALib computes them) of effects
    (P, T) that may hold NaN (steps that rounded to nothing; left out)."""
    from scipy.stats import norm

    p = ee.shape[0]
    res = {k: np.full(p, np.nan) for k in ("mu", "mu_star", "sigma", "mu_star_conf")}
    for j in range(p):
        e = ee[j][np.isfinite(ee[j])]
        if e.size == 0:
            continue
        res["mu"][j] = e.mean()
        res["mu_star"][j] = np.abs(e).mean()
        res["sigma"][j] = e.std(ddof=1) if e.size > 1 else np.nan
        boot = np.abs(e[rng.integers(e.size, size=(resamples, e.size))]).mean(axis=1)
        res["mu_star_conf"][j] = norm.ppf(0.5 + confidence / 2) * boot.std(ddof=1)
    return res


def _halfwidths(value: NDArray[np.float64], conf: NDArray[np.float64]
                ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    half = np.abs(np.asarray(conf, dtype=np.float64))
    return value - half, value + half


def analyse(method: str, names: Sequence[str], bounds: ArrayLike, x: NDArray[np.float64],
            y: NDArray[np.float64], outputs: Sequence[str], seed: int = 0,
            confidence: float = 0.95, resamples: int = 1000, *,
            actual_steps: bool = False) -> pa.Table:
    """Sensitivity indices of every output, one row per (output, parameter).

    Columns: ``output``, ``parameter``, then for Morris ``mu``, ``mu_star``, ``mu_star_low``,
    ``mu_star_high``, ``sigma``; for Sobol ``S1``, ``S1_low``, ``S1_high``, ``ST``, ``ST_low``,
    ``ST_high``; and ``rank`` (1 = most influential, by mu* or ST, within the output).
    An output that does not vary over the design gets mu* = sigma = 0 (Morris) or NaN
    indices (Sobol: the variance decomposition of a constant is undefined).

    With ``actual_steps`` (a design whose integer or categorical columns were quantised), the
    Morris effects divide by the steps in ``x`` (`morris_effects`) instead of SALib's nominal
    step; a parameter whose steps all rounded to nothing gets NaN indices.
    """
    b = np.asarray(bounds, dtype=np.float64)
    problem = _problem(names, b)
    y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
    _, rng = _generators(seed)
    cols: dict[str, list[Any]] = {"output": [], "parameter": []}
    p = len(names)
    for j, out in enumerate(outputs):
        yj = y[:, j]
        constant = bool(np.ptp(yj) == 0.0)
        if method == "morris":
            if constant:
                z = np.zeros(p)
                res = {"mu": z, "mu_star": z, "sigma": z, "mu_star_conf": z}
            elif actual_steps:
                res = _morris_stats(morris_effects(x, yj, b), resamples, confidence, rng)
            else:
                res = morris_analyze.analyze(problem, x, yj, num_resamples=resamples,
                                             conf_level=confidence,
                                             num_levels=MORRIS_LEVELS, seed=rng)
            mu_star = np.asarray(res["mu_star"], dtype=np.float64)
            low, high = _halfwidths(mu_star, res["mu_star_conf"])
            block = {"mu": res["mu"], "mu_star": mu_star, "mu_star_low": np.maximum(low, 0.0),
                     "mu_star_high": high, "sigma": res["sigma"]}
            key = mu_star
        else:
            if constant:
                nan = np.full(p, np.nan)
                res = {"S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan}
            else:
                res = sobol_analyze.analyze(problem, yj, calc_second_order=False,
                                            num_resamples=resamples, conf_level=confidence,
                                            seed=rng)
            s1 = np.asarray(res["S1"], dtype=np.float64)
            st = np.asarray(res["ST"], dtype=np.float64)
            s1_lo, s1_hi = _halfwidths(s1, res["S1_conf"])
            st_lo, st_hi = _halfwidths(st, res["ST_conf"])
            block = {"S1": s1, "S1_low": s1_lo, "S1_high": s1_hi, "ST": st, "ST_low": st_lo,
                     "ST_high": st_hi}
            key = st
        order = np.argsort(-np.nan_to_num(key, nan=-np.inf), kind="stable")
        rank = np.empty(p, dtype=np.int64)
        rank[order] = np.arange(1, p + 1)
        cols["output"].extend([out] * p)
        cols["parameter"].extend(names)
        for k, v in {**block, "rank": rank}.items():
            cols.setdefault(k, []).extend(np.asarray(v).tolist())
    return pa.table(cols)


def ranking(indices: pa.Table, output: str) -> pa.Table:
    """Rows of ``indices`` for ``output``, most influential first."""
    mask = np.asarray(indices.column("output").to_pylist()) == output
    sub = indices.filter(pa.array(mask))
    return sub.take(pa.array(np.argsort(sub.column("rank").to_numpy(), kind="stable")))


@dataclass(frozen=True)
class SensitivityResult:
    """A finished analysis.

    Attributes
    ----------
    method : str
    names : tuple of str, length P
    bounds : ndarray, shape (P, 2)
    size : int
        Morris trajectories or Sobol base samples.
    outputs : tuple of str, length O
    x : ndarray, shape (N, P)
        Design points.
    y : ndarray, shape (N, O)
        Model outputs.
    indices : pyarrow.Table
        See :func:`analyse`.
    """

    method: str
    names: tuple[str, ...]
    bounds: NDArray[np.float64]
    size: int
    outputs: tuple[str, ...]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    indices: pa.Table

    def design_table(self) -> pa.Table:
        """One row per design point: ``point``, the parameters, then the outputs."""
        cols: dict[str, Any] = {"point": np.arange(len(self.x), dtype=np.int64)}
        cols.update({n: self.x[:, i] for i, n in enumerate(self.names)})
        cols.update({o: self.y[:, j] for j, o in enumerate(self.outputs)})
        return pa.table(cols)


def run_sensitivity(names: Sequence[str], bounds: ArrayLike, model: Model, outputs: Sequence[str],
                    method: str = "morris", size: int = 10, seed: int = 0, batch: int = 1,
                    progress: Callable[[int], None] | None = None, confidence: float = 0.95,
                    resamples: int = 1000,
                    quantize: Callable[[NDArray[np.float64]], NDArray[np.float64]] | None = None
                    ) -> SensitivityResult:
    """Sample a design, run ``model`` on it and compute the indices.

    Parameters
    ----------
    names : sequence of str, length P
    bounds : array_like, shape (P, 2)
    model : Model
        (N, P) -> (N, O) with O = len(outputs).
    outputs : sequence of str
    method : {"morris", "sobol"}
    size : int
        Morris trajectories or Sobol base samples (a power of two).
    seed : int
        Seeds the design and the bootstrap.
    batch : int
        Design points per model call.
    progress : callable, optional
        Called with the number of points done.
    confidence : float
    resamples : int
        Bootstrap resamples of the intervals.
    quantize : callable, optional
        (N, P) -> (N, P): the design as the model uses it (integers rounded, categories
        chosen); default the model's ``quantize`` method when it has one. The quantised design
        is what the model gets, what the design table records, and what the Morris effects
        divide by.
    """
    b = np.asarray(bounds, dtype=np.float64)
    x = sample(method, names, b, size, seed)
    q = quantize if quantize is not None else getattr(model, "quantize", None)
    if q is not None:
        x = np.asarray(q(x), dtype=np.float64)
    y = evaluate(model, x, batch, progress)
    if y.shape[1] != len(outputs):
        raise ValueError(f"the model returned {y.shape[1]} outputs, expected {len(outputs)}")
    table = analyse(method, names, b, x, y, outputs, seed, confidence, resamples,
                    actual_steps=q is not None)
    return SensitivityResult(method, tuple(names), b, size, tuple(outputs), x, y, table)

"""The simulator as a sensitivity model: a small Monte Carlo batch per design point.

Every design point runs the same replication indices with the same seed, so replication r
draws the same random numbers at every point (common random numbers, as in
`triumf.montecarlo.compare`): differences between points are mostly the effect of the
parameters, not of luck, and a few replications per point suffice for screening.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.analysis.sensitivity_params import Parameter, apply_parameters, quantize
from triumf.equipment.database import EquipmentDatabase
from triumf.montecarlo.campaign import spans
from triumf.montecarlo.runners import Runner, SerialRunner
from triumf.scenario.compile import compile_scenario
from triumf.scenario.schema import Scenario

__all__ = ["OUTPUTS", "ScenarioModel"]

OUTPUTS: dict[str, str] = {
    "expected_leakers": "expected leakers (hostile threats not killed), per raid",
    "leak_probability": "leak probability per hostile threat",
    "missiles_spent": "interceptors fired, per raid",
}
"""Outputs of :class:`ScenarioModel`, in column order, with their meaning."""


@dataclass
class ScenarioModel:
    """Design points -> Monte Carlo means of :data:`OUTPUTS`.

    Parameters
    ----------
    scenario : Scenario
    db : EquipmentDatabase
    parameters : sequence of Parameter
        The columns of the design matrix.
    replications : int
        Replications per design point (indices 0 .. replications - 1 at every point).
    seed : int, optional
        Seed of every point (default: the scenario's).
    chunk : int
        Replications per engine batch.
    runner : Runner, optional
        Where chunks run (default: this process).

    Notes
    -----
    A design point changes compiled arrays (and, for missile figures, the fly-out tables the
    compiler builds and caches), so each point is compiled and run on its own; the replications
    of a point are batched by the engine.
    """

    scenario: Scenario
    db: EquipmentDatabase
    parameters: Sequence[Parameter]
    replications: int
    seed: int | None = None
    chunk: int = 100
    runner: Runner = field(default_factory=SerialRunner)

    def point(self, values: NDArray[np.float64]) -> NDArray[np.float64]:
        """Mean outputs of one design point, shape (3,) in :data:`OUTPUTS` order."""
        scn, db = apply_parameters(self.scenario, self.db, self.parameters, values)
        params = compile_scenario(scn, db)
        seed = int(self.scenario.seed if self.seed is None else self.seed)
        params = dataclasses.replace(params, seed=seed)
        leakers, fraction, spent = [], [], []
        for out in self.runner.ordered(params, spans(self.replications, self.chunk)):
            t = out.replications
            leakers.append(t.column("leakers").to_numpy())
            fraction.append(t.column("leak_fraction").to_numpy())
            spent.append(t.column("interceptors_spent").to_numpy())
        return np.array([np.mean(np.concatenate(leakers)), np.mean(np.concatenate(fraction)),
                         np.mean(np.concatenate(spent))], dtype=np.float64)

    def quantize(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """The design as the scenario uses it (integers rounded, categories chosen), so that
        the analysis divides each effect by the step actually taken (`quantize`)."""
        return quantize(self.parameters, x)

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Outputs of the design points ``x``, shape (N, P) -> (N, 3)."""
        return np.stack([self.point(row) for row in np.atleast_2d(x)])

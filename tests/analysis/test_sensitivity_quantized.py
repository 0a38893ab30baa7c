"""Morris effects of integer and categorical figures divide by the step the model really saw."""

import numpy as np
import pytest

from triumf.analysis.sensitivity import run_sensitivity
from triumf.analysis.sensitivity_params import Parameter, quantize


def _param(name, low, high, integer=False, categorical=False):
    return Parameter(name=name, kind="threat", system="t", figure=name, value=low, low=low,
                     high=high, unit="1", integer=integer, source="test",
                     categorical=categorical)


PARAMS = [_param("swerling", 1.0, 3.0, integer=True, categorical=True),
          _param("n", 0.0, 5.0, integer=True), _param("x", 0.0, 2.0)]
BOUNDS = np.array([[p.low, p.high] for p in PARAMS])


def _linear(x):
    """y = 2 swerling + 0.7 n + 3 x: full-range effects 4, 3.5 and 6."""
    return (2.0 * x[:, 0] + 0.7 * x[:, 1] + 3.0 * x[:, 2])[:, None]


def _mu_star(model):
    res = run_sensitivity([p.name for p in PARAMS], BOUNDS, model, ["y"], size=12, seed=3,
                          quantize=lambda x: quantize(PARAMS, x))
    return dict(zip(res.indices.column("parameter").to_pylist(),
                    res.indices.column("mu_star").to_pylist(), strict=True)), res


def test_quantize_chooses_categories_and_rounds_integers():
    """Categories become low or high (split at the middle); integers the nearest integer."""
    q = quantize(PARAMS, np.array([[1.9, 1.6, 0.3], [2.0, 3.4, 1.7]]))
    assert q.tolist() == [[1.0, 2.0, 0.3], [3.0, 3.0, 1.7]]


def test_design_uses_only_allowed_category_values():
    """The model never sees a Swerling case between the two the bounds name."""
    _, res = _mu_star(_linear)
    assert set(np.unique(res.x[:, 0])) <= {1.0, 3.0}
    assert np.all(res.x[:, 1] == np.rint(res.x[:, 1]))


def test_linear_model_gives_full_range_effects():
    """mu* of a linear model is slope * range for continuous, integer and categorical figures."""
    mu, _ = _mu_star(_linear)
    assert mu["swerling"] == pytest.approx(4.0)
    assert mu["n"] == pytest.approx(3.5)
    assert mu["x"] == pytest.approx(6.0)

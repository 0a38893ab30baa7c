"""Morris and Sobol through triumf's sensitivity pipeline, on functions with known answers."""

import numpy as np
import pytest

from triumf.analysis.sensitivity import design_size, ranking, run_sensitivity, sample

PI_BOUNDS = [[-np.pi, np.pi]] * 3


def ishigami(x, a=7.0, b=0.1):
    """Ishigami & Homma (1990): y = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi)."""
    return (np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2
            + b * x[:, 2] ** 4 * np.sin(x[:, 0]))[:, None]


def ishigami_indices(a=7.0, b=0.1):
    """Closed-form first-order and total indices of the Ishigami function."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def column(table, name):
    return np.array(table.column(name).to_pylist(), dtype=float)


def test_ishigami_closed_form_matches_published_values():
    """The closed form gives the published S1 = 0.314, 0.442, 0 and ST = 0.558, 0.442, 0.244."""
    s1, st = ishigami_indices()
    assert s1 == pytest.approx([0.314, 0.442, 0.0], abs=5e-4)
    assert st == pytest.approx([0.558, 0.442, 0.244], abs=5e-4)


def test_sobol_recovers_ishigami_indices():
    """Sobol (Saltelli, 2048 base samples) finds the Ishigami S1 and ST within 0.05."""
    res = run_sensitivity(["x1", "x2", "x3"], PI_BOUNDS, ishigami, ["y"], "sobol", 2048,
                          seed=3, batch=10**6, resamples=200)
    s1, st = ishigami_indices()
    assert column(res.indices, "S1") == pytest.approx(s1, abs=0.05)
    assert column(res.indices, "ST") == pytest.approx(st, abs=0.05)


def test_sobol_intervals_bracket_their_estimates():
    """Every bootstrap interval contains its point estimate."""
    res = run_sensitivity(["x1", "x2", "x3"], PI_BOUNDS, ishigami, ["y"], "sobol", 256,
                          seed=5, batch=10**6, resamples=100)
    for key in ("S1", "ST"):
        v = column(res.indices, key)
        assert np.all(column(res.indices, f"{key}_low") <= v)
        assert np.all(v <= column(res.indices, f"{key}_high"))


def test_morris_ranks_inert_parameter_last_with_zero_mu_star():
    """y = 5 a + b^2 + 0 c: Morris ranks c last with mu* = 0 and a first with mu* = 5."""
    def model(x):
        return (5.0 * x[:, 0] + x[:, 1] ** 2 + 0.0 * x[:, 2])[:, None]

    res = run_sensitivity(["a", "b", "c"], [[0, 1]] * 3, model, ["y"], "morris", 10, seed=2,
                          batch=7, resamples=100)
    top = ranking(res.indices, "y").to_pylist()
    assert [r["parameter"] for r in top] == ["a", "b", "c"]
    assert top[2]["mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert top[0]["mu_star"] == pytest.approx(5.0)  # linear: every effect equals the slope
    assert top[0]["sigma"] == pytest.approx(0.0, abs=1e-9)


def test_design_sizes_and_bounds():
    """Morris has r (P + 1) rows, Sobol N (P + 2), all inside the bounds."""
    bounds = np.array([[1.0, 2.0], [-5.0, 5.0], [0.0, 1e-6], [10.0, 11.0]])
    for method, size in (("morris", 6), ("sobol", 16)):
        x = sample(method, list("abcd"), bounds, size, seed=1)
        assert x.shape == (design_size(method, size, 4), 4)
        assert np.all((x >= bounds[:, 0]) & (x <= bounds[:, 1]))


def test_same_seed_same_design_and_indices():
    """Two runs with the same seed give the same design and the same intervals."""
    def go():
        return run_sensitivity(["x1", "x2", "x3"], PI_BOUNDS, ishigami, ["y"], "sobol", 64,
                               seed=9, batch=1000, resamples=50)
    a, b = go(), go()
    assert np.array_equal(a.x, b.x)
    assert a.indices.equals(b.indices)


def test_model_called_in_batches_of_the_requested_size():
    """The model sees at most `batch` design points per call and every point once."""
    calls = []

    def model(x):
        calls.append(len(x))
        return x[:, :1]

    res = run_sensitivity(["a", "b"], [[0, 1], [0, 1]], model, ["y"], "morris", 4, batch=5)
    assert max(calls) <= 5 and sum(calls) == len(res.x) == 12


def test_constant_output_gives_zero_morris_and_nan_sobol():
    """An output that never changes: mu* = 0 (Morris), undefined (NaN) Sobol indices."""
    def model(x):
        return np.ones((len(x), 1))

    m = run_sensitivity(["a", "b"], [[0, 1], [0, 1]], model, ["y"], "morris", 4)
    assert np.all(column(m.indices, "mu_star") == 0.0)
    s = run_sensitivity(["a", "b"], [[0, 1], [0, 1]], model, ["y"], "sobol", 16)
    assert np.all(np.isnan(column(s.indices, "ST")))


@pytest.mark.parametrize("method,size", [("sobol", 48), ("sobol", 1), ("morris", 1),
                                         ("fast", 8)])
def test_bad_method_or_size_rejected(method, size):
    """Unknown method, too few trajectories or a Sobol size that is not a power of two."""
    with pytest.raises(ValueError):
        sample(method, ["a"], [[0.0, 1.0]], size)

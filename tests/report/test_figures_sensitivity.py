"""Sensitivity figures: one panel per output, undefined indices drawn without failing."""

import matplotlib.pyplot as plt
import numpy as np

from triumf.analysis.sensitivity import run_sensitivity
from triumf.report.figures_sensitivity import plot_sensitivity


def model(x):
    """Two outputs: a linear one and a constant one."""
    return np.stack([2.0 * x[:, 0] + x[:, 1], np.ones(len(x))], axis=1)


def test_morris_figure_has_one_panel_per_output_and_marks_constant_output():
    """Two outputs give two panels; the constant output's panel says so."""
    res = run_sensitivity(["a", "b"], [[0, 1], [0, 1]], model, ["y", "c"], "morris", 4)
    fig = plot_sensitivity(res.indices, "morris", ["y", "c"], "t")
    try:
        assert len(fig.axes) == 2
        assert any("constant" in t.get_text() for t in fig.axes[1].texts)
    finally:
        plt.close(fig)


def test_sobol_figure_draws_defined_and_undefined_indices():
    """S1 and ST bars for a varying output; a constant output (NaN indices) still draws."""
    res = run_sensitivity(["a", "b"], [[0, 1], [0, 1]], model, ["y", "c"], "sobol", 16,
                          resamples=50)
    fig = plot_sensitivity(res.indices, "sobol", ["y", "c"], "t")
    try:
        assert len(fig.axes) == 2
        assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["S1", "ST"]
    finally:
        plt.close(fig)

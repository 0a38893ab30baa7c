"""User text drawn by matplotlib: '$' and backslashes are shown as typed, never as mathtext."""

from __future__ import annotations

import pytest

from triumf.report.figures_save import plain, pyplot

NAMES = ["x$\\undefinedcmd$", "cost $5 and $6", "a\\$b$", "trailing \\", "\\\\$", "$", "ok"]


@pytest.mark.parametrize("name", NAMES)
def test_escaped_text_draws_without_error(name):
    """A figure titled with the escaped text renders (the raw text with '$..$' would not)."""
    plt = pyplot()
    fig, ax = plt.subplots()
    try:
        ax.set_title(plain(name))
        ax.annotate(plain(name), (0.5, 0.5))
        fig.canvas.draw()
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_escaped_text_is_shown_as_typed(name):
    """Matplotlib's own text preprocessing turns the escaped text back into the original,
    as plain (not math) text."""
    from matplotlib.text import Text

    t = Text(text=plain(name))
    assert t._preprocess_math(t.get_text()) == (name, False)


def test_raw_mathtext_name_would_fail():
    """The defect guarded against: the raw name is parsed as mathtext and fails to draw."""
    plt = pyplot()
    fig, ax = plt.subplots()
    try:
        ax.set_title("x$\\undefinedcmd$")
        with pytest.raises(ValueError):
            fig.canvas.draw()
    finally:
        plt.close(fig)

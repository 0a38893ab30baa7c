"""Read a weapon-target assignment instance in the text format of the public WTA benchmarks.

The format of the instances published with Andersen, Pavlikov & Toffolo, "Weapon-target
assignment problem: exact and approximate solution algorithms", Annals of Operations Research
(2022) (https://github.com/tuliotoffolo/wta, folder ``data``)::

    m n mu            weapon types, targets, weapons per type (integers)
    V_0               n lines: integer target values
    ...
    i j p_ij          one line per pair, 0-based indices, probability in [0, 1]
    ...

Pairs not listed have ``p_ij = 0``. Blank lines are skipped. Problems are reported as
:class:`~triumf.scenario.errors.ScenarioError` naming the file, the line and what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from triumf.scenario.errors import Issue, ScenarioError

__all__ = ["WTAInstance", "load_wta_instance"]


@dataclass(frozen=True)
class WTAInstance:
    """A static target-based WTA instance.

    Attributes
    ----------
    values : ndarray, shape (n,)
        Target values.
    p_kill : ndarray, shape (m, n)
        Single-shot kill probabilities.
    weapons : ndarray of int, shape (m,)
        Weapons of each type (``mu`` for every type).
    """

    values: NDArray[np.float64]
    p_kill: NDArray[np.float64]
    weapons: NDArray[np.int64]


def load_wta_instance(path: str | Path) -> WTAInstance:
    """Read an instance file.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    WTAInstance

    Raises
    ------
    ScenarioError
        The file is missing, unreadable or not in the format above.
    """
    name = str(path)

    def fail(line: int | None, message: str) -> ScenarioError:
        return ScenarioError([Issue(name, line, "", message)])

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(None, f"cannot read the file ({exc.__class__.__name__}: {exc})") from None
    lines = [(k + 1, ln.split()) for k, ln in enumerate(text.splitlines()) if ln.strip()]
    if not lines:
        raise fail(None, "the file is empty; expected a first line 'm n mu'")
    no, head = lines[0]
    try:
        m, n, mu = (int(t) for t in head)
    except ValueError:
        raise fail(no, f"expected 'm n mu' (three integers: weapon types, targets, weapons "
                       f"per type), got {' '.join(head)!r}") from None
    if m < 1 or n < 1 or mu < 0:
        raise fail(no, f"need m >= 1, n >= 1 and mu >= 0 (got {m} {n} {mu})")
    if len(lines) < 1 + n:
        raise fail(None, f"expected {n} target-value lines after the first line, found "
                         f"{len(lines) - 1}")
    values = np.empty(n)
    for k in range(n):
        no, tok = lines[1 + k]
        try:
            (values[k],) = (float(t) for t in tok)
        except ValueError:
            raise fail(no, f"expected one target value (a number >= 0) for target {k}, "
                           f"got {' '.join(tok)!r}") from None
        if not np.isfinite(values[k]) or values[k] < 0.0:
            raise fail(no, f"target value must be a finite number >= 0 (got {tok[0]})")
    p = np.zeros((m, n))
    for no, tok in lines[1 + n:]:
        try:
            i, j, pij = int(tok[0]), int(tok[1]), float(tok[2])
            if len(tok) != 3:
                raise ValueError
        except (ValueError, IndexError):
            raise fail(no, f"expected 'i j p_ij' (weapon type 0..{m - 1}, target "
                           f"0..{n - 1}, probability 0..1), got {' '.join(tok)!r}") from None
        if not (0 <= i < m and 0 <= j < n):
            raise fail(no, f"pair ({i}, {j}) out of range: weapon type must be 0..{m - 1} "
                           f"and target 0..{n - 1}")
        if not 0.0 <= pij <= 1.0:
            raise fail(no, f"probability must be between 0 and 1 (got {tok[2]})")
        p[i, j] = pij
    return WTAInstance(values, p, np.full(m, mu, np.int64))

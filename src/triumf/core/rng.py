"""Counter-based random numbers, batched over replications.

Each replication has its own 64-bit key, derived from the scenario seed through a
``numpy.random.SeedSequence`` tree (seed -> replication -> stage). A draw is a pure function of
(key, counter, slot): the SplitMix64 finaliser applied to the key mixed with the counter words.
Because no generator state is carried, replication ``r`` gets the same numbers whether it runs
alone, in a batch of 200, or on another machine, and a stage's draws do not depend on how many
numbers another stage used (common random numbers for A/B comparisons).

SplitMix64: Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
"""

from __future__ import annotations

from enum import IntEnum
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
# counters of the two uniforms behind a normal draw, apart from every plain uniform counter
_NORMAL_A = 1 << 62
_NORMAL_B = 1 << 63


class Stage(IntEnum):
    """Independent random streams, one per kill-chain stage."""

    THREAT = 1
    SENSE = 2
    TRACK = 3
    C2 = 4
    ENGAGE = 5
    ASSESS = 6


def _mix(z: Any) -> Any:
    """SplitMix64 finaliser (a bijection on 64-bit words with full avalanche)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def replication_keys(seed: int, replications: NDArray[np.int64] | range) -> NDArray[np.uint64]:
    """Root key of each replication.

    Parameters
    ----------
    seed : int
        Scenario (campaign) seed, >= 0.
    replications : array of int, shape (R,)
        Global replication indices; replication ``r`` always gets the same key.

    Returns
    -------
    ndarray of uint64, shape (R,)
    """
    reps = np.asarray(replications, dtype=np.int64)
    root = np.random.SeedSequence(int(seed))
    keys = np.empty(reps.shape, dtype=np.uint64)
    for i, r in enumerate(reps.ravel()):
        child = np.random.SeedSequence(root.entropy, spawn_key=(int(r),))
        keys.ravel()[i] = child.generate_state(1, dtype=np.uint64)[0]
    return keys


def stage_keys(rep_keys: NDArray[np.uint64], stage: Stage) -> NDArray[np.uint64]:
    """Key of one stage's stream for each replication, shape (R,)."""
    with np.errstate(over="ignore"):
        return _mix(rep_keys ^ _mix(np.uint64(int(stage)) * _GOLDEN))


@lru_cache(maxsize=256)
def _slot_words(shape: tuple[int, ...]) -> NDArray[np.uint64]:
    """``(slot + 1) * golden`` for every slot of a draw of this shape (read-only, cached)."""
    n = int(np.prod(shape, dtype=np.int64)) if shape else 1
    slots = np.arange(n, dtype=np.uint64).reshape(shape) if shape else np.zeros((), np.uint64)
    with np.errstate(over="ignore"):
        words = (slots + np.uint64(1)) * _GOLDEN
    words.flags.writeable = False
    return words


def _bits(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...]) -> NDArray[np.uint64]:
    """Raw 64-bit words, shape (R, *shape): word(key, counter, slot)."""
    with np.errstate(over="ignore"):
        c = _mix(np.uint64(counter & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + _GOLDEN)
        k = keys.reshape(keys.shape + (1,) * len(shape))
        return _mix(_mix(k ^ c) + _slot_words(tuple(int(s) for s in shape)))


def uniform(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Uniform numbers in (0, 1), shape (R, *shape).

    Parameters
    ----------
    keys : ndarray of uint64, shape (R,)
        Stage keys (see `stage_keys`).
    counter : int
        Which draw: e.g. the tick number times a small stride plus a purpose code. Different
        counters give independent numbers.
    shape : tuple of int
        Shape of the draw per replication.
    """
    b = _bits(keys, counter, shape)
    # top 53 bits -> (0, 1): add half an ulp so 0 never occurs
    return ((b >> np.uint64(11)).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


def normal(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...]) -> NDArray[np.float64]:
    """Standard normal numbers, shape (R, *shape), by the Box-Muller transform."""
    u1 = uniform(keys, counter ^ _NORMAL_A, shape)
    u2 = uniform(keys, counter ^ _NORMAL_B, shape)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def _bits_at(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...],
             rows: NDArray[np.intp], index: tuple[NDArray[np.intp], ...]
             ) -> NDArray[np.uint64]:
    """``_bits(keys, counter, shape)[rows, *index]`` computed only at those elements."""
    words = _slot_words(tuple(int(s) for s in shape))[index]
    with np.errstate(over="ignore"):
        c = _mix(np.uint64(counter & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + _GOLDEN)
        k = keys[rows].reshape(rows.shape + (1,) * (words.ndim - rows.ndim))
        return _mix(_mix(k ^ c) + words)


def uniform_at(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...],
               rows: NDArray[np.intp], *index: NDArray[np.intp]) -> NDArray[np.float64]:
    """The elements ``uniform(keys, counter, shape)[rows, *index]``, bit for bit, computing
    only those (for sparse use of a large draw, e.g. the few interceptors in flight).

    Parameters
    ----------
    keys : ndarray of uint64, shape (R,)
    counter : int
    shape : tuple of int
        Shape of the full draw per replication.
    rows : ndarray of int, shape (n,)
        Replication (row of ``keys``) of each element.
    *index : ndarray of int, shape (n,)
        Leading indices into ``shape`` (fewer than ``len(shape)``: the rest are kept).

    Returns
    -------
    ndarray, shape (n, *shape[len(index):])
    """
    b = _bits_at(keys, counter, shape, rows, index)
    return ((b >> np.uint64(11)).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


def uniform_rows(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...], start: int,
                 stop: int) -> NDArray[np.float64]:
    """``uniform(keys, counter, shape)[:, start:stop]``, bit for bit, computing only those rows
    of the draw and without caching its slot words (memory ``O((stop - start) * prod(shape[1:]))``
    however large ``shape[0]`` is).

    Parameters
    ----------
    keys : ndarray of uint64, shape (R,)
    counter : int
    shape : tuple of int
        Shape of the full draw per replication (at least one axis).
    start, stop : int
        Range of indices along the draw's first axis, ``0 <= start <= stop <= shape[0]``.

    Returns
    -------
    ndarray, shape (R, stop - start, *shape[1:])
    """
    inner = int(np.prod(shape[1:], dtype=np.int64))
    slots = np.arange(start * inner, stop * inner, dtype=np.uint64).reshape(
        (stop - start,) + tuple(int(s) for s in shape[1:]))
    with np.errstate(over="ignore"):
        words = (slots + np.uint64(1)) * _GOLDEN  # as in `_slot_words`
        c = _mix(np.uint64(counter & 0xFFFFFFFFFFFFFFFF) * _GOLDEN + _GOLDEN)
        k = keys.reshape(keys.shape + (1,) * len(shape))
        b = _mix(_mix(k ^ c) + words)
    return ((b >> np.uint64(11)).astype(np.float64) + 0.5) * (1.0 / 9007199254740992.0)


def normal_at(keys: NDArray[np.uint64], counter: int, shape: tuple[int, ...],
              rows: NDArray[np.intp], *index: NDArray[np.intp]) -> NDArray[np.float64]:
    """The elements ``normal(keys, counter, shape)[rows, *index]``, bit for bit (see
    `uniform_at`)."""
    u1 = uniform_at(keys, counter ^ _NORMAL_A, shape, rows, *index)
    u2 = uniform_at(keys, counter ^ _NORMAL_B, shape, rows, *index)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)

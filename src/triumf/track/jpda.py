"""Joint probabilistic data association (JPDA), exact and batched.

Joint events assign each track at most one gated measurement and each measurement at most one
track; with detection probability ``pd`` and a Poisson clutter density ``lam`` (per m^3) the
weight of an event is (Bar-Shalom, Daum & Huang, IEEE Control Systems 29(6), 2009, eq. 30)::

    prod_{assigned (t, j)} pd g_tj / lam  *  prod_{unassigned t} (1 - pd)

with ``g_tj = N(nu_tj; 0, S_tj)`` the same measurement-to-track likelihood that the GNN cost
uses (:func:`triumf.track.gating.loglik_from_distance`). The marginal probabilities
``beta[t, j]`` (track ``t`` took measurement ``j``) and ``beta_miss[t]`` are computed exactly,
without listing the events, by dynamic programming over the tracks on subsets of measurements:
``f_t`` (events of tracks before ``t``, by the set of measurements they use) and ``b_t``
(tracks after ``t``) with the subset-sum (zeta) transform of ``b_t``, so that

    beta[t, j] ~ L[t, j] sum_{m: j not in m} f_t[m] Z_t[complement(m + j)]

This costs ``K D 2^D`` per problem, batched over all problems; :func:`jpda_probabilities`
splits each replication into clusters (connected components of the gate graph) so ``D`` is
the size of a cluster, and uses Fitzgerald's cheap JPDA approximation for clusters with more
than ``max_exact`` measurements.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def jpda_exact(
    weight: NDArray[np.float64], miss: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Exact JPDA marginals of a batch of small problems.

    Parameters
    ----------
    weight : ndarray, shape (B, K, D)
        ``pd g_tj / lam`` for gated pairs, 0 for pairs outside the gate.
    miss : ndarray, shape (B, K)
        ``1 - pd`` per track (0 < miss; padding tracks may use 1 with zero weights).

    Returns
    -------
    beta : ndarray, shape (B, K, D)
        Probability that track ``t`` is associated with measurement ``j``.
    beta_miss : ndarray, shape (B, K)
        Probability that track ``t`` has no measurement. ``beta.sum(-1) + beta_miss = 1``.
    """
    B, K, D = weight.shape
    n = 1 << D
    masks = np.arange(n)
    bit = (masks[:, None] >> np.arange(D)[None, :]) & 1  # (n, D)
    # f[t][m]: total weight of events of tracks < t using exactly the measurements m
    f = np.zeros((K + 1, B, n))
    f[0, :, 0] = 1.0
    for t in range(K):
        nxt = f[t] * miss[:, t, None]
        for j in range(D):
            free = bit[:, j] == 0
            nxt[:, masks[free] | (1 << j)] += f[t][:, free] * weight[:, t, j, None]
        f[t + 1] = nxt
    # b[t][m]: events of tracks > t; filled backwards
    b = np.zeros((K + 1, B, n))
    b[K, :, 0] = 1.0
    for t in range(K - 1, -1, -1):
        nxt = b[t + 1] * miss[:, t, None]
        for j in range(D):
            free = bit[:, j] == 0
            nxt[:, masks[free] | (1 << j)] += b[t + 1][:, free] * weight[:, t, j, None]
        b[t] = nxt
    beta = np.zeros((B, K, D))
    beta_miss = np.zeros((B, K))
    full = n - 1
    for t in range(K):
        Z = b[t + 1].copy()  # zeta transform: Z[S] = sum over m2 subset of S of b[m2]
        for j in range(D):
            has = bit[:, j] == 1
            Z[:, masks[has]] += Z[:, masks[has] ^ (1 << j)]
        ft = f[t]
        beta_miss[:, t] = miss[:, t] * np.einsum("bm,bm->b", ft, Z[:, full ^ masks])
        for j in range(D):
            free = bit[:, j] == 0
            m = masks[free]
            beta[:, t, j] = weight[:, t, j] * np.einsum(
                "bm,bm->b", ft[:, m], Z[:, full ^ (m | (1 << j))]
            )
    total = beta.sum(-1) + beta_miss
    total = np.where(total > 0.0, total, 1.0)
    return beta / total[..., None], beta_miss / total


def jpda_cheap(
    weight: NDArray[np.float64], miss: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Fitzgerald's cheap JPDA approximation (Fitzgerald, in *Multitarget-Multisensor
    Tracking*, Bar-Shalom ed., Artech House 1990, ch. 2).

    ``beta[t, j] ~ w_tj / (W_t + S_j - w_tj + miss_t)`` and ``beta_miss[t] ~ miss_t /
    (W_t + miss_t)``, with ``W_t`` the row and ``S_j`` the column sums of ``w``, normalised
    per track.

    Parameters
    ----------
    weight, miss
        As in :func:`jpda_exact`.

    Returns
    -------
    beta, beta_miss
        As in :func:`jpda_exact`.
    """
    W = weight.sum(-1)
    S = weight.sum(-2)
    raw = weight / np.maximum(W[..., None] + S[..., None, :] - weight + miss[..., None], 1e-300)
    raw_miss = miss / np.maximum(W + miss, 1e-300)
    total = raw.sum(-1) + raw_miss
    return raw / total[..., None], raw_miss / total


def jpda_probabilities(
    loglik: NDArray[np.float64],
    gated: NDArray[np.bool_],
    pd: float,
    clutter_density: float,
    max_exact: int = 10,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """JPDA association probabilities for every replication, cluster by cluster.

    Parameters
    ----------
    loglik : ndarray, shape (R, K, D)
        ``ln g_tj`` of each track/measurement pair (shared with GNN).
    gated : ndarray of bool, shape (R, K, D)
        Pairs inside the validation gate.
    pd : float
        Detection probability, in (0, 1).
    clutter_density : float, 1/m^3
        Spatial density of false measurements, > 0.
    max_exact : int
        Largest number of measurements in a cluster solved exactly; bigger clusters use
        :func:`jpda_cheap`.

    Returns
    -------
    beta : ndarray, shape (R, K, D)
    beta_miss : ndarray, shape (R, K)
        Tracks without a gated measurement get ``beta_miss = 1``.
    """
    R, K, D = loglik.shape
    g = gated & np.isfinite(loglik)
    w = np.where(g, np.exp(np.where(g, loglik, 0.0)) * (pd / clutter_density), 0.0)
    beta = np.zeros((R, K, D))
    beta_miss = np.ones((R, K))
    r, k, d = np.nonzero(g)
    if r.size == 0:
        return beta, beta_miss
    # gate graph over nodes: track (r, k) -> r*K + k, measurement (r, d) -> R*K + r*D + d
    n_nodes = R * K + R * D
    a = r * K + k
    bnode = R * K + r * D + d
    graph = coo_matrix((np.ones(r.size), (a, bnode)), shape=(n_nodes, n_nodes))
    _, label = connected_components(graph, directed=False)
    ct, cm = label[a], label[bnode]
    clusters, inv = np.unique(ct, return_inverse=True)
    C = clusters.size
    # tracks and measurements of each cluster, ranked within it
    cmi = np.searchsorted(clusters, cm)
    tr_keys = np.unique(np.stack([inv, a]), axis=1)  # (cluster, node), each track once
    ms_keys = np.unique(np.stack([cmi, bnode]), axis=1)
    rank_of = np.zeros(n_nodes, dtype=np.intp)
    rank_of[tr_keys[1]] = _rank(tr_keys[0])
    rank_of[ms_keys[1]] = _rank(ms_keys[0])
    Kc = np.bincount(tr_keys[0], minlength=C)
    Dc = np.bincount(ms_keys[0], minlength=C)
    Kw, Dw = int(Kc.max()), int(Dc.max())
    Wc = np.zeros((C, Kw, Dw))
    pair_t, pair_m = rank_of[a], rank_of[bnode]
    ci = inv
    Wc[ci, pair_t, pair_m] = w[r, k, d]
    Mc = np.full((C, Kw), 1.0 - pd)
    bc = np.zeros((C, Kw, Dw))
    bmc = np.ones((C, Kw))
    small = Dc <= max_exact
    # exact, grouped by measurement count so each batch has no wasted subsets
    for size in np.unique(Dc[small]):
        sel = np.flatnonzero(small & (Dc == size))
        kw = int(Kc[sel].max())
        bb, bm = jpda_exact(Wc[sel, :kw, :size], Mc[sel, :kw])
        bc[sel, :kw, :size] = bb
        bmc[sel, :kw] = bm
    big = np.flatnonzero(~small)
    if big.size:
        bb, bm = jpda_cheap(Wc[big], Mc[big])
        bc[big], bmc[big] = bb, bm
    # scatter back: every gated pair, and every track of a cluster
    beta[r, k, d] = bc[ci, pair_t, pair_m]
    tr_r, tr_k = np.divmod(tr_keys[1], K)
    beta_miss[tr_r, tr_k] = bmc[tr_keys[0], rank_of[tr_keys[1]]]
    return beta, beta_miss


def _rank(group: NDArray[np.intp]) -> NDArray[np.intp]:
    """Position of each entry within its run of equal, sorted ``group`` values."""
    start = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    counts = np.diff(np.r_[start, group.size])
    return np.arange(group.size) - np.repeat(start, counts)


def pda_update(
    x: NDArray[np.float64],
    P: NDArray[np.float64],
    x_upd: NDArray[np.float64],
    P_upd: NDArray[np.float64],
    beta: NDArray[np.float64],
    beta_miss: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Probabilistic data association update: moment-matched mixture of the hypotheses.

    ``x = b0 x_pred + sum_j b_j x_j``, ``P = sum_h b_h (P_h + (x_h - x)(x_h - x)^T)`` over the
    miss hypothesis (predicted state) and each measurement's Kalman update. With a common
    innovation covariance this is the classic PDA update (Bar-Shalom & Tse, Automatica 11,
    1975); it also holds when each measurement has its own covariance.

    Parameters
    ----------
    x : ndarray, shape (..., n)
        Predicted state.
    P : ndarray, shape (..., n, n)
    x_upd : ndarray, shape (..., D, n)
        State updated with each measurement.
    P_upd : ndarray, shape (..., D, n, n)
    beta : ndarray, shape (..., D)
    beta_miss : ndarray, shape (...)

    Returns
    -------
    x, P : ndarray
        Updated state and covariance (exactly symmetric).
    """
    xm = beta_miss[..., None] * x + np.einsum("...j,...jn->...n", beta, x_upd)
    d0 = x - xm
    dj = x_upd - xm[..., None, :]
    Pm = beta_miss[..., None, None] * (P + d0[..., :, None] * d0[..., None, :])
    Pm = Pm + np.einsum("...j,...jnm->...nm", beta, P_upd + dj[..., :, None] * dj[..., None, :])
    return xm, 0.5 * (Pm + np.swapaxes(Pm, -1, -2))

"""The tracker with JPDA association against a plain per-track PDA computation."""

from __future__ import annotations

import numpy as np
import pytest

from triumf.track.base import TrackerParams, Tracks, TrackStatus
from triumf.track.gating import gate_threshold, innovation_distance
from triumf.track.jpda import jpda_exact, pda_update
from triumf.track.kalman import predict, update
from triumf.track.manager import process_positions


def _confirmed_tracks(R: int, K: int, rng: np.random.Generator) -> Tracks:
    tracks = Tracks.empty(R, K)
    tracks.status[:, :2] = TrackStatus.CONFIRMED
    tracks.track_id[:, :2] = [1, 2]
    tracks.hits[:, :2] = 5
    tracks.opportunities[:, :2] = 5
    tracks.x[:, 0] = [0.0, 0.0, 1000.0, 100.0, 0.0, 0.0]
    tracks.x[:, 1] = [250.0, 0.0, 1000.0, 100.0, 0.0, 0.0]  # close: shared detections
    tracks.x[:, :2, :3] += rng.normal(0.0, 20.0, (R, 2, 3))
    tracks.P[:, :2] = np.diag([60.0**2] * 3 + [10.0**2] * 3)
    return tracks


def test_jpda_scan_equals_per_track_pda() -> None:
    """Two close tracks sharing detections: the batched JPDA scan equals a per-track loop."""
    rng = np.random.default_rng(0)
    R, K, D = 3, 4, 3
    params = TrackerParams(capacity=K, association="jpda", accel_noise_mps2=1.0,
                           jpda_pd=0.9, jpda_clutter_density_m3=1e-10)
    tracks = _confirmed_tracks(R, K, rng)
    y = np.zeros((R, D, 3))
    y[:, 0] = [100.0, 0.0, 1000.0]
    y[:, 1] = [300.0, 0.0, 1000.0]
    y[:, 2] = [200.0, 0.0, 1000.0]
    y += rng.normal(0.0, 30.0, (R, D, 3))
    cov = np.eye(3) * 50.0**2
    res = process_positions(tracks, y, cov, np.ones((R, D), bool), 1.0, params)
    for r in range(R):
        xs, Ps = zip(*(predict(tracks.x[r, k], tracks.P[r, k], 1.0, 1.0) for k in range(2)),
                     strict=True)
        xp, Pp = np.stack(xs), np.stack(Ps)
        d2, logdet = innovation_distance(xp, Pp, y[r], np.broadcast_to(cov, (D, 3, 3)))
        gated = d2 <= gate_threshold(params.gate_probability, 3)
        assert gated.sum() >= 5  # detections shared by the two tracks
        g = np.exp(-0.5 * (d2 + logdet + 3 * np.log(2 * np.pi))) * gated
        beta, beta_miss = jpda_exact((g * 0.9 / 1e-10)[None], np.full((1, 2), 0.1))
        for k in range(2):
            upd = [update(xp[k], Pp[k], y[r, d], cov) for d in range(D)]  # beta = 0 if not gated
            xk, Pk = pda_update(xp[k], Pp[k], np.stack([u[0] for u in upd]),
                                np.stack([u[1] for u in upd]), beta[0, k], beta_miss[0, k])
            np.testing.assert_allclose(res.tracks.x[r, k], xk, rtol=1e-9, atol=1e-6)
            np.testing.assert_allclose(res.tracks.P[r, k], Pk, rtol=1e-9, atol=1e-6)


def test_unknown_association_is_refused() -> None:
    """An unknown association name is a clear error naming the valid ones."""
    with pytest.raises(ValueError, match="gnn"):
        TrackerParams(association="mht")

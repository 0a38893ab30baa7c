"""Track records and tracker parameters shared by the tracking stage.

The tracker keeps a fixed number ``K`` of track slots per replication. A slot is FREE,
TENTATIVE (initiated, not yet confirmed by M-of-N) or CONFIRMED. All fields are arrays with a
leading replication axis ``R``; the state is in the engine's ENU frame, SI units.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

#: data association methods of the tracker
ASSOCIATIONS = ("gnn", "jpda")
#: motion models of the tracker
MOTION_MODELS = ("cv", "imm")


class TrackStatus(IntEnum):
    """Life-cycle code of a track slot, stored as ``int8`` in :attr:`Tracks.status`."""

    FREE = 0
    TENTATIVE = 1
    CONFIRMED = 2


@dataclass(frozen=True)
class TrackerParams:
    """Parameters of the centralised tracker (all [E] defaults, meant to be swept).

    Attributes
    ----------
    confirm_m, confirm_n : int
        M-of-N confirmation: a tentative track is confirmed once it has ``confirm_m`` hits
        within its first ``confirm_n`` update opportunities (the initiating detection counts
        as the first hit and the first opportunity).
    delete_misses : int
        A confirmed track is deleted after this many consecutive missed opportunities (and
        not before ``delete_coast_s`` without a detection).
    delete_coast_s : float, seconds
        Shortest time without a detection before a confirmed track may be deleted for misses.
        With radars of different revisit periods, a fast radar that can see a track but does
        not detect it (small RCS at long range) would otherwise count ``delete_misses``
        misses within a few seconds and delete a track a slower radar keeps detecting. The
        scenario compiler sets it to the longest radar revisit period. Default 0 (misses
        alone decide).
    max_position_std_m : float, metres
        A confirmed track is deleted when its RMS 3-D position error, ``sqrt(trace(P_pos))``,
        exceeds this.
    accel_noise_mps2 : float
        Process-noise intensity ``q`` of the constant-velocity model: the continuous white
        acceleration noise has power spectral density ``q**2`` (m^2/s^3) on each axis; see
        :func:`triumf.track.models.cv_process_noise`.
    gate_probability : float
        Probability mass of the chi-square (3 dof) validation gate.
    initial_velocity_std_mps : float, m/s
        One-sigma velocity uncertainty, per axis, of a newly initiated track (velocity 0).
    max_speed_mps : float, m/s
        Largest target speed considered when pairing the second detection with a
        single-detection tentative track (a maximum-speed gate replaces the chi-square gate
        there, since the velocity is still unknown).
    tentative_max_age_s : float, seconds
        A tentative track is deleted when it has had no detection for longer than this (it
        may have left every radar's coverage, where no opportunity or miss is counted).
    capacity : int
        Number of track slots ``K`` per replication.
    motion_model : str
        ``"cv"`` (nearly constant velocity) or ``"imm"`` (IMM of CV and coordinated turn,
        :mod:`triumf.track.imm`; the CV mode uses ``accel_noise_mps2``; GNN association
        only). The track table must then be made with ``Tracks.empty(..., n_modes=2)``.
    imm_q_ct_mps2 : float, m / s^(3/2)
        Acceleration noise of the IMM's coordinated-turn mode [E].
    imm_q_turn : float, rad / s^(3/2)
        Turn-rate noise of the coordinated-turn mode [E].
    imm_p_stay : float
        IMM probability of keeping the mode over 1 s [E].
    association : str
        ``"gnn"`` (global nearest neighbour, exact 2-D assignment) or ``"jpda"`` (joint
        probabilistic data association for tracks with a velocity estimate; GNN's pairs still
        count hits and misses and decide which detections start tracks).
    jpda_pd : float
        Detection probability assumed by JPDA, in (0, 1) [E].
    jpda_clutter_density_m3 : float, 1/m^3
        Spatial density of false detections assumed by JPDA [E]: false alarms per scan over
        the converted-measurement volume they spread in.
    confirmed_first : bool
        Associate in two rounds: confirmed tracks take their detections first (exact GNN),
        then tentative tracks share the detections left (as Stone Soup's
        ``MultiTargetTracker`` with ``MultiMeasurementInitiator`` does). Keeps a tentative
        track from taking a confirmed track's detection (a missed update and a duplicate).
        Default False: one joint assignment of every live track.
    """

    confirm_m: int = 2
    confirm_n: int = 3
    delete_misses: int = 3
    delete_coast_s: float = 0.0
    max_position_std_m: float = 5000.0
    accel_noise_mps2: float = 30.0
    gate_probability: float = 0.9997
    initial_velocity_std_mps: float = 700.0
    max_speed_mps: float = 5000.0
    tentative_max_age_s: float = 60.0
    capacity: int = 128
    motion_model: str = "cv"
    imm_q_ct_mps2: float = 3.0
    imm_q_turn: float = 0.02
    imm_p_stay: float = 0.95
    association: str = "gnn"
    jpda_pd: float = 0.8
    jpda_clutter_density_m3: float = 1e-12
    confirmed_first: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.confirm_m <= self.confirm_n:
            raise ValueError("need 1 <= confirm_m <= confirm_n")
        if self.delete_misses < 1:
            raise ValueError("delete_misses must be >= 1")
        if not 0.0 < self.gate_probability < 1.0:
            raise ValueError("gate_probability must be in (0, 1)")
        if self.capacity < 1:
            raise ValueError("capacity must be >= 1")
        if self.motion_model not in MOTION_MODELS:
            raise ValueError(f"motion_model must be one of {MOTION_MODELS}")
        if self.motion_model == "imm" and self.association != "gnn":
            raise ValueError("motion_model 'imm' works with association 'gnn' only")
        if self.association not in ASSOCIATIONS:
            raise ValueError(f"association must be one of {ASSOCIATIONS}")
        if not 0.0 < self.jpda_pd < 1.0:
            raise ValueError("jpda_pd must be in (0, 1)")
        if not self.jpda_clutter_density_m3 > 0.0:
            raise ValueError("jpda_clutter_density_m3 must be > 0")
        for name in (
            "max_position_std_m",
            "initial_velocity_std_mps",
            "max_speed_mps",
            "tentative_max_age_s",
        ):
            if not getattr(self, name) > 0.0:
                raise ValueError(f"{name} must be > 0")
        if not self.delete_coast_s >= 0.0:
            raise ValueError("delete_coast_s must be >= 0")
        if self.accel_noise_mps2 < 0.0:
            raise ValueError("accel_noise_mps2 must be >= 0")


@dataclass
class Tracks:
    """State of all track slots, batched over replications.

    Functions of the tracker never modify a ``Tracks`` in place; they return a new one.

    Attributes
    ----------
    x : ndarray, shape (R, K, 6)
        State ``[e, n, u, ve, vn, vu]`` in metres and m/s, engine ENU, valid at ``t_state``.
    P : ndarray, shape (R, K, 6, 6)
        State covariance (m^2, m^2/s, m^2/s^2), valid at ``t_state``.
    status : ndarray of int8, shape (R, K)
        :class:`TrackStatus` code.
    track_id : ndarray of int64, shape (R, K)
        Track number, unique within a replication, increasing from 1, never reused; 0 in
        free slots.
    next_id : ndarray of int64, shape (R,)
        Next track number to hand out.
    t_update : ndarray, shape (R, K), seconds
        Time of the last detection associated with the track (initiation included).
    t_state : ndarray, shape (R, K), seconds
        Time at which ``x`` and ``P`` hold: live tracks are predicted to every scan they are
        gated against, so this is the time of the latest processed scan.
    t_confirmed : ndarray, shape (R, K), seconds
        Time of confirmation, NaN until then.
    hits : ndarray of int64, shape (R, K)
        Number of associated detections.
    opportunities : ndarray of int64, shape (R, K)
        Number of update opportunities (scans that could have seen the track).
    misses : ndarray of int64, shape (R, K)
        Consecutive missed opportunities.
    friend : ndarray of bool, shape (R, K)
        True once any associated detection carried a friendly IFF reply.
    last_seen_s : ndarray, shape (R, K, S), seconds
        Time of the last detection of radar ``s`` that updated (or started) the track; ``-inf``
        if radar ``s`` never did. ``S`` is the number of radars (``n_sensors`` of
        :meth:`empty`); :func:`triumf.track.manager.process_scan` fills column ``sensor``.
    position_std_m : ndarray, shape (R, K), metres
        Track quality reported to the command post: the RMS 3-D position error
        ``sqrt(trace(P_pos))`` at ``t_state`` (lower is better; 0 in free slots). A confirmed
        track is deleted when it exceeds ``TrackerParams.max_position_std_m``.
    mode_x : ndarray, shape (R, K, M, 7)
        IMM mode estimates ``[e, n, u, ve, vn, vu, w]`` (``M = 0`` unless the tracker runs
        the IMM, :mod:`triumf.track.imm`; then ``x`` and ``P`` hold their combination).
    mode_P : ndarray, shape (R, K, M, 7, 7)
        IMM mode covariances.
    mode_prob : ndarray, shape (R, K, M)
        IMM mode probabilities (CV, coordinated turn).
    """

    x: NDArray[np.float64]
    P: NDArray[np.float64]
    status: NDArray[np.int8]
    track_id: NDArray[np.int64]
    next_id: NDArray[np.int64]
    t_update: NDArray[np.float64]
    t_state: NDArray[np.float64]
    t_confirmed: NDArray[np.float64]
    hits: NDArray[np.int64]
    opportunities: NDArray[np.int64]
    misses: NDArray[np.int64]
    friend: NDArray[np.bool_]
    last_seen_s: NDArray[np.float64]
    position_std_m: NDArray[np.float64]
    mode_x: NDArray[np.float64]
    mode_P: NDArray[np.float64]
    mode_prob: NDArray[np.float64]

    @classmethod
    def empty(cls, R: int, K: int, n_sensors: int = 1, n_modes: int = 0) -> Tracks:
        """All slots free.

        Parameters
        ----------
        R : int
            Number of replications.
        K : int
            Number of track slots per replication.
        n_sensors : int
            Number of radars ``S`` feeding the tracker (columns of ``last_seen_s``).
        n_modes : int
            IMM modes kept per track: 0 for the CV tracker, 2 for ``motion_model="imm"``.
        """
        return cls(
            x=np.zeros((R, K, 6)),
            P=np.zeros((R, K, 6, 6)),
            status=np.zeros((R, K), dtype=np.int8),
            track_id=np.zeros((R, K), dtype=np.int64),
            next_id=np.ones(R, dtype=np.int64),
            t_update=np.zeros((R, K)),
            t_state=np.zeros((R, K)),
            t_confirmed=np.full((R, K), np.nan),
            hits=np.zeros((R, K), dtype=np.int64),
            opportunities=np.zeros((R, K), dtype=np.int64),
            misses=np.zeros((R, K), dtype=np.int64),
            friend=np.zeros((R, K), dtype=bool),
            last_seen_s=np.full((R, K, max(1, n_sensors)), -np.inf),
            position_std_m=np.zeros((R, K)),
            mode_x=np.zeros((R, K, n_modes, 7)),
            mode_P=np.zeros((R, K, n_modes, 7, 7)),
            mode_prob=np.zeros((R, K, n_modes)),
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(R, K)``."""
        R, K = self.status.shape
        return R, K

    @property
    def live(self) -> NDArray[np.bool_]:
        """Slots holding a tentative or confirmed track, shape (R, K)."""
        return self.status != TrackStatus.FREE

    @property
    def confirmed(self) -> NDArray[np.bool_]:
        """Slots holding a confirmed track, shape (R, K)."""
        return self.status == TrackStatus.CONFIRMED

    def copy(self) -> Tracks:
        """Deep copy of every array."""
        return Tracks(**{name: getattr(self, name).copy() for name in _FIELDS})

    def take(self, index: NDArray[np.intp] | slice) -> Tracks:
        """Select replications (first axis) of every field, e.g. ``tracks.take(slice(2, 3))``."""
        return Tracks(**{name: getattr(self, name)[index].copy() for name in _FIELDS})


_FIELDS = (
    "x",
    "P",
    "status",
    "track_id",
    "next_id",
    "t_update",
    "t_state",
    "t_confirmed",
    "hits",
    "opportunities",
    "misses",
    "friend",
    "last_seen_s",
    "position_std_m",
    "mode_x",
    "mode_P",
    "mode_prob",
)

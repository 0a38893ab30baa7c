"""One scan of one radar over every threat slot, batched over replications.

For each replication and target: visibility (instrumented range, elevation coverage and the
4/3-Earth horizon), whether the radar looks there (its search sector, or a cue in track mode),
per-pulse SNR from the radar equation times the two-ray multipath factor ``F^4``, the
interference of surface clutter (after MTI) and noise jamming (``SINR = SNR / (1 + CNR +
JNR)``), the probability of detection for the target's Swerling case at the radar's Pfa with
N-pulse non-coherent integration, a Bernoulli draw, and a measurement (range, azimuth,
elevation, range rate) with SINR-dependent noise and the radar's fixed biases. Thermal false
alarms (Poisson, ``Pfa`` x resolution cells, uniform over the search volume) join the real
detections with truth id -1. At most ``track_capacity`` detections are reported (cued targets
first, then the nearest). Detections are shuffled so their slot order says nothing about which
target made them.

Models and sources: :mod:`triumf.sense.propagation` (multipath), :mod:`triumf.sense.clutter`,
:mod:`triumf.sense.jamming`, :mod:`triumf.sense.false_alarms`,
:mod:`triumf.sense.measurement`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.earth import (
    EARTH_RADIUS_M,
    EFFECTIVE_EARTH_FACTOR,
    above_radar_horizon,
    altitude_m,
    ground_range_m,
    local_aer,
)
from triumf.sense.base import Detections, RadarParams
from triumf.sense.clutter import (
    clutter_cell_area_m2,
    constant_gamma_sigma0,
    gaussian_beam_gain,
    nrl_sea_sigma0_db,
)
from triumf.sense.detection import PdTable, threshold
from triumf.sense.environment import Jammers, SurfaceParams
from triumf.sense.false_alarms import (
    false_alarm_aer,
    false_alarm_counts,
    false_alarm_slots,
    resolution_cells,
)
from triumf.sense.jamming import jammer_density_w_per_hz
from triumf.sense.measurement import measurement_sigmas, noisy_measurement, range_rate_sigma
from triumf.sense.propagation import two_ray_propagation_factor
from triumf.sense.radar_equation import BOLTZMANN, SPEED_OF_LIGHT, snr_db

# draw purposes within one scan's counter block
_DRAW_DETECT = 0
_DRAW_NOISE = 1
_DRAW_IFF = 2
_DRAW_SHUFFLE = 3
_DRAW_FA_COUNT = 4
_DRAW_FA_PLACE = 5
_DRAW_RANGE_RATE = 6
_DRAW_FA_RANGE_RATE = 7
DRAWS_PER_SCAN = 8

CUE_WINDOW_BEAMWIDTHS = 3.0
"""[E] A cue brings a target into track mode when the target lies within this many azimuth
beamwidths of the cued direction and ``CUE_WINDOW_RANGE_M`` of the cued range: the
acquisition window a fire-control radar opens around a designation (no public figure;
bounds 1-5 beamwidths)."""
CUE_WINDOW_RANGE_M = 5_000.0
"""[E] Range half-width of the acquisition window around a cue, metres (bounds 1-10 km)."""


@dataclass
class PdTables:
    """Pd look-up tables shared by all scans, keyed by (pfa, n_pulses, swerling)."""

    tables: dict[tuple[float, int, int], PdTable] = field(default_factory=dict)

    def get(self, pfa: float, n_pulses: int, swerling: int) -> PdTable:
        """Build once, then reuse."""
        key = (float(pfa), int(n_pulses), int(swerling))
        if key not in self.tables:
            self.tables[key] = PdTable(pfa, n_pulses, swerling)
        return self.tables[key]


def visibility(
    radar: RadarParams, pos: NDArray[np.float64], k_factor: float = EFFECTIVE_EARTH_FACTOR
) -> tuple[NDArray[np.bool_], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Can the radar see each position, and where is it in the radar's frame.

    Parameters
    ----------
    radar : RadarParams
    pos : ndarray, shape (..., 3), metres, engine ENU

    Returns
    -------
    visible : ndarray of bool, shape (...)
        Inside instrumented range and elevation coverage, and above the radar horizon.
    range_m, az_rad, el_rad : ndarray, shape (...)
    """
    rng_m, az, el = local_aer(radar.pos, pos)
    vis = (
        (rng_m <= radar.max_range_m)
        & (el >= radar.min_elevation_rad)
        & (el <= radar.max_elevation_rad)
        & above_radar_horizon(radar.pos, pos, k=k_factor)
    )
    return vis, rng_m, az, el


def in_sector(radar: RadarParams, az_rad: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Whether an azimuth lies in the radar's search sector.

    Parameters
    ----------
    radar : RadarParams
    az_rad : ndarray, shape (...), radians, local frame

    Returns
    -------
    ndarray of bool, shape (...)
    """
    if radar.sector_az_width_rad >= 2.0 * np.pi:
        return np.ones(np.shape(az_rad), bool)
    off = np.mod(az_rad - radar.sector_az_center_rad + np.pi, 2.0 * np.pi) - np.pi
    return np.asarray(np.abs(off) <= 0.5 * radar.sector_az_width_rad)


def cued(
    radar: RadarParams,
    pos: NDArray[np.float64],
    cue_pos: NDArray[np.float64],
    cue_valid: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """Targets inside the acquisition window of a cue.

    Parameters
    ----------
    pos : ndarray, shape (R, T, 3)
        Target positions.
    cue_pos : ndarray, shape (R, C, 3)
        Designated positions (e.g. tracks of the acquisition radars predicted to now).
    cue_valid : ndarray of bool, shape (R, C)

    Returns
    -------
    ndarray of bool, shape (R, T)
    """
    # only cue columns valid in some replication can match (fewer pairs, same results)
    cols = np.flatnonzero(cue_valid.any(axis=0))
    if cols.size == 0:
        return np.zeros(pos.shape[:2], bool)
    if cols.size < cue_pos.shape[1]:
        cue_pos, cue_valid = cue_pos[:, cols], cue_valid[:, cols]
    d_t = pos - radar.pos
    d_c = cue_pos - radar.pos
    r_t = np.linalg.norm(d_t, axis=-1)
    r_c = np.linalg.norm(d_c, axis=-1)
    cos = np.einsum("rti,rci->rtc", d_t, d_c) / np.maximum(r_t[..., None] * r_c[:, None, :],
                                                          1e-9)
    ang = np.arccos(np.clip(cos, -1.0, 1.0))
    near = (ang <= CUE_WINDOW_BEAMWIDTHS * radar.az_beamwidth_rad) & (
        np.abs(r_t[..., None] - r_c[:, None, :]) <= CUE_WINDOW_RANGE_M)
    return np.asarray(np.any(near & cue_valid[:, None, :], axis=-1))


def _clutter_to_noise_db(
    radar: RadarParams, surface: SurfaceParams, rng_m: NDArray[np.float64],
    el: NDArray[np.float64], k_factor: float,
) -> NDArray[np.float64]:
    """Clutter-to-noise ratio per pulse in the target's range cell, after MTI (dB)."""
    ka = k_factor * EARTH_RADIUS_M
    h_r = max(float(altitude_m(radar.pos)), 0.1)
    r = np.maximum(rng_m, 1.0)
    # grazing angle of the surface patch at slant range R (spherical Earth, Long / Skolnik)
    sin_psi = h_r / r + h_r**2 / (2.0 * ka * r) - r / (2.0 * ka)
    seen = sin_psi > 0.0
    psi = np.arcsin(np.clip(sin_psi, 1e-6, 1.0))
    if surface.kind == "sea":
        sigma0 = 10.0 ** (nrl_sea_sigma0_db(psi, radar.frequency_hz, surface.sea_state) / 10.0)
    else:
        sigma0 = constant_gamma_sigma0(psi, surface.clutter_gamma_db, radar.frequency_hz)
    sigma_c = sigma0 * clutter_cell_area_m2(r, radar.az_beamwidth_rad, radar.range_resolution_m,
                                            psi)
    # two-way elevation pattern toward the patch (depression psi) relative to the target
    g2 = gaussian_beam_gain(el + psi, radar.el_beamwidth_rad, radar.sidelobe_level_db) ** 2
    cnr = snr_db(r, sigma_c, radar.peak_power_w, radar.gain_db, radar.frequency_hz,
                 radar.pulse_width_s, radar.system_temp_k, radar.losses_db)
    with np.errstate(divide="ignore"):
        cnr = cnr + 10.0 * np.log10(g2) - radar.clutter_improvement_db
    return np.asarray(np.where(seen, cnr, -np.inf), dtype=np.float64)


def _jammer_to_noise_db(
    radar: RadarParams, pos: NDArray[np.float64], jammers: Jammers,
    jammer_pos: NDArray[np.float64], jammer_on: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Jamming-to-noise ratio at the radar while it looks at each target (dB), shape (R, T)."""
    d_t = pos - radar.pos
    d_j = jammer_pos - radar.pos
    r_t = np.linalg.norm(d_t, axis=-1)
    r_j = np.maximum(np.linalg.norm(d_j, axis=-1), 1.0)
    cos = np.einsum("rti,rji->rtj", d_t, d_j) / np.maximum(r_t[..., None] * r_j[:, None, :],
                                                          1e-9)
    ang = np.arccos(np.clip(cos, -1.0, 1.0))
    beam = np.sqrt(radar.az_beamwidth_rad * radar.el_beamwidth_rad)
    gain_db = radar.gain_db + 10.0 * np.log10(
        gaussian_beam_gain(ang, beam, radar.sidelobe_level_db))
    j0 = jammer_density_w_per_hz(jammers.erp_w, jammers.bandwidth_hz, r_j[:, None, :], gain_db,
                                 radar.frequency_hz, jammers.losses_db)
    total = np.sum(np.where(jammer_on[:, None, :], j0, 0.0), axis=-1)
    with np.errstate(divide="ignore"):
        return np.asarray(10.0 * np.log10(total / (BOLTZMANN * radar.system_temp_k)),
                          dtype=np.float64)


def false_alarm_mean(radar: RadarParams) -> float:
    """Mean number of thermal false alarms per search scan: ``Pfa`` x resolution cells."""
    if not radar.false_alarms:
        return 0.0
    cells = resolution_cells(radar.max_range_m, radar.range_resolution_m,
                             min(radar.sector_az_width_rad, 2.0 * np.pi),
                             radar.max_elevation_rad - _fa_min_elevation(radar),
                             radar.az_beamwidth_rad, radar.el_beamwidth_rad)
    return float(cells * radar.pfa)


def _fa_min_elevation(radar: RadarParams) -> float:
    """Lowest elevation of the false-alarm volume: the beams above the local horizontal.

    Cells below it look at the ground or past the horizon, where the tracker could never
    confirm or drop what they produce (nothing there is visible to the radar), so the
    thermal false alarms are counted and placed in the volume above the horizontal only.
    """
    return max(radar.min_elevation_rad, 0.0)


def scan(
    radar: RadarParams,
    sensor_index: int,
    time_s: float,
    pos: NDArray[np.float64],
    active: NDArray[np.bool_],
    rcs_m2: NDArray[np.float64],
    swerling: NDArray[np.int64],
    friendly: NDArray[np.bool_],
    iff_reply_probability: float,
    keys: NDArray[np.uint64],
    counter: int,
    tables: PdTables,
    k_factor: float = EFFECTIVE_EARTH_FACTOR,
    los_visible: NDArray[np.bool_] | None = None,
    *,
    vel: NDArray[np.float64] | None = None,
    surface: SurfaceParams | None = None,
    jammers: Jammers | None = None,
    jammer_pos: NDArray[np.float64] | None = None,
    jammer_on: NDArray[np.bool_] | None = None,
    cue_pos: NDArray[np.float64] | None = None,
    cue_valid: NDArray[np.bool_] | None = None,
    track_mode: bool = False,
) -> tuple[Detections, NDArray[np.int64], NDArray[np.bool_]]:
    """Detect and measure every active target, and add false alarms.

    Parameters
    ----------
    pos : ndarray, shape (R, T, 3)
        Truth positions.
    active : ndarray of bool, shape (R, T)
        Targets in the air.
    rcs_m2, swerling, friendly : ndarray, shape (T,)
    keys : ndarray of uint64, shape (R,)
        Sense-stage keys.
    counter : int
        First of `DRAWS_PER_SCAN` draw counters reserved for this scan.
    k_factor : float
        Effective Earth-radius factor of the smooth-Earth horizon.
    los_visible : ndarray of bool, shape (R, T), optional
        Terrain line of sight (`triumf.sense.visibility.TerrainMask.visible`); None: no terrain.
    vel : ndarray, shape (R, T, 3), optional
        Truth velocities (m/s); without them the range rate is not measured.
    surface : SurfaceParams, optional
        Multipath and clutter (None: free space, no clutter).
    jammers, jammer_pos, jammer_on : optional
        Noise jammers with positions (R, J, 3) and on/off (R, J) now (see
        :func:`triumf.sense.environment.jammer_positions`).
    cue_pos, cue_valid : ndarray, shapes (R, C, 3) and (R, C), optional
        Designations (track mode on targets inside their acquisition window).
    track_mode : bool
        Look only at cued targets (a track-update scan), without a search of the volume.

    Returns
    -------
    detections : Detections
        Slot order shuffled; ``D = T + F`` slots (F false-alarm slots).
    truth_id : ndarray of int, shape (R, D)
        Target behind each detection slot (for scoring only; -1 for false alarms and empty
        slots).
    detected : ndarray of bool, shape (R, T)
        Which targets were detected and reported, in target order.
    """
    n_rep, n_thr = active.shape
    vis, rng_m, az, el = visibility(radar, pos, k_factor)
    if los_visible is not None:
        vis = vis & los_visible
    is_cued = (cued(radar, pos, cue_pos, cue_valid)
               if cue_pos is not None and cue_valid is not None else np.zeros_like(active))
    looked = vis & (is_cued if track_mode else (in_sector(radar, az) | is_cued))
    snr = snr_db(
        rng_m, rcs_m2, radar.peak_power_w, radar.gain_db, radar.frequency_hz,
        radar.pulse_width_s, radar.system_temp_k, radar.losses_db,
    )
    interference = np.ones((n_rep, n_thr))
    lam = SPEED_OF_LIGHT / radar.frequency_hz
    if surface is not None:
        if surface.multipath:
            f = two_ray_propagation_factor(
                ground_range_m(radar.pos, pos), altitude_m(radar.pos), altitude_m(pos), lam,
                surface.reflection_magnitude, np.pi, surface.height_std_m, k_factor)
            with np.errstate(divide="ignore"):
                snr = snr + 40.0 * np.log10(f)
        if surface.clutter:
            interference += 10.0 ** (_clutter_to_noise_db(radar, surface, rng_m, el, k_factor)
                                     / 10.0)
    if jammers is not None and jammers.count and jammer_pos is not None:
        on = jammer_on if jammer_on is not None else np.ones(jammer_pos.shape[:2], bool)
        interference += 10.0 ** (_jammer_to_noise_db(radar, pos, jammers, jammer_pos, on) / 10.0)
    sinr = snr - 10.0 * np.log10(interference)

    use_track = is_cued & (radar.track_pulses > 0)
    pulses = np.where(use_track, radar.track_pulses, radar.n_pulses)
    pd = np.zeros((n_rep, n_thr))
    for sw in np.unique(swerling):
        for n_p in np.unique(pulses):
            cells = (swerling[None, :] == sw) & (pulses == n_p)
            if np.any(cells):
                pd[cells] = tables.get(radar.pfa, int(n_p), int(sw))(sinr[cells])
    u = rng.uniform(keys, counter + _DRAW_DETECT, (n_thr,))
    detected = active & looked & (u < pd)

    # integrated SINR sets the measurement accuracy
    sinr_int = sinr + 10.0 * np.log10(pulses)
    sigma = measurement_sigmas(
        sinr_int, radar.range_resolution_m, radar.az_beamwidth_rad, radar.el_beamwidth_rad
    )
    aer = np.stack([rng_m, az, el], axis=-1) + radar.bias
    z = noisy_measurement(aer, sigma, rng.normal(keys, counter + _DRAW_NOISE, (n_thr, 3)))
    iff = detected & friendly & (
        rng.uniform(keys, counter + _DRAW_IFF, (n_thr,)) < iff_reply_probability)
    rr_sig = range_rate_sigma(sinr_int, lam, radar.dwell_s)
    if vel is not None:
        los = (pos - radar.pos) / np.maximum(rng_m, 1e-9)[..., None]
        rr_true = np.einsum("rti,rti->rt", vel, los)
        rr = rr_true + rr_sig * rng.normal(keys, counter + _DRAW_RANGE_RATE, (n_thr,))
    else:
        rr = np.full((n_rep, n_thr), np.nan)

    # thermal false alarms over the search volume (none in a track-update scan)
    mean_fa = 0.0 if track_mode else false_alarm_mean(radar)
    n_fa = false_alarm_slots(mean_fa)
    if n_fa:
        u_count = rng.uniform(keys, counter + _DRAW_FA_COUNT, (1,))[:, 0]
        count = false_alarm_counts(u_count, mean_fa, n_fa)
        fa_valid = np.arange(n_fa)[None, :] < count[:, None]
        fa_aer = false_alarm_aer(rng.uniform(keys, counter + _DRAW_FA_PLACE, (n_fa, 3)),
                                 radar.max_range_m, radar.sector_az_center_rad,
                                 radar.sector_az_width_rad, _fa_min_elevation(radar),
                                 radar.max_elevation_rad)
        # a false alarm is noise just over the threshold: its integrated SNR is about T
        thr_db = float(10.0 * np.log10(threshold(radar.pfa, radar.n_pulses)))
        fa_sigma = np.broadcast_to(measurement_sigmas(
            thr_db, radar.range_resolution_m, radar.az_beamwidth_rad, radar.el_beamwidth_rad),
            (n_rep, n_fa, 3))
        fa_z = noisy_measurement(fa_aer, fa_sigma, np.zeros((n_rep, n_fa, 3)))
        # Doppler of noise: uniform over the dwell's unambiguous interval +-lambda PRF / 4
        v_amb = lam * radar.n_pulses / (4.0 * radar.dwell_s)
        fa_rr = (2.0 * rng.uniform(keys, counter + _DRAW_FA_RANGE_RATE, (n_fa,)) - 1.0) * v_amb
        fa_rr_sig = np.broadcast_to(range_rate_sigma(thr_db, lam, radar.dwell_s), (n_rep, n_fa))
        z = np.concatenate([z, fa_z], axis=1)
        sigma = np.concatenate([sigma, fa_sigma], axis=1)
        rr = np.concatenate([rr, fa_rr], axis=1)
        rr_sig = np.concatenate([rr_sig, fa_rr_sig], axis=1)
        rep_valid = np.concatenate([detected, fa_valid], axis=1)
        iff = np.concatenate([iff, np.zeros((n_rep, n_fa), bool)], axis=1)
        slot_range = np.concatenate([rng_m, fa_aer[..., 0]], axis=1)
        slot_cued = np.concatenate([is_cued, np.zeros((n_rep, n_fa), bool)], axis=1)
    else:
        rep_valid, slot_range, slot_cued = detected, rng_m, is_cued
    n_slot = rep_valid.shape[1]

    # track capacity: report cued targets first, then the nearest
    if radar.track_capacity < n_slot:
        prio = np.where(rep_valid, np.where(slot_cued, -1.0, 0.0) + slot_range / 1e9, np.inf)
        rank = np.argsort(np.argsort(prio, axis=1, kind="stable"), axis=1)
        rep_valid = rep_valid & (rank < radar.track_capacity)
        detected = detected & rep_valid[:, :n_thr]

    # shuffle slots: valid first in random order
    order_key = rng.uniform(keys, counter + _DRAW_SHUFFLE, (n_slot,)) + (~rep_valid) * 2.0
    perm = np.argsort(order_key, axis=1)
    rows = np.arange(n_rep)[:, None]  # a[rows, perm] == take_along_axis(a, perm, axis=1)
    valid = rep_valid[rows, perm]
    det = Detections(
        time_s=time_s,
        sensor_index=sensor_index,
        sensor_pos=radar.pos,
        sensor_rot=radar.rot,
        z=z[rows, perm],
        sigma=sigma[rows, perm],
        valid=valid,
        iff_friend=iff[rows, perm],
        range_rate=rr[rows, perm],
        range_rate_sigma=np.broadcast_to(np.asarray(rr_sig, dtype=np.float64),
                                         (n_rep, n_slot))[rows, perm],
    )
    truth_id = np.where(valid & (perm < n_thr), perm, -1)
    return det, truth_id, detected

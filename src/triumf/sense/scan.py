"""One scan of one radar over every threat slot, batched over replications.

For each replication and target: visibility (instrumented range, elevation coverage and the
4/3-Earth horizon), per-pulse SNR from the radar equation, the probability of detection for
the target's Swerling case at the radar's Pfa with N-pulse non-coherent integration, a Bernoulli
draw, and a measurement with SNR-dependent noise. Detections are shuffled so their slot order
says nothing about which target made them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from triumf.core import rng
from triumf.core.earth import EFFECTIVE_EARTH_FACTOR, above_radar_horizon, local_aer
from triumf.sense.base import Detections, RadarParams
from triumf.sense.detection import PdTable
from triumf.sense.measurement import measurement_sigmas, noisy_measurement
from triumf.sense.radar_equation import snr_db

# draw purposes within one scan's counter block
_DRAW_DETECT = 0
_DRAW_NOISE = 1
_DRAW_IFF = 2
_DRAW_SHUFFLE = 3
DRAWS_PER_SCAN = 4


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
) -> tuple[Detections, NDArray[np.int64], NDArray[np.bool_]]:
    """Detect and measure every active target.

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

    Returns
    -------
    detections : Detections
        Slot order shuffled.
    truth_id : ndarray of int, shape (R, T)
        Target behind each detection slot (for scoring only; -1 where invalid).
    detected : ndarray of bool, shape (R, T)
        Which targets were detected, in target order.
    """
    n_rep, n_thr = active.shape
    vis, rng_m, az, el = visibility(radar, pos, k_factor)
    if los_visible is not None:
        vis = vis & los_visible
    snr = snr_db(
        rng_m, rcs_m2, radar.peak_power_w, radar.gain_db, radar.frequency_hz,
        radar.pulse_width_s, radar.system_temp_k, radar.losses_db,
    )
    pd = np.zeros((n_rep, n_thr))
    for sw in np.unique(swerling):
        cols = swerling == sw
        pd[:, cols] = tables.get(radar.pfa, radar.n_pulses, int(sw))(snr[:, cols])
    u = rng.uniform(keys, counter + _DRAW_DETECT, (n_thr,))
    detected = active & vis & (u < pd)

    # integrated SNR sets the measurement accuracy
    snr_int = snr + 10.0 * np.log10(radar.n_pulses)
    sigma = measurement_sigmas(
        snr_int, radar.range_resolution_m, radar.az_beamwidth_rad, radar.el_beamwidth_rad
    )
    aer = np.stack([rng_m, az, el], axis=-1)
    z = noisy_measurement(aer, sigma, rng.normal(keys, counter + _DRAW_NOISE, (n_thr, 3)))
    iff = detected & friendly & (
        rng.uniform(keys, counter + _DRAW_IFF, (n_thr,)) < iff_reply_probability)

    # shuffle slots: detected first in random order
    order_key = rng.uniform(keys, counter + _DRAW_SHUFFLE, (n_thr,)) + (~detected) * 2.0
    perm = np.argsort(order_key, axis=1)
    take = np.take_along_axis
    valid = take(detected, perm, axis=1)
    det = Detections(
        time_s=time_s,
        sensor_index=sensor_index,
        sensor_pos=radar.pos,
        sensor_rot=radar.rot,
        z=take(z, perm[..., None], axis=1),
        sigma=take(sigma, perm[..., None], axis=1),
        valid=valid,
        iff_friend=take(iff, perm, axis=1),
    )
    truth_id = np.where(valid, perm, -1)
    return det, truth_id, detected

"""One radar scan: false alarms, jamming, sectors and cues, capacity, range rate, biases."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import stats

from triumf.core import rng
from triumf.core.earth import local_frame, map_to_enu
from triumf.sense.base import RadarParams
from triumf.sense.detection import detection_probability
from triumf.sense.environment import Jammers, SurfaceParams
from triumf.sense.false_alarms import resolution_cells
from triumf.sense.jamming import jammer_density_w_per_hz
from triumf.sense.measurement import range_rate_sigma
from triumf.sense.radar_equation import BOLTZMANN, snr_db
from triumf.sense.scan import PdTables, false_alarm_mean, scan

DEG = np.pi / 180.0


def _radar(**kw) -> RadarParams:
    pos = np.array(map_to_enu(0.0, 0.0, 10.0), dtype=float)
    base = dict(
        name="r", type_name="R", battalion=0, pos=pos, rot=local_frame(pos),
        frequency_hz=1.0e10, peak_power_w=2.0e5, gain_db=40.0, pulse_width_s=2.0e-5,
        n_pulses=8, losses_db=8.0, system_temp_k=500.0, pfa=1e-6, az_beamwidth_rad=1.0 * DEG,
        el_beamwidth_rad=1.0 * DEG, range_resolution_m=150.0, max_range_m=300e3,
        min_elevation_rad=-2 * DEG, max_elevation_rad=60 * DEG, revisit_s=1.0,
        engagement=False, false_alarms=False,
    )
    base.update(kw)
    return RadarParams(**base)


def _keys(n: int, seed: int = 7):
    return rng.stage_keys(rng.replication_keys(seed, range(n)), rng.Stage.SENSE)


def _targets(n_rep: int, east_m, alt_m):
    east = np.atleast_1d(np.asarray(east_m, dtype=float))
    pos = np.array(map_to_enu(east, 0.0 * east, alt_m + 0.0 * east), dtype=float)
    pos = np.broadcast_to(pos, (n_rep, east.size, 3)).copy()
    return pos, np.ones((n_rep, east.size), bool)


def _scan(radar, pos, active, keys, counter=0, rcs=1.0, sw=1, **kw):
    t = pos.shape[1]
    return scan(radar, 0, 0.0, pos, active, np.full(t, rcs), np.full(t, sw, np.int64),
                np.zeros(t, bool), 0.0, keys, counter, PdTables(), **kw)


def test_false_alarm_count_matches_pfa_times_cells():
    """Mean false alarms per scan is Pfa x cells (Poisson: mean and variance within 4 SE)."""
    radar = _radar(false_alarms=True, pfa=2e-8)
    # the volume above the local horizontal: elevations 0-60 deg
    cells = resolution_cells(300e3, 150.0, 2 * np.pi, 60 * DEG, DEG, DEG)
    mean = 2e-8 * cells
    assert abs(false_alarm_mean(radar) - mean) < 1e-9
    n_rep = 3000
    pos, active = _targets(n_rep, [50e3], 3000.0)
    det, truth_id, _ = _scan(radar, pos, active & False, _keys(n_rep))
    counts = det.valid.sum(axis=1)
    assert np.all(truth_id[det.valid] == -1)
    assert abs(counts.mean() - mean) < 4 * np.sqrt(mean / n_rep)
    assert abs(counts.var() - mean) < 4 * mean * np.sqrt(2.0 / n_rep) + 0.05 * mean


def test_false_alarms_uniform_in_coverage():
    """False alarms are uniform in range and azimuth over the coverage (KS tests)."""
    radar = _radar(false_alarms=True, pfa=2e-8)
    n_rep = 1500
    pos, active = _targets(n_rep, [50e3], 3000.0)
    det, _, _ = _scan(radar, pos, active & False, _keys(n_rep, 3))
    z = det.z[det.valid]
    assert stats.kstest(z[:, 0] / 300e3, "uniform").pvalue > 1e-3
    assert stats.kstest(z[:, 1] / (2 * np.pi), "uniform").pvalue > 1e-3
    assert stats.kstest(z[:, 2] / (60 * DEG), "uniform").pvalue > 1e-3


def test_detection_rate_matches_pd():
    """The fraction of replications that detect equals the exact Pd (binomial 4 SE)."""
    radar = _radar()
    n_rep = 4000
    pos, active = _targets(n_rep, [150e3], 5000.0)
    _, _, detected = _scan(radar, pos, active, _keys(n_rep))
    s = snr_db(np.linalg.norm(pos[0, 0] - radar.pos), 1.0, 2e5, 40.0, 1e10, 2e-5, 500.0, 8.0)
    pd = float(detection_probability(s, 1e-6, 8, 1))
    assert abs(detected.mean() - pd) < 4 * np.sqrt(pd * (1 - pd) / n_rep) + 2e-3


def _first_detection_range(radar, ranges, n_rep, alt, **kw):
    """Scan a target at each range in turn (closing); range of its first detection."""
    first = np.full(n_rep, np.nan)
    keys = _keys(n_rep, 11)
    for k, r in enumerate(ranges):
        pos, active = _targets(n_rep, [r], alt)
        if "jammer_pos" in kw:
            kw = dict(kw, jammer_pos=pos.copy())
        _, _, det = _scan(radar, pos, active, keys, counter=8 * k, **kw)
        new = det[:, 0] & np.isnan(first)
        first[new] = r
    return first


def test_self_screening_jammer_delays_detection_as_burn_through_predicts():
    """Jammed first-detection range matches the cumulative-Pd prediction from SINR(R)."""
    radar = _radar()
    ranges = np.arange(200e3, 2e3, -2e3)
    n_rep, alt = 400, 3000.0
    jam = Jammers(("ssj",), np.array([10.0]), np.array([5e7]), np.array([0.0]),
                  np.array([0]), np.zeros((1, 1, 3)), np.zeros((1, 1)))
    free = _first_detection_range(radar, ranges, n_rep, alt)
    jammed = _first_detection_range(radar, ranges, n_rep, alt, jammers=jam,
                                    jammer_pos=np.zeros((n_rep, 1, 3)),
                                    jammer_on=np.ones((n_rep, 1), bool))
    assert np.nanmean(jammed) < 0.7 * np.nanmean(free)
    # independent prediction: SINR from the radar equation and J0, then P(first at k)
    pos, _ = _targets(1, ranges, alt)
    slant = np.linalg.norm(pos[0] - radar.pos, axis=-1)
    s = snr_db(slant, 1.0, 2e5, 40.0, 1e10, 2e-5, 500.0, 8.0)
    j0 = jammer_density_w_per_hz(10.0, 5e7, slant, 40.0, 1e10)
    sinr = s - 10 * np.log10(1 + j0 / (BOLTZMANN * 500.0))
    pd = detection_probability(sinr, 1e-6, 8, 1)
    miss_before = np.concatenate([[1.0], np.cumprod(1 - pd)[:-1]])
    p_first = pd * miss_before
    expect = np.sum(p_first * ranges) / np.sum(p_first)
    sd = np.sqrt(np.sum(p_first * (ranges - expect) ** 2) / np.sum(p_first))
    assert abs(np.nanmean(jammed) - expect) < 4 * sd / np.sqrt(n_rep) + 2e3


def test_sector_limits_search_and_cue_opens_track_mode():
    """Outside its sector a radar misses the target in search; a cue brings it into track."""
    radar = _radar(sector_az_center_rad=0.0, sector_az_width_rad=90 * DEG, track_pulses=16)
    n_rep = 200
    pos, active = _targets(n_rep, [60e3], 3000.0)  # due east: azimuth 90 deg
    _, _, det = _scan(radar, pos, active, _keys(n_rep))
    assert not det.any()
    cue_valid = np.ones((n_rep, 1), bool)
    _, _, det_t = _scan(radar, pos, active, _keys(n_rep), cue_pos=pos + 300.0,
                        cue_valid=cue_valid, track_mode=True)
    assert det_t.mean() > 0.9
    _, _, det_none = _scan(radar, pos, active, _keys(n_rep), cue_pos=pos,
                           cue_valid=~cue_valid, track_mode=True)
    assert not det_none.any()


def test_track_capacity_keeps_the_nearest():
    """A radar reports at most its capacity per scan, nearest targets first."""
    radar = _radar(track_capacity=3)
    n_rep = 50
    pos, active = _targets(n_rep, np.linspace(20e3, 40e3, 8), 3000.0)
    det, truth_id, detected = _scan(radar, pos, active, _keys(n_rep), rcs=100.0)
    assert np.all(det.valid.sum(axis=1) == 3)
    assert np.all(detected[:, :3]) and not detected[:, 3:].any()
    assert set(np.unique(truth_id[det.valid])) == {0, 1, 2}


def test_range_rate_noise_and_bias():
    """Range-rate errors have the closed-form sigma; range and azimuth biases shift the mean."""
    bias = np.array([40.0, 0.2 * DEG, 0.0])
    radar = _radar(bias=bias, dwell_s=0.005)
    n_rep = 4000
    pos, active = _targets(n_rep, [30e3], 3000.0)
    vel = np.zeros_like(pos)
    vel[..., 0] = -250.0
    det, truth_id, _ = _scan(radar, pos, active, _keys(n_rep), rcs=10.0, vel=vel)
    ok = det.valid & (truth_id == 0)
    los = (pos[0, 0] - radar.pos) / np.linalg.norm(pos[0, 0] - radar.pos)
    rr_true = float(vel[0, 0] @ los)
    err = det.range_rate[ok] - rr_true
    sig = det.range_rate_sigma[ok]
    # the sigma is range_rate_sigma of the integrated SINR (check one against the formula)
    s_int = snr_db(np.linalg.norm(pos[0, 0] - radar.pos), 10.0, 2e5, 40.0, 1e10, 2e-5, 500.0,
                   8.0) + 10 * np.log10(8)
    assert abs(sig[0] - range_rate_sigma(s_int, 299_792_458.0 / 1e10, 0.005)) < 1e-12
    assert abs(np.std(err / sig) - 1.0) < 0.05
    z_err = det.z[ok][:, 0] - np.linalg.norm(pos[0, 0] - radar.pos)
    assert abs(z_err.mean() - 40.0) < 4 * det.sigma[ok][:, 0].mean() / np.sqrt(ok.sum())


def test_sea_multipath_and_clutter_hide_a_sea_skimmer():
    """A 5 m sea-skimmer at 18 km: multipath and sea clutter lower its Pd far below free space."""
    radar = _radar()
    n_rep = 2000
    pos, active = _targets(n_rep, [18e3], 5.0)
    _, _, free = _scan(radar, pos, active, _keys(n_rep), rcs=0.05)
    sea = SurfaceParams(kind="sea", reflection_magnitude=0.95, height_std_m=0.25, sea_state=3)
    _, _, mp = _scan(radar, pos, active, _keys(n_rep), rcs=0.05,
                     surface=dataclasses.replace(sea, clutter=False))
    _, _, both = _scan(radar, pos, active, _keys(n_rep), rcs=0.05, surface=sea)
    assert free.mean() > 0.9
    assert mp.mean() < 0.5 * free.mean()
    assert both.mean() <= mp.mean() + 0.02


def test_line_of_sight_mask_hides_targets():
    """A target masked by terrain (los_visible False) is never detected."""
    radar = _radar()
    n_rep = 100
    pos, active = _targets(n_rep, [30e3], 3000.0)
    _, _, det = _scan(radar, pos, active, _keys(n_rep), rcs=10.0,
                      los_visible=np.zeros((n_rep, 1), bool))
    assert not det.any()

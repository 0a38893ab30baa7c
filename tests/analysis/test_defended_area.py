"""Defended-area model: the closed-form detection range a battalion needs, the salvo formula,
and monotonicity in required probability and threat speed."""

import numpy as np
import pytest

from triumf.analysis.coverage import square_grid
from triumf.analysis.defended_area import (
    ThreatProfile,
    Weapons,
    defended_area_map,
    intercept_probability,
    salvo_kill_probability,
)
from triumf.core.earth import local_frame, map_to_enu
from triumf.core.tables import FlyoutTable, RegularGridTable
from triumf.sense.base import RadarParams


def _radar(power_w, max_range_m, revisit_s=5.0, engagement=True, height_m=30.0):
    pos = map_to_enu(0.0, 0.0, height_m)
    return RadarParams(
        name="r", type_name="test", battalion=0, pos=pos, rot=local_frame(pos),
        frequency_hz=3.0e9, peak_power_w=power_w, gain_db=38.0, pulse_width_s=1.0e-6,
        n_pulses=1, losses_db=6.0, system_temp_k=500.0, pfa=1.0e-6,
        az_beamwidth_rad=0.02, el_beamwidth_rad=0.02, range_resolution_m=150.0,
        max_range_m=max_range_m, min_elevation_rad=np.deg2rad(-5.0),
        max_elevation_rad=np.deg2rad(89.0), revisit_s=revisit_s, engagement=engagement)


def _weapons(missile_speed_mps=1000.0, max_range_m=150_000.0, pk=0.8, salvo=2,
             reaction_s=10.0, keep_out_m=5000.0):
    """One launcher at the origin; a constant-speed missile: tof = ground range / speed."""
    x = np.linspace(0.0, max_range_m, 301)
    y = np.array([0.0, 30_000.0])
    tof = np.repeat((x / missile_speed_mps)[:, None], 2, axis=1)
    table = FlyoutTable(time_s=RegularGridTable(x, y, tof),
                        speed_mps=RegularGridTable(x, y, np.full_like(tof, missile_speed_mps)))
    return Weapons(
        launcher_pos=map_to_enu(0.0, 0.0, 0.0)[None], loaded=np.ones((1, 1), bool),
        names=("m",), flyout=(table,), pk=np.array([pk]), min_range_m=np.array([0.0]),
        max_range_m=np.array([max_range_m]), min_altitude_m=np.array([0.0]),
        max_altitude_m=np.array([30_000.0]), salvo_size=salvo, reaction_time_s=reaction_s,
        keep_out_m=keep_out_m)


def test_salvo_kill_probability_is_one_minus_miss_to_the_n():
    """1 - (1 - Pk)^n for n independent rounds."""
    assert np.isclose(salvo_kill_probability(0.8, 2), 0.96)
    assert np.isclose(salvo_kill_probability(0.5, 3), 0.875)


@pytest.mark.parametrize("speed", [300.0, 900.0])
def test_needed_detection_range_matches_the_closed_form(speed):
    """A sure-detection, fast-revisit radar defends iff its range exceeds K (1 + v/vm) + v Tr."""
    w = _weapons()
    k_out, vm, tr = w.keep_out_m, 1000.0, w.reaction_time_s
    need = k_out * (1.0 + speed / vm) + speed * tr  # latest detection: intercept at keep-out
    threat = ThreatProfile(rcs_m2=1.0, swerling=1, speed_mps=speed, altitude_m=1000.0)
    p = []
    for rng in (need - 600.0, need + 600.0):
        res = intercept_probability([_radar(1.0e12, rng, revisit_s=0.1)], w, threat, 0.0, 0.0,
                                    0.0, step_m=100.0)
        p.append(float(res.p_intercept))
    assert p[0] == 0.0
    assert np.isclose(p[1], salvo_kill_probability(0.8, 2), atol=1e-6)


def test_detection_after_the_needed_range_is_of_no_use():
    """Detection probability counts only looks before the latest detection distance."""
    w = _weapons()
    threat = ThreatProfile(rcs_m2=1.0, swerling=1, speed_mps=600.0, altitude_m=1000.0)
    res = intercept_probability([_radar(1.0e12, 200_000.0)], w, threat, 0.0, 0.0, 0.0,
                                step_m=100.0)
    expected = 5000.0 * (1.0 + 0.6) + 600.0 * 10.0
    assert abs(float(res.detect_by_m) - expected) <= 100.0


def _realistic():
    radars = [_radar(3.0e4, 400_000.0)]
    return radars, _weapons(max_range_m=120_000.0)


def test_defended_area_shrinks_as_the_required_probability_rises():
    """Area(P >= p) is non-increasing in p, and strictly smaller somewhere in between."""
    radars, w = _realistic()
    threat = ThreatProfile(rcs_m2=0.1, swerling=1, speed_mps=700.0, altitude_m=2000.0)
    east, north = square_grid(150_000.0, 15)
    dam = defended_area_map(radars, w, threat, np.deg2rad(270.0), east, north, step_m=1000.0)
    levels = [0.1, 0.5, 0.8, 0.9, 0.95]
    areas = [dam.area_km2(p) for p in levels]
    assert all(a >= b for a, b in zip(areas, areas[1:], strict=False))
    assert areas[0] > areas[-1]


def test_defended_probability_falls_as_the_threat_gets_faster():
    """At every asset position P(kill before keep-out) is non-increasing in threat speed."""
    radars, w = _realistic()
    east, north = square_grid(150_000.0, 11)
    maps = [defended_area_map(radars, w, ThreatProfile(rcs_m2=0.1, swerling=1, speed_mps=v,
                                                       altitude_m=2000.0),
                              np.deg2rad(270.0), east, north, step_m=1000.0).result.p_intercept
            for v in (300.0, 700.0, 1500.0, 3000.0)]
    for slow, fast in zip(maps, maps[1:], strict=False):
        assert np.all(fast <= slow + 1e-12)
    assert maps[-1].sum() < maps[0].sum()


def test_no_engagement_radar_in_view_means_no_intercept():
    """If the engagement radar cannot see the path (range too short), nothing is defended."""
    w = _weapons()
    threat = ThreatProfile(rcs_m2=1.0, swerling=1, speed_mps=300.0, altitude_m=1000.0)
    search = _radar(1.0e12, 300_000.0, engagement=False)
    blind = _radar(1.0e12, 1000.0, engagement=True)
    res = intercept_probability([search, blind], w, threat, 0.0, 0.0, 0.0, step_m=500.0)
    assert float(res.p_intercept) == 0.0
    assert int(res.best_missile) == -1


def test_profile_time_to_go_inverts():
    """distance_at(time_to_go_s(d)) = d for a two-leg profile."""
    prof = ThreatProfile(rcs_m2=1.0, swerling=3, speed_mps=950.0, altitude_m=14000.0,
                         terminal_range_m=40_000.0, terminal_altitude_m=12.0,
                         terminal_speed_mps=680.0)
    d = np.array([0.0, 10_000.0, 40_000.0, 100_000.0])
    assert np.allclose(prof.distance_at(prof.time_to_go_s(d)), d)
    assert np.isclose(prof.time_to_go_s(100_000.0), 40_000.0 / 680.0 + 60_000.0 / 950.0)


def test_detection_in_time_agrees_with_discrete_looks_at_random_phase():
    """Continuous-look P(detected in time) is within 0.05 of discrete scans at random phase.

    The reference draws each replication's scan phase uniformly, takes one look every revisit
    and detects with the single-look Pd at the threat's position then (same Pd kernel).
    """
    from triumf.analysis.coverage import single_look_pd

    radar = _radar(400.0, 400_000.0, revisit_s=10.0)
    w = _weapons()
    v = 600.0
    threat = ThreatProfile(rcs_m2=1.0, swerling=1, speed_mps=v, altitude_m=3000.0)
    res = intercept_probability([radar], w, threat, 0.0, 0.0, 0.0, step_m=100.0)
    d_by = float(res.detect_by_m)
    start = 120_000.0  # beyond every non-negligible Pd of this radar
    rng = np.random.default_rng(3)
    n_rep = 4000
    phase = rng.uniform(0.0, radar.revisit_s, n_rep)
    t = phase[:, None] + radar.revisit_s * np.arange(int(start / v / radar.revisit_s) + 1)
    d = start - v * t
    pos = map_to_enu(np.zeros_like(d), d, 3000.0)
    pd = np.where(d >= d_by, single_look_pd(radar, pos, 1.0, 1), 0.0)
    detected = np.any(rng.uniform(size=pd.shape) < pd, axis=1)
    p_mc = detected.mean()
    sigma = np.sqrt(p_mc * (1.0 - p_mc) / n_rep)
    assert 0.05 < p_mc < 0.95  # a point where detection is in doubt
    # exp(E[ln miss]) <= E[miss] (Jensen): the continuous-look model is slightly optimistic when
    # few looks fall in the Pd transition (here about two); within 0.05 of the scans
    assert -3.0 * sigma <= float(res.p_detect) - p_mc <= 0.05 + 3.0 * sigma

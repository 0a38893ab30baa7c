"""A self-screening noise jammer delays first detection as the radar equation predicts."""

import numpy as np
from sim_scenarios import compile_text

from triumf.core import rng
from triumf.core.earth import map_to_enu
from triumf.sense.detection import detection_probability
from triumf.sim.engine import run
from triumf.threat.raid import advance, init_truth

_BOLTZMANN = 1.380649e-23
_C = 299_792_458.0

_SCENARIO = """
name: jamming
seed: 3
duration_s: 700
time_step_s: 1.0
origin: {{latitude_deg: 20.0, longitude_deg: 80.0, altitude_m: 0}}
environment: {{multipath: false, clutter: false, false_alarms: false}}
assets:
  - {{name: Depot, position: {{east_m: 0, north_m: 0}}, value: 5, radius_m: 1000}}
battalions:
  - name: Onyx
    command_post: {{type: 55K6E, position: {{east_m: 0, north_m: -1000}}}}
    radars:
      - {{name: Onyx search, type: 91N6E, position: {{east_m: 0, north_m: 0}}}}
      - {{name: Onyx engagement, type: 92N6E, position: {{east_m: 0, north_m: 500}}}}
    engagement_radar: Onyx engagement
    fire_units:
      - {{name: Onyx L1, launcher: 5P85SE2, position: {{east_m: -1000, north_m: 0}},
         missiles: {{48N6E2: 1}}}}
raids:
  - name: Intruders
    threat: fighter
    count: 1
    launch_area: {{center: {{east_m: 160000, north_m: 0}}, radius_m: 0}}
    launch_window_s: [0, 0]
    target: Depot
    profile: {{altitude_m: 6000, speed_mps: 250, terminal: none}}
{jammers}
"""


def _first_detection_ranges(params, reps):
    """Slant range from the search radar to the threat at its first detection, per replication."""
    res = run(params, np.arange(reps))
    t_det = res.outcomes.t_first_detect[:, 0]
    assert np.all(np.isfinite(t_det))
    keys = rng.stage_keys(rng.replication_keys(params.seed, res.replications), rng.Stage.THREAT)
    out = []
    for row, t in enumerate(t_det):
        truth = init_truth(params.threats, keys[row:row + 1])
        advance(truth, params.threats, 0.0, float(t))
        out.append(float(np.linalg.norm(truth.pos[0, 0] - params.radars[0].pos)))
    return np.array(out)


def _predicted_median_range_m(params):
    """Median first-detection range of the jammed target predicted from the radar equation
    with main-lobe noise jamming, the exact single-look Pd of each radar and its look times
    along the straight inbound path: P(not yet detected) = prod(1 - Pd_k) over all looks."""
    thr, jam = params.threats, params.jammers
    t = np.arange(0.0, params.duration_s, params.time_step_s)
    east = 160_000.0 - 250.0 * t
    pos = map_to_enu(east, np.zeros_like(east), np.full_like(east, 6000.0))
    log_survive = np.zeros_like(t)
    for radar in params.radars:
        r = np.linalg.norm(pos - radar.pos, axis=-1)
        lam = _C / radar.frequency_hz
        g = 10.0 ** (radar.gain_db / 10.0)
        e1 = (radar.peak_power_w * radar.pulse_width_s * g * g * lam**2 * float(thr.rcs_m2[0])
              / ((4.0 * np.pi) ** 3 * 10.0 ** (radar.losses_db / 10.0)))
        j1 = (float(jam.erp_w[0]) * g * lam**2
              / ((4.0 * np.pi) ** 2 * float(jam.bandwidth_hz[0])
                 * 10.0 ** (float(jam.losses_db[0]) / 10.0)))
        n0 = _BOLTZMANN * radar.system_temp_k
        sinr_db = 10.0 * np.log10((e1 / r**4) / (n0 + j1 / r**2))
        pd = detection_probability(sinr_db, radar.pfa, radar.n_pulses, int(thr.swerling[0]))
        look = np.isclose(np.mod(t + 1e-9, radar.revisit_s), 0.0, atol=1e-6)
        log_survive += np.cumsum(np.where(look, np.log1p(-np.minimum(pd, 1 - 1e-15)), 0.0))
    k = int(np.argmax(log_survive <= np.log(0.5)))
    return float(np.linalg.norm(pos[k] - params.radars[0].pos))


def test_self_screening_jammer_delays_detection_as_the_radar_equation_predicts():
    """Jammed: the median first-detection range matches the cumulative-Pd prediction of the
    radar equation with main-lobe noise jamming (within 15 %); unjammed: seen at once."""
    clear = compile_text(_SCENARIO.format(jammers=""))
    jammed = compile_text(_SCENARIO.format(jammers=(
        "jammers:\n  - {name: Pod, type: Self-protection-jammer, carried_by: Intruders}")))
    r_clear = _first_detection_ranges(clear, 2)
    r_jam = _first_detection_ranges(jammed, 12)
    predicted = _predicted_median_range_m(jammed)
    assert np.median(r_clear) > 1.5 * predicted
    assert abs(np.median(r_jam) - predicted) <= 0.15 * predicted

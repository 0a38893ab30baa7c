"""The trajectory recorder: faithful to truth and to the event log, and without side effects."""

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "report"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from report_scenario import compiled_small  # noqa: E402

from triumf.core import rng  # noqa: E402
from triumf.core.earth import geodetic_to_engine  # noqa: E402
from triumf.sim.engine import run  # noqa: E402
from triumf.sim.events import EventKind  # noqa: E402
from triumf.sim.recording import TRAJECTORY_SCHEMA, Recorder  # noqa: E402
from triumf.threat.raid import advance, init_truth  # noqa: E402

ORIGIN = (30.0, 75.0, 0.0)


@pytest.fixture(scope="module")
def recorded():
    """The small scenario, replications 0 and 1, run with a recorder of replication 0."""
    params = compiled_small()[1]
    rec = Recorder([0], interval_s=1.0)
    res = run(params, [0, 1], record=rec)
    return params, res, rec.to_arrow(ORIGIN)


def _rows(table, kind):
    t = table.filter(pc.equal(table.column("kind"), kind))
    return {c: t.column(c).to_numpy(zero_copy_only=False) for c in t.column_names}


def test_schema_is_the_agreed_one(recorded):
    """The table has exactly the agreed columns and types."""
    assert recorded[2].schema == TRAJECTORY_SCHEMA


def test_threat_positions_match_the_threat_kernel(recorded):
    """Recorded threat positions equal an independent run of the threat kernel at those times."""
    params, _, table = recorded
    rows = _rows(table, "threat")
    keys = rng.stage_keys(rng.replication_keys(params.seed, np.array([0])), rng.Stage.THREAT)
    truth = init_truth(params.threats, keys, terrain=params.terrain)
    dt = params.time_step_s
    want = {}
    for tick in range(1, params.n_steps + 1):
        advance(truth, params.threats, (tick - 1) * dt, tick * dt)
        want[round(tick * dt, 6)] = truth.pos[0].copy()
    alive = rows["alive"]
    got = np.stack([rows["east_m"], rows["north_m"], rows["up_m"]], axis=1)[alive]
    ref = np.stack([want[round(t, 6)][i] for t, i in zip(rows["t_s"][alive], rows["id"][alive],
                                                           strict=True)])
    assert alive.sum() > 100
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-6)


def test_interceptors_start_at_their_launch_events(recorded):
    """Each interceptor's first sample is at its launch event's time, on its launcher."""
    params, res, table = recorded
    rows = _rows(table, "interceptor")
    ev = res.events.columns()
    launch = (ev["kind"] == int(EventKind.INTERCEPTOR_LAUNCH)) & (ev["replication"] == 0)
    assert launch.sum() > 0
    for m, t, unit in zip(ev["interceptor"][launch], ev["time_s"][launch], ev["unit"][launch],
                          strict=True):
        mine = rows["id"] == m
        first = np.argmin(rows["t_s"][mine])
        assert rows["t_s"][mine][first] == pytest.approx(t, abs=1e-9)
        pos = [rows[c][mine][first] for c in ("east_m", "north_m", "up_m")]
        np.testing.assert_allclose(pos, params.c2.launcher_pos[unit], atol=1e-9)
    assert set(rows["id"]) == set(ev["interceptor"][launch])


def test_recording_changes_no_outcome(recorded):
    """Same seed with and without a recorder: identical outcomes and events."""
    params, res, _ = recorded
    plain = run(params, [0, 1])
    for f in plain.outcomes.__dataclass_fields__:
        np.testing.assert_array_equal(getattr(plain.outcomes, f), getattr(res.outcomes, f))
    a, b = plain.events.columns(), res.events.columns()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_each_ended_object_has_one_last_dead_sample(recorded):
    """Every killed or arrived threat has exactly one alive=false sample, its last one."""
    _, res, table = recorded
    rows = _rows(table, "threat")
    ended = np.flatnonzero(res.killed[0] | res.leaked[0])
    assert ended.size > 0
    for i in ended:
        mine = rows["id"] == i
        order = np.argsort(rows["t_s"][mine])
        alive = rows["alive"][mine][order]
        assert not alive[-1] and alive[:-1].all()


def test_samples_follow_the_interval(recorded):
    """Between its first and last sample a threat is sampled every interval (1 s)."""
    _, _, table = recorded
    rows = _rows(table, "threat")
    for i in np.unique(rows["id"]):
        t = np.sort(rows["t_s"][(rows["id"] == i) & rows["alive"]])
        steps = np.diff(t[1:])  # the first sample is the launch tick, off the 1 s grid
        assert np.all(np.abs(steps - 1.0) < 1e-9)


def test_track_rows_carry_a_valid_covariance(recorded):
    """Live track samples have positive sigmas and a correlation in [-1, 1]."""
    rows = _rows(recorded[2], "track")
    live = rows["alive"]
    assert live.sum() > 0
    assert np.all(rows["sigma_east_m"][live] > 0) and np.all(rows["sigma_north_m"][live] > 0)
    assert np.all(np.abs(rows["rho_en"][live]) <= 1.0)


def test_geodetic_columns_invert_to_the_local_frame(recorded):
    """lat/lon/alt map back to east/north/up through the frame's forward transform."""
    rows = _rows(recorded[2], "threat")
    back = geodetic_to_engine(rows["lat_deg"], rows["lon_deg"], rows["alt_m"], *ORIGIN)
    np.testing.assert_allclose(back, np.stack([rows["east_m"], rows["north_m"], rows["up_m"]],
                                              axis=1), atol=1e-3)


def test_unrecorded_batch_rows_are_ignored():
    """A recorder of replication 5 records nothing from a batch of replications 0 and 1."""
    short = dataclasses.replace(compiled_small()[1], duration_s=5.0)
    rec = Recorder([5])
    run(short, [0, 1], record=rec)
    assert rec.to_arrow(ORIGIN).num_rows == 0

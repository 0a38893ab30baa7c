"""The HTML report: safe data embedding, self-contained page, coverage rings, CLI."""

import json
import re

import numpy as np
import pyarrow.parquet as pq
import pytest
from report_scenario import MARKUP_NAME, MARKUP_RAID
from typer.testing import CliRunner

from triumf.cli import app
from triumf.core.earth import altitude_m, horizon_range_m
from triumf.report.html import embed_json
from triumf.report.html_data import COVERAGE_PD, coverage_ranges_m
from triumf.sense.detection import detection_probability
from triumf.sense.radar_equation import snr_db


def _data_block(html: str) -> str:
    m = re.search(r'<script type="application/json" id="triumf-data">(.*?)</script>', html,
                  re.S)
    assert m is not None
    return m.group(1)


def test_embedded_json_reads_back_and_has_no_markup():
    """Escaped JSON parses (Python's json as the reference parser) to the same data."""
    data = {"name": "</script><script>alert(1)</script> & <!-- \u2028", "x": [1, 2.5]}
    text = embed_json(data)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_report_is_written_with_the_run(small_run_dir):
    """'triumf run' leaves report.html and trajectories.parquet in the run directory."""
    assert (small_run_dir / "report.html").is_file()
    reps = set(pq.read_table(small_run_dir / "trajectories.parquet").column(
        "replication").to_pylist())
    assert reps == {0}


def test_report_is_self_contained(small_run_dir):
    """No external resource: no src/href to a URL, no link or import, a strict CSP."""
    html = (small_run_dir / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html
    assert "default-src 'none'" in html


def test_names_with_markup_are_only_in_the_escaped_data(small_run_dir):
    """The markup in scenario and raid names appears nowhere in the page unescaped."""
    html = (small_run_dir / "report.html").read_text(encoding="utf-8")
    assert MARKUP_NAME not in html and MARKUP_RAID not in html
    data = json.loads(_data_block(html))
    assert data["meta"]["scenario"] == MARKUP_NAME
    assert any(r["name"] == MARKUP_RAID for r in data["raids"])


def test_report_holds_every_threat_and_its_story(small_run_dir):
    """The timeline and stories cover every threat of the replayed replication."""
    html = (small_run_dir / "report.html").read_text(encoding="utf-8")
    data = json.loads(_data_block(html))
    outcomes = pq.read_table(small_run_dir / "outcomes.parquet").to_pylist()
    ids = {r["threat"] for r in outcomes if r["replication"] == data["meta"]["replication"]}
    assert {t["id"] for t in data["timeline"]} == ids
    assert {int(k) for k in data["stories"]} == ids


def test_coverage_ring_is_the_pd_half_range_or_the_horizon():
    """Each ring is where the radar equation gives Pd 0.5, or the 4/3-Earth horizon."""
    from report_scenario import compiled_small

    params = compiled_small()[1]
    ranges, name, rcs, alt = coverage_ranges_m(params)
    assert name == "shahed" and alt == pytest.approx(100.0)
    for r, rng_m in zip(params.radars, ranges, strict=True):
        hor = float(horizon_range_m(altitude_m(r.pos), alt, params.effective_earth_factor))
        assert rng_m <= min(hor, r.max_range_m) + 1e-6
        if rng_m < min(hor, r.max_range_m) - 1.0:
            snr = snr_db(rng_m, rcs, r.peak_power_w, r.gain_db, r.frequency_hz,
                         r.pulse_width_s, r.system_temp_k, r.losses_db)
            sw = int(params.threats.swerling[0])
            pd = detection_probability(snr, r.pfa, r.n_pulses, sw)
            assert float(pd) == pytest.approx(COVERAGE_PD, abs=1e-3)


def test_cli_report_writes_the_file(small_run_dir, tmp_path):
    """'triumf report RUN_DIR -o FILE --json' writes FILE and names it."""
    target = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", str(small_run_dir), "-o", str(target), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["report"] == str(target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_report_refuses_a_non_run_directory(tmp_path):
    """A directory without run files: exit 2 and a message naming it."""
    res = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert res.exit_code == 2
    assert "not a run directory" in res.output and "traceback" not in res.output.lower()


def test_cli_run_refuses_an_unknown_recorded_replication(tmp_path):
    """'--record-replications 5' with 2 replications: exit 2 naming the option."""
    res = CliRunner().invoke(app, ["run", "demo", "-n", "2", "--out", str(tmp_path / "x"),
                                   "--record-replications", "5"])
    assert res.exit_code == 2
    assert "--record-replications" in res.output


def test_kills_by_layer_sum_to_the_kills(small_run_dir):
    """Mean kills by layer add up to the mean bodies killed per replication (outcomes)."""
    html = (small_run_dir / "report.html").read_text(encoding="utf-8")
    res = json.loads(_data_block(html))["results"]
    total = sum(v["mean"] for v in res["kills_by_layer"].values())
    outcomes = pq.read_table(small_run_dir / "outcomes.parquet").to_pylist()
    per_rep = np.mean([sum(r["killed"] for r in outcomes if r["replication"] == k)
                       for k in {r["replication"] for r in outcomes}])
    assert total == pytest.approx(per_rep, abs=1e-3)

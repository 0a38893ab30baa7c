"""Make docs/img/report.png and docs/img/replay.png from a demo run's report.

Run from the repository root (a few minutes: one demo replication, then headless Chromium):

    PYTHONPATH=src python docs/img/make_screenshots.py [--reuse]

(``--reuse``: keep an earlier ``runs/screenshots`` and only write its report again.)
It runs ``triumf run demo -n 1 --out runs/screenshots --force`` in a subprocess, opens the
run's report.html in Debian's chromium (Playwright for Python), and saves the top of the page
(scenario, map, story of the first leaker) and the replay at the moment the most threat types
are in the air.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "runs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    """Run the demo, open its report and save the two screenshots."""
    if "--reuse" in sys.argv[1:] and (RUN / "trajectories.parquet").is_file():
        # keep the run, write its report again (after a change to the page)
        subprocess.run([sys.executable, "-m", "triumf.cli", "report", str(RUN), "--quiet"],
                       check=True, cwd=ROOT)
    else:
        subprocess.run([sys.executable, "-m", "triumf.cli", "run", "demo", "-n", "1", "--out",
                        str(RUN), "--force", "--quiet"], check=True, cwd=ROOT)
    traj = pq.read_table(RUN / "trajectories.parquet").to_pydict()
    # the replay at the moment the most threat types are in the air (ties: most interceptors)
    t = np.round(np.array(traj["t_s"]))
    alive = np.array(traj["alive"])
    kind = np.array(traj["kind"])
    types = np.array(traj["type"])
    score: dict[float, float] = {}
    for tt in np.unique(t):
        now = alive & (t == tt)
        score[float(tt)] = (len(set(types[now & (kind == "threat")]))
                            + 0.01 * np.count_nonzero(now & (kind == "interceptor")))
    busiest = max(score, key=lambda k: score[k])
    outcomes = pq.read_table(RUN / "outcomes.parquet").to_pydict()
    leaked = [i for i, lk in zip(outcomes["threat"], outcomes["leaked"], strict=True) if lk]
    chosen = leaked[0] if leaked else 0
    out = ROOT / "docs" / "img"
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path="/usr/bin/chromium", args=ARGS, headless=True,
            viewport={"width": 1300, "height": 1000})
        page = ctx.new_page()
        page.goto((RUN / "report.html").resolve().as_uri())
        page.locator(f'.tl-row[data-threat="{chosen}"]').click()
        page.locator("h2").first.scroll_into_view_if_needed()
        box = page.locator("#map").bounding_box()
        assert box is not None
        page.screenshot(path=str(out / "report.png"), full_page=True,
                        clip={"x": 0, "y": 0, "width": 1300, "height": box["y"] + box["height"]
                              + 60})
        page.eval_on_selector("#slider", f"s => {{ s.value = '{busiest}';"
                              " s.dispatchEvent(new Event('input')); }")
        page.locator("#replay").screenshot(path=str(out / "replay.png"))
        ctx.close()
    print(f"wrote {out / 'report.png'} and {out / 'replay.png'} (replay at {busiest:.0f} s)")


if __name__ == "__main__":
    main()

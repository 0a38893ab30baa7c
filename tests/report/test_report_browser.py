"""The HTML report in real headless Chromium (Debian's chromium driven by Playwright).

One page load of the small run's report (whose scenario and raid names carry script and image
markup) checks: no console or page errors, no network request, map and timeline drawn, the
slider changes the replay, a click on a threat shows its story, and the markup stays text.
Skipped with a message when /usr/bin/chromium or Playwright is missing.
"""

import io
from pathlib import Path

import numpy as np
import pytest
from report_scenario import MARKUP_NAME, MARKUP_RAID

from triumf.report.explain import threat_story

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed at /usr/bin/chromium "
                "(apt-get install chromium); browser test skipped", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api",
                               reason="Playwright for Python is not installed; browser test "
                               "skipped")


def _pixels(png: bytes) -> np.ndarray:
    from matplotlib import image

    return image.imread(io.BytesIO(png), format="png")


@pytest.fixture(scope="module")
def page(small_run_dir, tmp_path_factory):
    """The report open in headless Chromium, with every network request blocked and logged."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    log = {"console": [], "errors": [], "requests": []}
    with sync_api.sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1300, "height": 1000})

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                log["requests"].append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()
        pg.on("console", lambda m: log["console"].append((m.type, m.text)))
        pg.on("pageerror", lambda e: log["errors"].append(str(e)))
        pg.on("request", lambda r: None if r.url.startswith(("file://", "data:"))
              else log["requests"].append(r.url))
        pg.goto((small_run_dir / "report.html").resolve().as_uri())
        pg.wait_for_selector("#replay")
        yield pg, log
        ctx.close()


def test_no_console_or_page_errors(page):
    """Loading and using the page logs no error."""
    pg, log = page
    pg.locator("#play").click()
    pg.wait_for_timeout(300)
    pg.locator("#play").click()
    assert log["errors"] == []
    assert [m for m in log["console"] if m[0] in ("error", "warning")] == []


def test_no_network_request(page):
    """The page asks the network for nothing (it works offline)."""
    assert page[1]["requests"] == []


@pytest.mark.parametrize("selector", ["#map", "#timeline"])
def test_map_and_timeline_are_drawn(page, selector):
    """A screenshot of the map and of the timeline is not blank (pixel variance)."""
    px = _pixels(page[0].locator(selector).screenshot())
    assert px[..., :3].std() > 0.02


def test_slider_changes_the_replay(page):
    """Moving the time slider redraws the replay canvas differently."""
    pg = page[0]
    canvas = pg.locator("#replay")
    before = _pixels(canvas.screenshot())
    pg.eval_on_selector("#slider", "s => { s.value = String((Number(s.min) + Number(s.max)) / 2);"
                        " s.dispatchEvent(new Event('input')); }")
    after = _pixels(canvas.screenshot())
    assert before.shape == after.shape
    assert np.abs(before - after).sum() > 0


def test_clicking_a_threat_shows_its_story(page, small_run_dir):
    """A click on a timeline row shows that threat's story (as 'triumf explain' tells it)."""
    pg = page[0]
    pg.locator('.tl-row[data-threat="0"]').click()
    story = threat_story(small_run_dir, "0", 0)
    text = pg.locator("#story").inner_text()
    assert story.label in text
    assert pg.locator("#story-outcome").inner_text() == story.outcome
    assert story.lines and story.lines[0][1] in text


def test_markup_in_names_is_shown_as_text(page):
    """Script and image markup in names appears as text, runs nothing, injects nothing."""
    pg = page[0]
    body = pg.locator("body").inner_text()
    assert MARKUP_NAME in body and MARKUP_RAID in body
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert pg.evaluate("document.querySelectorAll('img').length") == 0
    assert pg.evaluate("document.querySelectorAll('script').length") == 2

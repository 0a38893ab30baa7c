"""The one-file HTML report of a run: scenario, map, timeline, results and a replay.

The page is self-contained: the style sheet and the hand-written script (``static/report.css``
and ``static/report.js``, shipped with the package) are inlined, the data is one JSON block
(``<script type="application/json">``) with ``<``, ``>``, ``&`` and the line separators
escaped, and the script puts every user string on the page with ``textContent``, never as
markup. No fonts, images or scripts are fetched: the page works offline.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from triumf.report.html_data import report_data
from triumf.sim.params import SimParams

__all__ = ["embed_json", "render_html", "write_report"]

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
            "\u2029": "\\u2029"}


def embed_json(data: Any) -> str:
    """JSON text safe inside a ``<script>`` element (no ``</script>``, no ``<!--``).

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (and U+2028/9 their
    escapes); JSON.parse reads them back as the same characters.
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return "".join(_ESCAPES.get(c, c) for c in text)


def _static(name: str) -> str:
    return resources.files("triumf.report").joinpath("static", name).read_text(encoding="utf-8")


def render_html(data: dict[str, Any]) -> str:
    """The report page for :func:`triumf.report.html_data.report_data` output."""
    title = "triumf report"
    css = _static("report.css")
    js = _static("report.js")
    # the script is ours and contains no "</script"; the data is escaped by embed_json
    assert "</script" not in js.lower()
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
        "<noscript>This report needs JavaScript to draw its map, timeline and replay.</noscript>\n"
        "<main id=\"app\"></main>\n"
        f"<script type=\"application/json\" id=\"triumf-data\">{embed_json(data)}</script>\n"
        f"<script>\n{js}\n</script>\n</body>\n</html>\n"
    )


def write_report(run_dir: str | Path, out: str | Path | None = None,
                 params: SimParams | None = None, replication: int | None = None) -> Path:
    """Write the report of a run directory atomically (temporary file, then rename).

    Parameters
    ----------
    run_dir : str or Path
    out : str or Path, optional
        The HTML file (default: ``RUN_DIR/report.html``).
    params : SimParams, optional
        The compiled scenario, if the caller has it (saves compiling it again).
    replication : int, optional
        Replication shown in the timeline and replay.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(out) if out is not None else Path(run_dir) / "report.html"
    html = render_html(report_data(run_dir, params, replication))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(html)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for sharing
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target

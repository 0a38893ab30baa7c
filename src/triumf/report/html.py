"""The one-file HTML report of a run: scenario, map, timeline, results and a replay.

The page is self-contained: the style sheet and the hand-written script (``static/report.css``
and ``static/report.js``, shipped with the package) are inlined, the data is one JSON block
(``<script type="application/json">``) with ``<``, ``>``, ``&`` and the line separators
escaped, and the script puts every user string on the page with ``textContent``, never as
markup. No fonts, images or scripts are fetched: the page works offline.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from triumf.core.atomic_io import check_free, write_atomic
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
                 params: SimParams | None = None, replication: int | None = None,
                 force: bool = False) -> Path:
    """Write the report of a run directory atomically (temporary file, then rename).

    ``RUN_DIR/report.html`` (the run's own report) is always replaced; any other existing file
    only with ``force``.

    Parameters
    ----------
    run_dir : str or Path
    out : str or Path, optional
        The HTML file (default: ``RUN_DIR/report.html``).
    params : SimParams, optional
        The compiled scenario, if the caller has it (saves compiling it again).
    replication : int, optional
        Replication shown in the timeline and replay.
    force : bool
        Replace an existing ``out`` that is not the run's own ``report.html``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputExistsError
        ``out`` exists, is not ``RUN_DIR/report.html`` and ``force`` is False.
    """
    own = Path(run_dir) / "report.html"
    target = Path(out) if out is not None else own
    replace = force or target.resolve() == own.resolve()
    check_free(target, replace)  # before the (slow) rendering
    html = render_html(report_data(run_dir, params, replication))
    write_atomic(target, html, force=replace)
    return target

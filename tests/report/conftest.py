"""Report tests: ``tests/`` on ``sys.path`` (shared scenario texts) and one small run directory.

The run directory is made once per session by ``triumf run`` (in process) from a short
scenario whose names carry HTML and script text, so every report test, the browser test
included, also checks that such names stay text.
"""

import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parent.parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from report_scenario import MARKUP_NAME, MARKUP_RAID, write_small  # noqa: E402


@pytest.fixture(scope="session")
def small_run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run directory of the small scenario (2 replications, replication 0 recorded)."""
    from typer.testing import CliRunner

    from triumf.cli import app

    tmp = tmp_path_factory.mktemp("report")
    scn = write_small(tmp, name=MARKUP_NAME, raid=MARKUP_RAID)
    out = tmp / "run"
    res = CliRunner().invoke(app, ["run", str(scn), "--out", str(out), "-n", "2", "--quiet",
                                   "--workers", "1"])
    assert res.exit_code == 0, res.output
    return out

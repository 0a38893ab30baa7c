"""`triumf report -o FILE` keeps an existing file unless --force; the run's own report.html is
always rewritten; the report file's mode follows the umask."""

from __future__ import annotations

import os
import stat

from typer.testing import CliRunner

from triumf.cli import app

runner = CliRunner()


def test_existing_output_file_is_refused_without_force(small_run_dir, tmp_path):
    """-o onto an existing file exits 2 naming --force and leaves the file unchanged."""
    target = tmp_path / "mine.html"
    target.write_text("my notes")
    res = runner.invoke(app, ["report", str(small_run_dir), "-o", str(target), "--quiet"])
    assert res.exit_code == 2
    assert "--force" in res.output and "Traceback" not in res.output
    assert target.read_text() == "my notes"


def test_force_replaces_the_output_file(small_run_dir, tmp_path):
    """With --force the existing file becomes the report."""
    target = tmp_path / "mine.html"
    target.write_text("my notes")
    res = runner.invoke(app, ["report", str(small_run_dir), "-o", str(target), "--force",
                              "--quiet"])
    assert res.exit_code == 0, res.output
    assert target.read_text("utf-8").lstrip().lower().startswith("<!doctype html")


def test_the_runs_own_report_is_rewritten_without_force(small_run_dir):
    """RUN_DIR/report.html (default or given with -o) is replaced without --force."""
    own = small_run_dir / "report.html"
    assert own.exists()
    for extra in ([], ["-o", str(own)]):
        res = runner.invoke(app, ["report", str(small_run_dir), *extra, "--quiet"])
        assert res.exit_code == 0, res.output


def test_report_mode_follows_the_umask(small_run_dir, tmp_path):
    """The report file gets 0666 minus the umask, like any file the user creates."""
    old = os.umask(0o027)
    try:
        res = runner.invoke(app, ["report", str(small_run_dir), "-o", str(tmp_path / "r.html"),
                                  "--quiet"])
    finally:
        os.umask(old)
    assert res.exit_code == 0, res.output
    assert stat.S_IMODE(os.stat(tmp_path / "r.html").st_mode) == 0o640

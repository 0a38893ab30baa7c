"""Rules of flow: import-linter contracts hold (tracker and command post never see truth)."""

import shutil
import subprocess
import sys
from pathlib import Path


def test_import_contracts_hold():
    """`lint-imports` passes every contract in pyproject.toml."""
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run([exe], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Tracker never sees truth KEPT" in proc.stdout

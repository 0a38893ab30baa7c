"""C2 tests: ``tests/`` goes on ``sys.path`` so they can share ``tests/scenario_texts.py``.

(Tests directly in ``tests/`` get that folder on the path from pytest itself.)
"""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent.parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

"""The package type-checks: mypy, configured in pyproject.toml ([tool.mypy]), reports nothing."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_mypy_reports_no_error():
    # mypy is in the test extra (setup.cfg), so a missing mypy fails here rather than skipping
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f"mypy exited with {done.returncode}:\n{done.stdout}{done.stderr}"

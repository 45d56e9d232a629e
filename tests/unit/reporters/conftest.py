"""One real run of the all-kinds profile through every file reporter, shared by the tests here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CliRun, run_cli
from tests.unit.reporters.support import all_kinds_profile

FILES = {"json": "out.json", "json-min": "out.min.json", "yaml": "out.yml", "junit": "junit.xml",
         "html": "report.html", "markdown": "report.md", "sarif": "out.sarif",
         "prometheus": "metrics.prom"}


@dataclass
class Reports:
    run: CliRun
    folder: Path
    profile: Path

    def bytes(self, reporter: str) -> bytes:
        return (self.folder / FILES[reporter]).read_bytes()

    def text(self, reporter: str) -> str:
        return self.bytes(reporter).decode("utf-8")


@pytest.fixture(scope="session")
def reports(tmp_path_factory) -> Reports:
    """``inspecpy exec`` of the all-kinds profile with every file reporter and cli on stdout."""
    root = tmp_path_factory.mktemp("reports")
    profile = all_kinds_profile(root)
    out = root / "out"
    out.mkdir()
    run = run_cli("exec", profile.name, "--reporter", "cli", *(f"{name}:{out / f}" for name, f in FILES.items()),
                  cwd=root)
    assert run.code == 100, run
    return Reports(run, out, profile)

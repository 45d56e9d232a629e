"""Shared test helpers: write profiles to disk and run the real command line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.servers.fixtures"]  # the real servers of tests/servers/ (see fixtures.py there)


@dataclass
class CliRun:
    code: int
    out: str
    err: str


def write_profile(root: Path, name: str = "p", controls: dict[str, str] | None = None,
                  metadata: str | None = None, libraries: dict[str, str] | None = None) -> Path:
    """A profile folder with inspec.yml, controls/ and libraries/ from dedented strings."""
    path = root / name
    (path / "controls").mkdir(parents=True, exist_ok=True)
    (path / "inspec.yml").write_text(textwrap.dedent(metadata) if metadata is not None else f"name: {name}\n")
    for file_name, text in (controls or {}).items():
        (path / "controls" / file_name).write_text(textwrap.dedent(text))
    for file_name, text in (libraries or {}).items():
        (path / "libraries").mkdir(exist_ok=True)
        (path / "libraries" / file_name).write_text(textwrap.dedent(text))
    return path


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> CliRun:
    """Run ``python -m inspecpy ARGS`` in a subprocess, as a user would."""
    proc = subprocess.run([sys.executable, "-m", "inspecpy", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=timeout)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)


def error_line(run: CliRun) -> str:
    """The run's one ``inspecpy: error:`` line on stderr (and no traceback)."""
    lines = [line for line in run.err.splitlines() if line.startswith("inspecpy: error: ")]
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    return lines[0]


@pytest.fixture
def make_profile(tmp_path):
    def make(**kwargs) -> Path:
        return write_profile(tmp_path, **kwargs)
    return make


@pytest.fixture
def cli():
    return run_cli

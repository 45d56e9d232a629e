"""progress: a live line on a terminal, nothing anywhere else."""

import io
import os
import sys

import pytest

from inspecpy.reporter import ReporterOptions
from inspecpy.reporters.progress import ProgressReporter
from inspecpy.results import ControlResult, TestResult
from tests.conftest import ROOT, write_profile


class Terminal(io.StringIO):
    def isatty(self):
        return True


def control(status):
    return ControlResult(id=status, title=None, desc=None, impact=0.5, results=(TestResult(status, "x"),))


def test_draws_counts_and_erases_itself_on_a_terminal(monkeypatch):
    monkeypatch.setattr("inspecpy.reporters.progress.REDRAW_SECONDS", 0)
    screen = Terminal()
    reporter = ProgressReporter(ReporterOptions(), stream=screen)
    for status in ("passed", "passed", "failed", "skipped"):
        reporter.on_control_done("local://", control(status))
    assert "4 controls  ✔ 2  × 1  ↺ 1" in screen.getvalue()
    assert "██" in screen.getvalue() and "▓" in screen.getvalue()
    assert reporter.render([]) == b""
    assert screen.getvalue().endswith("\r\033[K")


@pytest.mark.parametrize("options", [ReporterOptions(), ReporterOptions(quiet=True)])
def test_nothing_when_not_a_terminal_or_quiet(options):
    stream = io.StringIO() if not options.quiet else Terminal()
    reporter = ProgressReporter(options, stream=stream)
    reporter.on_control_done("local://", control("failed"))
    reporter.render([])
    assert stream.getvalue() == ""


def test_line_fits_a_narrow_terminal():
    reporter = ProgressReporter(ReporterOptions(), stream=Terminal())
    reporter.counts["passed"] = 10
    assert len(reporter.line(20, reporter.started + 1)) <= 19


def test_live_on_a_real_terminal_and_alongside_cli(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    profile = write_profile(tmp_path, controls={"a.py": (
        "from inspecpy import control, describe\n"
        "for i in range(30):\n"
        "    @control(f'c{i}')\n"
        "    def _():\n"
        "        describe(1).should.eq(1)\n")})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "inspecpy", "exec", str(profile), "--reporter", "cli", "progress", "--no-color"],
                          env=env, encoding="utf-8", timeout=60, dimensions=(24, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "controls  ✔" in child.before  # the bar was drawn
    assert "\r\033[K" in child.before  # and erased
    assert "Test Summary: 30 successful, 0 failures, 0 skipped" in child.before

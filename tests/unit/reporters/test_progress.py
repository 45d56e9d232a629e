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
    assert "4 controls  ✔ 2  × 1  ↺ 1" in screen.getvalue()  # no total announced: counts only
    assert "██" in screen.getvalue() and "▓" in screen.getvalue()
    assert reporter.render([]) == b""
    assert screen.getvalue().endswith("\r\033[K")


def test_done_over_the_announced_total_with_a_percentage(monkeypatch):
    monkeypatch.setattr("inspecpy.reporters.progress.REDRAW_SECONDS", 0)
    screen = Terminal()
    reporter = ProgressReporter(ReporterOptions(), stream=screen)
    reporter.on_run_start("local://", 8)
    assert "0/8 controls 0%" in screen.getvalue()  # drawn at once, before any control
    for status in ("passed", "passed", "failed"):
        reporter.on_control_done("local://", control(status))
    line = reporter.line(100, reporter.started + 1)
    assert " 3/8 controls 37%  ✔ 2  × 1  ↺ 0" in line
    bar = line[line.index("▕") + 1:line.index("▏")]
    assert len(bar) == 30 and bar.count("█") == 8 and bar.count("▓") == 3 and bar.endswith(" " * 19)


def test_a_fleet_shows_the_overall_share_and_each_targets(monkeypatch):
    reporter = ProgressReporter(ReporterOptions(), stream=Terminal())
    reporter.on_run_start("ssh://a", 4)
    reporter.on_run_start("ssh://b", 6)
    for target in ("ssh://a", "ssh://a", "ssh://a", "ssh://a", "ssh://b"):
        reporter.on_control_done(target, control("passed"))
    line = reporter.line(160, reporter.started + 1)
    assert " 5/10 controls 50%" in line and line.endswith("  ssh://a 100%  ssh://b 16%")
    narrow = reporter.line(80, reporter.started + 1)
    assert len(narrow) <= 79 and "5/10 controls 50%" in narrow and "ssh://b" not in narrow


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
    """The total is the selected controls of every profile, a dependency's included ones too."""
    import pexpect
    many = ("from inspecpy import control, describe\n"
            "for i in range(30):\n"
            "    @control(f'{PREFIX}{i}')\n"
            "    def _():\n"
            "        describe(1).should.eq(1)\n")
    write_profile(tmp_path, "base", controls={"b.py": many.replace("{PREFIX}", "b")})
    wrapper = write_profile(tmp_path, "wrapper", metadata="name: wrapper\ndepends:\n  - name: base\n    path: ../base\n",
                            controls={"w.py": many.replace("{PREFIX}", "w") + "include_controls('base', skip=['b1'])\n"})
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    child = pexpect.spawn(sys.executable, ["-m", "inspecpy", "exec", str(wrapper), "--controls", "/^[wb]1/",
                                           "--reporter", "cli", "progress", "--no-color"],
                          env=env, encoding="utf-8", timeout=60, dimensions=(24, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    # w1, w10..w19 of the wrapper; b10..b19 of base (b1 is skipped by include_controls)
    assert "0/21 controls 0%  ✔ 0" in child.before  # the bar was drawn, with the total, before any control
    assert "\r\033[K" in child.before  # and erased
    assert "Test Summary: 21 successful, 0 failures, 0 skipped" in child.before


def test_progress_alone_still_ends_with_a_one_line_summary(tmp_path):
    """Issue 11: with only ``--reporter progress`` the run used to end with nothing on screen."""
    profile = write_profile(tmp_path, controls={"c.py": (
        "from inspecpy import control, describe\n"
        "@control('a')\ndef _():\n    describe(1).should.eq(1)\n"
        "@control('b')\ndef _():\n    describe(1).should.eq(2)\n")})
    from tests.conftest import run_cli

    run = run_cli("exec", profile, "--reporter", "progress")
    assert run.code == 100 and run.out == ""
    assert run.err.splitlines()[-1].startswith("2 controls  ✔ 1  × 1  ↺ 0  in ")

"""The ``cli`` reporter: InSpec's terminal report, a line per control and per test.

Example output::

    Profile:   Example Profile (example)
    Target:    local://

      ✔  check_os_version: Operating System Version Check
         ✔  Command: `uname -r` stdout is expected to cmp == "6.1.0"

    Profile Summary: 1 successful control, 0 control failures, 0 controls skipped
    Test Summary: 1 successful, 0 failures, 0 skipped
"""

from __future__ import annotations

from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.results import FAILED, PASSED, SKIPPED, ControlResult, RunResult, TestResult

from inspecpy.reporters._common import utf8

ICONS = {PASSED: "✔", FAILED: "×", SKIPPED: "↺"}
COLORS = {PASSED: "\033[38;5;41m", FAILED: "\033[38;5;9m", SKIPPED: "\033[38;5;247m", "error": "\033[38;5;9m"}
RESET = "\033[0m"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


class CliReporter(Reporter):
    """Human-readable report for a terminal (colour when stdout is one)."""

    name = "cli"
    description = "human-readable report, as InSpec's cli"

    def paint(self, status: str, text: str) -> str:
        return f"{COLORS[status]}{text}{RESET}" if self.options.color else text

    def render(self, runs: Sequence[RunResult]) -> bytes:
        lines: list[str] = []
        for run in runs:
            lines += self._run(run)
        if len(runs) > 1:
            lines += self._fleet(runs)
        return utf8("\n".join(lines) + "\n")

    def _run(self, run: RunResult) -> list[str]:
        if run.error:
            return [f"Target:    {run.target}", self.paint(FAILED, f"  ×  unreachable: {run.error}"), ""]
        lines: list[str] = []
        for profile in run.profiles:
            lines += [f"Profile:   {profile.title or profile.name} ({profile.name})",
                      f"Version:   {profile.version or '(not specified)'}",
                      f"Target:    {run.target}"]
            if run.platform:
                lines.append(f"Platform:  {run.platform.name} {run.platform.release} ({run.platform.arch})")
            lines.append("")
            if profile.status_message:
                lines += [self.paint(SKIPPED, f"  ↺  {profile.status_message}"), ""]
            for error in profile.errors:
                lines.append(self.paint("error", f"  ×  load error: {error}"))
            if profile.errors:
                lines.append("")
            for control in profile.controls:
                lines += self._control(control)
            lines.append("")
        stats = run.statistics
        controls = run.controls
        counts = {s: sum(1 for c in controls if c.status == s) for s in (PASSED, FAILED, SKIPPED)}
        lines += [
            f"Profile Summary: {self.paint(PASSED, _plural(counts[PASSED], 'successful control'))}, "
            f"{self.paint(FAILED, _plural(counts[FAILED], 'control failure'))}, "
            f"{self.paint(SKIPPED, _plural(counts[SKIPPED], 'control') + ' skipped')}",
            f"Test Summary: {self.paint(PASSED, f'{stats.passed} successful')}, "
            f"{self.paint(FAILED, _plural(stats.failed, 'failure'))}, "
            f"{self.paint(SKIPPED, f'{stats.skipped} skipped')}",
            "",
        ]
        return lines

    def _control(self, control: ControlResult) -> list[str]:
        status = control.status
        failed = sum(1 for r in control.results if r.status == FAILED)
        title = f": {control.title}" if control.title else ""
        suffix = f" ({failed} failed)" if failed and len(control.results) > 1 else ""
        head = f"  {ICONS[status]}  {control.id}{title}{suffix}"
        lines = [self.paint(status, head)]
        if control.waiver:
            expiry = f", until {control.waiver.expiration_date}" if control.waiver.expiration_date else ""
            lines.append(self.paint(SKIPPED, f"     ⚑  waived: {control.waiver.justification}{expiry}"))
        if self.options.quiet and status == PASSED:
            return lines
        for result in control.results:
            lines += self._result(result)
        return lines

    def _result(self, result: TestResult) -> list[str]:
        if result.status == SKIPPED:
            return [self.paint(SKIPPED, f"     ↺  {result.skip_message or result.code_desc}")]
        text = f"     {ICONS[result.status]}  {result.code_desc}"
        if result.exception:
            text += f" (error: {result.message})"
            return [self.paint("error", _one_line(text))]
        lines = [self.paint(result.status, text)]
        if result.status == FAILED and result.message:
            lines += ["", *(f"     {line}" if line else "" for line in result.message.splitlines()), ""]
        return lines

    def _fleet(self, runs: Sequence[RunResult]) -> list[str]:
        unreachable = sum(1 for r in runs if r.error)
        failed = sum(1 for r in runs if not r.error and r.statistics.failed)
        passed = len(runs) - unreachable - failed
        return [f"Fleet Summary: {_plural(len(runs), 'target')}: "
                f"{self.paint(PASSED, f'{passed} passed')}, {self.paint(FAILED, f'{failed} failed')}, "
                f"{self.paint(FAILED, f'{unreachable} unreachable')}", ""]


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


@hookimpl
def inspecpy_reporters():
    return [CliReporter]

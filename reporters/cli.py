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
from inspecpy.display import control_head, paint, result_lines
from inspecpy.results import FAILED, PASSED, SKIPPED, ControlResult, RunResult

from inspecpy.reporters._common import utf8



def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


class CliReporter(Reporter):
    """Human-readable report for a terminal (colour when stdout is one)."""

    name = "cli"
    description = "human-readable report, as InSpec's cli"

    def paint(self, status: str, text: str) -> str:
        return paint(status, text, self.options.color)

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
        lines = [control_head(control, color=self.options.color)]
        if control.waiver:
            expiry = f", until {control.waiver.expiration_date}" if control.waiver.expiration_date else ""
            lines.append(self.paint(SKIPPED, f"     ⚑  waived: {control.waiver.justification}{expiry}"))
        if self.options.quiet and status == PASSED:
            return lines
        for result in control.results:
            lines += result_lines(result, indent="     ", color=self.options.color, debug=self.options.debug)
        return lines

    def _fleet(self, runs: Sequence[RunResult]) -> list[str]:
        unreachable = sum(1 for r in runs if r.error)
        failed = sum(1 for r in runs if not r.error and r.statistics.failed)
        passed = len(runs) - unreachable - failed
        return [f"Fleet Summary: {_plural(len(runs), 'target')}: "
                f"{self.paint(PASSED, f'{passed} passed')}, {self.paint(FAILED, f'{failed} failed')}, "
                f"{self.paint(FAILED, f'{unreachable} unreachable')}", ""]


@hookimpl
def inspecpy_reporters():
    return [CliReporter]

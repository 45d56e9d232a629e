"""The ``cli`` reporter: InSpec's terminal report, a line per control and per test.

Example output::

    Profile:   Example Profile (example)
    Target:    local://

      ✔  check_os_version: Operating System Version Check
         ✔  Command: `uname -r` stdout is expected to cmp == "6.1.0"

    Profile Summary: 1 successful control, 0 control failures, 0 controls skipped
    Test Summary: 1 successful, 0 failures, 0 skipped

A waived control that failed is marked ``⚑`` with its justification and
counted as waived, not as a failure (``, 1 control waived`` is added to the
summary lines when there is one): :func:`inspecpy.results.shown_status`.
"""

from __future__ import annotations

from typing import Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter
from inspecpy.display import control_head, paint, result_lines
from inspecpy.results import FAILED, PASSED, SKIPPED, WAIVED, ControlResult, RunResult, shown_counts, shown_status

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
        counts, tests = shown_counts(run.controls), shown_counts(run.controls, tests=True)
        lines += [
            f"Profile Summary: {self.paint(PASSED, _plural(counts[PASSED], 'successful control'))}, "
            f"{self.paint(FAILED, _plural(counts[FAILED], 'control failure'))}, "
            f"{self.paint(SKIPPED, _plural(counts[SKIPPED], 'control') + ' skipped')}"
            + self._waived(_plural(counts[WAIVED], "control") + " waived", counts[WAIVED]),
            f"Test Summary: {self.paint(PASSED, f'{tests[PASSED]} successful')}, "
            f"{self.paint(FAILED, _plural(tests[FAILED], 'failure'))}, "
            f"{self.paint(SKIPPED, f'{tests[SKIPPED]} skipped')}"
            + self._waived(f"{tests[WAIVED]} waived", tests[WAIVED]),
            "",
        ]
        return lines

    def _waived(self, text: str, count: int) -> str:
        """``, N … waived`` on a summary line, only when something was (InSpec's line otherwise)."""
        return f", {self.paint(WAIVED, text)}" if count else ""

    def _control(self, control: ControlResult) -> list[str]:
        status = shown_status(control)
        lines = [control_head(control, color=self.options.color)]
        if control.waiver:
            expiry = f", until {control.waiver.expiration_date}" if control.waiver.expiration_date else ""
            lines.append(self.paint(WAIVED, f"     ⚑  waived: {control.waiver.justification}{expiry}"))
        if self.options.quiet and status == PASSED:
            return lines
        for result in control.results:
            lines += result_lines(result, indent="     ", color=self.options.color, debug=self.options.debug,
                                  control=control)
        return lines

    def _fleet(self, runs: Sequence[RunResult]) -> list[str]:
        unreachable = sum(1 for r in runs if r.error)
        failed = sum(1 for r in runs if not r.error and shown_counts(r.controls)[FAILED])
        passed = len(runs) - unreachable - failed
        return [f"Fleet Summary: {_plural(len(runs), 'target')}: "
                f"{self.paint(PASSED, f'{passed} passed')}, {self.paint(FAILED, f'{failed} failed')}, "
                f"{self.paint(FAILED, f'{unreachable} unreachable')}", ""]


@hookimpl
def inspecpy_reporters():
    return [CliReporter]

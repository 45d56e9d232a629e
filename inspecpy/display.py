"""How a person sees results: the icons, the colours and the lines of one test or control.

The cli reporter, the progress line and the shell all draw with these, so a
result looks the same everywhere::

    >>> from inspecpy.results import TestResult
    >>> result_lines(TestResult(status="passed", code_desc="File /etc/passwd is expected to exist"))
    ['  ✔  File /etc/passwd is expected to exist']
"""

from __future__ import annotations

import os
import re

from inspecpy.results import (ERROR, FAILED, PASSED, SKIPPED, WAIVED, ControlResult, TestResult, shown_result_status,
                              shown_status)

ICONS = {PASSED: "✔", FAILED: "×", SKIPPED: "↺", ERROR: "×", WAIVED: "⚑"}
COLORS = {PASSED: "\033[38;5;41m", FAILED: "\033[38;5;9m", SKIPPED: "\033[38;5;247m", ERROR: "\033[38;5;9m",
          WAIVED: "\033[38;5;214m"}
RESET = "\033[0m"
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_OWN_CODE = os.path.dirname(os.path.abspath(__file__)) + os.sep  # the inspecpy package


def paint(status: str, text: str, color: bool) -> str:
    """*text* in the colour of *status* when *color* is on."""
    return f"{COLORS[status]}{text}{RESET}" if color else text


def error_origin(result: TestResult) -> str | None:
    """``file:line`` of the innermost frame of the error that is not inspecpy's own code (the control)."""
    found = None
    for line in "".join(result.backtrace or ()).splitlines():
        match = _FRAME.match(line)
        if match and not match["file"].startswith((_OWN_CODE, "<")):
            found = f"{match['file']}:{match['line']}"
    return found


def result_lines(result: TestResult, indent: str = "  ", color: bool = False, debug: bool = False,
                 control: ControlResult | None = None) -> list[str]:
    """One test: its icon and ``code_desc``, then a failure's message; an error says where it came from
    (and, with *debug*, shows its whole traceback). With its *control*, a failure a waiver accepts is
    shown as waived (:func:`inspecpy.results.shown_result_status`)."""
    if result.status == SKIPPED:
        return [paint(SKIPPED, f"{indent}{ICONS[SKIPPED]}  {result.skip_message or result.code_desc}", color)]
    status = shown_result_status(control, result) if control is not None else result.status
    text = f"{indent}{ICONS[status]}  {result.code_desc}"
    if result.exception:
        origin = error_origin(result)
        where = f" at {origin}" if origin else ""
        head = paint(WAIVED if status == WAIVED else ERROR,
                     " ".join(f"{text} (error: {result.message}{where})".split("\n")), color)
        trace = "".join(result.backtrace or ()).splitlines() if debug else []
        return [head, *(f"{indent}   {line}" for line in trace)]
    lines = [paint(status, text, color)]
    if result.status == FAILED and result.message:
        lines += ["", *(f"{indent}   {line}" if line else "" for line in result.message.splitlines()), ""]
    return lines


def control_head(control: ControlResult, indent: str = "  ", color: bool = False) -> str:
    """A control's line: icon, id, title, and how many of its tests failed (⚑ when a waiver accepts them)."""
    status = shown_status(control)
    failed = sum(1 for r in control.results if r.status == FAILED)
    title = f": {control.title}" if control.title else ""
    suffix = f" ({failed} failed)" if failed and len(control.results) > 1 else ""
    return paint(status, f"{indent}{ICONS[status]}  {control.id}{title}{suffix}", color)

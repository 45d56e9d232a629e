"""The ``progress`` reporter: a live bar on the terminal while the controls run.

Example::

    inspecpy exec big-profile -t ssh://a -t ssh://b --reporter cli progress

    ▕██████████████████▓▓░▏ 1234 controls  ✔ 1200  × 30  ↺ 4  2 targets  15.2/s  81.1s

The bar is the share of passed (█), failed (▓) and skipped (░) controls so
far; the line is redrawn at most ten times a second on standard error, and
erased when the run ends, before any report is written. It draws nothing
when standard error is not a terminal (CI logs, pipes) or with ``-q``, and
writes no report, so it takes no ``:PATH`` and does not count as the one
reporter on standard output.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from typing import Sequence, TextIO

from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter, ReporterOptions
from inspecpy.results import FAILED, PASSED, SKIPPED, ControlResult, RunResult

GLYPHS = {PASSED: "█", FAILED: "▓", SKIPPED: "░"}
COLORS = {PASSED: "\033[32m", FAILED: "\033[31m", SKIPPED: "\033[90m"}
RESET, ERASE = "\033[0m", "\r\033[K"
REDRAW_SECONDS = 0.1


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class ProgressReporter(Reporter):
    """A live progress line on standard error (only on a terminal)."""

    name = "progress"
    description = "live progress bar on the terminal (stderr) while controls run"
    terminal_only = True  # writes no report: no PATH, not counted as the stdout reporter

    def __init__(self, options: ReporterOptions | None = None, stream: TextIO | None = None):
        super().__init__(options)
        self.stream = stream if stream is not None else sys.stderr
        self.active = not self.options.quiet and _is_terminal(self.stream)
        self.counts = dict.fromkeys((PASSED, FAILED, SKIPPED), 0)
        self.targets: set[str] = set()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn = False
        self.lock = threading.Lock()

    def on_control_done(self, target: str, control: ControlResult) -> None:
        if not self.active:
            return
        with self.lock:  # targets run in threads
            self.counts[control.status] += 1
            self.targets.add(target)
            now = time.monotonic()
            if now - self.drawn_at >= REDRAW_SECONDS:
                self.drawn_at = now
                self.stream.write(ERASE + self.line(shutil.get_terminal_size().columns, now))
                self.stream.flush()
                self.drawn = True

    def line(self, columns: int, now: float) -> str:
        """The progress line, fitted to *columns*."""
        done = sum(self.counts.values())
        elapsed = max(now - self.started, 1e-9)
        text = (f" {done} controls  ✔ {self.counts[PASSED]}  × {self.counts[FAILED]}  ↺ {self.counts[SKIPPED]}"
                + (f"  {len(self.targets)} targets" if len(self.targets) > 1 else "")
                + f"  {done / elapsed:.1f}/s  {elapsed:.1f}s")
        width = max(0, min(30, columns - len(text) - 3))
        bar = ""
        if width and done:
            filled = 0
            for status in (PASSED, FAILED, SKIPPED):
                cells = round(width * self.counts[status] / done) if status != SKIPPED else width - filled
                cells = max(0, min(cells, width - filled))
                filled += cells
                glyphs = GLYPHS[status] * cells
                bar += f"{COLORS[status]}{glyphs}{RESET}" if self.options.color and cells else glyphs
        line = (f"▕{bar}▏" if width else "") + text
        return line if width else line[: max(0, columns - 1)]

    def render(self, runs: Sequence[RunResult]) -> bytes:
        with self.lock:
            if self.drawn:
                self.stream.write(ERASE)
                self.stream.flush()
                self.drawn = False
            self.active = False
        return b""


@hookimpl
def inspecpy_reporters():
    return [ProgressReporter]

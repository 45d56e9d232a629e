"""The ``progress`` reporter: a live bar on the terminal while the controls run.

Example::

    inspecpy exec big-profile -t ssh://a -t ssh://b --reporter cli progress

    ▕██████████████▓▓░      ▏ 1234/1500 controls 82%  ✔ 1200  × 30  ↺ 4  15.2/s  81.1s  ssh://a 100%  ssh://b 64%

The bar fills as controls finish, passed (█), failed (▓), waived (▒: a failure
a waiver accepts, :func:`inspecpy.results.shown_status`) and skipped (░);
the total is what the runner announces for each target before its first
control (``on_run_start``), so with several targets it grows as each one
starts, and each target's own share follows while the terminal has room.
Without a total (a runner that announces none) the bar is the share of each
status so far. The line is redrawn at most ten times a second on standard error, and
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

from inspecpy.display import ICONS, paint
from inspecpy.hookspecs import hookimpl
from inspecpy.reporter import Reporter, ReporterOptions
from inspecpy.results import (FAILED, PASSED, SKIPPED, WAIVED, ControlResult, RunResult, counted_status,
                              shown_counts, shown_status)

GLYPHS = {PASSED: "█", FAILED: "▓", WAIVED: "▒", SKIPPED: "░"}
ERASE = "\r\033[K"
REDRAW_SECONDS = 0.1


def _percent(done: int, total: int) -> str:
    """``done`` of ``total`` in whole percent, rounded down (100% only when all are done).

    >>> _percent(2, 3), _percent(0, 0)
    ('66%', '100%')
    """
    return f"{done * 100 // total if total else 100}%"


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
        self.counts = dict.fromkeys(GLYPHS, 0)
        self.done: dict[str, int] = {}  # per target, in the order they started
        self.totals: dict[str, int] = {}
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn = False
        self.lock = threading.Lock()

    def on_run_start(self, target: str, total_controls: int) -> None:
        if not self.active:
            return
        with self.lock:
            self.totals[target] = total_controls
            self.done.setdefault(target, 0)
            self._draw(force=True)

    def on_control_done(self, target: str, control: ControlResult) -> None:
        if not self.active:
            return
        with self.lock:  # targets run in threads
            self.counts[counted_status(shown_status(control))] += 1
            self.done[target] = self.done.get(target, 0) + 1
            self._draw(force=False)

    def _draw(self, force: bool) -> None:
        now = time.monotonic()
        if force or now - self.drawn_at >= REDRAW_SECONDS:
            self.drawn_at = now
            self.stream.write(ERASE + self.line(shutil.get_terminal_size().columns, now))
            self.stream.flush()
            self.drawn = True

    def line(self, columns: int, now: float) -> str:
        """The progress line, fitted to *columns*."""
        done = sum(self.counts.values())
        total = sum(self.totals.values()) if self.totals else None
        elapsed = max(now - self.started, 1e-9)
        amount = f"{done} controls" if total is None else f"{done}/{total} controls {_percent(done, total)}"
        text = (f" {amount}  " + "  ".join(f"{ICONS[s]} {self.counts[s]}" for s in (PASSED, FAILED, WAIVED, SKIPPED)
                                          if s != WAIVED or self.counts[s])
                + (f"  {len(self.done)} targets" if len(self.done) > 1 and total is None else "")
                + f"  {done / elapsed:.1f}/s  {elapsed:.1f}s")
        width = max(0, min(30, columns - len(text) - 3))
        line = (f"▕{self._bar(width, total or done)}▏" if width else "") + text
        if not width:
            return line[: max(0, columns - 1)]
        room = columns - 1 - (width + 2 + len(text))  # colour escapes take no room on the screen
        if len(self.totals) > 1:  # a fleet: each target's share, while there is room
            for target, target_total in self.totals.items():
                part = f"  {target} {_percent(self.done.get(target, 0), target_total)}"
                if len(part) > room:
                    break
                line, room = line + part, room - len(part)
        return line

    def _bar(self, width: int, scale: int) -> str:
        """*width* cells: a run of glyphs per status in proportion to *scale*, blanks for what is left."""
        bar, filled, counted = "", 0, 0
        for status in GLYPHS:
            counted += self.counts[status]
            cells = min(width, round(width * counted / scale) if scale else 0) - filled
            filled += cells
            glyphs = GLYPHS[status] * cells
            bar += paint(status, glyphs, self.options.color and cells > 0)
        return bar + " " * (width - filled)

    def render(self, runs: Sequence[RunResult]) -> bytes:
        with self.lock:
            if self.drawn:
                self.stream.write(ERASE)
                self.drawn = False
            self.active = False
            if self.options.only_reporter and not self.options.quiet:  # nothing else says how it went
                self.stream.write(summary_line(runs) + "\n")
            self.stream.flush()
        return b""


def summary_line(runs: Sequence[RunResult]) -> str:
    """One line for the end of a run: controls by shown status, unreachable targets, the time taken.

    Counted as the live bar counts them (:func:`inspecpy.results.shown_counts`):
    a waived failure is waived (⚑, shown only when there is one), not failed.

    >>> summary_line([])
    '0 controls  ✔ 0  × 0  ↺ 0  in 0.0s'
    """
    shown = shown_counts(c for run in runs for c in run.controls)
    counts = "  ".join(f"{ICONS[s]} {shown[s]}" for s in (PASSED, FAILED, WAIVED, SKIPPED) if s != WAIVED or shown[s])
    unreachable = sum(1 for run in runs if run.error)
    targets = f"  on {len(runs)} targets ({unreachable} unreachable)" if len(runs) > 1 or unreachable else ""
    seconds = max((run.duration for run in runs), default=0.0)
    return f"{sum(shown.values())} controls  {counts}{targets}  in {seconds:.1f}s"


@hookimpl
def inspecpy_reporters():
    return [ProgressReporter]

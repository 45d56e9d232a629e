"""The reporter base class: turns the run's results into bytes.

A reporter never computes verdicts; it reads the frozen results::

    class Count(Reporter):
        '''One line: the number of failed tests.'''
        name = "count"

        def render(self, runs):
            return f"{sum(r.statistics.failed for r in runs)}\\n".encode()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.results import ControlResult, RunResult


@dataclass(frozen=True)
class ReporterOptions:
    """What the command line tells every reporter."""

    color: bool = False
    quiet: bool = False
    interactive: bool = False
    debug: bool = False  # --debug: show the traceback of an error result
    only_reporter: bool = False  # the one reporter chosen: it alone tells how the run went


class Reporter:
    """Base of every reporter plugin."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: URL schemes ``--reporter NAME:URL`` may push to (``prometheus``: http, https); none by default.
    push_schemes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, options: ReporterOptions | None = None):
        self.options = options or ReporterOptions()

    def render(self, runs: Sequence[RunResult]) -> bytes:
        """The whole report for *runs* (one per target)."""
        raise NotImplementedError

    def check_push(self, url: str) -> None:
        """Raise UsageError when *url* (one of ``push_schemes``) is not a destination this reporter can use."""

    def push(self, url: str, runs: Sequence[RunResult]) -> None:
        """Send the report for *runs* to *url* instead of writing a file (reporters with ``push_schemes``)."""
        raise NotImplementedError

    def on_run_start(self, target: str, total_controls: int) -> None:
        """Called once per target before its first control runs, with how many will run
        (the selected controls of every profile, dependencies' included ones too)."""

    def on_control_done(self, target: str, control: ControlResult) -> None:
        """Called live as each control finishes (for progress displays)."""

    # The run's events reach a reporter as pluggy hooks (see inspecpy.run.events).
    @hookimpl
    def inspecpy_run_start(self, target: str, total_controls: int) -> None:
        self.on_run_start(target, total_controls)

    @hookimpl
    def inspecpy_control_done(self, target: str, control: ControlResult) -> None:
        self.on_control_done(target, control)

"""Recording test results: the running control's Recorder and the expectations still open.

Every ``should``/``should_not`` goes through :func:`record`, which hands the
result to the recorder of the current run (:mod:`inspecpy.context`)::

    recorder = Recorder(secrets=["s3cret"])
    with running(RunContext(target, recorder=recorder)):
        describe(1).should.eq(1)
    recorder.results[0].status    # 'passed'

An expectation opened (``describe(x).should``) but never given a matcher
call — ``describe(f).should.exist`` without ``()`` — stays *open*;
:meth:`Recorder.close_open` turns each into an error result naming the file
and line, so it can never pass silently.
"""

from __future__ import annotations

import itertools
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterator

from inspecpy.context import current_run, running
from inspecpy.redaction import redact
from inspecpy.results import FAILED, Figure, TestResult, now_iso


@dataclass
class Recorder:
    """Collects the test results of the running control (or of a shell line)."""

    secrets: list[str] = field(default_factory=list)
    results: list[TestResult] = field(default_factory=list)
    on_result: Callable[[TestResult], None] | None = None
    open_expectations: dict[int, tuple[str, str]] = field(default_factory=dict)
    _opened: Iterator[int] = field(default_factory=itertools.count, repr=False)

    def add(self, result: TestResult) -> TestResult:
        if self.secrets:
            result = TestResult(
                **{**result.__dict__,
                   "code_desc": redact(result.code_desc, self.secrets),
                   "message": redact(result.message, self.secrets),
                   "skip_message": redact(result.skip_message, self.secrets),
                   "resource_id": redact(result.resource_id, self.secrets),
                   "backtrace": tuple(redact(line, self.secrets) or "" for line in result.backtrace)
                   if result.backtrace else result.backtrace,
                   "figures": tuple(replace(f, labels=tuple((k, redact(v, self.secrets) or "") for k, v in f.labels))
                                    for f in result.figures)}
            )
        self.results.append(result)
        if self.on_result:
            self.on_result(result)
        return result

    def open(self, subject: str, where: str) -> int:
        """An expectation on *subject* was opened at *where* (``file:line``): its key, for :meth:`settle`.

        (A counter, not ``id()``: an expectation left open is collected at once, and the next one
        may get its address.)
        """
        key = next(self._opened)
        self.open_expectations[key] = (subject, where)
        return key

    def settle(self, key: int) -> None:
        """The expectation *key* ran a matcher (or was abandoned for another error)."""
        self.open_expectations.pop(key, None)

    def close_open(self) -> None:
        """An error result for each expectation that never ran a matcher."""
        for subject, where in self.open_expectations.values():
            self.add(TestResult(
                status=FAILED, code_desc=f"{subject} (no matcher called)", start_time=now_iso(),
                message=f"{where}: describe({subject}).should… names a matcher but never calls it: "
                        f"add the parentheses, e.g. .exist()",
                exception="MatcherNotCalled"))
        self.open_expectations.clear()


def current_recorder() -> Recorder | None:
    """The recorder of the running control, if any."""
    run = current_run()
    recorder = run.recorder if run is not None else None
    return recorder if isinstance(recorder, Recorder) else None


def record(result: TestResult) -> TestResult:
    """Give *result* to the running control's recorder (outside a run, just return it)."""
    run = current_run()
    return run.recorder.add(result) if run is not None and run.recorder is not None else result


@contextmanager
def recording_into(recorder: Recorder) -> Iterator[Recorder]:
    """Send the results of the block to *recorder* instead (same target and inputs as the run)."""
    run = current_run()
    if run is None:
        raise RuntimeError("recording_into() needs a running control")
    with running(replace(run, recorder=recorder)):
        yield recorder


def figures_of(subject: Any, read: str = "") -> tuple[Figure, ...]:
    """The figures *subject* measured, when it reports any: ``subject.figures(read)``.

    *read* is the attribute the check read first (``"pii"`` for
    ``its("pii")``, ``"safe"`` for ``be_safe``), so a resource reports only
    what that check measured; a result object (``Robustness``) reports all.
    Figures are extras for charts: a subject whose ``figures`` fails gives none.
    """
    report = getattr(type(subject), "figures", None)
    if not callable(report):
        return ()
    try:
        found = report(subject, read)
    except Exception:  # never costs the check its verdict
        logging.getLogger(__name__).debug("figures of %r failed", subject, exc_info=True)
        return ()
    return tuple(f for f in found or () if isinstance(f, Figure))

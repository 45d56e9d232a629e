"""Recording test results: the current control's Recorder and the results it collects.

Every ``should``/``should_not`` goes through :func:`record`; the runner (or
the shell) binds a :class:`Recorder` for the block that runs a control::

    with recording(Recorder(secrets=["s3cret"])) as recorder:
        describe(1).should.eq(1)
    recorder.results[0].status    # 'passed'
"""

from __future__ import annotations

import logging
import time
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Callable, ContextManager

from inspecpy.context import bound
from inspecpy.profile.inputs import redact
from inspecpy.results import FAILED, Figure, TestResult


@dataclass
class Recorder:
    """Collects the test results of the running control (or of a shell line)."""

    secrets: list[str] = field(default_factory=list)
    results: list[TestResult] = field(default_factory=list)
    on_result: Callable[[TestResult], None] | None = None

    def add(self, result: TestResult) -> TestResult:
        if self.secrets:
            result = TestResult(
                **{**result.__dict__,
                   "code_desc": redact(result.code_desc, self.secrets),
                   "message": redact(result.message, self.secrets),
                   "skip_message": redact(result.skip_message, self.secrets),
                   "resource_id": redact(result.resource_id, self.secrets),
                   "backtrace": tuple(redact(l, self.secrets) for l in result.backtrace)
                   if result.backtrace else result.backtrace,
                   "figures": tuple(replace(f, labels=tuple((k, redact(v, self.secrets)) for k, v in f.labels))
                                    for f in result.figures)}
            )
        self.results.append(result)
        if self.on_result:
            self.on_result(result)
        return result


_recorder: ContextVar[Recorder | None] = ContextVar("inspecpy_recorder", default=None)


def recording(recorder: Recorder) -> ContextManager[Recorder]:
    return bound(_recorder, recorder)


def record(result: TestResult) -> TestResult:
    recorder = _recorder.get()
    return recorder.add(result) if recorder else result


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat()


def error_result(code_desc: str, error: BaseException, started: float, start_time: str,
                 resource: Any = None) -> TestResult:
    """A failed result carrying *error*'s class, message and backtrace (InSpec's ``exception``)."""
    return TestResult(
        status=FAILED, code_desc=code_desc, run_time=time.perf_counter() - started,
        start_time=start_time, message=f"{type(error).__name__}: {error}",
        exception=type(error).__name__,
        backtrace=tuple(traceback.format_exception(type(error), error, error.__traceback__)),
        resource=resource_name(resource), resource_id=resource_id(resource),
    )


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


def resource_name(subject: Any) -> str | None:
    return getattr(type(subject), "name", None) if hasattr(subject, "resource_id") else None


def resource_id(subject: Any) -> str | None:
    rid = getattr(subject, "resource_id", None)
    return None if rid is None else str(rid)

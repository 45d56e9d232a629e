"""The run's results: frozen dataclasses that reporters read and never change.

A run gives one :class:`RunResult` per target; it holds the profiles, each
with its controls, each with its test results::

    run.profiles[0].controls[0].results[0].status   # 'passed'
    run.statistics                                   # Statistics(passed=3, ...)
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping

from inspecpy.version import __version__

#: 2: a test result may carry the figures its check measured (:class:`Figure`).
SCHEMA_VERSION = 2

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
#: statuses reporters show beside the three of InSpec's data (see :func:`shown_status`)
ERROR, WAIVED = "error", "waived"


@dataclass(frozen=True)
class Platform:
    """What the target is: ``name`` (os-release ID), ``family``, ``release``, ``arch``."""

    name: str
    family: str
    release: str
    arch: str = ""
    families: tuple[str, ...] = ()
    kernel: str = ""
    kernel_release: str = ""
    target_id: str = ""

    def in_family(self, family: str) -> bool:
        """True when *family* is the platform's name, family or a parent family."""
        return family in (self.name, self.family, *self.families)


@dataclass(frozen=True)
class Figure:
    """A number a check measured, for reporters that chart it over time (``prometheus``).

    ``name`` is a metric-style name (lowercase, ``_``); ``labels`` say what was
    measured, as sorted ``(key, value)`` text pairs. Only bounded values belong
    in labels (a model path, an attack, a column name), never free text::

        Figure.of("model_robust_accuracy", 0.82, "Accuracy under attack", model="m.npz", attack="pgd", eps=0.1)
    """

    name: str
    value: float
    labels: tuple[tuple[str, str], ...] = ()
    help: str = ""

    @classmethod
    def of(cls, name: str, value: float, help: str = "", **labels: Any) -> "Figure":
        """A figure with *labels* given as keywords (values shown as text; ``None`` as ``""``)."""
        text = {k: "" if v is None else format(v, "g") if isinstance(v, float) else str(v) for k, v in labels.items()}
        return cls(name, float(value), tuple(sorted(text.items())), help)


@dataclass(frozen=True)
class TestResult:
    """One ``should``/``should_not`` check (InSpec's ``results[]`` item).

    ``figures`` holds what the check measured (robust accuracy, a drift
    statistic...) when its subject reports figures; the InSpec formats
    (json, junit...) leave them out, the ``prometheus`` reporter charts them.
    """

    status: str
    code_desc: str
    run_time: float = 0.0
    start_time: str = ""
    message: str | None = None
    skip_message: str | None = None
    exception: str | None = None
    backtrace: tuple[str, ...] | None = None
    resource: str | None = None
    resource_id: str | None = None
    figures: tuple[Figure, ...] = ()

    __test__ = False  # not a pytest class


@dataclass(frozen=True)
class Waiver:
    """A waiver applied to a control (InSpec's ``waiver_data``)."""

    justification: str
    run: bool = True
    expiration_date: str | None = None
    skipped_due_to_waiver: bool = False
    message: str = ""


@dataclass(frozen=True)
class SourceLocation:
    ref: str
    line: int


@dataclass(frozen=True)
class ControlResult:
    """A control's metadata and the results of its tests."""

    id: str
    title: str | None
    desc: str | None
    impact: float
    tags: Mapping[str, Any] = field(default_factory=dict)
    refs: tuple[Any, ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()
    code: str = ""
    source_location: SourceLocation | None = None
    results: tuple[TestResult, ...] = ()
    waiver: Waiver | None = None

    @property
    def status(self) -> str:
        """``failed`` if any test failed, ``passed`` if any passed, else ``skipped``."""
        statuses = {r.status for r in self.results}
        if FAILED in statuses:
            return FAILED
        if PASSED in statuses:
            return PASSED
        return SKIPPED

    @property
    def has_error(self) -> bool:
        """True when a test carries an exception (shown as an error, not a failure)."""
        return any(r.exception for r in self.results)


@dataclass(frozen=True)
class InputValue:
    """An input as reported: sensitive values are already replaced by ``***``."""

    name: str
    value: Any
    type: str | None = None
    required: bool = False
    sensitive: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Group:
    """The controls that came from one file (InSpec's ``groups[]``)."""

    id: str
    title: str | None
    controls: tuple[str, ...]


@dataclass(frozen=True)
class ProfileResult:
    """A profile's metadata and its controls' results."""

    name: str
    title: str | None = None
    version: str | None = None
    maintainer: str | None = None
    summary: str | None = None
    license: str | None = None
    copyright: str | None = None
    copyright_email: str | None = None
    supports: tuple[Mapping[str, Any], ...] = ()
    depends: tuple[Mapping[str, Any], ...] = ()
    sha256: str = ""
    inputs: tuple[InputValue, ...] = ()
    groups: tuple[Group, ...] = ()
    controls: tuple[ControlResult, ...] = ()
    status: str = "loaded"
    status_message: str = ""
    parent_profile: str | None = None
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statistics:
    """Counts of test results by status, and the run's duration in seconds."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    duration: float = 0.0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.skipped


@dataclass(frozen=True)
class RunResult:
    """Everything one target's run produced; ``error`` is set when it was unreachable."""

    target: str
    platform: Platform | None
    profiles: tuple[ProfileResult, ...]
    duration: float
    version: str
    start_time: str = ""
    error: str | None = None
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def failed(cls, target: str, error: str, duration: float = 0.0) -> RunResult:
        """The run of a *target* that failed before any profile ran (unreachable, or its task lost),
        *duration* seconds after it started::

            RunResult.failed("ssh://db1", "connection refused", 0.2).error   # 'connection refused'
        """
        started = datetime.now(timezone.utc) - timedelta(seconds=duration)
        return cls(target=target, platform=None, profiles=(), duration=duration, version=__version__,
                   start_time=started.astimezone().isoformat(), error=error)

    @property
    def controls(self) -> tuple[ControlResult, ...]:
        """Every control of every profile, in order."""
        return tuple(c for p in self.profiles for c in p.controls)

    @property
    def statistics(self) -> Statistics:
        counts = {PASSED: 0, FAILED: 0, SKIPPED: 0}
        for control in self.controls:
            for result in control.results:
                counts[result.status] += 1
        return Statistics(duration=self.duration, **counts)

    @property
    def load_errors(self) -> tuple[str, ...]:
        return tuple(e for p in self.profiles for e in p.errors)


def exit_code(runs: list[RunResult] | tuple[RunResult, ...]) -> int:
    """InSpec's exit code over all runs: 1 unreachable/load error, 100 failed, 101 skipped, 0.

    Waived controls do not count: a waiver accepts their failures (InSpec's
    documented behaviour), and one with ``run: false`` is skipped on purpose.
    """
    errored = any(run.error for run in runs) or any(run.load_errors for run in runs)
    return status_exit_code({r.status for run in runs for c in run.controls if c.waiver is None for r in c.results},
                            errored)


def status_exit_code(statuses: set[str], errored: bool = False) -> int:
    """The exit code for test results with these *statuses*: 1 error, 100 failed, 101 skipped, 0.

    >>> status_exit_code({"passed", "skipped"})
    101
    """
    if errored:
        return 1
    if FAILED in statuses:
        return 100
    if SKIPPED in statuses:
        return 101
    return 0


def now_iso() -> str:
    """This moment as InSpec's reports write it (local time with its offset)."""
    return datetime.now(timezone.utc).astimezone().isoformat()


def subject_resource(subject: Any) -> tuple[str | None, str | None]:
    """The resource name and id a result records for *subject* (``(None, None)`` for a plain value)."""
    rid = getattr(subject, "resource_id", None)
    name = getattr(type(subject), "name", None) if rid is not None else None
    return name, None if rid is None else str(rid)


def error_result(code_desc: str, error: BaseException, started: float, start_time: str,
                 subject: Any = None) -> TestResult:
    """A failed result carrying *error*'s class, message and backtrace (InSpec's ``exception``)."""
    name, rid = subject_resource(subject)
    return TestResult(
        status=FAILED, code_desc=code_desc, run_time=time.perf_counter() - started,
        start_time=start_time, message=f"{type(error).__name__}: {error}",
        exception=type(error).__name__,
        backtrace=tuple(traceback.format_exception(type(error), error, error.__traceback__)),
        resource=name, resource_id=rid,
    )


def jsonable(value: Any) -> Any:
    """*value* made of dict/list/str/number/bool/None only (tags, inputs and shell values may hold anything).

    >>> jsonable({"mode": 420, "groups": ("a", "b"), "ok": True, "set": {2, 1}})
    {'mode': 420, 'groups': ['a', 'b'], 'ok': True, 'set': [1, 2]}
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((jsonable(v) for v in value), key=str)
    if hasattr(value, "__bool__") and hasattr(value, "reason"):  # a Verdict
        return {"ok": bool(value), "reason": value.reason}
    return str(value)
def shown_status(control: ControlResult) -> str:
    """The status every reporter shows for *control*: InSpec's waiver rule, in one place.

    A waiver accepts a control's failures. A waived control that failed (or
    raised) is ``waived``: shown with its failures and the justification,
    counted apart, never as a failure, and it does not fail the run (see
    :func:`exit_code`). One waived with ``run: false`` did not run: ``skipped``,
    its skip message naming the waiver. A waived control that passed is
    ``passed``. Without a waiver: ``error`` for a failure that raised, else
    the control's status. Machine formats of InSpec's data (json, yaml) keep
    the raw test statuses and carry ``waiver_data``, as InSpec writes them.

    >>> c = ControlResult("c", None, None, 0.5, results=(TestResult(FAILED, "x"),))
    >>> shown_status(c), shown_status(c.__class__(**{**c.__dict__, "waiver": Waiver("known")}))
    ('failed', 'waived')
    """
    status = control.status
    if status == FAILED:
        if control.waiver is not None:
            return WAIVED
        return ERROR if control.has_error else FAILED
    return status


def shown_result_status(control: ControlResult, result: TestResult) -> str:
    """How one test of *control* is shown: a failed test of a waived control is ``waived``."""
    if result.status == FAILED:
        if control.waiver is not None:
            return WAIVED
        return ERROR if result.exception else FAILED
    return result.status


def shown_counts(controls: Iterable[ControlResult], tests: bool = False) -> dict[str, int]:
    """Controls (or, with *tests*, test results) by shown status: passed, failed, skipped, waived.

    Errors count as failed, as InSpec counts them; waived ones only as waived.
    """
    counts = dict.fromkeys((PASSED, FAILED, SKIPPED, WAIVED), 0)
    for control in controls:
        statuses = [shown_result_status(control, r) for r in control.results] if tests else [shown_status(control)]
        for status in statuses:
            counts[counted_status(status)] += 1
    return counts


def counted_status(status: str) -> str:
    """The count a shown *status* goes to: an error counts as failed, as InSpec counts it.

    >>> counted_status(ERROR), counted_status(WAIVED)
    ('failed', 'waived')
    """
    return FAILED if status == ERROR else status

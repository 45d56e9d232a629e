"""The Python DSL: ``@control``, ``describe(...).its(...).should.<matcher>(...)``.

Example::

    from inspecpy import control, describe, input
    from inspecpy.resources import file

    @control("login-defs", impact="medium", title="Password policy")
    def _():
        defs = file("/etc/login.defs")
        describe(defs).should.exist()
        describe(defs).its("mode").should.cmp("0644")

Each ``should``/``should_not`` call records one test result and never raises,
so one failing check never stops the control.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import ContextManager, Any, Callable

from .context import bound
from . import matchers
from .compare import show
from .rule import Control, condition_text, impact_value, normalise_tags
from .errors import ControlSkipped, InputError, ResourceFailed, ResourceSkipped
from .inputs import _MISSING, current_inputs, redact
from .dependencies import include_controls, require_controls
from .results import FAILED, PASSED, SKIPPED, SourceLocation, TestResult

# --------------------------------------------------------------- recording


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
                   if result.backtrace else result.backtrace}
            )
        self.results.append(result)
        if self.on_result:
            self.on_result(result)
        return result


_recorder: ContextVar[Recorder | None] = ContextVar("inspecpy_recorder", default=None)


def recording(recorder: Recorder) -> ContextManager[Recorder]:
    return bound(_recorder, recorder)


def _record(result: TestResult) -> TestResult:
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
        resource=_resource_name(resource), resource_id=_resource_id(resource),
    )


def _resource_name(subject: Any) -> str | None:
    return getattr(type(subject), "name", None) if hasattr(subject, "resource_id") else None


def _resource_id(subject: Any) -> str | None:
    rid = getattr(subject, "resource_id", None)
    return None if rid is None else str(rid)


# ---------------------------------------------------------------- describe


def _subject_text(subject: Any) -> str:
    """How ``code_desc`` names a subject: a resource or object by its ``__str__``, a value as InSpec shows it."""
    if isinstance(subject, str):
        return subject
    if hasattr(subject, "resource_id") or type(subject).__str__ is not object.__str__:
        return str(subject)
    if dataclasses.is_dataclass(subject):
        return type(subject).__name__
    return show(subject)


def _walk(value: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, (list, tuple)) and (part.isdigit() or part.startswith("-") and part[1:].isdigit()):
            value = value[int(part)]
        else:
            value = getattr(value, part)
            if callable(value) and not isinstance(value, type):
                value = value()
    return value


class Describe:
    """A subject (resource or plain value) and an optional attribute path."""

    def __init__(self, subject: Any, path: tuple[str, ...] = ()):
        self.subject = subject
        self.path = path

    def its(self, path: str | list[str] | tuple[str, ...]) -> "Describe":
        """Walk to an attribute or key: ``its("content")``, ``its("a.b")``, ``its(["key.with.dots"])``."""
        parts = tuple(path) if isinstance(path, (list, tuple)) else tuple(str(path).split("."))
        return Describe(self.subject, self.path + parts)

    @property
    def should(self) -> "Expectation":
        return Expectation(self, negate=False)

    @property
    def should_not(self) -> "Expectation":
        return Expectation(self, negate=True)

    def text(self) -> str:
        return " ".join([_subject_text(self.subject), *self.path])

    def value(self) -> Any:
        check = getattr(self.subject, "check_supported", None)
        if check:
            check()
        return _walk(self.subject, self.path)


class Expectation:
    """``should`` / ``should_not``: each matcher method records one result."""

    def __init__(self, describe: Describe, negate: bool):
        self._describe = describe
        self._negate = negate

    def check(self, name: str, *expected: Any) -> TestResult:
        """Run the matcher called *name* (the one path every matcher goes through)."""
        matcher = matchers.lookup(name)
        verb = "is expected not to" if self._negate else "is expected to"
        code_desc = f"{self._describe.text()} {verb} {matcher.describe(expected)}"
        started, start_time = time.perf_counter(), now_iso()
        subject = self._describe.subject
        base = dict(code_desc=code_desc, start_time=start_time,
                    resource=_resource_name(subject), resource_id=_resource_id(subject))
        try:
            actual = self._describe.value()
            outcome = matchers.evaluate(matcher, actual, expected, self._negate, _subject_text(subject))
        except ResourceSkipped as skipped:
            return _record(TestResult(status=SKIPPED, skip_message=str(skipped),
                                      run_time=time.perf_counter() - started, **base))
        except ResourceFailed as failed:  # e.g. a missing config file: a plain failure that says why
            return _record(TestResult(status=FAILED, message=str(failed),
                                      run_time=time.perf_counter() - started, **base))
        except Exception as error:  # a resource that cannot be probed, a bug: an error result
            return _record(error_result(code_desc, error, started, start_time, subject))
        return _record(TestResult(
            status=PASSED if outcome.ok else FAILED, message=outcome.message or None,
            run_time=time.perf_counter() - started, **base,
        ))

    # The matchers (the registry in matchers.py holds the logic; these give editors names and examples).
    def eq(self, expected: Any) -> TestResult:
        """Strict equality (no coercion): ``describe(user("root")).its("uid").should.eq(0)``"""
        return self.check("eq", expected)

    def cmp(self, expected: Any) -> TestResult:
        """InSpec's loose compare: ``describe(file(p)).its("mode").should.cmp("0644")``"""
        return self.check("cmp", expected)

    def match(self, pattern: Any) -> TestResult:
        """Regex search, ``^``/``$`` per line: ``describe(cmd).its("stdout").should.match(r"^ok$")``"""
        return self.check("match", pattern)

    def include(self, *items: Any) -> TestResult:
        """Substring, item or key: ``describe(user("me")).its("groups").should.include("sudo")``"""
        return self.check("include", *items)

    def be_in(self, collection: Any) -> TestResult:
        """The value is one of: ``describe(platform()).its("family").should.be_in(["debian", "redhat"])``"""
        return self.check("be_in", collection)

    def be_empty(self) -> TestResult:
        """No items or characters: ``describe(group("shadow")).its("members").should.be_empty()``"""
        return self.check("be_empty")

    def start_with(self, prefix: Any) -> TestResult:
        """Prefix: ``describe(command("uname -r")).its("stdout").should.start_with("6.")``"""
        return self.check("start_with", prefix)

    def end_with(self, suffix: Any) -> TestResult:
        """Suffix: ``describe(user("root")).its("shell").should.end_with("bash")``"""
        return self.check("end_with", suffix)

    def be_greater_than(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(package("openssl")).its("version").should.be_greater_than("3.0")``"""
        return self.check("be_greater_than", value)

    def be_at_least(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(kernel_parameter("kernel.pid_max")).its("value").should.be_at_least(32768)``"""
        return self.check("be_at_least", value)

    def be_less_than(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(login_defs()).its("PASS_MIN_LEN").should_not.be_less_than(8)``"""
        return self.check("be_less_than", value)

    def be_at_most(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(login_defs()).its("PASS_MAX_DAYS").should.be_at_most(90)``"""
        return self.check("be_at_most", value)

    def be_between(self, low: Any, high: Any) -> TestResult:
        """Inclusive range: ``describe(file(p)).its("size").should.be_between(1, 4096)``"""
        return self.check("be_between", low, high)

    def contain_duplicates(self) -> TestResult:
        """Some item repeats: ``describe(passwd()).its("uids").should_not.contain_duplicates()``"""
        return self.check("contain_duplicates")

    def exist(self) -> TestResult:
        """The thing exists: ``describe(file("/etc/passwd")).should.exist()``"""
        return self.check("exist")

    def be_file(self) -> TestResult:
        """A regular file (links followed): ``describe(file("/etc/passwd")).should.be_file()``"""
        return self.check("be_file")

    def be_directory(self) -> TestResult:
        """A directory: ``describe(file("/etc/ssh")).should.be_directory()``"""
        return self.check("be_directory")

    def be_symlink(self) -> TestResult:
        """A symbolic link: ``describe(file("/bin")).should.be_symlink()``"""
        return self.check("be_symlink")

    def be_owned_by(self, user: str) -> TestResult:
        """Owner's name: ``describe(file("/etc/shadow")).should.be_owned_by("root")``"""
        return self.check("be_owned_by", user)

    def be_grouped_into(self, group: str) -> TestResult:
        """Group's name: ``describe(file("/etc/shadow")).should.be_grouped_into("shadow")``"""
        return self.check("be_grouped_into", group)

    def be_readable_by(self, by: str | None = None) -> TestResult:
        """Read bit for owner/group/other (any if omitted): ``describe(file(p)).should_not.be_readable_by("other")``"""
        return self._by("be_readable_by", by)

    def be_writable_by(self, by: str | None = None) -> TestResult:
        """Write bit: ``describe(file("/etc/passwd")).should_not.be_writable_by("group")``"""
        return self._by("be_writable_by", by)

    def be_executable_by(self, by: str | None = None) -> TestResult:
        """Execute bit: ``describe(file("/usr/bin/sudo")).should.be_executable_by("owner")``"""
        return self._by("be_executable_by", by)

    def be_installed(self) -> TestResult:
        """Package installed: ``describe(package("telnet")).should_not.be_installed()``"""
        return self.check("be_installed")

    def be_enabled(self) -> TestResult:
        """Service enabled at boot: ``describe(service("ssh")).should.be_enabled()``"""
        return self.check("be_enabled")

    def be_running(self) -> TestResult:
        """Service or process running: ``describe(service("ssh")).should.be_running()``"""
        return self.check("be_running")

    def be_listening(self) -> TestResult:
        """Port listening: ``describe(port(22)).should.be_listening()``"""
        return self.check("be_listening")


    def _by(self, name: str, by: str | None) -> TestResult:
        return self.check(name) if by is None else self.check(name, by)

    def __getattr__(self, name: str) -> Callable[..., TestResult]:
        """Any other ``be_<name>`` / ``have_<name>``: rspec's predicate matchers on the resource."""
        if name.startswith(("be_", "have_")):
            return lambda *args: self.check(name, *args)
        raise AttributeError(f"unknown matcher {name!r}; known: {', '.join(sorted(matchers.MATCHERS))}, be_<property>")


def describe(subject: Any) -> Describe:
    """Start a check on a resource or a plain value (list, number, string)."""
    return Describe(subject)


# --------------------------------------------------------------- controls


@dataclass
class Collector:
    """Gathers the controls a control file registers while it is imported."""

    group: str = ""
    profile: str = ""
    controls: list[Control] = field(default_factory=list)


_collector: ContextVar[Collector | None] = ContextVar("inspecpy_collector", default=None)
STANDALONE = Collector(group="(standalone)")


def collecting(collector: Collector) -> ContextManager[Collector]:
    return bound(_collector, collector)


def current_collector() -> Collector:
    return _collector.get() or STANDALONE


def register_control(ctrl: Control) -> Control:
    collector = current_collector()
    ctrl.group = ctrl.group or collector.group
    ctrl.profile = ctrl.profile or collector.profile
    collector.controls.append(ctrl)
    return ctrl


def control(id: str, impact: float | str = 0.5, title: str | None = None, desc: str | None = None,
            tags: Any = None, refs: Any = None, descriptions: dict[str, str] | None = None,
            only_if: Callable[[], Any] | None = None, only_if_message: str | None = None
            ) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the decorated function as control *id* (it runs later, in the runner)."""
    def decorate(body: Callable[[], Any]) -> Callable[[], Any]:
        code_obj = body.__code__
        where = f"{code_obj.co_filename}:{code_obj.co_firstlineno}: control {id!r}: "
        try:
            import inspect

            code = inspect.getsource(body)
        except (OSError, TypeError):
            code = ""
        register_control(Control(
            id=str(id), body=body, title=title, desc=desc, impact=impact_value(impact, where),
            tags=normalise_tags(tags), refs=tuple(refs or ()),
            descriptions=tuple((descriptions or {}).items()),
            only_if=only_if, only_if_message=only_if_message or (condition_text(only_if) if only_if else None),
            source_location=SourceLocation(code_obj.co_filename, code_obj.co_firstlineno), code=code,
        ))
        return body

    return decorate


def input(name: str, value: Any = _MISSING) -> Any:  # noqa: A001 - InSpec's name
    """The value of input *name* (``value`` is the default when nobody set it)."""
    return current_inputs().get(name, value)


def profile_file(name: str, _depth: int = 1) -> str:
    """The absolute path of *name* in the calling profile's ``files/`` folder.

    ``model(profile_file("model.npz"))`` reads the demo model a profile ships;
    the profile is the one whose control or library file makes the call.
    """
    import os
    import sys

    caller = sys._getframe(_depth).f_globals.get("__file__") or os.getcwd()
    folder = os.path.dirname(os.path.abspath(caller))
    while not os.path.isfile(os.path.join(folder, "inspec.yml")):
        parent = os.path.dirname(folder)
        if parent == folder:
            raise InputError(f"profile_file({name!r}): {caller} is not inside a profile")
        folder = parent
    return os.path.join(folder, "files", name)


def skip(reason: str = "Skipped control") -> None:
    """Skip the running control with *reason* (raises; nothing after it runs)."""
    raise ControlSkipped(reason)


__all__ = ["control", "describe", "input", "skip", "include_controls", "require_controls", "profile_file",
           "Describe", "Expectation", "InputError"]

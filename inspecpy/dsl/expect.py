"""``describe(subject).its(path).should.<matcher>(...)``: one test result per call.

A subject is a resource or a plain value; ``its`` walks the attributes the
subject declares (and keys of mappings); each matcher call goes through
:meth:`Expectation.apply_matcher`, which records one result and never raises::

    describe(file("/etc/passwd")).its("mode").should.cmp("0644")
    describe([1, 2]).should_not.be_empty()
    describe(model(p)).should.be_signed_by("key.pub", signature="model.sig")
"""

from __future__ import annotations

import dataclasses
import sys
import time
from typing import Any, Callable

from inspecpy.compare import show
import inspecpy.dsl.matchers as matchers
from inspecpy.dsl.recording import current_recorder, figures_of, record
from inspecpy.errors import ResourceFailed, ResourceSkipped
from inspecpy.names import did_you_mean
from inspecpy.resources.base import read_path
from inspecpy.results import FAILED, PASSED, SKIPPED, TestResult, error_result, now_iso, subject_resource


def _subject_text(subject: Any) -> str:
    """How ``code_desc`` names a subject: a resource or object by its ``__str__``, a value as InSpec shows it."""
    if isinstance(subject, str):
        return subject
    if hasattr(subject, "resource_id") or type(subject).__str__ is not object.__str__:
        return str(subject)
    if dataclasses.is_dataclass(subject):
        return type(subject).__name__
    return show(subject)


def _caller() -> str:
    """``file:line`` of the control code that opened an expectation (outside inspecpy.dsl)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("inspecpy.dsl"):
        frame = frame.f_back  # type: ignore[assignment]
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "?"


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
        return read_path(self.subject, self.path)


class Expectation:
    """``should`` / ``should_not``: each matcher method records one result.

    Until a matcher is called the expectation is *open*; the runner turns an
    expectation left open into an error result (``.exist`` without ``()``).
    """

    def __init__(self, describe: Describe, negate: bool):
        self._describe = describe
        self._negate = negate
        self._recorder = current_recorder()
        self._key = self._recorder.open(describe.text(), _caller()) if self._recorder is not None else -1

    def _settle(self) -> None:
        if self._recorder is not None:
            self._recorder.settle(self._key)

    def apply_matcher(self, name: str, *expected: Any, **options: Any) -> TestResult:
        """Run the matcher called *name* (the one path every matcher goes through)."""
        self._settle()
        matcher = matchers.lookup(name)
        verb = "is expected not to" if self._negate else "is expected to"
        code_desc = f"{self._describe.text()} {verb} {matcher.describe(expected, options)}"
        started, start_time = time.perf_counter(), now_iso()
        subject = self._describe.subject
        resource, resource_id = subject_resource(subject)
        base: dict[str, Any] = dict(code_desc=code_desc, start_time=start_time, resource=resource,
                                    resource_id=resource_id)
        try:
            actual = self._describe.value()
            outcome = matchers.evaluate(matcher, actual, expected, options, self._negate, _subject_text(subject))
        except ResourceSkipped as skipped:
            return record(TestResult(status=SKIPPED, skip_message=str(skipped),
                                      run_time=time.perf_counter() - started, **base))
        except ResourceFailed as failed:  # e.g. a missing config file: a plain failure that says why
            return record(TestResult(status=FAILED, message=str(failed),
                                      run_time=time.perf_counter() - started, **base))
        except Exception as error:  # a resource that cannot be probed, a bug: an error result
            return record(error_result(code_desc, error, started, start_time, subject))
        return record(TestResult(
            status=PASSED if outcome.ok else FAILED, message=outcome.message or None,
            run_time=time.perf_counter() - started, figures=figures_of(subject, self._read(matcher)), **base,
        ))

    def _read(self, matcher: matchers.Matcher) -> str:
        """The attribute this check reads first: ``pii`` for ``its("pii.count")``, ``safe`` for ``be_safe``."""
        if self._describe.path:
            return self._describe.path[0]
        return matcher.attribute or ""

    # The matchers (the registry in matchers.py holds the logic; these give editors names and examples).
    def eq(self, expected: Any) -> TestResult:
        """Strict equality (no coercion): ``describe(user("root")).its("uid").should.eq(0)``"""
        return self.apply_matcher("eq", expected)

    def cmp(self, expected: Any) -> TestResult:
        """InSpec's loose compare: ``describe(file(p)).its("mode").should.cmp("0644")``"""
        return self.apply_matcher("cmp", expected)

    def match(self, pattern: Any) -> TestResult:
        """Regex search, ``^``/``$`` per line: ``describe(cmd).its("stdout").should.match(r"^ok$")``"""
        return self.apply_matcher("match", pattern)

    def include(self, *items: Any) -> TestResult:
        """Substring, item or key: ``describe(user("me")).its("groups").should.include("sudo")``"""
        return self.apply_matcher("include", *items)

    def be_in(self, collection: Any) -> TestResult:
        """The value is one of: ``describe(platform()).its("family").should.be_in(["debian", "redhat"])``"""
        return self.apply_matcher("be_in", collection)

    def be_empty(self) -> TestResult:
        """No items or characters: ``describe(group("shadow")).its("members").should.be_empty()``"""
        return self.apply_matcher("be_empty")

    def start_with(self, prefix: Any) -> TestResult:
        """Prefix: ``describe(command("uname -r")).its("stdout").should.start_with("6.")``"""
        return self.apply_matcher("start_with", prefix)

    def end_with(self, suffix: Any) -> TestResult:
        """Suffix: ``describe(user("root")).its("shell").should.end_with("bash")``"""
        return self.apply_matcher("end_with", suffix)

    def be_greater_than(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(package("openssl")).its("version").should.be_greater_than("3.0")``"""
        return self.apply_matcher("be_greater_than", value)

    def be_at_least(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(kernel_parameter("kernel.pid_max")).its("value").should.be_at_least(32768)``"""
        return self.apply_matcher("be_at_least", value)

    def be_less_than(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(login_defs()).its("PASS_MIN_LEN").should_not.be_less_than(8)``"""
        return self.apply_matcher("be_less_than", value)

    def be_at_most(self, value: Any) -> TestResult:
        """Ordering as cmp: ``describe(login_defs()).its("PASS_MAX_DAYS").should.be_at_most(90)``"""
        return self.apply_matcher("be_at_most", value)

    def be_between(self, low: Any, high: Any) -> TestResult:
        """Inclusive range: ``describe(file(p)).its("size").should.be_between(1, 4096)``"""
        return self.apply_matcher("be_between", low, high)

    def contain_duplicates(self) -> TestResult:
        """Some item repeats: ``describe(passwd()).its("uids").should_not.contain_duplicates()``"""
        return self.apply_matcher("contain_duplicates")

    def exist(self) -> TestResult:
        """The thing exists: ``describe(file("/etc/passwd")).should.exist()``"""
        return self.apply_matcher("exist")

    def be_file(self) -> TestResult:
        """A regular file (links followed): ``describe(file("/etc/passwd")).should.be_file()``"""
        return self.apply_matcher("be_file")

    def be_directory(self) -> TestResult:
        """A directory: ``describe(file("/etc/ssh")).should.be_directory()``"""
        return self.apply_matcher("be_directory")

    def be_symlink(self) -> TestResult:
        """A symbolic link: ``describe(file("/bin")).should.be_symlink()``"""
        return self.apply_matcher("be_symlink")

    def be_owned_by(self, user: str) -> TestResult:
        """Owner's name: ``describe(file("/etc/shadow")).should.be_owned_by("root")``"""
        return self.apply_matcher("be_owned_by", user)

    def be_grouped_into(self, group: str) -> TestResult:
        """Group's name: ``describe(file("/etc/shadow")).should.be_grouped_into("shadow")``"""
        return self.apply_matcher("be_grouped_into", group)

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
        return self.apply_matcher("be_installed")

    def be_enabled(self) -> TestResult:
        """Service enabled at boot: ``describe(service("ssh")).should.be_enabled()``"""
        return self.apply_matcher("be_enabled")

    def be_running(self) -> TestResult:
        """Service or process running: ``describe(service("ssh")).should.be_running()``"""
        return self.apply_matcher("be_running")

    def be_listening(self) -> TestResult:
        """Port listening: ``describe(port(22)).should.be_listening()``"""
        return self.apply_matcher("be_listening")


    def _by(self, name: str, by: str | None) -> TestResult:
        return self.apply_matcher(name) if by is None else self.apply_matcher(name, by)

    def __getattr__(self, name: str) -> Callable[..., TestResult]:
        """Any other ``be_<name>`` / ``have_<name>``: rspec's predicate matchers on what the subject declares."""
        if name.startswith(("be_", "have_")) and not name.startswith("__"):
            return lambda *args, **options: self.apply_matcher(name, *args, **options)
        self._settle()
        known = sorted(matchers.MATCHERS)
        raise AttributeError(f"unknown matcher {name!r}{did_you_mean(name, known)}; known: {', '.join(known)}, "
                             f"be_<attribute>, have_<attribute>")


def describe(subject: Any) -> Describe:
    """Start a check on a resource or a plain value (list, number, string)."""
    return Describe(subject)

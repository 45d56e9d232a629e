"""``describe(subject).its(path).should.<matcher>(...)``: one test result per call.

A subject is a resource or a plain value; ``its`` walks attributes and keys;
each matcher call goes through :meth:`Expectation.check`, which records one
result and never raises::

    describe(file("/etc/passwd")).its("mode").should.cmp("0644")
    describe([1, 2]).should_not.be_empty()
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable

from inspecpy.dsl import matchers
from inspecpy.compare import show
from inspecpy.errors import ResourceFailed, ResourceSkipped
from inspecpy.dsl.recording import error_result, figures_of, now_iso, record, resource_id, resource_name
from inspecpy.results import FAILED, PASSED, SKIPPED, TestResult


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
                    resource=resource_name(subject), resource_id=resource_id(subject))
        try:
            actual = self._describe.value()
            outcome = matchers.evaluate(matcher, actual, expected, self._negate, _subject_text(subject))
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
            run_time=time.perf_counter() - started, figures=figures_of(subject, self._read(name)), **base,
        ))

    def _read(self, name: str) -> str:
        """The attribute this check reads first: ``pii`` for ``its("pii.count")``, ``safe`` for ``be_safe``."""
        if self._describe.path:
            return self._describe.path[0]
        return name[3:] if name.startswith("be_") else ""

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

"""The one door between Ruby profiles and inspecpy's own DSL objects.

Everything the Ruby side builds — controls, ``describe``/``its`` subjects,
matcher checks, skips, inputs, inclusions — goes through the functions
here, into the same objects a Python control file builds
(:class:`~inspecpy.dsl.controls.Control`,
:class:`~inspecpy.dsl.expect.Describe`/``Expectation``, the matcher
registry, the recorder), so reporters, waivers, inputs, filters and targets
treat a Ruby control like any other. When the engine's DSL API changes,
this module is the one to edit.
"""

from __future__ import annotations

import dataclasses
import re
import time
from typing import Any, Callable

from inspecpy.compare import show
from inspecpy.dsl import matchers
from inspecpy.dsl.controls import Control, impact_value
from inspecpy.dsl.expect import Describe, Expectation
from inspecpy.dsl.recording import Recorder, error_result, now_iso, record, recording
from inspecpy.errors import ControlSkipped, ProfileError, ResourceFailed, ResourceSkipped
from inspecpy.profile.inputs import _MISSING, current_inputs
from inspecpy.results import FAILED, SKIPPED, SourceLocation, TestResult

__all__ = ["new_control", "impact_number", "ruby_describe", "check", "collect_results", "record_results",
           "record_error", "skip_control", "input_value", "include_controls", "require_controls",
           "ResourceSkipped", "ResourceFailed", "ControlSkipped"]


# ------------------------------------------------------------------ controls


def new_control(control_id: str, body: Callable[[], Any], *, title: str | None, desc: str | None,
                impact: float, tags: dict, refs: list, descriptions: dict[str, str], path: str, line: int,
                code: str, group: str, profile: str) -> Control:
    """A control as the Python DSL would have built it."""
    return Control(id=control_id, body=body, title=title, desc=desc, impact=impact, tags=tags, refs=tuple(refs),
                   descriptions=tuple(descriptions.items()), source_location=SourceLocation(path, line), code=code,
                   group=group, profile=profile)


def impact_number(value: Any, where: str) -> float:
    return impact_value(value, where)


def skip_control(message: str) -> None:
    raise ControlSkipped(message)


# ------------------------------------------------------------------ describe / should


class RubyDescribe(Describe):
    """A subject whose ``its`` path is walked with Ruby's method semantics (``its('entries.length')``)."""

    def __init__(self, subject: Any, path: tuple[str, ...], walk: Callable[[Any, tuple[str, ...]], Any],
                 text: str | None = None):
        super().__init__(subject, path)
        self._walk_ruby = walk
        self._text = text

    def text(self) -> str:
        return self._text if self._text is not None else super().text()

    def value(self) -> Any:
        check = getattr(self.subject, "check_supported", None)
        if check:
            check()
        value = self._walk_ruby(self.subject, self.path)
        if check:
            check()  # a method may have called skip_resource
        return value


def ruby_describe(subject: Any, path: tuple[str, ...], walk: Callable[[Any, tuple[str, ...]], Any],
                  text: str | None = None) -> RubyDescribe:
    return RubyDescribe(subject, path, walk, text)


def check(describe: RubyDescribe, negate: bool, name: str, args: tuple) -> TestResult:
    """Record one ``should``/``should_not`` with the engine's matcher *name*."""
    expectation = Expectation(describe, negate)
    return expectation.check(name, *args)


def matcher_phrase(name: str, args: tuple) -> str:
    """How the engine phrases matcher *name* (for compound matchers' ``code_desc``)."""
    return matchers.lookup(name).describe(args)


def matcher_test(name: str, actual: Any, args: tuple) -> bool:
    return bool(matchers.lookup(name).test(actual, *args))


# ------------------------------------------------------------------ recording


def collect_results(run: Callable[[], Any]) -> list[TestResult]:
    """Run *run* with a private recorder and return what it recorded (for ``describe.one``)."""
    recorder = Recorder()
    with recording(recorder):
        run()
    return list(recorder.results)


def record_results(results: list[TestResult], code_desc: str | None = None) -> None:
    for result in results:
        record(dataclasses.replace(result, code_desc=code_desc) if code_desc else result)


def record_error(code_desc: str, error: BaseException) -> None:
    """A failed result carrying *error* (an example whose own code raised)."""
    started = time.perf_counter()
    if isinstance(error, ResourceSkipped):
        record(TestResult(status=SKIPPED, code_desc=code_desc, skip_message=str(error), start_time=now_iso()))
    elif isinstance(error, ResourceFailed):
        record(TestResult(status=FAILED, code_desc=code_desc, message=str(error), start_time=now_iso()))
    else:
        record(error_result(code_desc, error, started, now_iso()))


def record_failure(code_desc: str, message: str) -> None:
    record(TestResult(status=FAILED, code_desc=code_desc, message=message, start_time=now_iso()))


# ------------------------------------------------------------------ inputs and inclusions


def input_value(name: str, default: Any = _MISSING) -> Any:
    """The input's value, as ``input(name, value=default)`` reads it."""
    return current_inputs().get(name, default)


def has_input(name: str) -> bool:
    return name in current_inputs().values


_WHERE = re.compile(r"^[^\n]*?:\d+: ")


def _relocated(error: ProfileError, where: str) -> ProfileError:
    return ProfileError(where + _WHERE.sub("", str(error), count=1))


def include_controls(profile: str, skip: list[str], impact: dict[str, Any], where: str) -> None:
    from inspecpy.profile.dependencies import include_controls as include

    try:
        include(profile, skip=skip, impact=impact)
    except ProfileError as error:
        raise _relocated(error, where) from None


def require_controls(profile: str, controls: list[str], impact: dict[str, Any], where: str) -> None:
    from inspecpy.profile.dependencies import require_controls as require

    try:
        require(profile, controls, impact=impact)
    except ProfileError as error:
        raise _relocated(error, where) from None


# ------------------------------------------------------------------ rspec's extra matchers


def _satisfy_any(actual: Any, *parts: tuple) -> bool:
    return any(matcher_test(name, actual, args) for name, args in parts)


def _satisfy_all(actual: Any, *parts: tuple) -> bool:
    return all(matcher_test(name, actual, args) for name, args in parts)


def _all_items(actual: Any, part: tuple) -> bool:
    name, args = part
    return actual is not None and all(matcher_test(name, item, args) for item in actual)


def _contain_match(actual: Any, pattern: Any) -> bool:
    return actual is not None and any(isinstance(a, str) and pattern.search(a) for a in actual)


def _phrase_parts(joiner: str) -> Callable[[tuple], str]:
    return lambda parts: f" {joiner} ".join(matcher_phrase(name, args) for name, args in parts)


RSPEC_MATCHERS = (
    matchers.Matcher("be_nil", lambda a: a is None, lambda args: "be nil", arity=0),
    matchers.Matcher("be_truthy", lambda a: a is not None and a is not False, lambda args: "be truthy", arity=0),
    matchers.Matcher("be_falsey", lambda a: a is None or a is False, lambda args: "be falsey", arity=0),
    matchers.Matcher("contain_match", _contain_match, lambda args: f"contain match {show(args[0])}"),
    matchers.Matcher("satisfy_any", _satisfy_any, _phrase_parts("or"), arity=-1),
    matchers.Matcher("satisfy_all", _satisfy_all, _phrase_parts("and"), arity=-1),
    matchers.Matcher("all", _all_items, lambda args: "all " + matcher_phrase(*args[0])),
)


def register_rspec_matchers() -> None:
    """Add rspec's matchers the engine does not have (``be_nil``, compound ``.or``, ``all``…), once."""
    for matcher in RSPEC_MATCHERS:
        if matcher.name not in matchers.MATCHERS:
            matchers.register(matcher)

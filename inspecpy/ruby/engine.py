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
import time
from typing import Any, Callable, NoReturn

from inspecpy.compare import show
from inspecpy.dsl import matchers
from inspecpy.dsl.controls import Control, impact_value
from inspecpy.dsl.expect import Describe, Expectation
from inspecpy.dsl.loading import Inclusion, add_inclusion, impacts
from inspecpy.dsl.recording import Recorder, record, recording_into
from inspecpy.errors import ControlSkipped, InputError, ResourceFailed, ResourceSkipped, UnboundTarget, Where
from inspecpy.resources.base import Resource
from inspecpy.results import FAILED, SKIPPED, SourceLocation, TestResult, error_result, now_iso
from inspecpy.verdict import Verdict

__all__ = ["new_control", "impact_number", "ruby_describe", "check", "collect_results", "record_results",
           "record_error", "skip_control", "input_value", "include", "Resource", "ResourceSkipped",
           "ResourceFailed", "ControlSkipped", "UnboundTarget", "Where"]


# ------------------------------------------------------------------ controls


def new_control(control_id: str, body: Callable[[], Any], *, title: str | None, desc: str | None,
                impact: float, tags: dict, refs: list, descriptions: dict[str, str], path: str, line: int,
                code: str, group: str, profile: str) -> Control:
    """A control as the Python DSL would have built it."""
    return Control(id=control_id, body=body, title=title, desc=desc, impact=impact, tags=tags, refs=tuple(refs),
                   descriptions=tuple(descriptions.items()), source_location=SourceLocation(path, line), code=code,
                   group=group, profile=profile)


def impact_number(value: Any, path: str, line: int, control_id: str) -> float:
    return impact_value(value, Where(path, line), f"control {control_id!r}: ")


def skip_control(message: str) -> NoReturn:
    raise ControlSkipped(message)


def supported(subject: Any) -> None:
    """Raise ResourceSkipped when *subject* is a resource its target's platform does not support."""
    if isinstance(subject, Resource):
        subject.require_supported()


# ------------------------------------------------------------------ describe / should


class RubyDescribe(Describe):
    """A subject whose ``its`` path is walked with Ruby's method semantics (``its('entries.length')``)."""

    def __init__(self, subject: Any, path: tuple[str, ...], walk: Callable[[Any, tuple[str, ...]], Any],
                 text: str | None = None, wrap: Callable[[Any], Any] | None = None):
        super().__init__(subject, path)
        self._walk_ruby = walk
        self._text = text
        self._wrap = wrap

    def text(self) -> str:
        return self._text if self._text is not None else super().text()

    def value(self) -> Any:
        supported(self.subject)
        value = self._walk_ruby(self.subject, self.path)
        supported(self.subject)  # a Ruby method may have called skip_resource
        return self._wrap(value) if self._wrap is not None else value


def ruby_describe(subject: Any, path: tuple[str, ...], walk: Callable[[Any, tuple[str, ...]], Any],
                  text: str | None = None) -> RubyDescribe:
    return RubyDescribe(subject, path, walk, text)


class RspecActual:
    """The value under test, for rspec matchers the engine has no name for: each is a predicate here,
    so ``apply_matcher("be_truthy")`` reads :attr:`truthy`, ``apply_matcher("be_either", parts)`` calls
    :meth:`either` — every check still goes through the engine's one matcher path."""

    def __init__(self, value: Any):
        self._value = value

    def _verdict(self, ok: bool) -> Verdict:
        return Verdict(ok, f"got: {show(self._value)}")

    @property
    def truthy(self) -> Verdict:
        return self._verdict(self._value is not None and self._value is not False)

    @property
    def falsey(self) -> Verdict:
        return self._verdict(self._value is None or self._value is False)

    def has_match(self, pattern: Any) -> Verdict:
        items = self._value if isinstance(self._value, (list, tuple)) else []
        return self._verdict(any(isinstance(a, str) and pattern.search(a) for a in items))

    def has_all(self, part: "Part") -> Verdict:
        items = self._value if isinstance(self._value, (list, tuple)) else None
        return self._verdict(items is not None and all(part.test(item) for item in items))

    def either(self, parts: "Parts") -> Verdict:
        return self._verdict(any(part.test(self._value) for part in parts.parts))

    def both(self, parts: "Parts") -> Verdict:
        return self._verdict(all(part.test(self._value) for part in parts.parts))


@dataclasses.dataclass(frozen=True)
class Part:
    """One engine matcher inside a compound rspec matcher (``eq(1)`` of ``eq(1).or eq(2)``)."""

    name: str
    args: tuple

    def test(self, actual: Any) -> bool:
        return bool(matchers.lookup(self.name).test(actual, *self.args))

    def __str__(self) -> str:
        return matchers.lookup(self.name).describe(self.args)


@dataclasses.dataclass(frozen=True)
class Parts:
    parts: tuple[Part, ...]
    joiner: str

    def __str__(self) -> str:
        return f" {self.joiner} ".join(str(p) for p in self.parts)


#: rspec matcher → (the engine's predicate matcher reading :class:`RspecActual`, how its arguments go in).
RSPEC_ONLY = {"be_truthy": "be_truthy", "be_falsey": "be_falsey", "contain_match": "have_match", "all": "have_all",
              "satisfy_any": "be_either", "satisfy_all": "be_both"}


def check(describe: RubyDescribe, negate: bool, name: str, args: tuple) -> TestResult:
    """Record one ``should``/``should_not`` with the engine's matcher *name*."""
    if name == "be_nil":
        name, args = "eq", (None,)
    if name in RSPEC_ONLY:
        describe._wrap = RspecActual
        if name in ("satisfy_any", "satisfy_all"):
            args = (Parts(tuple(Part(n, a) for n, a in args), "or" if name == "satisfy_any" else "and"),)
        elif name == "all":
            args = (Part(*args[0]),)
        name = RSPEC_ONLY[name]
    return Expectation(describe, negate).apply_matcher(name, *args)


# ------------------------------------------------------------------ recording


def collect_results(run: Callable[[], Any]) -> list[TestResult]:
    """Run *run* with a private recorder and return what it recorded (for ``describe.one``)."""
    recorder = Recorder()
    with recording_into(recorder):
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


# ------------------------------------------------------------------ inputs and inclusions


def input_value(name: str, *default: Any) -> Any:
    """The input's value, as ``input(name, value=default)`` reads it."""
    from inspecpy.context import current_inputs

    inputs = current_inputs()
    if inputs is None:
        if default:
            return default[0]
        raise InputError(f"input '{name}' has no value")
    return inputs.get(name, *default)


def include(verb: str, profile: str, path: str, line: int, skip: list[str], only: list[str],
            impact: dict[str, Any]) -> None:
    """``include_controls``/``require_controls`` made in a Ruby control file."""
    where = Where(path, line)
    add_inclusion(Inclusion(profile, verb, where, only=frozenset(only) if verb == "require_controls" else None,
                            skip=frozenset(skip), impact=impacts(where, impact)))

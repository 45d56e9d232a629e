"""What a control's body registers — ``describe`` groups, ``describe.one``, ``expect`` — and running them.

As in InSpec, the control's body runs first (its ``describe`` blocks are
read, their ``it``/``its`` examples collected), then, unless ``only_if``
skipped the control, every example runs and records its results through
:mod:`inspecpy.ruby.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from inspecpy.ruby import engine, rspec
from inspecpy.ruby.runtime import CONTROL_FLOW, Context, Proc, as_python_error
from inspecpy.ruby.values import RubyError, to_s

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.evaluator import Evaluator


@dataclass
class Example:
    """``it { ... }``, ``it 'says' do ... end`` or ``its('path') { ... }``."""

    block: Proc | None
    description: str | None = None
    path: tuple | None = None  # its: ("method", "names") or an index list
    indexed: bool = False  # its(['key', 'sub']) reads keys, its('a.b') calls methods


@dataclass
class Group:
    """``describe subject do ... end``: the subject and the examples and groups inside."""

    subject: Any
    items: list = field(default_factory=list)


@dataclass
class OneOf:
    """``describe.one do ... end``: passes when one of its groups passes entirely."""

    groups: list[Group] = field(default_factory=list)


@dataclass
class ExpectCheck:
    """``expect(value).to matcher`` written directly in a control."""

    value: Any
    spec: Any = None
    negate: bool = False


def walk(ev: "Evaluator", subject: Any, example: Example) -> Any:
    """The value ``its`` reads: methods called in turn, or keys looked up."""
    value = subject
    if example.path is None:
        return value
    if example.indexed:  # its(['a', 'b']): each key in turn, as InSpec's config resources dig
        for key in example.path:
            value = None if value is None else ev.send(value, "[]", [key])
        return value
    for name in example.path:
        value = ev.send(value, str(name), [])
    return value


def subject_text(subject: Any) -> str:
    return engine.ruby_describe(subject, (), lambda s, p: s).text()


def run_checks(ev: "Evaluator", checks: list) -> None:
    for item in checks:
        if isinstance(item, Group):
            run_group(ev, item)
        elif isinstance(item, OneOf):
            run_one_of(ev, item)
        elif isinstance(item, ExpectCheck):
            if item.spec is not None:
                describe = engine.ruby_describe(item.value, (), lambda s, p: s)
                name, args = item.spec.engine()
                engine.check(describe, item.negate != item.spec.negated, name, args)


def run_group(ev: "Evaluator", group: Group) -> None:
    for item in group.items:
        if isinstance(item, Group):
            run_group(ev, item)
        elif isinstance(item, OneOf):
            run_one_of(ev, item)
        else:
            run_example(ev, group, item)


def run_example(ev: "Evaluator", group: Group, example: Example) -> None:
    path_text: tuple[str, ...] = ()
    if example.path is not None:
        path_text = (ev_inspect(list(example.path)),) if example.indexed else tuple(str(p) for p in example.path)
    describe = engine.ruby_describe(group.subject, path_text, lambda subject, _: walk(ev, subject, example))
    block = example.block
    if block is None:
        return
    context = ExampleContext(ev, describe)

    def run() -> None:
        try:
            block.call_with_self(context)
        except CONTROL_FLOW:
            pass
        except Exception as error:  # the example's own code failed: a failed result saying why
            # a Ruby error is named after its Ruby class, with file:line, as a control's error is
            engine.record_error(describe.text(), as_python_error(error) if isinstance(error, RubyError) else error)

    if example.description:
        text = f"{subject_text(group.subject)} {example.description}"
        engine.record_results(engine.collect_results(run), code_desc=text)
    else:
        run()


def ev_inspect(value: Any) -> str:
    from inspecpy.ruby.values import inspect

    return inspect(value)


def _runner(ev: "Evaluator", group: Group):
    return lambda: run_group(ev, group)


def run_one_of(ev: "Evaluator", one: OneOf) -> None:
    """InSpec's ``describe.one``: the results of the groups that passed, or of all when none did."""
    runs = [engine.collect_results(_runner(ev, group)) for group in one.groups]
    passing = [results for results in runs if results and all(r.status == "passed" for r in results)]
    for results in passing or runs:
        engine.record_results(results)


class ExampleContext(Context):
    """``self`` inside ``it``/``its``: ``should``, ``expect`` and every matcher name."""

    def __init__(self, ev: "Evaluator", describe: Any):
        self.ev = ev
        self.describe = describe

    def ruby_dispatch(self, name: str):
        found = super().ruby_dispatch(name)
        if found is not None:
            return found
        if rspec.is_matcher_name(name):
            return lambda ev, call: rspec.build(name, tuple(call.positional()))
        return None

    def apply(self, spec: Any, negate: bool, describe: Any = None) -> Any:
        if not hasattr(spec, "engine"):
            raise RubyError("ArgumentError", f"should expects a matcher, got {to_s(spec)!r}")
        name, args = spec.engine()
        engine.check(describe or self.describe, negate != spec.negated, name, args)
        return True

    def rb_should(self, ev, call):
        if not call.args:
            return OperatorExpectation(self, negate=False)
        return self.apply(call.args[0], negate=False)

    def rb_should_not(self, ev, call):
        if not call.args:
            return OperatorExpectation(self, negate=True)
        return self.apply(call.args[0], negate=True)

    def rb_is_expected(self, ev, call):
        return Expectation(self, self.describe)

    def rb_expect(self, ev, call):
        value = call.args[0] if call.args else None
        return Expectation(self, engine.ruby_describe(value, (), lambda subject, _: subject))

    def rb_subject(self, ev, call):
        return self.describe.value()

    def rb_satisfy(self, ev, call):
        raise RubyError("NotImplementedError", "the satisfy matcher is not supported")


class Expectation:
    """``expect(x)`` / ``is_expected`` inside an example: ``.to``/``.not_to`` check at once."""

    def __init__(self, context: ExampleContext, describe: Any):
        self.context = context
        self.describe = describe

    def ruby_dispatch(self, name: str):
        if name in ("to", "not_to", "to_not"):
            return lambda ev, call: self.context.apply(call.args[0], name != "to", self.describe)
        return None


class OperatorExpectation:
    """``should >= 2``, ``should == 'x'``, ``should =~ /re/``."""

    def __init__(self, context: ExampleContext, negate: bool):
        self.context = context
        self.negate = negate

    def ruby_dispatch(self, name: str):
        if name in ("<", "<=", ">", ">=", "==", "!="):
            return lambda ev, call: self.context.apply(rspec.BeBuilder().op(name, call.args[0]), self.negate)
        if name == "=~":
            return lambda ev, call: self.context.apply(rspec.MatcherSpec("match", (call.args[0],)), self.negate)
        return None

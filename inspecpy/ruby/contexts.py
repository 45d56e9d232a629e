"""``self`` inside a control and a ``describe`` block: InSpec's DSL words (examples: :mod:`.checks`).

Each context answers the DSL's names through ``ruby_dispatch`` (a method
``rb_<name>``, ``?`` spelt ``_p``); names it does not know fall through to
helpers, inputs and resources (:class:`inspecpy.ruby.host.Host`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspecpy.dsl.controls import only_if_skip_message
from inspecpy.ruby import rspec
from inspecpy.ruby.checks import ExpectCheck, Example, Group, OneOf
from inspecpy.ruby.runtime import Context
from inspecpy.ruby.values import Symbol, to_s, truthy

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.dispatch import Call
    from inspecpy.ruby.evaluator import Evaluator


def unindent(text: Any) -> str:
    """InSpec's ``desc`` text: common indentation removed, then stripped."""
    if text is None:
        return ""
    lines = str(text).split("\n")
    widths = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    return "\n".join(line[cut:] if line[:cut].strip() == "" else line.lstrip() for line in lines).strip()


class MetaContext(Context):
    """Reads a control's ``impact``/``title``/``desc``/``tag``/``ref`` while the profile loads."""

    def __init__(self) -> None:
        self.impact: Any = None
        self.title: str | None = None
        self.desc: str | None = None
        self.descriptions: dict[str, str] = {}
        self.tags: dict[str, Any] = {}
        self.refs: list[Any] = []

    def rb_impact(self, ev: "Evaluator", call: "Call") -> Any:
        if call.args:
            self.impact = call.args[0]
        return self.impact

    def rb_title(self, ev, call):
        if call.args and call.args[0] is not None:
            self.title = to_s(call.args[0])
        return self.title

    def rb_desc(self, ev, call):
        if len(call.args) >= 2:
            label, text = to_s(call.args[0]), unindent(call.args[1])
            if label == "default":
                self.desc = text
            else:
                self.descriptions[label] = text
        elif call.args:
            self.desc = unindent(call.args[0])
        return self.desc

    def rb_tag(self, ev, call):
        for value in [*call.args, *([call.kwargs] if call.kwargs else [])]:
            if isinstance(value, dict):
                self.tags.update({str(k): _plain(v) for k, v in value.items()})
            else:
                self.tags.setdefault(str(value), None)
        return self.tags

    def rb_ref(self, ev, call):
        entry: dict[str, Any] = {}
        if call.args and isinstance(call.args[0], dict):
            entry.update({str(k): _plain(v) for k, v in call.args[0].items()})
        elif call.args:
            entry["ref"] = to_s(call.args[0])
        entry.update({str(k): _plain(v) for k, v in call.kwargs.items()})
        if len(call.args) > 1 and isinstance(call.args[1], dict):
            entry.update({str(k): _plain(v) for k, v in call.args[1].items()})
        self.refs.append(entry)
        return self.refs


def _plain(value: Any) -> Any:
    from inspecpy.ruby.interop import to_python

    return to_python(value)


class ControlContext(Context):
    """``self`` in a control's body when it runs: metadata words are accepted, checks are collected."""

    def __init__(self, control_id: str):
        self.control_id = control_id
        self.checks: list = []
        self.skipped = False
        self.skip_message: str | None = None

    def ruby_dispatch(self, name: str):
        found = super().ruby_dispatch(name)
        if found is None and rspec.is_matcher_name(name):  # for `expect(x).to eq 1` in the control itself
            return lambda ev, call: rspec.build(name, tuple(call.positional()))
        return found

    def rb_impact(self, ev, call):
        return call.args[0] if call.args else None

    rb_title = rb_desc = rb_tag = rb_ref = rb_impact

    def rb_only_if(self, ev, call):
        if call.block is None:
            return None
        if not truthy(call.block()):
            self.skipped = True
        self.skip_message = to_s(call.args[0]) if call.args else None
        return None

    def only_if_text(self) -> str:
        return only_if_skip_message(self.skip_message)

    def rb_describe(self, ev, call):
        if not call.args and call.block is None:
            return DescribeOne(self.checks)
        group = build_group(call)
        self.checks.append(group)
        return group

    def rb_expect(self, ev, call):
        check = ExpectCheck(call.args[0] if call.args else None)
        self.checks.append(check)
        return DeferredExpectation(check)


def build_group(call: "Call") -> Group:
    """A ``describe`` group: the subject, then its block read now (examples are kept to run later)."""
    group = Group(call.args[0] if call.args else None)
    if call.block is not None:
        call.block.call_with_self(GroupContext(group))
    return group


class GroupContext(Context):
    """``self`` inside ``describe x do ... end``: ``it``, ``its``, nested ``describe``."""

    def __init__(self, group: Group):
        self.group = group

    def rb_it(self, ev, call):
        self.group.items.append(Example(call.block, to_s(call.args[0]) if call.args else None))
        return None

    rb_specify = rb_example = rb_it

    def rb_its(self, ev, call):
        path = call.args[0] if call.args else None
        if isinstance(path, list):
            example = Example(call.block, path=tuple(path), indexed=True)
        elif isinstance(path, Symbol):
            example = Example(call.block, path=(str(path),))
        else:
            example = Example(call.block, path=tuple(to_s(path).split(".")))
        self.group.items.append(example)
        return None

    def rb_describe(self, ev, call):
        if not call.args and call.block is None:
            return DescribeOne(self.group.items)
        nested = build_group(call)
        self.group.items.append(nested)
        return nested

    rb_context = rb_describe

    def rb_subject(self, ev, call):
        return self.group.subject


class DescribeOne:
    """``describe`` without arguments: its ``one`` collects alternative groups."""

    def __init__(self, checks: list):
        self.checks = checks

    def ruby_dispatch(self, name: str):
        if name != "one":
            return None

        def one(ev, call):
            if call.block is None:
                return None
            alternatives = OneOf()
            call.block.call_with_self(OneContext(alternatives))
            self.checks.append(alternatives)
            return alternatives
        return one


class OneContext(Context):
    def __init__(self, alternatives: OneOf):
        self.alternatives = alternatives

    def rb_describe(self, ev, call):
        group = build_group(call)
        self.alternatives.groups.append(group)
        return group


class DeferredExpectation:
    """``expect(value)`` in a control: ``.to``/``.not_to`` choose the matcher, checked with the rest."""

    def __init__(self, check: ExpectCheck):
        self.check = check

    def ruby_dispatch(self, name: str):
        if name in ("to", "not_to", "to_not"):
            def choose(ev, call):
                self.check.spec, self.check.negate = call.args[0], name != "to"
                return None
            return choose
        return None

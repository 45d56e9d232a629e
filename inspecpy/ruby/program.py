"""A Ruby control file: its controls declared at load time, its top-level code replayed per target.

Loading reads the file without a target: top-level statements run against a
stand-in target that refuses every probe, so ``control`` calls register
controls (id and metadata) while a value that needs the target — say
``virtualization.role`` — is simply not known yet. When a control runs, the
file's top level is replayed once for that target (``input``, helper
values, a file-level ``only_if``), each ``control`` call capturing the local
variables it sees; then the control's body runs with them, as InSpec's does
(its ``describe`` blocks collected, then checked). A failing top-level
assignment fails only the controls that read the variable.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from inspecpy.dsl.controls import only_if_skip_message
from inspecpy.errors import ProfileError, UnboundTarget
from inspecpy.ruby import checks, engine
from inspecpy.ruby.contexts import ControlContext, MetaContext
from inspecpy.ruby.host import Host
from inspecpy.ruby.runtime import (CONTROL_FLOW, Context, Frame, NeedsTarget, NextSignal, Poison, Proc,
                                   ReturnSignal, Scope, as_python_error)
from inspecpy.ruby.syntax import Node, SourceFile
from inspecpy.ruby.values import to_s, truthy

_META = frozenset({"impact", "title", "desc", "tag", "ref"})
_BRANCHES = frozenset({"if", "unless", "case", "elsif", "else", "then", "when"})


def _anonymous_key(group: str, line: int) -> str:
    """The id of a bare ``describe`` at *line* of control file *group*: the same at load and at each replay."""
    digest = hashlib.sha1(f"{group}:{line}".encode()).hexdigest()[:12]
    return f"(generated from {os.path.basename(group)}:{line} {digest})"


@dataclass
class Entry:
    """A control as declared: id, the call that declared it, its block (``None`` for a bare ``describe``)."""

    key: str
    node: Node
    params: Node | None
    body: Node | None
    anonymous: bool = False


@dataclass
class Snapshot:
    variables: dict[str, Any]
    errors: list[BaseException]


@dataclass
class Replay:
    """The file's top level as evaluated for one target."""

    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)
    file_skip: str | None = None


class ControlFile:
    """One ``controls/*.rb`` file of a profile."""

    def __init__(self, host: Host, source: SourceFile, group: str, profile_name: str, abs_path: str):
        self.host, self.source, self.group, self.profile_name = host, source, group, profile_name
        self.abs_path = abs_path
        self.entries: dict[str, Entry] = {}
        self.title: str | None = None
        self.controls: list = []

    # ---------------------------------------------------------------- load time

    def declare(self) -> list:
        """The file's controls, read without touching a target."""
        frame = Frame(FileContext(self, None), Scope(), self.source)
        for statement in self.source.tree.kids:  # probing raises UnboundTarget while a profile loads
            self._declare(statement, frame)
        return self.controls

    def _declare(self, statement: Node, frame: Frame) -> None:
        try:
            self.host.evaluator.eval(statement, frame)
        except (NeedsTarget, UnboundTarget) as need:
            if statement.type in ("if", "unless", "case"):
                for kid in statement.kids:  # which branch runs depends on the target: declare every one
                    self._declare_branch(kid, frame)
            else:
                _poison(statement, need, frame)
        except ProfileError:
            raise  # include_controls naming a missing dependency, a bad impact: the profile is wrong
        except CONTROL_FLOW:
            pass
        except Exception as error:  # reported to the controls it concerns when they run
            _poison(statement, error, frame)

    def _declare_branch(self, node: Node, frame: Frame) -> None:
        if node.type in _BRANCHES:
            for kid in node.kids:
                self._declare_branch(kid, frame)
        elif node.type != "comment":
            self._declare(node, frame)

    def register(self, call: Any, frame: Frame, anonymous: bool = False) -> None:
        """``control 'id' do ... end`` (or a bare ``describe``) while loading: a Control for the engine."""
        node = call.node
        if anonymous:
            key = _anonymous_key(self.group, node.line)
            entry = Entry(key, node, None, None, anonymous=True)
        else:
            key = to_s(call.args[0]) if call.args else ""
            block: Proc | None = call.block if isinstance(call.block, Proc) else None
            entry = Entry(key, node, block.params if block else None, block.body if block else None)
        meta = self._metadata(entry, frame)
        impact = engine.impact_number(meta.impact if meta.impact is not None else 0.5, self.source.path,
                                      node.line, key)
        self.entries[key] = entry
        self.controls.append(engine.new_control(
            key, lambda: self.run_control(key), title=meta.title, desc=meta.desc, impact=impact,
            tags=meta.tags, refs=meta.refs, descriptions=meta.descriptions, path=self.abs_path, line=node.line,
            code=self.source.lines(node.line, node.end_line), group=self.group, profile=self.profile_name))

    def _metadata(self, entry: Entry, frame: Frame) -> MetaContext:
        meta = MetaContext()
        body = entry.body
        if body is None:
            return meta
        inner = Frame(meta, Scope(frame.scope), self.source)
        for statement in body.kids:
            method = statement.field("method") if statement.type == "call" else None
            if method is None or statement.field("receiver") is not None or method.text not in _META:
                continue
            try:
                self.host.evaluator.eval(statement, inner)
            except Exception:  # noqa: S112 - metadata that needs the target is left out, the control still runs
                continue
        return meta

    # ---------------------------------------------------------------- run time

    def replay(self) -> Replay:
        """The top level evaluated for the current target (once per target).

        Kept in the target's own cache, so it is released with the target (a
        fleet does not keep every target's variables alive until the end).
        """
        from inspecpy.targets import current_target

        return current_target()._cached(("ruby replay", self), self._replay)

    def _replay(self) -> Replay:
        state = Replay()
        frame = Frame(FileContext(self, state), Scope(), self.source)
        for statement in self.source.tree.kids:
            try:
                self.host.evaluator.eval(statement, frame)
            except CONTROL_FLOW:
                pass
            except Exception as error:
                if not _poison(statement, error, frame):
                    state.errors.append(error)
        return state

    def run_control(self, key: str) -> None:
        """The body the runner calls: replay the top level, run the control's block, then its checks."""
        state = self.replay()
        if state.file_skip is not None:
            engine.skip_control(state.file_skip)
        entry = self.entries[key]
        snapshot = state.snapshots.get(key)
        if snapshot is None:
            engine.skip_control(f"Skipped control: its definition at {self.source.path}:{entry.node.line} "
                                "is not reached on this target")
        if snapshot.errors:
            raise as_python_error(snapshot.errors[-1])
        context = ControlContext(key)
        frame = Frame(context, Scope(vars=dict(snapshot.variables)), self.source)
        ev = self.host.evaluator
        body_error: BaseException | None = None
        try:
            if entry.anonymous:
                ev.eval(entry.node, frame)
            else:
                Proc(ev, entry.params, entry.body, frame).call_with_self(context)
        except (NextSignal, ReturnSignal):
            pass
        except Exception as error:  # InSpec keeps the checks registered before the error, then fails
            body_error = error
        if context.skipped:
            engine.skip_control(context.only_if_text())
        checks.run_checks(ev, context.checks)
        if body_error is not None:
            raise as_python_error(body_error)


def _poison(statement: Node, error: BaseException, frame: Frame) -> bool:
    """After ``x = <failed>``: reading ``x`` raises *error*. True when *statement* was such an assignment."""
    if statement.type == "assignment":
        left = statement.field("left")
        targets = left.kids if left.type == "left_assignment_list" else [left]
        names = [t.text for t in targets if t.type == "identifier"]
        for name in names:
            frame.scope.set(name, Poison(error))
        return bool(names)
    if statement.type == "operator_assignment" and statement.field("left").type == "identifier":
        frame.scope.set(statement.field("left").text, Poison(error))
        return True
    return False


class FileContext(Context):
    """``self`` at a control file's top level: ``control``, ``title``, ``only_if``, ``include_controls``."""

    def __init__(self, owner: ControlFile, replay: Replay | None):
        self.owner = owner
        self.state = replay  # None while loading

    def rb_control(self, ev, call):
        if self.state is None:
            self.owner.register(call, call.frame)
        else:
            key = to_s(call.args[0]) if call.args else ""
            self.state.snapshots[key] = Snapshot(call.frame.scope.flat(), list(self.state.errors))
        return None

    rb_rule = rb_control

    def rb_describe(self, ev, call):
        if self.state is None:
            self.owner.register(call, call.frame, anonymous=True)
        else:
            key = _anonymous_key(self.owner.group, call.node.line)
            self.state.snapshots[key] = Snapshot(call.frame.scope.flat(), list(self.state.errors))
        return None

    def rb_title(self, ev, call):
        if self.state is None and call.args:
            self.owner.title = to_s(call.args[0])
        return None

    def rb_only_if(self, ev, call):
        if self.state is None or call.block is None or self.state.file_skip is not None:
            return None
        if not truthy(call.block()):
            message = to_s(call.args[0]) if call.args else None
            self.state.file_skip = only_if_skip_message(message)
        return None

    def rb_include_controls(self, ev, call):
        return self._include(ev, call, "include_controls")

    def rb_require_controls(self, ev, call):
        return self._include(ev, call, "require_controls")

    def _include(self, ev, call, verb: str):
        if self.state is not None:
            return None  # inclusions are made once, while loading
        name = to_s(call.args[0]) if call.args else ""
        chosen = IncludeContext()
        if call.block is not None:
            call.block.call_with_self(chosen)
        engine.include(verb, name, self.owner.source.path, call.node.line, chosen.skipped, chosen.required,
                       chosen.impacts)
        return None


class IncludeContext(Context):
    """The block of ``include_controls``/``require_controls``: ``skip_control`` and impact overrides."""

    def __init__(self) -> None:
        self.skipped: list[str] = []
        self.required: list[str] = []
        self.impacts: dict[str, Any] = {}

    def rb_skip_control(self, ev, call):
        self.skipped.append(to_s(call.args[0]))

    rb_skip_rule = rb_skip_control

    def rb_control(self, ev, call):
        control_id = to_s(call.args[0])
        self.required.append(control_id)
        if call.block is not None:
            meta = MetaContext()
            call.block.call_with_self(meta)
            if meta.impact is not None:
                self.impacts[control_id] = meta.impact

    rb_rule = rb_control


__all__ = ["ControlFile", "Host"]

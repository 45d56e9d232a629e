"""Ruby statements as Python lines: assignments, conditions, loops, ``begin/rescue``, and InSpec's
``describe``/``its``/``should`` as the Python DSL's ``describe(...).its(...).should.<matcher>(...)``."""

from __future__ import annotations

import re
import textwrap
from contextlib import contextmanager
from typing import Iterator

from inspecpy.ruby.export.calls import block_parts, translate_call
from inspecpy.ruby.export.expressions import Expressions, Untranslatable, py_name, string_literal
from inspecpy.ruby.rspec import _ORDER, _PERMISSIONS
from inspecpy.ruby.syntax import Node, SourceFile, constant_path

_RESCUES = {"NoMethodError": "(AttributeError, TypeError)", "StandardError": "Exception", "RuntimeError": "Exception",
            "ArgumentError": "ValueError", "KeyError": "KeyError", "TypeError": "TypeError",
            "Inspec::Exceptions::ResourceSkipped": "ResourceSkipped",
            "Inspec::Exceptions::ResourceFailed": "ResourceFailed"}


class Writer:
    """Indented Python lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.level = 0

    def line(self, text: str = "") -> None:
        self.lines.append("    " * self.level + text if text else "")

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.level += 1
        start = len(self.lines)
        yield
        if len(self.lines) == start or all(line.strip().startswith("#") for line in self.lines[start:]):
            self.line("pass")
        self.level -= 1


class Statements(Expressions):
    """Statements of one file; ``todos`` collects what could not be translated."""

    def __init__(self, names, source: SourceFile, writer: Writer):
        super().__init__(names)
        self.source = source
        self.w = writer
        self.todos: list[str] = []

    def _call(self, node: Node) -> str:
        return translate_call(self, node)

    # ---------------------------------------------------------------- helpers

    def helper(self, node: Node) -> None:
        """A ``def`` at a file's top level: a Python function."""
        self.w.line("")
        with self.w.block(f"def {py_name(node.field('name').text)}({parameters(self, node)}):"):
            self.body(node.field("body"), tail=True)
        self.w.line("")

    def todo(self, error: Untranslatable, node: Node) -> None:
        where = f"{self.source.path}:{node.line}"
        self.todos.append(f"{where}: {error.what}")
        self.w.line(f"# TODO: not translated ({where}: {error.what}):")
        for text in textwrap.dedent(self.source.lines(node.line, node.end_line)).splitlines():
            self.w.line(f"#     {text.rstrip()}")

    def body(self, node: Node | None, tail: bool = False) -> None:
        statements = [] if node is None else (node.kids if node.type in _BODY_TYPES else [node])
        real = [s for s in statements if s.type != "comment"]
        for statement in statements:
            self.statement(statement, tail=tail and statement is (real[-1] if real else None))

    def statement(self, node: Node, tail: bool = False) -> None:
        if node.type == "comment":
            self.comment(node)
            return
        try:
            self._statement(node, tail)
        except Untranslatable as error:
            self.todo(error, node)

    def comment(self, node: Node) -> None:
        text = node.text or ""
        if text.startswith("# frozen_string_literal"):
            return
        self.w.line("#" + text[1:] if text.startswith("#") else "# " + text)

    # ---------------------------------------------------------------- statements

    def _statement(self, node: Node, tail: bool) -> None:
        kind = node.type
        if kind == "assignment":
            self.assignment(node, tail)
        elif kind == "operator_assignment":
            left = self.ex(node.field("left"))
            op = node.field("operator")
            value = self.ex(node.field("right"))
            self.w.line(f"{left} = {left} or {value}" if op == "||=" else f"{left} {op} {value}")
        elif kind in ("if", "unless"):
            self.conditional(node, tail)
        elif kind in ("if_modifier", "unless_modifier"):
            with self.w.block(f"if {self.condition(node.field('condition'), kind == 'unless_modifier')}:"):
                self.statement(node.field("body"), tail)
        elif kind == "case":
            self.case(node, tail)
        elif kind == "next":
            self.w.line("continue")
        elif kind == "break":
            self.w.line("break")
        elif kind == "return":
            values = [k for k in node.kids if k.type != "comment"]
            inner = values[0].kids if values and values[0].type == "argument_list" else values
            self.w.line("return" + (" " + self.ex(inner[0]) if inner else ""))
        elif kind == "begin":
            self.rescue(node, tail)
        elif kind == "call" and self.special_call(node, tail):
            return
        elif tail:
            self.w.line(f"return {self.ex(node)}")
        else:
            self.w.line(self.ex(node))

    def assignment(self, node: Node, tail: bool) -> None:
        left, right = node.field("left"), node.field("right")
        if left.type == "left_assignment_list":
            targets = ", ".join(self.ex(k) for k in left.kids if k.type != "comment")
            self.w.line(f"{targets} = {self.ex(right)}")
            return
        target = self.ex(left) if left.type != "identifier" else py_name(left.text)
        if right.type in ("if", "unless", "case", "begin"):
            self.assign_branches(target, right)
        else:
            self.w.line(f"{target} = {self.ex(right)}")
        if tail:
            self.w.line(f"return {target}")

    def assign_branches(self, target: str, node: Node) -> None:
        """``x = if c ... end`` / ``x = begin ... rescue ... end``: each branch assigns."""
        saved = self.w.lines
        self.w.lines = []
        level = self.w.level
        self.statement(node, tail=True)
        produced = self.w.lines
        self.w.lines = saved
        for text in produced:
            stripped = text.strip()
            indent = text[: len(text) - len(text.lstrip())]
            if stripped.startswith("return "):
                self.w.lines.append(f"{indent}{target} = {stripped[7:]}")
            else:
                self.w.lines.append(text)
        self.w.level = level

    def conditional(self, node: Node, tail: bool) -> None:
        with self.w.block(f"if {self.condition(node.field('condition'), node.type == 'unless')}:"):
            self.body(node.field("consequence"), tail)
        alternative = node.field("alternative")
        while alternative is not None and alternative.type == "elsif":
            with self.w.block(f"elif {self.condition(alternative.field('condition'))}:"):
                self.body(alternative.field("consequence"), tail)
            alternative = alternative.field("alternative")
        if alternative is not None:
            with self.w.block("else:"):
                self.body(alternative, tail)

    def condition(self, node: Node, negate: bool = False) -> str:
        return f"not {self.wrap(node)}" if negate else self.ex(node)

    def case(self, node: Node, tail: bool) -> None:
        subject = node.field("value")
        value = self.ex(subject) if subject is not None else None
        first = True
        for kid in node.kids:
            if kid.type == "when":
                tests = []
                for pattern in (k.kids[0] for k in kid.kids if k.type == "pattern"):
                    tests.append(self.case_test(value, pattern))
                with self.w.block(f"{'if' if first else 'elif'} {' or '.join(tests)}:"):
                    self.body(kid.field("body"), tail)
                first = False
            elif kid.type == "else":
                with self.w.block("else:"):
                    self.body(kid, tail)

    def case_test(self, value: str | None, pattern: Node) -> str:
        if value is None:
            return self.wrap(pattern)
        if pattern.type == "regex":
            self.names.imports.add("re")
            return f"re.search({self.regex(pattern)}, {value} or \"\")"
        if pattern.type == "range":
            return f"{value} in {self.ex(pattern)}"
        return f"{value} == {self.ex(pattern)}"

    def rescue(self, node: Node, tail: bool) -> None:
        body = [k for k in node.kids if k.type not in ("rescue", "else", "ensure")]
        with self.w.block("try:"):
            for index, statement in enumerate(body):
                self.statement(statement, tail and index == len(body) - 1)
        for clause in (k for k in node.kids if k.type == "rescue"):
            exceptions = clause.field("exceptions")
            names = [self.source.lines(k.line, k.line) and constant_path(k, loose=True) for k in
                     (exceptions.kids if exceptions is not None else [])]
            caught = [_RESCUES.get(n or "", "Exception") for n in names] or ["Exception"]
            variable = clause.field("variable")
            alias = f" as {py_name(variable.kids[0].text)}" if variable is not None else ""
            kinds = caught[0] if len(caught) == 1 else f"({', '.join(caught)})"
            with self.w.block(f"except {kinds}{alias}:"):
                self.body(clause.field("body"), tail)
        ensure = next((k for k in node.kids if k.type == "ensure"), None)
        if ensure is not None:
            with self.w.block("finally:"):
                self.body(ensure)

    # ---------------------------------------------------------------- calls as statements

    def special_call(self, node: Node, tail: bool) -> bool:
        method = node.field("method")
        name = method.text if method is not None else ""
        receiver = node.field("receiver")
        if receiver is None and name in ("raise", "fail"):
            self.raise_(node)
            return True
        if receiver is None and name == "describe":
            self.describe(node)
            return True
        if name == "one" and receiver is not None and receiver.type == "identifier" and receiver.text == "describe":
            raise Untranslatable("`describe.one` (passes when any one group passes; the Python DSL has no "
                                 "equivalent)", node)
        if receiver is not None and name in ("each", "each_with_index", "each_pair") and node.field("block"):
            self.loop(node, name)
            return True
        if receiver is None and name == "skip_resource" and self.names.in_class:
            self.names.imports.add("errors:ResourceSkipped")
            self.w.line(f"raise ResourceSkipped({', '.join(self.args(node))})")
            return True
        if receiver is None and name in ("expect",):
            raise Untranslatable("`expect` outside an example", node)
        return False

    def raise_(self, node: Node) -> None:
        args = self.args(node)
        arguments = node.field("arguments")
        first = arguments.kids[0] if arguments is not None and arguments.kids else None
        kind = constant_path(first, loose=True) if first is not None else None
        if kind in ("Inspec::Exceptions::ResourceSkipped", "Inspec::Exceptions::ResourceFailed"):
            self.names.imports.add("errors:" + kind.rsplit("::", 1)[1])
            self.w.line(f"raise {kind.rsplit('::', 1)[1]}({args[1] if len(args) > 1 else ''})")
        elif kind is not None:
            self.w.line(f"raise RuntimeError({args[1] if len(args) > 1 else string_literal(kind)})")
        else:
            self.w.line(f"raise RuntimeError({args[0] if args else ''})")

    def loop(self, node: Node, name: str) -> None:
        params, _ = block_parts(node)
        target = self.ex(node.field("receiver"))
        names = [py_name(p) for p in params]
        if name == "each_with_index":
            header = f"for {names[1] if len(names) > 1 else '_'}, {names[0]} in enumerate({target}):"
        elif len(names) == 2:
            header = f"for {names[0]}, {names[1]} in {target}.items():"
        else:
            header = f"for {names[0] if names else '_'} in {target}:"
        with self.w.block(header):
            self.body(node.field("block").field("body"))

    # ---------------------------------------------------------------- describe

    def describe(self, node: Node) -> None:
        arguments = [k for k in (node.field("arguments").kids if node.field("arguments") else []) if
                     k.type != "comment"]
        block = node.field("block")
        if not arguments:
            raise Untranslatable("`describe.one`" if block is None else "`describe` without a subject", node)
        subject = self.ex(arguments[0])
        statements = block.field("body").kids if block is not None and block.field("body") is not None else []
        examples = [s for s in statements if s.type != "comment"]
        if len(examples) > 1 or any(s.type != "call" for s in examples):
            self.w.line(f"subject = {subject}")
            subject = "subject"
        for statement in statements:
            if statement.type == "comment":
                self.comment(statement)
                continue
            try:
                self.example(statement, subject, arguments[0])
            except Untranslatable as error:
                self.todo(error, statement)

    def example(self, node: Node, subject: str, subject_node: Node) -> None:
        method = node.field("method") if node.type == "call" else None
        name = method.text if method is not None else None
        if name == "it":
            self.expectations(node, f"describe({subject})")
        elif name == "its":
            self.expectations(node, self.its(node, subject))
        elif name == "describe":
            self.describe(node)
        elif node.type in ("if", "unless", "if_modifier", "unless_modifier"):
            self.example_condition(node, subject, subject_node)
        else:
            self.statement(node)

    def example_condition(self, node: Node, subject: str, subject_node: Node) -> None:
        with self.w.block(f"if {self.condition(node.field('condition'), node.type.startswith('unless'))}:"):
            inner = node.field("consequence") if node.type in ("if", "unless") else node.field("body")
            for statement in (inner.kids if inner.type in _BODY_TYPES else [inner]):
                if statement.type == "comment":
                    self.comment(statement)
                else:
                    self.example(statement, subject, subject_node)

    def its(self, node: Node, subject: str) -> str:
        """``its('a.b')``; a path through Ruby methods (``entries.length``) becomes the Python expression."""
        path = self.args(node)[0]
        parts = path.strip('"').split(".") if path.startswith('"') else None
        if not parts or not any(p in _RUBY_PATH for p in parts):
            return f"describe({subject}).its({path})"
        value = subject
        for part in parts:
            value = _RUBY_PATH[part].format(value) if part in _RUBY_PATH else f"{value}.{py_name(part)}"
        return f"describe({value})"

    def expectations(self, node: Node, describe: str) -> None:
        arguments = self.args(node)
        if node.field("method").text == "it" and arguments:
            self.w.line(f"# {arguments[0].strip(chr(34))}")
        block = node.field("block")
        body = block.field("body") if block is not None else None
        for statement in body.kids if body is not None else []:
            if statement.type == "comment":
                self.comment(statement)
                continue
            self.w.line(self.expectation(statement, describe))

    def expectation(self, node: Node, describe: str) -> str:
        if node.type == "binary" and node.field("left").type == "identifier" and \
                node.field("left").text in ("should", "should_not"):
            op = node.field("operator")
            verb = node.field("left").text.replace("should_not", "should_not").replace("should", "should", 1)
            matcher = f"{_ORDER[op]}({self.ex(node.field('right'))})" if op in _ORDER else \
                f"eq({self.ex(node.field('right'))})" if op == "==" else None
            if matcher is None:
                raise Untranslatable(f"`should {op}`", node)
            return f"{describe}.{verb}.{matcher}"
        method = node.field("method") if node.type == "call" else None
        name = method.text if method is not None else None
        if name in ("should", "should_not"):
            matcher = node.field("arguments").kids[0]
            return f"{describe}.{name}.{self.matcher(matcher)}"
        receiver = node.field("receiver") if node.type == "call" else None
        if name in ("to", "not_to", "to_not") and receiver is not None:
            rmethod = receiver.field("method") if receiver.type == "call" else None
            verb = "should" if name == "to" else "should_not"
            matcher = self.matcher(node.field("arguments").kids[0])
            if rmethod is not None and rmethod.text == "expect":
                value = self.args(receiver)[0]
                return f"describe({value}).{verb}.{matcher}"
            if receiver.type == "identifier" and receiver.text == "is_expected":
                return f"{describe}.{verb}.{matcher}"
        raise Untranslatable("an example that is not `should`/`expect`", node)

    def matcher(self, node: Node) -> str:
        """A matcher call as the Python DSL's method call (``be_readable.by('x')`` → ``be_readable_by("x")``)."""
        if node.type == "identifier":
            return self.matcher_name(node.text, [])
        if node.type == "binary" and node.field("left").type == "identifier" and \
                node.field("left").text in ("cmp", "be"):
            op = node.field("operator")
            right = self.ex(node.field("right"))
            if op in _ORDER:
                return f"{_ORDER[op]}({right})"
            if op == "==":
                return f"{'cmp' if node.field('left').text == 'cmp' else 'eq'}({right})"
            raise Untranslatable(f"`{node.field('left').text} {op}`", node)
        if node.type != "call":
            raise Untranslatable("this matcher", node)
        name = node.field("method").text
        receiver = node.field("receiver")
        if name in ("or", "|") and receiver is not None:
            values = self.eq_alternatives(node)
            return f"be_in([{', '.join(values)}])"
        if name in ("by", "by_user") and receiver is not None:
            base = receiver.text if receiver.type == "identifier" else None
            if base not in _PERMISSIONS or name == "by_user":
                raise Untranslatable(f"`{base}.{name}`", node)
            return f"{base}_by({self.args(node)[0]})"
        if receiver is not None:
            raise Untranslatable("a chained matcher", node)
        arguments = node.field("arguments")
        values = []
        for kid in arguments.kids if arguments is not None else []:
            if kid.type == "comment":
                continue
            values.append(self.pattern_text(kid) if kid.type == "regex" and name in ("match",)
                          else self.ex(kid))
        return self.matcher_name(name, values)

    def matcher_name(self, name: str, values: list[str]) -> str:
        if name in _PERMISSIONS:
            return f"{name}_by({', '.join(values)})"
        if name == "be_nil":
            return "eq(None)"
        if name in ("eql", "equal", "be") and values:
            return f"eq({values[0]})"
        if name in ("all", "contain_match", "satisfy", "be_within", "be_truthy", "be_falsey"):
            raise Untranslatable(f"the `{name}` matcher", Node("call", 0, 0, None, [], {}))
        return f"{name}({', '.join(values)})"

    def eq_alternatives(self, node: Node) -> list[str]:
        """``eq(1).or eq(2)``: the compared values (only alternatives of ``eq`` translate, as ``be_in``)."""
        if node.type == "call" and node.field("method").text in ("or", "|") and node.field("receiver") is not None:
            right = node.field("arguments").kids[0]
            return self.eq_alternatives(node.field("receiver")) + self.eq_alternatives(right)
        if node.type == "call" and node.field("method").text == "eq" and node.field("receiver") is None:
            return self.args(node)
        raise Untranslatable("a compound matcher other than `eq(a).or eq(b)`", node)


_RUBY_PATH = {"length": "len({})", "size": "len({})", "count": "len({})", "first": "{}[0]", "last": "{}[-1]",
              "strip": "{}.strip()", "to_i": "int({})"}
_BODY_TYPES = {"body_statement", "block_body", "then", "else", "do", "program", "begin_block_body", "ensure"}


def call_name(node: Node) -> str | None:
    """The name of a receiver-less call (``control`` of ``control 'x' do``), or an identifier's."""
    if node.type == "call" and node.field("receiver") is None and node.field("method") is not None:
        return node.field("method").text
    if node.type == "identifier":
        return node.text
    return None


def arguments(node: Node) -> list[Node]:
    """A call's argument nodes (a ``key: value`` pair counts as its value)."""
    found = node.field("arguments")
    kids = [k for k in (found.kids if found is not None else []) if k.type != "comment"]
    return [kid.field("value") if kid.type == "pair" else kid for kid in kids]


def parameters(out: Statements, method: Node) -> str:
    """A ``def``'s parameters as Python's."""
    params = method.field("parameters")
    names = []
    for kid in params.kids if params is not None else []:
        if kid.type == "identifier":
            names.append(py_name(kid.text))
        elif kid.type == "optional_parameter":
            names.append(f"{py_name(kid.field('name').text)}={out.ex(kid.field('value'))}")
        elif kid.type == "keyword_parameter":
            value = kid.field("value")
            names.append(f"{py_name(kid.field('name').text)}={out.ex(value) if value is not None else 'None'}")
        elif kid.type == "splat_parameter" and kid.field("name") is not None:
            names.append(f"*{py_name(kid.field('name').text)}")
        elif kid.type != "comment":
            raise Untranslatable(f"parameter `{kid.type}`", kid)
    return ", ".join(names)


def calls(name: str, text: str) -> bool:
    """Whether *text* calls function *name* (not a method or a longer name ending the same)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}\(", text) is not None and f"def {name}(" not in text


def tidy(lines: list[str]) -> list[str]:
    """At most two blank lines in a row, none at the start."""
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or (len(out) >= 2 and not out[-1].strip() and not out[-2].strip())):
            continue
        out.append(line)
    return out

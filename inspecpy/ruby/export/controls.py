"""A Ruby control file as a Python control file.

Each ``control`` becomes an ``@control(...)``-decorated function (its
``impact``/``title``/``desc``/``tag``/``ref``/``only_if`` as the decorator's
arguments, a file-level ``only_if`` joined to every control's). A top-level
value that needs the target (``container_execution = virtualization...``,
``input('x', value: ssh_crypto.valid_ciphers)``) becomes a function, so
loading the Python profile still touches no target; plain values
(``input('x', value: '60')``, literals) stay module-level variables.
"""

from __future__ import annotations

import re

from inspecpy.ruby.export.calls import block_parts
from inspecpy.ruby.export.expressions import Names, Untranslatable, py_name, string_literal
from inspecpy.ruby.export.statements import Statements, Writer, call_name, calls, tidy
from inspecpy.ruby.export.statements import arguments as call_arguments
from inspecpy.ruby.syntax import Node, SourceFile

_META = ("impact", "title", "desc", "tag", "ref", "only_if")
_LITERALS = {"integer", "float", "nil", "true", "false", "string", "simple_symbol", "hash_key_symbol", "regex",
             "string_array", "symbol_array", "string_content", "escape_sequence", "heredoc", "chained_string",
             "comment", "pair", "array", "hash", "interpolation", "range", "parenthesized_statements", "binary",
             "unary", "conditional", "argument_list"}


def is_static(node: Node, static: set[str]) -> bool:
    """Whether *node* can be computed while loading (no resource, helper or target-dependent value)."""
    if node.type == "identifier":
        return node.text in static
    if node.type == "call":
        name = call_name(node)
        receiver = node.field("receiver")
        if receiver is None:
            return name in ("input", "attribute") and all(is_static(k, static) for k in call_arguments(node))
        return node.field("block") is None and is_static(receiver, static) and \
            all(is_static(k, static) for k in call_arguments(node))
    if node.type not in _LITERALS:
        return False
    return all(is_static(k, static) for k in node.kids)


def _assigned(statement: Node) -> str | None:
    """The top-level variable a statement assigns (``x = ...``, ``x ||= ...``, ``x = ... if c``)."""
    node = statement.field("body") if statement.type in ("if_modifier", "unless_modifier") else statement
    if node is not None and node.type in ("assignment", "operator_assignment") and \
            node.field("left").type == "identifier":
        return node.field("left").text
    return None


class ControlFileTranslator:
    def __init__(self, source: SourceFile, resources: set[str], library_resources: set[str]):
        self.source = source
        self.names = Names(resources=set(resources) | set(library_resources))
        self.library_resources = library_resources
        self.writer = Writer()
        self.out = Statements(self.names, source, self.writer)
        self.title: str | None = None
        self.file_condition: str | None = None
        self.file_message: str | None = None
        self.used: set[str] = set()

    def translate(self) -> str:
        statements = self.source.tree.kids
        self._analyse(statements)
        emitted: set[str] = set()
        for statement in statements:
            self._top(statement, emitted)
        return self._module()

    def _analyse(self, statements: list[Node]) -> None:
        static: set[str] = set()
        for statement in statements:
            name = call_name(statement)
            if statement.type == "method":
                self.names.helpers.add(statement.field("name").text)
            elif name == "title" and statement.type == "call":
                arguments = call_arguments(statement)
                if arguments and arguments[0].type == "string":
                    self.title = self.out.ex(arguments[0]).strip('"')
            variable = _assigned(statement)
            if variable is None:
                continue
            value = statement.field("body") if statement.type.endswith("_modifier") else statement
            condition = statement.field("condition") if statement.type.endswith("_modifier") else None
            right = value.field("right")
            if variable not in self.names.deferred and is_static(right, static) and \
                    (condition is None or is_static(condition, static)):
                static.add(variable)
            else:
                static.discard(variable)
                self.names.deferred.add(variable)

    def _top(self, statement: Node, emitted: set[str]) -> None:
        name = call_name(statement) if statement.type == "call" else None
        variable = _assigned(statement)
        if statement.type == "comment":
            self.out.comment(statement)
        elif variable is not None and variable in self.names.deferred:
            if variable not in emitted:
                emitted.add(variable)
                self._deferred(variable)
        elif name == "control":
            self._control(statement)
        elif name == "title":
            return
        elif name == "only_if":
            self._file_only_if(statement)
        elif name in ("include_controls", "require_controls"):
            self._include(statement, name)
        elif statement.type == "method":
            self.out.helper(statement)
        else:
            self.out.statement(statement)

    def _deferred(self, variable: str) -> None:
        """A value computed per target: a function holding every top-level assignment of it."""
        self.writer.line("")
        self.writer.line("")
        with self.writer.block(f"def {py_name(variable)}():"):
            for statement in self.source.tree.kids:
                if _assigned(statement) == variable:
                    inner = statement
                    if statement.type == "assignment" and statement.field("right").type in (
                            "if", "unless", "case", "begin"):
                        self.out.assign_branches(py_name(variable), statement.field("right"))
                        continue
                    self.out.statement(inner)
            self.writer.line(f"return {py_name(variable)}")
        self.writer.line("")
        self.writer.line("")


    def _file_only_if(self, node: Node) -> None:
        _, body = block_parts(node)
        try:
            if body is None:
                raise Untranslatable("a multi-statement only_if", node)
            condition = self.out.ex(body)
        except Untranslatable as error:
            self.out.todo(error, node)
            return
        arguments = call_arguments(node)
        self.file_message = self.out.ex(arguments[0]) if arguments else None
        self.writer.line("")
        with self.writer.block("def _file_applies():"):
            self.writer.line('"""The file\'s only_if: where it is false, every control of this file is skipped."""')
            self.writer.line(f"return {condition}")
        self.file_condition = "_file_applies()"

    def _include(self, node: Node, verb: str) -> None:
        arguments = [self.out.ex(a) for a in call_arguments(node)]
        skipped, required, impacts = [], [], {}
        block = node.field("block")
        body = block.field("body") if block is not None else None
        for statement in body.kids if body is not None else []:
            name = call_name(statement)
            if name in ("skip_control", "skip_rule"):
                skipped.append(self.out.ex(call_arguments(statement)[0]))
            elif name in ("control", "rule"):
                control_id = self.out.ex(call_arguments(statement)[0])
                required.append(control_id)
                for meta in (statement.field("block").field("body").kids if statement.field("block") else []):
                    if call_name(meta) == "impact":
                        impacts[control_id] = self.out.ex(call_arguments(meta)[0])
        self.used.add(verb)
        extra = []
        if verb == "include_controls" and skipped:
            extra.append(f"skip=[{', '.join(skipped)}]")
        if verb == "require_controls":
            extra.append(f"[{', '.join(required)}]")
        if impacts:
            extra.append("impact={" + ", ".join(f"{k}: {v}" for k, v in impacts.items()) + "}")
        self.writer.line(f"{verb}({', '.join(arguments[:1] + extra)})")

    def _control(self, node: Node) -> None:
        arguments = call_arguments(node)
        block = node.field("block")
        body = block.field("body") if block is not None else None
        statements = body.kids if body is not None else []
        options: list[str] = [self.out.ex(arguments[0])]
        tags: list[str] = []
        refs: list[str] = []
        descriptions: list[str] = []
        only_if: list[str] = [self.file_condition] if self.file_condition else []
        message = self.file_message
        rest = []
        for statement in statements:
            name = call_name(statement) if statement.type == "call" else None
            if name not in _META:
                rest.append(statement)
                continue
            try:
                values = [self.out.ex(a) for a in call_arguments(statement)]
                pairs = self._pairs(statement)
                if name == "impact":
                    options.append(f"impact={values[0]}")
                elif name == "title":
                    options.append(f"title={values[0]}")
                elif name == "desc" and len(values) >= 2:
                    descriptions.append(f"{values[0]}: {values[1]}")
                elif name == "desc":
                    options.append(f"desc={values[0]}")
                elif name == "tag":
                    tags += [f"{v}: None" for v in values if v not in pairs.values()] + \
                        [f"{string_literal(k)}: {v}" for k, v in pairs.items()]
                elif name == "ref":
                    ref = ([f'"ref": {values[0]}'] if values and values[0] not in pairs.values() else []) + \
                        [f"{string_literal(k)}: {v}" for k, v in pairs.items()]
                    refs.append("{" + ", ".join(ref) + "}")
                elif name == "only_if":
                    _, condition = block_parts(statement)
                    if condition is None:
                        raise Untranslatable("a multi-statement only_if", statement)
                    only_if.append(self.out.wrap(condition))
                    plain = [v for v in values if v not in pairs.values()]
                    message = plain[0] if plain else message
            except Untranslatable as error:
                self.out.todo(error, statement)
        if tags:
            options.append("tags={" + ", ".join(tags) + "}")
        if refs:
            options.append(f"refs=[{', '.join(refs)}]")
        if descriptions:
            options.append("descriptions={" + ", ".join(descriptions) + "}")
        if only_if:
            options.append(f"only_if=lambda: {' and '.join(only_if)}")
        if message:
            options.append(f"only_if_message={message}")
        self.used.add("control")
        self.writer.line("")
        self.writer.line("")
        self._decorator(options)
        with self.writer.block("def _():"):
            for statement in rest:
                self.out.statement(statement)

    def _pairs(self, statement: Node) -> dict[str, str]:
        arguments = statement.field("arguments")
        pairs = {}
        for kid in arguments.kids if arguments is not None else []:
            for pair in ([kid] if kid.type == "pair" else [k for k in kid.kids if k.type == "pair"]
                         if kid.type == "hash" else []):
                key = pair.field("key") or pair.kids[0]
                pairs[key.text if key.type == "hash_key_symbol" else self.out.ex(key).strip('"')] = \
                    self.out.ex(pair.field("value") or pair.kids[-1])
        return pairs

    def _decorator(self, options: list[str]) -> None:
        one_line = f"@control({', '.join(options)})"
        if len(one_line) <= 110:
            self.writer.line(one_line)
            return
        self.writer.line("@control(")
        self.writer.level += 1
        for option in options:
            self.writer.line(option + ",")
        self.writer.level -= 1
        self.writer.line(")")

    def _module(self) -> str:
        body = tidy(self.writer.lines)
        text = "\n".join(body)
        dsl = [n for n in ("control", "describe", "input", "include_controls", "require_controls")
               if n in self.used or f"{n}(" in text]
        builtin = sorted(n for n in self.names.resources - self.library_resources if calls(n, text))
        head = [f'"""{self.title or "Controls imported from " + self.source.path}."""'
                if not (self.title or "").endswith(".") else f'"""{self.title}"""',
                f"# Imported from {self.source.path} by `inspecpy import`.", ""]
        if "re" in self.names.imports and re.search(r"\bre\.", text):
            head.append("import re")
            head.append("")
        if dsl:
            head.append(f"from inspecpy import {', '.join(dsl)}")
        compat = sorted(i.split(":", 1)[1] for i in self.names.imports if i.startswith("compat:"))
        errors = sorted(i.split(":", 1)[1] for i in self.names.imports if i.startswith("errors:"))
        if errors:
            head.append(f"from inspecpy.errors import {', '.join(errors)}")
        if builtin:
            head.append(f"from inspecpy.resources import {', '.join(builtin)}")
        if compat:
            head.append(f"from inspecpy.ruby.compat import {', '.join(compat)}")
        used_library = sorted(n for n in self.library_resources if calls(n, text))
        if used_library:
            head.append(f"# {', '.join(used_library)}: resources from this profile's libraries/ (in scope here)")
        return "\n".join(head + ["", ""] + body).rstrip() + "\n"

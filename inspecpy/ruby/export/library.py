"""A Ruby library file as a Python one: ``class X < Inspec.resource(1)`` as a ``Resource`` subclass.

``name``/``supports``/``desc``/``example`` become class attributes and the
docstring; ``initialize`` becomes ``__init__``; a method without parameters
becomes a property (what ``its`` and predicate matchers read), others stay
methods; ``inspec.command(...)`` is ``command(...)``; ``@x`` is ``self._x``;
``skip_resource`` raises ``ResourceSkipped``.
"""

from __future__ import annotations

import re


from inspecpy.ruby.export.expressions import Names, Untranslatable, py_name
from inspecpy.ruby.export.statements import Statements, Writer, call_name, calls, parameters, tidy
from inspecpy.ruby.export.statements import arguments as call_arguments
from inspecpy.ruby.syntax import Node, SourceFile


def _is_resource_class(node: Node) -> bool:
    superclass = node.field("superclass")
    if superclass is None or not superclass.kids:
        return False
    call = superclass.kids[0]
    return call.type == "call" and call.field("method") is not None and call.field("method").text == "resource"


class LibraryTranslator:
    def __init__(self, source: SourceFile, resources: set[str], library_resources: set[str]):
        self.source = source
        self.resources = set(resources) | set(library_resources)
        self.library_resources = library_resources
        self.writer = Writer()
        self.names = Names(resources=self.resources)
        self.out = Statements(self.names, source, self.writer)
        self.todos = self.out.todos
        self.needs_resource = False

    def translate(self) -> str:
        for statement in self.source.tree.kids:
            if statement.type == "comment":
                self.out.comment(statement)
            elif statement.type == "class" and _is_resource_class(statement):
                self._resource(statement)
            elif statement.type == "method":
                self.out.helper(statement)
            else:
                self.out.statement(statement)
        head = [f'"""Imported from {self.source.path} by `inspecpy import`."""', ""]
        text = "\n".join(self.writer.lines)
        if "re" in self.names.imports and re.search(r"\bre\.", text):
            head += ["import re", ""]
        if self.needs_resource:
            head.append("from inspecpy.resources.base import Resource")
        errors = sorted(i.split(":", 1)[1] for i in self.names.imports if i.startswith("errors:"))
        if errors:
            head.append(f"from inspecpy.errors import {', '.join(errors)}")
        builtin = sorted(n for n in self.resources - self.library_resources if calls(n, text))
        if builtin:
            head.append(f"from inspecpy.resources import {', '.join(builtin)}")
        compat = sorted(i.split(":", 1)[1] for i in self.names.imports if i.startswith("compat:"))
        if compat:
            head.append(f"from inspecpy.ruby.compat import {', '.join(compat)}")
        return "\n".join(head + ["", ""] + tidy(self.writer.lines)).rstrip() + "\n"

    def _resource(self, node: Node) -> None:
        self.needs_resource = True
        body = node.field("body")
        statements = body.kids if body is not None else []
        methods = [s for s in statements if s.type == "method"]
        properties = {m.field("name").text for m in methods if not _has_params(m) and
                      m.field("name").text not in ("initialize", "to_s")}
        readers = []
        meta: dict[str, str] = {}
        supports = []
        for statement in statements:
            name = call_name(statement) if statement.type == "call" else None
            values = call_arguments(statement) if name else []
            if name in ("name", "desc", "example") and values:
                meta[name] = self.out.ex(values[0])
            elif name == "supports":
                for pair in values:
                    supports.append(self.out.ex(pair))
            elif name in ("attr_reader", "attr_accessor"):
                readers += [v.text[1:] for v in values if v.type == "simple_symbol"]
        self.names.in_class = True
        self.names.properties = properties | set(readers)
        self.names.methods = {m.field("name").text for m in methods} - properties
        class_name = node.field("name").text
        resource = meta.get("name", '"' + class_name.lower() + '"').strip('"')
        self.writer.line("")
        self.writer.line("")
        with self.writer.block(f"class {class_name}(Resource):"):
            doc = [meta["desc"].strip('"') if "desc" in meta else f"The {resource} resource."]
            doc.append("")
            doc.append(f"Python: ``describe({resource}())`` — YAML: ``- {resource}: null``")
            if "example" in meta:
                doc += ["", "Ruby example (from the original profile)::", ""]
                doc += ["    " + line.strip() for line in meta["example"].strip('"').replace("\\n", "\n").splitlines()
                        if line.strip()]
            self.writer.line('"""' + doc[0])
            for line in doc[1:]:
                self.writer.line(line)
            self.writer.line('"""')
            self.writer.line("")
            self.writer.line(f'name = "{resource}"')
            if supports:
                self.writer.line(f"supports = ({', '.join(s for s in supports)},)")
            for statement in statements:
                if statement.type == "comment":
                    self.out.comment(statement)
                elif statement.type == "method":
                    self._method(statement, properties)
            for reader in readers:
                self.writer.line("")
                self.writer.line("@property")
                with self.writer.block(f"def {py_name(reader)}(self):"):
                    self.writer.line(f"return self._{reader}")
        self.names.in_class = False

    def _method(self, node: Node, properties: set[str]) -> None:
        name = node.field("name").text
        self.writer.line("")
        try:
            params = parameters(self.out, node)
        except Untranslatable as error:
            self.out.todo(error, node)
            return
        body = node.field("body")
        if name == "initialize":
            with self.writer.block(f"def __init__(self{', ' + params if params else ''}):"):
                self.writer.line("super().__init__()")
                for statement in body.kids if body is not None else []:
                    if statement.type == "call" and statement.field("method") is not None and \
                            statement.field("method").type == "super":
                        continue
                    if statement.type == "super":
                        continue
                    self.out.statement(statement)
            return
        if name == "to_s":
            header = "def __str__(self):"
        elif name in properties:
            self.writer.line("@property")
            header = f"def {py_name(name)}(self):"
        else:
            header = f"def {py_name(name)}(self{', ' + params if params else ''}):"
        with self.writer.block(header):
            self.out.body(body, tail=True)


def _has_params(method: Node) -> bool:
    params = method.field("parameters")
    return params is not None and any(k.type != "comment" for k in params.kids)

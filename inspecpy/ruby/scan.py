"""``inspecpy check`` for Ruby files: every construct outside the evaluated Ruby, before anything runs.

Walks each file's syntax tree for node types the evaluator does not
evaluate, constants it does not know (``ObjectSpace``) and that the profile
does not define, functions it refuses (``eval``, ``system``), global
variables, regexes Python's ``re`` cannot express, and ``input`` names
used with no default that ``inspec.yml`` does not declare::

    controls/x.rb:12: Ruby `ObjectSpace` is not supported
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterator

from inspecpy.errors import ProfileError
from inspecpy.errors import Problem
from inspecpy.ruby import builtins
from inspecpy.ruby.evaluator import EVALUATED, UNSUPPORTED_NAMES, Evaluator
from inspecpy.ruby.literals import regex_options
from inspecpy.ruby.regex import RegexUnsupported, to_python
from inspecpy.ruby.syntax import Node, SourceFile, constant_path, parse_file

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.loader import Profile

_KNOWN_CONSTANTS = set(builtins.builtin_constants()) | {"Inspec"}
_DYNAMIC_METHODS = {"instance_eval", "class_eval", "module_eval", "instance_exec", "define_method",
                    "instance_variable_get", "instance_variable_set", "const_get", "const_set", "method_missing",
                    "singleton_class", "extend"}


def unsupported_places(source: SourceFile, defined: set[str]) -> Iterator[tuple[int, str]]:
    """(line, what) for each construct of *source* that is not evaluated; *defined*: the profile's constants."""
    stack = [source.tree]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind not in EVALUATED:
            yield node.line, UNSUPPORTED_NAMES.get(kind, f"`{kind}`")
            continue
        if kind in ("constant", "scope_resolution"):
            yield from _constant(node, defined)
            continue  # the parts of A::B are checked as one name
        if kind in ("class", "module"):
            stack.extend(k for k in reversed(node.kids) if k is not node.field("name"))
            continue
        if kind == "global_variable" and node.text != "$~" and not node.text[1:].isdigit():
            yield node.line, f"global variable {node.text}"
        elif kind == "call":
            method = node.field("method")
            name = method.text if method is not None else None
            if node.field("receiver") is None and name in builtins.UNSUPPORTED_FUNCTIONS:
                yield node.line, f"`{name}`"
            elif name in _DYNAMIC_METHODS:
                yield node.line, f"`{name}`"
        elif kind == "method" and node.field("name") is not None and node.field("name").text == "method_missing":
            yield node.line, "`method_missing`"
        elif kind == "regex" and not any(k.type == "interpolation" for k in node.kids):
            text = "".join(k.text or "" for k in node.kids)
            try:
                to_python(text, regex_options(node))
            except RegexUnsupported as error:
                yield node.line, f"regex /{text}/: {error}"
        stack.extend(reversed(node.kids))


def _constant(node: Node, defined: set[str]) -> Iterator[tuple[int, str]]:
    if node.type == "constant":
        name = node.text
        if name not in _KNOWN_CONSTANTS and name not in defined:
            yield node.line, f"`{name}`"
        return
    path = constant_path(node)
    if path is None or path in _KNOWN_CONSTANTS or path in defined:
        return
    head = path.split("::")[0]
    if head in builtins.UNSUPPORTED_CONSTANTS or (head not in defined and head not in _KNOWN_CONSTANTS):
        yield node.line, f"`{path}`"


def defined_constants(sources: list[SourceFile]) -> set[str]:
    """Class, module and constant names the profile's Ruby files define."""
    names: set[str] = set()
    for source in sources:
        for node in source.tree.walk():
            if node.type in ("class", "module"):
                name = node.field("name")
                path = constant_path(name) if name is not None else None
                if path:
                    names.add(path)
                    names.add(path.split("::")[-1])
            elif node.type == "assignment" and node.field("left").type == "constant":
                names.add(node.field("left").text)
    return names


def undeclared_inputs(source: SourceFile, declared: set[str]) -> Iterator[tuple[int, str]]:
    """``input('x')`` without ``value:`` for an input inspec.yml does not declare."""
    for node in source.tree.walk():
        if node.type != "call" or node.field("receiver") is not None:
            continue
        method = node.field("method")
        if method is None or method.text not in ("input", "attribute"):
            continue
        args = node.field("arguments")
        kids = [k for k in (args.kids if args is not None else []) if k.type != "comment"]
        if not kids or kids[0].type != "string" or any(k.type == "interpolation" for k in kids[0].kids):
            continue
        name = "".join(k.text or "" for k in kids[0].kids)
        has_default = any(k.type == "pair" and (k.field("key") is not None and
                                                 (k.field("key").text or "").strip(":") in ("value", "default"))
                          for k in kids[1:])
        if not has_default and name not in declared:
            yield node.line, name


def findings(profile: "Profile", files: list[str]) -> Iterator[Problem]:
    sources: list[SourceFile] = []
    for path in files:
        rel = os.path.relpath(path, profile.path)
        try:
            sources.append(parse_file(path, rel))
        except ProfileError:
            continue  # the loader already reported it
    defined = defined_constants(sources)
    declared = set(profile.inputs.specs) | set(profile.inputs.values)
    for source in sources:
        seen: set[tuple[int, str]] = set()
        for line, what in unsupported_places(source, defined):
            if (line, what) not in seen:
                seen.add((line, what))
                yield Problem(f"Ruby {what} is not supported", source.path, line)
        for line, name in undeclared_inputs(source, declared):
            yield Problem(f"input {name!r} is used but not declared in inspec.yml (declare it under "
                          f"inputs:, or give a default: input('{name}', value: ...))", source.path, line)

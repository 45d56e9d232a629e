"""Tab completion for the shell, as a pure function of the line and the namespace.

::

    complete('describe(fil', ns)                    # ['file(']
    complete('file("/etc/passwd").mo', ns)          # ['mode', 'mtime']
    complete('describe(x).should.be_f', ns)         # ['be_file']
    complete('describe(file("/x")).its("ow', ns)    # ['owner']

The result replaces the identifier being typed (the characters after the
last non-identifier character), which is what readline completes when its
delimiters are every non-identifier character (:data:`DELIMITERS`).
"""

from __future__ import annotations

import keyword
import re
from typing import Any

import inspecpy.dsl.matchers as matchers
from inspecpy.dsl.expect import Describe, Expectation
from inspecpy.resources.base import Resource
from inspecpy.shell.members import attribute_names, method_names

DELIMITERS = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?."
_TOKEN = re.compile(r"[A-Za-z_]\w*$|$")
_ITS = re.compile(r"""describe\(\s*(\w+)\(.*\)\s*\)\.its\(\s*["']([\w.]*)$""")
_DESCRIBE_METHODS = ["its", "should", "should_not"]


def _matcher_names() -> list[str]:
    return sorted(set(matchers.MATCHERS) | {n for n in dir(Expectation) if n.startswith("be_") or n in
                                              ("eq", "cmp", "match", "include", "exist")})


def _closing_call(text: str) -> str | None:
    """For ``... name(args)`` (text ending in ``)``), the callee's dotted name, else None."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        ch = text[index]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                found = re.search(r"([A-Za-z_][\w.]*)\s*$", text[:index])
                return found.group(1) if found else None
    return None


def _members_of(obj: Any) -> list[str]:
    cls = obj if isinstance(obj, type) else type(obj)
    if isinstance(obj, Describe) or cls is Describe:
        return _DESCRIBE_METHODS
    if isinstance(obj, Expectation) or cls is Expectation:
        return _matcher_names()
    if isinstance(cls, type) and issubclass(cls, Resource):
        return attribute_names(cls) + method_names(cls)
    return [n for n in dir(obj) if not n.startswith("_")]


def _after_dot(before: str, namespace: dict[str, Any]) -> list[str]:
    """Candidates after ``<expression>.``."""
    head = before[:-1].rstrip()
    if re.search(r"\.should(_not)?$", head):
        return _matcher_names()
    if head.endswith(")"):
        callee = _closing_call(head)
        if callee is None:
            return []
        last = callee.rsplit(".", 1)[-1]
        if last in ("describe", "its"):
            return _DESCRIBE_METHODS
        if callee in namespace and isinstance(namespace[callee], type):
            return _members_of(namespace[callee])
        return []
    found = re.search(r"([A-Za-z_]\w*)$", head)
    if found and found.group(1) in namespace:
        return _members_of(namespace[found.group(1)])
    return []


def complete(line: str, namespace: dict[str, Any]) -> list[str]:
    """Completions for the identifier at the end of *line* (the text before the cursor)."""
    found = _TOKEN.search(line)
    assert found is not None  # the pattern's "|$" alternative matches every line
    token = found.group(0)
    before = line[: len(line) - len(token)]
    its = _ITS.search(line)
    if its:
        cls = namespace.get(its.group(1))
        if isinstance(cls, type) and issubclass(cls, Resource):
            return sorted(n for n in attribute_names(cls) if n.startswith(token))
        return []
    if before.endswith("."):
        return sorted(n for n in set(_after_dot(before, namespace)) if n.startswith(token))
    if re.search(r"""["'][^"']*$""", before):  # inside a string: nothing to offer
        return []
    out = []
    for name, value in namespace.items():
        if name.startswith(token) and not name.startswith("_"):
            out.append(name + "(" if callable(value) else name)
    out += [k for k in keyword.kwlist if k.startswith(token)]
    return sorted(set(out))

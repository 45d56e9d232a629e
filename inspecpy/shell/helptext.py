"""``help()`` in the shell: resources, matchers and keys; ``help(file)`` for one resource.

::

    inspecpy> help(file)
    file: A file (or any path) on the target.

    Attributes: basename, content, exists, gid, group, ...
    Methods:    readable_by, writable_by, ...

    Python::
        describe(file("/etc/shadow")).should.exist()
    ...
"""

from __future__ import annotations

import inspect
import pydoc
import textwrap
from typing import Any

import inspecpy.dsl.matchers as matchers
from inspecpy.names import did_you_mean
from inspecpy.resources.base import Resource
from inspecpy.shell.members import attribute_names, method_names

KEYS = "Tab completes names and attributes, Up/Down walk the history, Ctrl-C cancels the line, Ctrl-D leaves."


def summary(cls: type) -> str:
    """What a plugin class says it is: its ``description`` text, else the first line of its docstring.

    (A resource may have a ``description`` *attribute* of its own, like ``service``: that is not a summary.)
    """
    described = vars(cls).get("description") if "description" in vars(cls) else getattr(cls, "description", "")
    if isinstance(described, str) and described:
        return described
    doc = inspect.getdoc(cls) or ""
    return doc.splitlines()[0] if doc else ""


def _wrap(label: str, names: list[str], width: int = 88) -> list[str]:
    text = ", ".join(names) or "(none)"
    return textwrap.wrap(text, width, initial_indent=f"{label:<12}", subsequent_indent=" " * 12)


def overview(resources: dict[str, type[Resource]]) -> str:
    """``help()``: every resource with its summary, the DSL, the matchers and the keys."""
    width = max((len(n) for n in resources), default=10) + 2
    lines = ["Resources (help(NAME) shows one; a bare resource prints its attributes):"]
    lines += [f"  {name:<{width}} {summary(cls)}" for name, cls in sorted(resources.items())]
    lines += ["", "DSL:", '  describe(RESOURCE_OR_VALUE).its("attr").should.MATCHER(...)   one test, shown at once',
              "  @control(\"id\", impact=0.5, title=...) then def _(): ...      a control, run when defined",
              '  input("name", value=default)   skip("reason")',
              "", *_wrap("Matchers:", sorted(matchers.MATCHERS) + ["be_<property>"]),
              "", KEYS]
    return "\n".join(lines)


def resource_help(cls: type[Resource]) -> str:
    """``help(file)``: summary, attributes, methods and the docstring's examples."""
    doc = inspect.getdoc(cls) or ""
    lines = [f"{cls.name}: {summary(cls)}", ""]
    lines += _wrap("Attributes:", attribute_names(cls))
    methods = method_names(cls)
    if methods:
        lines += _wrap("Methods:", methods)
    rest = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
    if rest:
        lines += ["", rest]
    return "\n".join(lines)


def matcher_help() -> str:
    """``help("matchers")``."""
    return "\n".join(_wrap("Matchers:", sorted(matchers.MATCHERS) + ["be_<property>"]))


def help_text(topic: Any, resources: dict[str, type[Resource]]) -> str:
    """The text ``help(topic)`` prints."""
    if topic is None:
        return overview(resources)
    if isinstance(topic, str):
        if topic in resources:
            return resource_help(resources[topic])
        if topic in ("matchers", "matcher"):
            return matcher_help()
        return f"No resource named {topic!r}{did_you_mean(topic, resources)}. help() lists them."
    cls = topic if isinstance(topic, type) else type(topic)
    if issubclass(cls, Resource) and cls.name:
        return resource_help(cls)
    # pydoc.plaintext (pydoc's renderer without overstrike bold) exists at runtime; typeshed omits it
    return pydoc.render_doc(topic, renderer=pydoc.plaintext).strip()  # type: ignore[attr-defined]

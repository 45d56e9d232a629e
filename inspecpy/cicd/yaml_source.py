"""Loading CI and Kubernetes YAML safely, the way GitHub and kubectl read it.

PyYAML's safe loader (the C one when available) with two changes:

* booleans are YAML 1.2's ``true``/``false`` only, so ``on:`` stays the key
  ``"on"`` (YAML 1.1 reads it as ``True``) and ``no``/``yes`` stay strings,
  as GitHub and Kubernetes read them;
* every mapping is a :class:`Node` (a dict) that remembers its ``line``.

Anchors, aliases and merge keys (``<<: *defaults``) are resolved by PyYAML.

>>> doc = load_one("on: push\\njobs: {a: {runs-on: x}}\\n", "ci.yml")
>>> doc["on"], doc["jobs"]["a"].line
('push', 2)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from inspecpy.yaml_errors import yaml_problem

if TYPE_CHECKING:  # the C loader is optional at run time; both have the SafeLoader interface
    _Base = yaml.SafeLoader
else:
    _Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(ValueError):
    """A file that cannot be read as the YAML it should be; the message names the file and line."""


class Node(dict):
    """A YAML mapping that knows the (1-based) line it starts on."""

    __slots__ = ("line",)

    def __init__(self, *args, line: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line


class _Loader(_Base):
    """Safe loading, YAML 1.2 booleans, mappings as :class:`Node`."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


def _build(loader: _Loader, node, memo: dict[int, object]):
    """Python values from a composed node tree: PyYAML's safe constructor, ~2x faster for CI files.

    Strings (most of a workflow) are taken as they are; other scalars go through the
    safe constructor; an alias is the same object (memo), so anchors cost nothing.
    """
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node)
    built = memo.get(id(node))
    if built is not None:
        return built
    if isinstance(node, yaml.SequenceNode):
        items: list = []
        memo[id(node)] = items
        items.extend(_build(loader, child, memo) for child in node.value)
        return items
    mapping = Node(line=node.start_mark.line + 1)
    memo[id(node)] = mapping
    merged: list[dict] = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:  # <<: *defaults or <<: [*a, *b]; explicit keys win
            value = _build(loader, value_node, memo)
            merged.extend(value if isinstance(value, list) else [value])
            continue
        key = _build(loader, key_node, memo)
        try:
            mapping[key] = _build(loader, value_node, memo)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found an unhashable key",
                key_node.start_mark) from None
    for source in reversed(merged):
        if not isinstance(source, dict):
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "a merge key needs a mapping", node.start_mark)
        for key, value in source.items():
            mapping.setdefault(key, value)
    return mapping


# Helm's actions, not any ``{{ }}``: KServe ServingRuntimes legitimately carry ``{{.Name}}`` for KServe to fill.
_HELM = re.compile(r"\{\{-|-\}\}|\{\{\s*(?:if|else|end|range|with|define|include|template|toYaml|tpl|\$)\b"
                   r"|\{\{[^}]*\.(?:Values|Release|Chart|Capabilities|Files|Template)\b")


def helm_template_line(text: str) -> int | None:
    """The first line holding an unrendered Helm template action (``{{ .Values.x }}``), or None."""
    found = _HELM.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _problem(error: yaml.YAMLError, name: str) -> YamlProblem:
    problem = yaml_problem(name, error)  # the file, the line and a hint, worded as for profiles
    return YamlProblem(f"{problem.where}not valid YAML ({problem.message})")


# Aliases let a few lines expand to billions of nodes ("billion laughs"); anything that walks or
# prints such a document would never finish, so it is refused when loaded.
MAX_EXPANDED_NODES = 1_000_000


def expanded_size(value: object, seen: dict[int, int] | None = None) -> int:
    """How many nodes *value* has once every alias is expanded (shared nodes counted each time)."""
    seen = {} if seen is None else seen
    if not isinstance(value, (dict, list)):
        return 1
    known = seen.get(id(value))
    if known is not None:
        return known
    seen[id(value)] = 1  # a cycle counts once
    children = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    size = 1 + sum(expanded_size(v, seen) for _, v in children)
    seen[id(value)] = size
    return size


def load_all(text: str, name: str) -> list:
    """Every document of *text* (a ``---``-only file gives ``[None]``); YamlProblem names the file:line."""
    loader = _Loader(text)
    try:
        docs = []
        while loader.check_node():
            docs.append(_build(loader, loader.get_node(), {}))
    except yaml.YAMLError as error:
        raise _problem(error, name) from None
    except RecursionError:
        raise YamlProblem(f"{name}: YAML nested too deeply to read") from None
    finally:
        loader.dispose()
    if "*" in text:
        for doc in docs:
            if expanded_size(doc) > MAX_EXPANDED_NODES:
                raise YamlProblem(f"{name}: YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes "
                                  "(a 'billion laughs' document)")
    return docs


def load_one(text: str, name: str):
    """The single document of *text*; several documents are a YamlProblem."""
    docs = [d for d in load_all(text, name)]
    if len(docs) > 1:
        raise YamlProblem(f"{name}: holds {len(docs)} YAML documents, expected one")
    return docs[0] if docs else None

"""What a resource offers: its attributes (properties, columns) and its methods.

Used to show a bare resource, to write ``help(file)`` and to complete
``file("/x").<Tab>``; nothing here probes the target except :func:`values`::

    attribute_names(File)     # ['basename', 'content', 'exists', 'gid', ...]
    method_names(Model)       # ['evaluate', 'robustness']
"""

from __future__ import annotations

import inspect
from typing import Any

from inspecpy.resources.base import Resource

_HIDDEN = {"check_supported", "attributes", "attribute_names", "example", "title", "resource_id", "label",
           "load_rows", "target"}


def _public(cls: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass in (object, Resource):
            continue
        found.update({k: v for k, v in vars(klass).items() if not k.startswith("_") and k not in _HIDDEN})
    return found


def attribute_names(cls: type) -> list[str]:
    """Properties, cached properties and other data descriptors (e.g. FilterTable columns)."""
    names = set(cls.attribute_names()) if issubclass(cls, Resource) else set()
    for name, value in _public(cls).items():
        if inspect.isfunction(value) or isinstance(value, (staticmethod, classmethod, type)):
            continue
        if hasattr(value, "__get__"):
            names.add(name)
    return sorted(names - _HIDDEN)


def method_names(cls: type) -> list[str]:
    """Public methods a control may call (``where``, ``evaluate``, ``readable_by``)."""
    return sorted(n for n, v in _public(cls).items() if inspect.isfunction(v))


def values(resource: Any) -> dict[str, Any]:
    """Every attribute's value, errors shown as text (probes the target; for display only)."""
    shown = dict(resource.attributes()) if isinstance(resource, Resource) else {}
    for name in attribute_names(type(resource)):
        if name not in shown:
            try:
                shown[name] = getattr(resource, name)
            except Exception as error:  # shown to a person, never judged
                shown[name] = f"<error: {error}>"
    return dict(sorted((k, v) for k, v in shown.items() if k not in _HIDDEN))

"""What an object declares: the attributes and methods ``its()``, predicate matchers, ``check``,
the shell's completion and ``help()`` may reach — and nothing else.

A resource declares its attributes as properties (or probes, columns) and
annotated fields, and its predicates as public methods; a result object as
dataclass fields and properties. A name it does not declare is an error
with the nearest declared names, never a silent ``None``::

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Score:
    ...     accuracy: float
    ...     @property
    ...     def passed(self) -> bool:
    ...         return self.accuracy > 0.9
    >>> sorted(attribute_names(Score))
    ['accuracy', 'passed']
    >>> member(Score(0.95), "acuracy")
    Traceback (most recent call last):
    ...
    inspecpy.members.UnknownMember: Score has no attribute 'acuracy' (did you mean 'accuracy'?); it has: accuracy, passed
"""

from __future__ import annotations

import dataclasses
import inspect
from functools import lru_cache
from typing import Any

from inspecpy.errors import InspecpyError
from inspecpy.names import did_you_mean

#: Framework methods of the resource base classes: not something a control asks about.
FRAMEWORK = frozenset({
    "require_supported", "attribute_names", "method_names", "example", "title", "label",
    "load_rows", "target", "resource_id", "parse", "column", "value_of", "figures",
})


#: Class-level settings of resources (``name = "file"``): how a resource is registered, not what it answers.
SETTINGS = frozenset({"name", "display_name", "description", "supports", "default_path", "keyed", "scheme",
                      "block_keywords"})


class UnknownMember(InspecpyError, AttributeError):
    """A name the object does not declare (a typo, or an attribute of another resource)."""


def _framework_base(klass: type) -> bool:
    return klass is object or getattr(klass, "__module__", "") == "inspecpy.resources.base" and \
        klass.__name__ == "Resource"


@lru_cache(maxsize=None)
def _declared(cls: type) -> tuple[frozenset[str], frozenset[str]]:
    attributes: set[str] = set()
    methods: set[str] = set()
    for klass in reversed(cls.__mro__):
        if _framework_base(klass):
            continue
        for name, annotation in vars(klass).get("__annotations__", {}).items():
            if not name.startswith("_") and "ClassVar" not in str(annotation) and name not in SETTINGS:
                attributes.add(name)
        for name, value in vars(klass).items():
            if name.startswith("_"):
                continue
            if inspect.isfunction(value):
                methods.add(name)
                attributes.discard(name)
            elif isinstance(value, (staticmethod, classmethod, type)):
                continue
            elif hasattr(value, "__get__"):  # property, probe, cached_property, Column
                attributes.add(name)
                methods.discard(name)
            elif name not in SETTINGS and not name.isupper():  # a plain class attribute (not a CONSTANT)
                attributes.add(name)
    if dataclasses.is_dataclass(cls):
        attributes.update(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))
    return frozenset(attributes - FRAMEWORK), frozenset(methods - FRAMEWORK)


def attribute_names(cls: type) -> list[str]:
    """The data attributes *cls* declares (properties, probes, columns, fields)."""
    return sorted(_declared(cls)[0])


def method_names(cls: type) -> list[str]:
    """The public methods *cls* declares (``where``, ``evaluate``, ``readable_by``)."""
    return sorted(_declared(cls)[1])


def _is_plain_data(obj: Any) -> bool:
    return isinstance(obj, (str, bytes, int, float, bool, list, tuple, set, frozenset, dict)) or obj is None


def declares(obj: Any, name: str) -> bool:
    """True when *obj* declares *name* (for a plain object, its own fields count too)."""
    cls: type = type(obj)  # type(Any) is type[Any], which mypy does not count as Hashable
    attributes, methods = _declared(cls)
    if name in attributes or name in methods:
        return True
    if _is_plain_data(obj):
        return hasattr(type(obj), name) and not name.startswith("_")
    own = getattr(obj, "__dict__", None)
    from_resource = any(getattr(k, "__name__", "") == "Resource" for k in type(obj).__mro__)
    return not from_resource and isinstance(own, dict) and name in own and not name.startswith("_")


def known_names(obj: Any) -> list[str]:
    """Every name *obj* declares, for messages and completion."""
    cls: type = type(obj)  # type(Any) is type[Any], which mypy does not count as Hashable
    attributes, methods = _declared(cls)
    names = set(attributes) | set(methods)
    own = getattr(obj, "__dict__", None)
    if isinstance(own, dict) and not any(getattr(k, "__name__", "") == "Resource" for k in type(obj).__mro__):
        names.update(k for k in own if not k.startswith("_"))
    return sorted(names)


def label(obj: Any) -> str:
    """How a message names *obj*: a resource by its name, anything else by its type."""
    return getattr(type(obj), "name", "") or type(obj).__name__


def member(obj: Any, name: str) -> Any:
    """``obj.name`` when *obj* declares it; else :class:`UnknownMember` naming the nearest ones."""
    if not declares(obj, name):
        names = known_names(obj)
        listing = f"; it has: {', '.join(names)}" if names else ""
        raise UnknownMember(f"{label(obj)} has no attribute {name!r}{did_you_mean(name, names)}{listing}")
    return getattr(obj, name)

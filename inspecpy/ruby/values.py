"""Ruby values as Python values, and the Ruby semantics that differ from Python's.

``nil``/``true``/``false`` are ``None``/``True``/``False``; integers, floats,
strings, arrays and hashes are Python's own; a few Ruby types get a small
class (:class:`Symbol`, :class:`RubyRange`, :class:`RubyRegexp`,
:class:`MatchData`). Only ``nil`` and ``false`` are false in Ruby::

    truthy(0), truthy(""), truthy(None)     # (True, True, False)
    to_s([1, "a", None])                    # '[1, "a", nil]'
    equal(1, True)                          # False (Ruby's 1 == true)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any


class Symbol(str):
    """A Ruby symbol (``:name``). A ``str`` so it reaches Python APIs as the name it spells."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Symbol({str(self)!r})"


@dataclass(frozen=True)
class RubyRange:
    """``a..b`` (inclusive) or ``a...b`` (exclusive); integer ranges iterate."""

    first: Any
    last: Any
    exclusive: bool = False

    def __contains__(self, value: Any) -> bool:
        try:
            if self.first is not None and value < self.first:
                return False
            if self.last is None:
                return True
            return value < self.last if self.exclusive else value <= self.last
        except TypeError:
            return False

    def to_list(self) -> list:
        if not isinstance(self.first, int) or not isinstance(self.last, int):
            raise RubyError("TypeError", f"can't iterate from {type(self.first).__name__}")
        return list(range(self.first, self.last if self.exclusive else self.last + 1))


@dataclass(frozen=True)
class RubyRegexp:
    """A Ruby regex: its Ruby ``source`` and ``options``, and the translated Python ``pattern``."""

    source: str
    options: str
    pattern: re.Pattern

    def search(self, text: str):
        return self.pattern.search(text)


class MatchData:
    """The result of a successful match (``$~``): ``[0]``, ``[1]``, ``[:name]``, ``captures``."""

    def __init__(self, match: re.Match):
        self.match = match

    def __getitem__(self, key: Any) -> Any:
        try:
            return self.match.group(str(key) if isinstance(key, str) else key)
        except (IndexError, re.error):  # an unknown group is nil in Ruby
            return None

    @property
    def captures(self) -> list:
        return list(self.match.groups())

    def to_s(self) -> str:
        return self.match.group(0)


class RubyError(Exception):
    """An exception raised by Ruby code (or standing in for one): a Ruby class name and a message."""

    def __init__(self, ruby_class: str, message: str = ""):
        super().__init__(message)
        self.ruby_class = ruby_class
        self.message = message

    def __str__(self) -> str:
        return self.message or self.ruby_class


#: Ruby's exception classes the evaluator knows, each with its superclass.
EXCEPTION_PARENTS = {
    "Exception": None, "StandardError": "Exception", "RuntimeError": "StandardError",
    "ArgumentError": "StandardError", "NameError": "StandardError", "NoMethodError": "NameError",
    "TypeError": "StandardError", "KeyError": "IndexError", "IndexError": "StandardError",
    "ZeroDivisionError": "StandardError", "RangeError": "StandardError", "IOError": "StandardError",
    "NotImplementedError": "StandardError", "Errno::ENOENT": "StandardError",
    "Inspec::Exceptions::ResourceSkipped": "StandardError", "Inspec::Exceptions::ResourceFailed": "StandardError",
}


def is_kind_of(ruby_class: str, ancestor: str) -> bool:
    current: str | None = ruby_class
    while current is not None:
        if current == ancestor:
            return True
        current = EXCEPTION_PARENTS.get(current, "StandardError" if current != "Exception" else None)
    return False


def truthy(value: Any) -> bool:
    """Ruby's truth: everything but ``nil`` and ``false``."""
    return value is not None and value is not False


def equal(a: Any, b: Any) -> bool:
    """Ruby's ``==``: ``1 == 1.0`` but ``1 != true``; arrays and hashes element-wise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return str(a) == str(b) and isinstance(a, Symbol) == isinstance(b, Symbol)
    try:
        return bool(a == b)
    except Exception:  # an object whose == cannot compare: not equal, as Ruby's default
        return False


def class_name(value: Any) -> str:
    """The Ruby class name of *value* (for messages: ``NoMethodError: undefined method `x' for nil``)."""
    if value is None:
        return "NilClass"
    if isinstance(value, RubyError):
        return value.ruby_class
    if value is True:
        return "TrueClass"
    if value is False:
        return "FalseClass"
    names = {Symbol: "Symbol", str: "String", int: "Integer", float: "Float", list: "Array", tuple: "Array",
             dict: "Hash", RubyRange: "Range", RubyRegexp: "Regexp", MatchData: "MatchData"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    ruby = getattr(value, "ruby_class_name", None)
    return ruby() if callable(ruby) else type(value).__name__


def float_to_s(value: float) -> str:
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if math.isnan(value):
        return "NaN"
    if value == int(value) and abs(value) < 1e16:
        return f"{int(value)}.0"
    text = repr(value)
    if "e" in text:
        mantissa, _, exponent = text.partition("e")
        if "." not in mantissa:
            mantissa += ".0"
        sign = "-" if exponent.startswith("-") else "+"
        return f"{mantissa}e{sign}{exponent.lstrip('+-').zfill(2)}"
    return text


def to_s(value: Any) -> str:
    """Ruby's ``to_s`` (what ``"#{value}"`` shows)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (list, tuple, dict)):
        return inspect(value)
    if isinstance(value, MatchData):
        return value.to_s()
    return inspect(value)


def inspect(value: Any) -> str:
    """Ruby's ``inspect`` (how ``p``, arrays and messages show a value)."""
    if value is None:
        return "nil"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Symbol):
        return ":" + str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return float_to_s(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(inspect(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{inspect(k)}=>{inspect(v)}" for k, v in value.items()) + "}"
    if isinstance(value, RubyRange):
        return f"{inspect(value.first)}{'...' if value.exclusive else '..'}{inspect(value.last)}"
    if isinstance(value, RubyRegexp):
        return f"/{value.source}/{value.options}"
    if isinstance(value, re.Pattern):
        return f"/{value.pattern}/"
    return str(value)

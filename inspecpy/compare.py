"""InSpec's loose comparison (the ``cmp`` matcher) and value formatting.

``cmp`` compares case-insensitively for strings, numerically for numeric
strings, as octal for modes and as versions for ordering::

    cmp(420, "==", "0644")            # True  (mode 0o644)
    cmp("90", "<=", 99999)            # True
    cmp("1.10.0", ">", "1.9.0")       # True  (versions)
    cmp("Yes", "==", "yes")           # True
    cmp("2.36-9+deb12u4", "<", "2.36-10")   # True  (epochs, revisions, ~ as dpkg orders them)

A :class:`~inspecpy.versions.PackageVersion` (what ``package(...).version``
returns) compares by its package manager's rules instead, on either side.
"""

from __future__ import annotations

import json
import operator
import re
from typing import Any

from inspecpy.versions import GENERIC_VERSION, generic_compare, scheme_compare, version_key

_INTEGER = re.compile(r"\A(?:0+|[1-9]\d*)\Z")
_OCTAL = re.compile(r"\A0+\d+\Z")

OPERATORS = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_octal(value: Any) -> bool:
    return isinstance(value, str) and bool(_OCTAL.match(value))


def _is_float(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _try(actual: Any, op: str, expected: Any) -> bool:
    fn = OPERATORS[op]
    ordered = scheme_compare(actual, expected)
    if ordered is not None:
        return fn(ordered, 0)
    if isinstance(expected, str) and isinstance(actual, str):
        if op == "==":
            return actual.casefold() == expected.casefold()
        if op == "!=":
            return actual.casefold() != expected.casefold()
        if GENERIC_VERSION.match(actual) and GENERIC_VERSION.match(expected):
            return fn(generic_compare(actual, expected), 0)
        return fn(actual, expected)
    if isinstance(expected, re.Pattern) and (isinstance(actual, str) or is_number(actual)):
        return expected.search(str(actual)) is not None
    if isinstance(expected, str) and _INTEGER.match(expected) and is_number(actual) and isinstance(actual, int):
        return fn(actual, int(expected))
    if isinstance(expected, str) and expected.lower() in ("true", "false") and isinstance(actual, bool):
        return fn(actual, expected.lower() == "true")
    if isinstance(expected, bool) and isinstance(actual, str) and actual.lower() in ("true", "false"):
        return fn(actual.lower() == "true", expected)
    if is_number(expected) and isinstance(expected, int) and isinstance(actual, str) and _INTEGER.match(actual):
        return fn(int(actual), expected)
    if is_number(expected) and isinstance(actual, str) and _is_float(actual):
        return fn(float(actual), expected)
    if is_octal(expected) and isinstance(actual, int):
        return fn(actual, int(expected, 8))
    if isinstance(expected, str) and _is_float(expected) and is_number(actual):
        return fn(actual, float(expected))
    return fn(actual, expected)


def cmp(actual: Any, op: str, expected: Any) -> bool:
    """InSpec's ``cmp`` with operator *op*; a one-item list compares its item."""
    if isinstance(actual, (list, tuple)) and len(actual) == 1 and not isinstance(expected, (list, tuple)):
        actual = actual[0]
    try:
        return bool(_try(actual, op, expected))
    except TypeError:
        return False


def show(value: Any) -> str:
    """A value in a message: JSON's spelling (``"text"``, ``true``, ``null``), regexes as ``/…/``.

    >>> show([1, "b", None, True, {"k": 2}])
    '[1, "b", null, true, {"k": 2}]'
    """
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, re.Pattern):
        return f"/{value.pattern}/"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    return str(value)


def show_cmp(value: Any, expected: Any) -> str:
    """How ``cmp`` shows a value: octal when the expectation is an octal mode."""
    if is_octal(expected) and isinstance(value, int) and not isinstance(value, bool):
        return f"0{value:o}"
    if isinstance(value, str):
        return value
    return show(value)

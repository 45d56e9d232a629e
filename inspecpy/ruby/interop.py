"""Values crossing between Ruby code and Python objects (inspecpy's resources), and the names.

InSpec's Ruby names map onto the resource's Python attributes: ``exist?``
reads ``exists``, ``running?`` reads ``running`` (or ``is_running``),
``os.redhat?`` asks ``in_family("redhat")``, ``os[:family]`` reads
``family``, ``where { uid >= 1000 }`` and ``where(uid: 0)`` filter a plural
resource (:func:`inspecpy.ruby.dispatch.send_python` makes the calls).
Arguments go to Python as Python values (a Ruby regex as a compiled
pattern, symbols as strings), results come back as they are::

    python_names("exist?")     # ['exist', 'is_exist', 'exists', 'has_exist']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from inspecpy.ruby.runtime import BoundFunction, Proc
from inspecpy.ruby.values import RubyRange, RubyRegexp, Symbol

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.dispatch import Call


def python_names(name: str) -> list[str]:
    """The Python attributes a Ruby method name may stand for (``exist?`` → exist, is_exist, exists)."""
    if name.endswith("?"):
        base = name[:-1]
        return [base, f"is_{base}", f"{base}s", f"has_{base}"]
    if name.endswith("!") or name.endswith("="):
        return []
    return [name]


def to_python(value: Any) -> Any:
    """A Ruby value as a Python API expects it."""
    if isinstance(value, RubyRegexp):
        return value.pattern
    if isinstance(value, Symbol):
        return str(value)
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {to_python(k): to_python(v) for k, v in value.items()}
    if isinstance(value, RubyRange):
        return value
    if isinstance(value, (Proc, BoundFunction)):
        return lambda *args: value(*args)
    return value


def from_python(value: Any) -> Any:
    """A Python result as Ruby code uses it (tuples and sets are arrays)."""
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return list(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, re.Pattern):
        return RubyRegexp(value.pattern, "", value)
    return value


def python_args(call: Call) -> tuple[list, dict]:
    """Positional and keyword arguments for a Python callable (a trailing symbol-keyed hash is keywords)."""
    args = list(call.args)
    kwargs = {str(k): to_python(v) for k, v in call.kwargs.items()}
    if not kwargs and args and isinstance(args[-1], dict) and args[-1] and \
            all(isinstance(k, Symbol) for k in args[-1]):
        kwargs = {str(k): to_python(v) for k, v in args.pop().items()}
    return [to_python(a) for a in args], kwargs

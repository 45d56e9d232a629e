"""Ruby calls on Python objects — inspecpy's resources — and values crossing between the two.

InSpec's Ruby names map onto the resource's Python attributes: ``exist?``
reads ``exists``, ``running?`` reads ``running`` (or ``is_running``),
``os.redhat?`` asks ``in_family("redhat")``, ``os[:family]`` reads
``family``, ``where { uid >= 1000 }`` and ``where(uid: 0)`` filter a plural
resource. Arguments go to Python as Python values (a Ruby regex as a
compiled pattern, symbols as strings), results come back as they are::

    send_python(ev, file("/etc/passwd"), Call("exist?", [], {}, None, None, None))   # True
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from inspecpy.ruby.dispatch import Call, object_fallback
from inspecpy.ruby.runtime import BoundFunction, Proc, no_method
from inspecpy.ruby.values import RubyRange, RubyRegexp, Symbol, truthy

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.evaluator import Evaluator


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


def send_python(ev: "Evaluator", obj: Any, call: Call) -> Any:
    """Call Ruby method *call.name* on a Python object."""
    name = call.name
    if name == "[]" and len(call.args) == 1:
        return from_python(_index(obj, call.args[0]))
    if name == "where":
        return _where(ev, obj, call)
    for attr in python_names(name):
        try:
            value = getattr(obj, attr)
        except AttributeError:
            continue
        if callable(value) and not isinstance(value, type):
            args, kwargs = python_args(call)
            return from_python(value(*args, **kwargs))
        if call.args:
            raise no_method(name, obj)  # a property takes no arguments
        return from_python(value)
    if getattr(obj, "keyed", False) and not call.args and not name.endswith(("?", "!", "=")):
        return from_python(obj.value_of(name))  # a config file's key: sshd_config.Ciphers, login_defs.UMASK
    if name.endswith("?") and callable(getattr(obj, "in_family", None)) and not call.args:
        return bool(obj.in_family(name[:-1]))  # os.redhat?, os.debian?, os.bsd?
    if name in ("to_s", "inspect") and not call.args:
        return str(obj)
    if name in ("each", "map", "select", "reject", "any?", "all?", "count", "length", "size", "first",
                "to_a", "entries") and hasattr(obj, "__iter__"):
        return ev.send(list(obj), name, call.args, call.block, call.kwargs, call.node, call.frame)
    return object_fallback(ev, obj, call)


def _index(obj: Any, key: Any) -> Any:
    """``resource[key]``: item access where the object has it, else the attribute (``os[:family]``)."""
    if hasattr(obj, "__getitem__"):
        try:
            return obj[to_python(key)]
        except (KeyError, IndexError, TypeError):
            pass
    try:
        value = getattr(obj, str(key))
    except AttributeError:
        return None
    return value() if callable(value) and not isinstance(value, type) else value


class RowContext:
    """``self`` inside ``where { ... }``: the row's fields answer as methods (``uid >= 1000``)."""

    def __init__(self, row: Any):
        self.row = row

    def ruby_dispatch(self, name: str):
        row = self.row
        if isinstance(row, dict) and name in row:
            return lambda ev, call: row[name]
        if hasattr(row, name):
            return lambda ev, call: getattr(row, name)
        return None


def _where(ev: "Evaluator", obj: Any, call: Call) -> Any:
    where = getattr(obj, "where", None)
    if where is None:
        raise no_method("where", obj)
    args, kwargs = python_args(call)
    if call.args and isinstance(call.args[0], dict):
        kwargs.update({str(k): to_python(v) for k, v in args.pop(0).items()})
    if call.block is not None:
        block = call.block
        return where(lambda row: truthy(block.call_with_self(RowContext(row), row)), **kwargs)
    return where(*args, **kwargs)

"""Method calls on values: who answers ``receiver.name(args) { block }``.

In order: an object that answers Ruby calls itself (``ruby_dispatch``: the
DSL's contexts and matchers), an instance or class defined in Ruby, a block,
Ruby's core methods on plain values (:mod:`~inspecpy.ruby.corelib`,
:mod:`~inspecpy.ruby.enumerable`), then any other Python object — a
resource — through :mod:`~inspecpy.ruby.interop`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from inspecpy.ruby import corelib, enumerable  # noqa: F401 - enumerable registers Array/Hash/Range methods
from inspecpy.ruby.interop import from_python, python_args, python_names, to_python
from inspecpy.ruby.runtime import BoundFunction, Frame, Proc, RubyClass, RubyObject, no_method
from inspecpy.ruby.syntax import Node
from inspecpy.ruby.values import MatchData, RubyError, RubyRange, RubyRegexp, equal, truthy

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.evaluator import Evaluator

PLAIN = (type(None), bool, int, float, str, list, tuple, dict, RubyRange, RubyRegexp, MatchData,
         enumerable.Enumerator)


@dataclass
class Call:
    """One call: name, positional and keyword-style arguments, block, and where it was written."""

    name: str
    args: list
    kwargs: dict
    block: Any
    node: Node | None
    frame: Frame | None

    def positional(self) -> list:
        """The arguments as a Ruby method sees them: keyword pairs become a trailing hash."""
        return self.args + [dict(self.kwargs)] if self.kwargs else list(self.args)


def send(ev: "Evaluator", call: Call, receiver: Any) -> Any:
    """Call *call* on *receiver*."""
    dispatch = getattr(receiver, "ruby_dispatch", None)
    if dispatch is not None and not isinstance(receiver, type):
        fn = dispatch(call.name)
        if fn is not None:
            return fn(ev, call)
    if isinstance(receiver, RubyObject):
        return send_object(ev, receiver, call)
    if isinstance(receiver, RubyClass):
        return send_class(ev, receiver, call)
    if isinstance(receiver, (Proc, BoundFunction)):
        return send_proc(ev, receiver, call)
    if isinstance(receiver, PLAIN):
        fn = corelib.find(receiver, call.name)
        if fn is not None:
            return fn(ev, receiver, call.positional(), call.block)
        if isinstance(receiver, dict) and not call.args and call.name in receiver:
            return receiver[call.name]  # a filter table's row reads its fields as methods
        raise no_method(call.name, receiver)
    return send_python(ev, receiver, call)


def object_fallback(ev: "Evaluator", receiver: Any, call: Call) -> Any:
    """Methods every object has (``nil?``, ``to_s``, ``==``, ``is_a?``…), or NoMethodError."""
    fn = corelib.METHODS["object"].get(call.name)
    if fn is None:
        raise no_method(call.name, receiver)
    if call.name in ("to_s", "inspect"):
        return str(receiver)
    if call.name in ("==", "===", "eql?", "equal?"):
        return receiver is call.args[0] or (not isinstance(receiver, RubyObject) and equal(receiver, call.args[0]))
    return fn(ev, receiver, call.positional(), call.block)


def send_object(ev: "Evaluator", obj: RubyObject, call: Call) -> Any:
    klass = obj.ruby_class
    method = klass.find_method(call.name)
    if method is not None:
        return ev.invoke(method, obj, call.args, call.kwargs, call.block, klass)
    if klass.has_reader(call.name) and not call.args:
        return obj.ivars.get("@" + call.name)
    if call.name.endswith("=") and any(call.name[:-1] in k.writers for k in _lineage(klass)):
        obj.ivars["@" + call.name[:-1]] = call.args[0]
        return call.args[0]
    if call.name in ("to_s", "inspect"):
        return f"#<{klass.name}>"
    return object_fallback(ev, obj, call)


def _lineage(klass: RubyClass | None):
    while klass is not None:
        yield klass
        klass = klass.superclass


def send_class(ev: "Evaluator", klass: RubyClass, call: Call) -> Any:
    method = klass.find_class_method(call.name)
    if method is not None:
        return ev.invoke(method, klass, call.args, call.kwargs, call.block, klass)
    if call.name == "new":
        if klass.resource is not None:
            return klass.resource(*call.positional())
        return ev.new_object(klass, call.args, call.kwargs, call.block)
    if call.name in ("name", "to_s"):
        return klass.name
    if call.name == "===":
        return klass.ruby_is_instance(call.args[0])
    if call.name in klass.constants and not call.args:
        return klass.constants[call.name]
    return object_fallback(ev, klass, call)


def send_proc(ev: "Evaluator", proc: Any, call: Call) -> Any:
    if call.name in ("call", "()", "[]", "yield", "==="):
        return proc(*call.positional())
    if call.name == "to_proc":
        return proc
    if call.name == "arity":
        return proc.arity() if isinstance(proc, Proc) else -1
    if call.name == "lambda?":
        return isinstance(proc, Proc) and proc.is_lambda
    return object_fallback(ev, proc, call)


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


__all__ = ["Call", "send", "send_python", "object_fallback", "PLAIN", "RubyError"]

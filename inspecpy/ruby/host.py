"""A profile's Ruby world: its resources, constants, helper methods, classes — what names mean.

One :class:`Host` per profile holds the evaluator and answers a call
without a receiver (``file('/etc')``, ``input('x')``, ``helper(1)``) and a
constant (``File``, ``SuidCheck``), after the current ``self`` (a DSL
context or a resource) had its say.
"""

from __future__ import annotations

import threading
from typing import Any

from inspecpy.errors import ControlSkipped, InputError, ResourceFailed, ResourceSkipped, UnboundTarget
from inspecpy.ruby import builtins, engine
from inspecpy.ruby.dispatch import Call, send_class, send_object
from inspecpy.ruby.evaluator import Evaluator
from inspecpy.ruby.interop import python_args
from inspecpy.ruby.library import RESOURCE_BASE, class_body_call, finish_class
from inspecpy.ruby.runtime import (CONTROL_FLOW, Frame, NeedsTarget, RubyClass, RubyMethod, RubyObject,
                                   RubyUnsupported)
from inspecpy.ruby.syntax import Node
from inspecpy.ruby.values import RubyError, Symbol, to_s

_PYTHON_ERRORS = ((AttributeError, "NoMethodError"), (KeyError, "KeyError"), (IndexError, "IndexError"),
                  (ZeroDivisionError, "ZeroDivisionError"), (TypeError, "TypeError"), (ValueError, "ArgumentError"),
                  (NotImplementedError, "NotImplementedError"), (RecursionError, "SystemStackError"))


class Host:
    """Names for one profile's Ruby code; *resources* is the profile's resource table (shared)."""

    def __init__(self, resources: dict[str, type]):
        self.resources = resources
        self.constants: dict[str, Any] = builtins.builtin_constants()
        self.constants["Inspec"] = builtins.RubyConstant("Inspec", {"resource": lambda ev, call: RESOURCE_BASE})
        self.functions: dict[str, RubyMethod] = {}
        self.evaluator = Evaluator(self)
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- functions

    def call_function(self, ev: Evaluator, call: Call) -> Any:
        frame = call.frame
        self_obj = frame.self_obj if frame is not None else None
        name = call.name
        dispatch = getattr(self_obj, "ruby_dispatch", None)
        if dispatch is not None and not isinstance(self_obj, type):
            fn = dispatch(name)
            if fn is not None:
                return fn(ev, call)
        if isinstance(self_obj, RubyObject) and (self_obj.ruby_class.find_method(name)
                                                 or self_obj.ruby_class.has_reader(name)):
            return send_object(ev, self_obj, call)
        if isinstance(self_obj, RubyClass):
            handled, value = class_body_call(ev, self_obj, call, self)
            if handled:
                return value
            if self_obj.find_class_method(name) is not None or name == "new":
                return send_class(ev, self_obj, call)
        if name in self.functions:
            return ev.invoke(self.functions[name], self_obj, call.args, call.kwargs, call.block, None)
        if name in builtins.KERNEL:
            return builtins.KERNEL[name](ev, call)
        if name in ("input", "attribute"):
            return self.input(call)
        if name in self.resources:
            return self.make_resource(name, call)
        if name in builtins.UNSUPPORTED_FUNCTIONS:
            raise RubyUnsupported(f"`{name}`", frame.file.path if frame else "?", call.node.line if call.node else 0)
        raise RubyError("NameError", f"undefined local variable or method `{name}'")

    def knows_function(self, name: str, frame: Frame) -> bool:
        return name in self.functions or name in builtins.KERNEL or name in self.resources

    def define_function(self, method: RubyMethod, frame: Frame) -> None:
        with self._lock:
            self.functions[method.name] = method

    def make_resource(self, name: str, call: Call) -> Any:
        """Resource *name* made with the call's arguments (a trailing options hash is keywords)."""
        args, kwargs = python_args(call)
        return self.resources[name](*args, **kwargs)

    def input(self, call: Call) -> Any:
        """``input('name', value: default)`` (and the deprecated ``attribute``)."""
        if not call.args:
            raise RubyError("ArgumentError", "input needs a name")
        name = to_s(call.args[0])
        options = dict(call.kwargs)
        if len(call.args) > 1 and isinstance(call.args[1], dict):
            options.update(call.args[1])
        for key in ("value", "default"):
            if Symbol(key) in options:
                return engine.input_value(name, options[Symbol(key)])
        try:
            return engine.input_value(name)
        except InputError:  # InSpec warns and gives no value; here its users fail saying why
            raise InputError(f"input '{name}' has no value (set it with --input {name}=VALUE, an input file, "
                             f"inspec.yml, or input('{name}', value: ...))") from None

    # ---------------------------------------------------------------- constants and classes

    def has_constant(self, name: str) -> bool:
        return name in self.constants

    def constant(self, name: str, node: Node | None = None, frame: Frame | None = None) -> Any:
        if name in self.constants:
            return self.constants[name]
        line, path = (node.line if node else 0), (frame.file.path if frame else "?")
        raise RubyUnsupported(f"`{name}`", path, line)

    def set_constant(self, name: str, value: Any) -> None:
        with self._lock:
            self.constants[name] = value

    def define_class(self, ev: Evaluator, name: str, superclass: Any, node: Node, frame: Frame,
                     is_module: bool = False) -> Any:
        existing = self.constants.get(name)
        if existing is not None and not isinstance(existing, RubyClass):
            raise RubyUnsupported(f"reopening the built-in class `{name}`", frame.file.path, node.line)
        if isinstance(existing, RubyClass):
            klass = existing
        else:
            parent = superclass if isinstance(superclass, RubyClass) else None
            if superclass is not None and parent is None and not isinstance(superclass, builtins.ExceptionClass) \
                    and not (isinstance(superclass, builtins.RubyConstant) and superclass.name == "Object"):
                raise RubyUnsupported(f"a subclass of `{superclass}`", frame.file.path, node.line)
            klass = RubyClass(name, parent)
            self.set_constant(name, klass)
        ev.class_body(klass, node, frame)
        finish_class(klass, self)
        return klass

    # ---------------------------------------------------------------- errors

    def ruby_error_class(self, error: BaseException) -> str | None:
        """The Ruby class a Python exception stands for; None for what Ruby code must not rescue."""
        if isinstance(error, RubyError):
            return error.ruby_class
        if isinstance(error, (RubyUnsupported, NeedsTarget, UnboundTarget, ControlSkipped) + CONTROL_FLOW):
            return None
        if isinstance(error, ResourceSkipped):
            return "Inspec::Exceptions::ResourceSkipped"
        if isinstance(error, ResourceFailed):
            return "Inspec::Exceptions::ResourceFailed"
        for python, ruby in _PYTHON_ERRORS:
            if isinstance(error, python):
                return ruby
        return "StandardError" if isinstance(error, Exception) else None

"""The evaluator's moving parts: scopes, frames, blocks (procs), control-flow signals, Ruby classes.

A :class:`Scope` holds local variables and sees its parent's (a block sees
the locals around it; a ``def`` starts a fresh scope). A :class:`Frame` is
where code runs: ``self``, the scope, the file, and the block ``yield``
calls. A :class:`Proc` is a block or lambda closed over its frame; calling
it follows Ruby's block rules (a single array argument is spread over
several parameters, missing ones are ``nil``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from inspecpy.ruby.syntax import Node, SourceFile
from inspecpy.ruby.values import RubyError, class_name

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.evaluator import Evaluator


class Context:
    """An object answering Ruby calls by name: ``rb_<name>(ev, call)`` methods (``?`` spelt ``_p``).

    The InSpec DSL's ``self`` objects (a control's body, a ``describe`` block…) are contexts.
    """

    def ruby_dispatch(self, name: str):
        return getattr(self, "rb_" + name.replace("?", "_p").replace("!", "_bang"), None)

    def ruby_class_name(self) -> str:
        return type(self).__name__


class RubyUnsupported(Exception):
    """A construct outside the Ruby that inspecpy evaluates; names it, with file and line."""

    def __init__(self, what: str, path: str, line: int):
        self.what, self.path, self.line = what, path, line
        super().__init__(f"Ruby {what} at {path}:{line} is not supported")


class NeedsTarget(Exception):
    """Raised while a profile loads when code would probe the target (it runs later, per target)."""


class NextSignal(Exception):
    def __init__(self, value: Any = None):
        self.value = value


class BreakSignal(Exception):
    def __init__(self, value: Any, proc: "Proc | None"):
        self.value, self.proc = value, proc


class ReturnSignal(Exception):
    def __init__(self, value: Any, frame: "Frame"):
        self.value, self.frame = value, frame


CONTROL_FLOW = (NextSignal, BreakSignal, ReturnSignal)


class Scope:
    """Local variables; reads and writes reach an enclosing block's variable when it has one."""

    __slots__ = ("vars", "parent")

    def __init__(self, parent: "Scope | None" = None, vars: dict[str, Any] | None = None):
        self.vars = vars if vars is not None else {}
        self.parent = parent

    def find(self, name: str) -> "Scope | None":
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        return None

    def get(self, name: str, default: Any = None) -> Any:
        owner = self.find(name)
        return owner.vars[name] if owner else default

    def set(self, name: str, value: Any) -> None:
        owner = self.find(name)
        (owner or self).vars[name] = value

    def declare(self, name: str, value: Any) -> None:
        self.vars[name] = value

    def flat(self) -> dict[str, Any]:
        """Every visible variable (inner ones win): a snapshot for code that runs later."""
        chain: list[dict[str, Any]] = []
        scope: Scope | None = self
        while scope is not None:
            chain.append(scope.vars)
            scope = scope.parent
        out: dict[str, Any] = {}
        for vars in reversed(chain):
            out.update(vars)
        return out


class Frame:
    """Where code runs: ``self``, locals, the file, the block for ``yield``, the method's owner class.

    ``method_frame`` is the frame a ``return`` leaves (the enclosing ``def``
    or lambda); ``proc`` the block being run (what ``break`` leaves);
    ``loops`` counts the ``while`` loops around the code in this frame.
    """

    __slots__ = ("self_obj", "scope", "file", "block", "owner", "method_name", "method_frame", "proc", "loops")

    def __init__(self, self_obj: Any, scope: Scope, file: SourceFile, block: "Proc | None" = None,
                 owner: "RubyClass | None" = None, method_name: str | None = None):
        self.self_obj, self.scope, self.file, self.block = self_obj, scope, file, block
        self.owner, self.method_name = owner, method_name
        self.method_frame: Frame | None = None
        self.proc: Proc | None = None
        self.loops = 0

    def child(self, self_obj: Any = None, scope: Scope | None = None) -> "Frame":
        frame = Frame(self.self_obj if self_obj is None else self_obj, scope or Scope(self.scope), self.file,
                      self.block, self.owner, self.method_name)
        frame.method_frame = self.method_frame
        return frame


class Proc:
    """A block or lambda: parameters and body, closed over the frame that made it."""

    def __init__(self, ev: "Evaluator", params: Node | None, body: Node | None, frame: Frame,
                 is_lambda: bool = False, node: Node | None = None):
        self.ev, self.params, self.body, self.frame = ev, params, body, frame
        self.is_lambda = is_lambda
        self.node = node

    @property
    def line(self) -> int:
        return self.node.line if self.node is not None else 0

    def arity(self) -> int:
        return len(self.ev.param_names(self.params)) if self.params is not None else 0

    def __call__(self, *args: Any) -> Any:
        return self.call_with_self(None, *args)

    def call_with_self(self, self_obj: Any, *args: Any, block: "Proc | None" = None) -> Any:
        """Run the body with *args*; with ``self`` replaced when *self_obj* is given (``instance_exec``)."""
        frame = self.frame.child(self_obj)
        frame.proc = self
        if self.is_lambda:
            frame.method_frame = frame
        if block is not None:
            frame.block = block
        self.ev.bind_params(self.params, list(args), frame, block_rules=not self.is_lambda)
        try:
            return self.ev.run_body(self.body, frame)
        except NextSignal as signal:
            return signal.value
        except ReturnSignal as signal:
            if self.is_lambda and signal.frame is frame:
                return signal.value
            raise

    def ruby_class_name(self) -> str:
        return "Proc"


class BoundFunction:
    """A Python callable presented to Ruby code as a proc (``method(:x)``, ``&:sym``)."""

    def __init__(self, fn: Callable[..., Any]):
        self.fn = fn

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)

    def call_with_self(self, self_obj: Any, *args: Any, block: Any = None) -> Any:
        return self.fn(*args)


@dataclass
class RubyMethod:
    """A ``def``: its name, parameters and body, and the file it came from."""

    name: str
    params: Node | None
    body: Node | None
    file: SourceFile
    node: Node


@dataclass
class RubyClass:
    """A class (or module) defined in Ruby: methods, class methods, constants, ``attr_*``."""

    name: str
    superclass: "RubyClass | None" = None
    methods: dict[str, RubyMethod] = field(default_factory=dict)
    class_methods: dict[str, RubyMethod] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    readers: set[str] = field(default_factory=set)
    writers: set[str] = field(default_factory=set)
    ivars: dict[str, Any] = field(default_factory=dict)  # class-level instance variables
    resource: type | None = None  # the Python Resource class when this is Inspec.resource(1)

    def find_method(self, name: str) -> RubyMethod | None:
        klass: RubyClass | None = self
        while klass is not None:
            if name in klass.methods:
                return klass.methods[name]
            klass = klass.superclass
        return None

    def find_class_method(self, name: str) -> RubyMethod | None:
        klass: RubyClass | None = self
        while klass is not None:
            if name in klass.class_methods:
                return klass.class_methods[name]
            klass = klass.superclass
        return None

    def has_reader(self, name: str) -> bool:
        klass: RubyClass | None = self
        while klass is not None:
            if name in klass.readers:
                return True
            klass = klass.superclass
        return False

    def is_subclass_of(self, other: "RubyClass") -> bool:
        klass: RubyClass | None = self
        while klass is not None:
            if klass is other:
                return True
            klass = klass.superclass
        return False

    def ruby_is_instance(self, value: Any) -> bool:
        owner = getattr(value, "ruby_class", None)
        return isinstance(owner, RubyClass) and owner.is_subclass_of(self)

    def ruby_class_name(self) -> str:
        return "Class"

    def __str__(self) -> str:
        return self.name


class RubyObject:
    """An instance of a Ruby-defined class: its class and instance variables."""

    def __init__(self, ruby_class: RubyClass):
        self.ruby_class = ruby_class
        self.ivars: dict[str, Any] = {}

    def ruby_class_name(self) -> str:
        return self.ruby_class.name

    def __repr__(self) -> str:
        return f"#<{self.ruby_class.name}>"


def no_method(name: str, receiver: Any) -> RubyError:
    shown = "nil" if receiver is None else f"an instance of {class_name(receiver)}"
    if hasattr(receiver, "resource_id"):
        shown = str(receiver)
    return RubyError("NoMethodError", f"undefined method `{name}' for {shown}")


_ERROR_CLASSES: dict[str, type] = {}


def as_python_error(error: BaseException) -> BaseException:
    """A Ruby error as an exception named after its Ruby class, its message saying where it happened."""
    where = getattr(error, "ruby_where", None)
    suffix = f" ({where})" if where else ""
    if isinstance(error, RubyError):
        name = error.ruby_class.replace("::", "_")
        klass = _ERROR_CLASSES.setdefault(name, type(name, (Exception,), {"__module__": "ruby"}))
        return klass(f"{error.message}{suffix}")
    if suffix and not isinstance(error, RubyUnsupported) and not str(error).endswith(suffix):
        try:
            return type(error)(f"{error}{suffix}")
        except Exception:  # an exception class that wants other arguments: keep it as it is
            return error
    return error


class Poison:
    """A variable whose value could not be computed: reading it raises the error (only its users fail)."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException):
        self.error = error

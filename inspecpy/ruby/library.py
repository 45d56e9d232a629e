"""Custom resources from ``libraries/*.rb``: ``class X < Inspec.resource(1)`` as an inspecpy resource.

The Ruby class becomes a :class:`~inspecpy.resources.base.Resource`
subclass registered under its ``name``, so Ruby, Python and YAML controls
all reach it. Its Ruby methods run in the evaluator; each is also a Python
attribute (``diff`` for ``def diff``, ``running`` for ``def running?``),
so predicate matchers and ``its`` work from any DSL::

    class SuidCheck < Inspec.resource(1)
      name 'suid_check'
      def diff; ...; end
    end
    # Python: describe(suid_check()).its("diff").should.be_empty()

``skip_resource``/``raise Inspec::Exceptions::ResourceSkipped`` in
``initialize`` make every check on the instance skipped with the message;
``ResourceFailed`` makes them fail with it, as InSpec does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspecpy.errors import ResourceFailed, ResourceSkipped
from inspecpy.resources.base import Resource
from inspecpy.ruby.runtime import RubyClass, RubyObject
from inspecpy.ruby.values import RubyError, Symbol, to_s, truthy

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.dispatch import Call
    from inspecpy.ruby.evaluator import Evaluator
    from inspecpy.ruby.host import Host

RESOURCE_BASE = RubyClass("Inspec::Resource")  # what `Inspec.resource(1)` returns
_RESERVED = frozenset(vars(Resource)) | {"target", "ivars", "ruby_class", "name", "supports", "path"}


class RubyResource(Resource, RubyObject):
    """Base of the Python classes made from Ruby resource classes (a Ruby method without parameters
    reads as a property, one with parameters as a method)."""

    ruby_class: RubyClass = RESOURCE_BASE
    _host: "Host"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.ivars: dict[str, Any] = {}
        self._skipped: str | None = None
        self._failed: str | None = None
        init = self.ruby_class.find_method("initialize")
        if init is None:
            return
        ruby_kwargs = {Symbol(k): v for k, v in kwargs.items()}
        try:
            self._host.evaluator.invoke(init, self, list(args), ruby_kwargs, None, self.ruby_class)
        except ResourceSkipped as skipped:
            self._skipped = str(skipped)
        except ResourceFailed as failed:
            self._failed = str(failed)
        except RubyError as error:
            if error.ruby_class == "Inspec::Exceptions::ResourceSkipped":
                self._skipped = error.message
            elif error.ruby_class == "Inspec::Exceptions::ResourceFailed":
                self._failed = error.message
            else:
                raise RuntimeError(f"{self.name}: initialize raised {error.ruby_class}: {error.message}") from None

    def require_supported(self) -> None:
        super().require_supported()
        if self._skipped is not None:
            raise ResourceSkipped(self._skipped)
        if self._failed is not None:
            raise ResourceFailed(self._failed)

    def _call_ruby(self, name: str, *args: Any) -> Any:
        method = self.ruby_class.find_method(name)
        assert method is not None, name
        return self._host.evaluator.invoke(method, self, list(args), {}, None, self.ruby_class)

    @property
    def resource_id(self) -> str:
        if self.ruby_class.find_method("resource_id") is not None:
            return to_s(self._call_ruby("resource_id"))
        return ""

    def __str__(self) -> str:
        if self.ruby_class.find_method("to_s") is not None:
            return to_s(self._call_ruby("to_s"))
        return super().__str__()

    def ruby_dispatch(self, name: str):
        """InSpec's resource methods (``inspec``, ``skip_resource``…) unless the Ruby class defines the name."""
        if self.ruby_class.find_method(name) is not None or self.ruby_class.has_reader(name):
            return None
        fn = _RESOURCE_METHODS.get(name)
        return None if fn is None else (lambda ev, call: fn(self, call))

    def ruby_class_name(self) -> str:
        return self.ruby_class.name


class InspecProxy:
    """``inspec`` inside a resource: ``inspec.command('x')`` makes a resource on the same target."""

    def __init__(self, host: "Host"):
        self.host = host

    def ruby_dispatch(self, name: str):
        if name in self.host.resources:
            return lambda ev, call: self.host.make_resource(name, call)
        return None


def _skip(resource: RubyResource, message: str) -> str:
    resource._skipped = message
    return message


def _fail(resource: RubyResource, message: str) -> str:
    resource._failed = message
    return message


_RESOURCE_METHODS = {
    "inspec": lambda res, call: InspecProxy(res._host),
    "skip_resource": lambda res, call: _skip(res, to_s(call.args[0]) if call.args else ""),
    "fail_resource": lambda res, call: _fail(res, to_s(call.args[0]) if call.args else ""),
    "resource_skipped?": lambda res, call: res._skipped is not None,
    "resource_failed?": lambda res, call: res._failed is not None,
    "resource_exception_message": lambda res, call: res._skipped or res._failed,
    "to_s": lambda res, call: str(res),
    "resource_id": lambda res, call: res.resource_id,
}


def class_body_call(ev: "Evaluator", klass: RubyClass, call: "Call", host: "Host") -> tuple[bool, Any]:
    """Words in a class body: ``name``, ``desc``, ``supports``, ``attr_reader``… (handled, value)."""
    name, args = call.name, call.positional()
    if name in ("attr_reader", "attr_accessor", "attr_writer"):
        for arg in args:
            if name != "attr_writer":
                klass.readers.add(str(arg))
            if name != "attr_reader":
                klass.writers.add(str(arg))
        return True, None
    if name in ("private", "public", "protected", "module_function", "private_class_method", "extend"):
        return True, None
    if name == "include":
        for module in args:
            if isinstance(module, RubyClass):
                for method_name, method in module.methods.items():
                    klass.methods.setdefault(method_name, method)
        return True, None
    if klass.is_subclass_of(RESOURCE_BASE):
        meta = klass.ivars.setdefault("__resource__", {"supports": []})
        if name == "name":
            meta["name"] = to_s(args[0])
            return True, None
        if name in ("desc", "example"):
            meta[name] = to_s(args[0]) if args else ""
            return True, None
        if name == "supports":
            meta["supports"].append(args[0] if args else {})
            return True, None
    return False, None


def finish_class(klass: RubyClass, host: "Host") -> None:
    """After a resource class's body: build (or rebuild) its Python class and register it."""
    if not klass.is_subclass_of(RESOURCE_BASE) or klass is RESOURCE_BASE:
        return
    meta = _meta(klass)
    resource_name = meta.get("name")
    if not resource_name:
        return  # an abstract helper class; a subclass names the resource
    families = []
    for entry in meta.get("supports", []):
        if isinstance(entry, dict):
            families += [str(v) for k, v in entry.items()
                         if str(k) in ("platform", "os_family", "platform_family", "platform_name", "os_name")]
    doc = "\n\n".join(filter(None, [meta.get("desc"), "Ruby:\n\n" + meta["example"] if meta.get("example") else ""]))
    namespace: dict[str, Any] = {"name": resource_name, "supports": tuple(families), "ruby_class": klass,
                                 "_host": host, "__doc__": doc or f"The {resource_name} resource (Ruby)."}
    for method_name in _all_methods(klass):
        method = klass.find_method(method_name)
        plain = method is not None and (method.params is None or not any(
            k.type != "comment" for k in method.params.kids))
        for python_name in _python_names(method_name):
            if python_name not in _RESERVED and python_name not in namespace:
                accessor = _python_method(method_name)
                namespace[python_name] = property(accessor, doc=accessor.__doc__) if plain else accessor
    for reader in _all_readers(klass):
        if reader not in _RESERVED and reader not in namespace:
            namespace[reader] = property(_reader(reader))
    py_class = type(klass.name.replace("::", "_"), (RubyResource,), namespace)
    klass.resource = py_class
    host.resources[resource_name] = py_class


def _reader(name: str):
    def read(self: RubyResource) -> Any:
        return self.ivars.get("@" + name)
    return read


def _meta(klass: RubyClass | None) -> dict:
    merged: dict = {}
    lineage = []
    while klass is not None:
        lineage.append(klass)
        klass = klass.superclass
    for each in reversed(lineage):
        merged.update(each.ivars.get("__resource__", {}))
    return merged


def _all_methods(klass: RubyClass | None) -> list[str]:
    names: list[str] = []
    while klass is not None:
        names += [n for n in klass.methods if n not in names and n != "initialize"]
        klass = klass.superclass
    return names


def _all_readers(klass: RubyClass | None) -> list[str]:
    names: list[str] = []
    while klass is not None:
        names += sorted(klass.readers)
        klass = klass.superclass
    return names


def _python_names(method_name: str) -> list[str]:
    if method_name.endswith("?"):
        base = method_name[:-1]
        return [base] + (["exists"] if base == "exist" else [])
    if method_name.endswith(("!", "=")) or not method_name.isidentifier():
        return []
    return [method_name]


def _python_method(method_name: str):
    def call(self: RubyResource, *args: Any) -> Any:
        return self._call_ruby(method_name, *args)
    call.__name__ = method_name.rstrip("?")
    call.__doc__ = f"The Ruby method `{method_name}` (from the profile's libraries/)."
    return call


__all__ = ["RESOURCE_BASE", "RubyResource", "InspecProxy", "class_body_call", "finish_class", "truthy"]

"""Ruby's constants and Kernel functions that profiles use: ``File``, ``Regexp``, ``JSON``, exception
classes, ``raise``, ``format``, ``lambda``, ``Integer()``…

Each is an object answering Ruby calls (``ruby_dispatch``). ``File``'s
predicates ask the *target* (``File.readable?(path)`` is the target's
file), where InSpec's Ruby would ask the machine running InSpec; on a local
run the two are the same machine.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable

from inspecpy.ruby.corelib import format_string
from inspecpy.ruby.literals import make_regexp
from inspecpy.ruby.runtime import BoundFunction, Proc, RubyClass, RubyObject
from inspecpy.ruby.values import (EXCEPTION_PARENTS, MatchData, RubyError, RubyRange, RubyRegexp, Symbol,
                                  class_name, inspect, is_kind_of, to_s, truthy)

log = logging.getLogger("inspecpy.ruby")

#: Names a profile may use that inspecpy deliberately does not evaluate (check lists them).
UNSUPPORTED_CONSTANTS = frozenset({"ObjectSpace", "Kernel", "Process", "IO", "Dir", "Thread", "Socket", "Open3",
                                   "Etc", "ENV", "Time", "Date", "DateTime", "Marshal", "Struct", "OpenStruct",
                                   "FilterTable", "Train", "Gem", "RUBY_PLATFORM", "Signal", "Fiber", "Ractor",
                                   "Binding", "Method", "Module", "Class", "BasicObject", "Comparable",
                                   "Enumerable", "Set", "SecureRandom", "Digest", "OpenSSL", "Net", "URI",
                                   "Pathname", "Tempfile", "FileUtils", "Shellwords", "ERB", "CSV"})
UNSUPPORTED_FUNCTIONS = frozenset({"eval", "instance_eval", "class_eval", "module_eval", "instance_exec",
                                   "binding", "system", "exec", "spawn", "fork", "exit", "exit!", "abort",
                                   "at_exit", "trap", "open", "sleep", "rand", "srand", "catch", "throw",
                                   "define_method", "method_missing", "send_file", "autoload", "load",
                                   "set_trace_func", "gets", "readline", "readlines", "select", "syscall",
                                   "instance_variable_set", "instance_variable_get", "const_get", "const_set"})


class RubyConstant:
    """A built-in constant whose class methods are Python functions ``(ev, call) -> value``."""

    def __init__(self, name: str, methods: dict[str, Callable[..., Any]] | None = None,
                 instance_test: Callable[[Any], bool] | None = None):
        self.name = name
        self.methods = methods or {}
        self.instance_test = instance_test

    def ruby_dispatch(self, name: str):
        if name in self.methods:
            return self.methods[name]
        if name == "===":
            return lambda ev, call: self.ruby_is_instance(call.args[0])
        if name in ("name", "to_s"):
            return lambda ev, call: self.name
        return None

    def ruby_is_instance(self, value: Any) -> bool:
        return bool(self.instance_test and self.instance_test(value))

    def ruby_class_name(self) -> str:
        return "Class"

    def __str__(self) -> str:
        return self.name


class ExceptionClass(RubyConstant):
    """``RuntimeError``, ``Inspec::Exceptions::ResourceSkipped``…: ``new(message)`` and ``===``."""

    def __init__(self, name: str):
        super().__init__(name, {"new": lambda ev, call: RubyError(self.name, to_s(call.args[0]) if call.args else
                                                                  self.name),
                                "exception": lambda ev, call: RubyError(self.name, to_s(call.args[0])
                                                                        if call.args else self.name)})

    def ruby_is_instance(self, value: Any) -> bool:
        return isinstance(value, RubyError) and is_kind_of(value.ruby_class, self.name)


def _type_test(*kinds: type, exclude: tuple[type, ...] = ()) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kinds) and not isinstance(value, exclude)


def _regexp_new(ev, call):
    source = call.args[0]
    if isinstance(source, RubyRegexp):
        return source
    options = call.args[1] if len(call.args) > 1 else ""
    letters = "".join(letter for bit, letter in ((1, "i"), (2, "x"), (4, "m")) if isinstance(options, int)
                      and not isinstance(options, bool) and options & bit) if not isinstance(options, str) \
        else options
    if options is True:
        letters = "i"
    return make_regexp(str(source), letters)


def _regexp_union(ev, call):
    parts = call.args[0] if len(call.args) == 1 and isinstance(call.args[0], list) else call.args
    return make_regexp("|".join(p.source if isinstance(p, RubyRegexp) else re.escape(str(p)) for p in parts), "")


def _integer(ev, call):
    value = call.args[0]
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        try:
            return int(text, 0) if text[:2].lower() in ("0x", "0b", "0o") else int(text)
        except ValueError:
            raise RubyError("ArgumentError", f"invalid value for Integer(): {inspect(value)}") from None
    if value is None:
        raise RubyError("TypeError", "can't convert nil into Integer")
    return int(value)


def _float(ev, call):
    try:
        return float(call.args[0])
    except (TypeError, ValueError):
        raise RubyError("ArgumentError", f"invalid value for Float(): {inspect(call.args[0])}") from None


def _array(ev, call):
    value = call.args[0]
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [[k, v] for k, v in value.items()]
    return [value]


def _file_probe(test: Callable[[Any], Any]) -> Callable[..., Any]:
    def run(ev, call):
        from inspecpy.plugins import registry

        return test(registry().resources["file"](str(call.args[0])))
    return run


def _join(ev, call):
    parts = [str(p) for p in call.args if p is not None]
    return "/".join(p.strip("/") if i else p.rstrip("/") for i, p in enumerate(parts)) if parts else ""


FILE_METHODS = {
    "exist?": _file_probe(lambda f: f.exists), "exists?": _file_probe(lambda f: f.exists),
    "file?": _file_probe(lambda f: f.is_file), "directory?": _file_probe(lambda f: f.is_directory),
    "symlink?": _file_probe(lambda f: f.is_symlink),
    "readable?": _file_probe(lambda f: f.exists and f.target.run("test -r {}", f.path).exit_status == 0),
    "writable?": _file_probe(lambda f: f.exists and f.target.run("test -w {}", f.path).exit_status == 0),
    "executable?": _file_probe(lambda f: f.exists and f.target.run("test -x {}", f.path).exit_status == 0),
    "read": _file_probe(lambda f: f.content if f.exists else _raise_enoent(f.path)),
    "readlines": _file_probe(lambda f: (f.content if f.exists else _raise_enoent(f.path)).splitlines(True)),
    "size": _file_probe(lambda f: f.size),
    "join": _join,
    "basename": lambda ev, call: str(call.args[0]).rstrip("/").rsplit("/", 1)[-1],
    "dirname": lambda ev, call: (str(call.args[0]).rstrip("/").rsplit("/", 1)[0] or "/")
    if "/" in str(call.args[0]) else ".",
    "extname": lambda ev, call: _extname(str(call.args[0])),
}


def _extname(path: str) -> str:
    found = re.search(r"(\.[^./]+)$", path.rsplit("/", 1)[-1])
    return found.group(1) if found else ""


def _raise_enoent(path: str):
    raise RubyError("Errno::ENOENT", f"No such file or directory @ rb_sysopen - {path}")


def _json_parse(ev, call):
    try:
        return json.loads(call.args[0])
    except (TypeError, ValueError) as error:
        raise RubyError("JSON::ParserError", str(error)) from None


def _yaml_load(ev, call):
    import yaml

    try:
        return yaml.safe_load(call.args[0])
    except yaml.YAMLError as error:
        raise RubyError("Psych::SyntaxError", str(error)) from None


def _json_generate(ev, call):
    from inspecpy.ruby.interop import to_python

    return json.dumps(to_python(call.args[0]))


def builtin_constants() -> dict[str, Any]:
    """Ruby's constants that profiles use, by name (``Inspec::Exceptions::...`` spelled in full)."""
    constants: dict[str, Any] = {name: ExceptionClass(name) for name in EXCEPTION_PARENTS}
    constants.update({
        "Object": RubyConstant("Object", instance_test=lambda v: True),
        "String": RubyConstant("String", {"new": lambda ev, call: str(call.args[0]) if call.args else ""},
                               _type_test(str, exclude=(Symbol,))),
        "Symbol": RubyConstant("Symbol", instance_test=_type_test(Symbol)),
        "Integer": RubyConstant("Integer", instance_test=_type_test(int, exclude=(bool,))),
        "Float": RubyConstant("Float", instance_test=_type_test(float)),
        "Numeric": RubyConstant("Numeric", instance_test=_type_test(int, float, exclude=(bool,))),
        "Array": RubyConstant("Array", {"new": lambda ev, call: [call.args[1] if len(call.args) > 1 else None]
                                        * (call.args[0] if call.args else 0)}, _type_test(list, tuple)),
        "Hash": RubyConstant("Hash", {"new": lambda ev, call: {}}, _type_test(dict)),
        "NilClass": RubyConstant("NilClass", instance_test=lambda v: v is None),
        "TrueClass": RubyConstant("TrueClass", instance_test=lambda v: v is True),
        "FalseClass": RubyConstant("FalseClass", instance_test=lambda v: v is False),
        "Range": RubyConstant("Range", instance_test=_type_test(RubyRange)),
        "Proc": RubyConstant("Proc", instance_test=_type_test(Proc, BoundFunction)),
        "MatchData": RubyConstant("MatchData", instance_test=_type_test(MatchData)),
        "Regexp": RubyConstant("Regexp", {
            "new": _regexp_new, "compile": _regexp_new, "union": _regexp_union,
            "escape": lambda ev, call: re.escape(str(call.args[0])),
            "quote": lambda ev, call: re.escape(str(call.args[0])),
        }, _type_test(RubyRegexp)),
        "File": RubyConstant("File", FILE_METHODS),
        "JSON": RubyConstant("JSON", {"parse": _json_parse, "generate": _json_generate,
                                      "pretty_generate": _json_generate}),
        "YAML": RubyConstant("YAML", {"load": _yaml_load, "safe_load": _yaml_load}),
        "Inspec::Log": RubyConstant("Inspec::Log", {
            level: (lambda lvl: lambda ev, call: log.log(lvl, to_s(call.args[0]) if call.args else ""))(number)
            for level, number in (("debug", logging.DEBUG), ("info", logging.INFO), ("warn", logging.WARNING),
                                  ("error", logging.ERROR))}),
    })
    return constants


# ------------------------------------------------------------------ Kernel


def _raise(ev, call):
    args = call.args
    if not args:
        raise RubyError("RuntimeError", "unhandled exception")
    first = args[0]
    if isinstance(first, RubyError):
        raise first
    if isinstance(first, ExceptionClass):
        raise RubyError(first.name, to_s(args[1]) if len(args) > 1 else first.name)
    if isinstance(first, RubyClass):
        raise RubyError(first.name, to_s(args[1]) if len(args) > 1 else first.name)
    raise RubyError("RuntimeError", to_s(first))


def _puts(ev, call):
    for value in call.args or [""]:
        log.info("%s", to_s(value))
    return None


def _loop(ev, call):
    from inspecpy.ruby.runtime import BreakSignal

    try:
        while True:
            call.block()
    except BreakSignal as signal:
        if signal.proc is call.block:
            return signal.value
        raise
    except RubyError as error:
        if error.ruby_class == "StopIteration":
            return None
        raise


KERNEL: dict[str, Callable[..., Any]] = {
    "raise": _raise, "fail": _raise,
    "puts": _puts, "print": _puts, "p": _puts, "pp": _puts, "warn": _puts,
    "format": lambda ev, call: format_string(str(call.args[0]), list(call.args[1:]) + (
        [call.kwargs] if call.kwargs else [])),
    "sprintf": lambda ev, call: format_string(str(call.args[0]), list(call.args[1:])),
    "lambda": lambda ev, call: _as_lambda(call.block),
    "proc": lambda ev, call: call.block,
    "loop": _loop,
    "require": lambda ev, call: True, "require_relative": lambda ev, call: True,
    "Integer": _integer, "Float": _float, "String": lambda ev, call: to_s(call.args[0]), "Array": _array,
    "block_given?": lambda ev, call: call.frame.block is not None,
    "freeze": lambda ev, call: call.frame.self_obj,
}


def _as_lambda(block: Any) -> Any:
    if isinstance(block, Proc):
        block.is_lambda = True
    return block


def is_a(value: Any, klass: Any) -> bool:
    """``value.is_a?(klass)`` for built-in classes, exception classes and classes defined in Ruby."""
    if isinstance(klass, RubyClass):
        return isinstance(value, RubyObject) and value.ruby_class.is_subclass_of(klass)
    test = getattr(klass, "ruby_is_instance", None)
    return bool(test(value)) if test else False


__all__ = ["builtin_constants", "KERNEL", "UNSUPPORTED_CONSTANTS", "UNSUPPORTED_FUNCTIONS", "is_a",
           "ExceptionClass", "RubyConstant", "class_name", "truthy"]

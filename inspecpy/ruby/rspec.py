"""rspec's matcher expressions, as profiles write them, turned into the engine's matchers by name.

``be_readable.by('others')``, ``cmp >= 9``, ``be >= 3``, ``eq(1).or eq(2)``,
``all(be_file)``, ``should >= 2``: each builds a :class:`MatcherSpec` whose
:meth:`~MatcherSpec.engine` gives the engine's matcher name and Python
arguments::

    MatcherSpec("be_readable").chain_by("other").engine()   # ('be_readable_by', ('other',))
    CmpBuilder().op(">=", 9).engine()                       # ('be_at_least', (9,))
"""

from __future__ import annotations

from typing import Any

from inspecpy.ruby.interop import to_python
from inspecpy.ruby.regex import to_python as regex_to_python
from inspecpy.ruby.values import RubyRegexp

#: Matchers rspec/InSpec name that are not ``be_<x>``/``have_<x>`` predicates.
NAMED = frozenset({"eq", "eql", "equal", "cmp", "be", "include", "match", "start_with", "end_with", "exist",
                   "contain_match", "contain_duplicates", "all", "be_in", "be_nil", "be_empty", "be_truthy",
                   "be_falsey", "be_falsy", "be_between", "be_within"})
_ORDER = {"<": "be_less_than", "<=": "be_at_most", ">": "be_greater_than", ">=": "be_at_least"}
_PERMISSIONS = ("be_readable", "be_writable", "be_executable")


def is_matcher_name(name: str) -> bool:
    return name in NAMED or name.startswith(("be_", "have_"))


class MatcherSpec:
    """One matcher as written: its rspec name, arguments, and chained ``.by``/``.by_user``."""

    def __init__(self, name: str, args: tuple = (), negated: bool = False):
        self.name = name
        self.args = tuple(args)
        self.negated = negated
        self.by: Any = None
        self.by_user: Any = None

    def chain_by(self, who: Any) -> "MatcherSpec":
        self.by = who
        return self

    def ruby_dispatch(self, name: str):
        if name == "by":
            return lambda ev, call: self.chain_by(call.args[0])
        if name == "by_user":
            return lambda ev, call: self._set_user(call.args[0])
        if name in ("or", "|"):
            return lambda ev, call: CompoundSpec("or", [self, call.args[0]])
        if name in ("and", "&"):
            return lambda ev, call: CompoundSpec("and", [self, call.args[0]])
        if name == "of" and self.name == "be_within":
            return lambda ev, call: MatcherSpec("be_between", (call.args[0] - self.args[0],
                                                               call.args[0] + self.args[0]))
        return None

    def _set_user(self, user: Any) -> "MatcherSpec":
        self.by_user = user
        return self

    def engine(self) -> tuple[str, tuple]:
        """The engine's matcher name and Python arguments."""
        name, args = self.name, tuple(to_python(a) for a in self.args)
        if name in _PERMISSIONS:
            if self.by_user is not None:
                return f"{name}_by_user", (str(self.by_user),)
            return f"{name}_by", (() if self.by is None else (str(self.by),))
        if name in ("eql", "equal", "be"):
            return "eq", args
        if name == "be_falsy":
            return "be_falsey", args
        if name in ("match", "contain_match"):
            return name, (_pattern(self.args[0]),)
        if name == "all":
            return "all", (self.args[0].engine(),)
        return name, args


def _pattern(value: Any) -> Any:
    """A regex for ``match``: a Ruby regex as translated, a string read as a Ruby regex (as rspec does)."""
    if isinstance(value, RubyRegexp):
        return value.pattern
    return regex_to_python(str(value)) if isinstance(value, str) else value


class CompoundSpec:
    """``eq(1).or eq(2)``, ``match(/a/).and match(/b/)``."""

    def __init__(self, joiner: str, parts: list):
        self.joiner = joiner
        self.parts = parts
        self.negated = False

    def ruby_dispatch(self, name: str):
        if name in ("or", "|", "and", "&"):
            joiner = "or" if name in ("or", "|") else "and"
            if joiner == self.joiner:
                return lambda ev, call: CompoundSpec(joiner, self.parts + [call.args[0]])
            return lambda ev, call: CompoundSpec(joiner, [self, call.args[0]])
        return None

    def engine(self) -> tuple[str, tuple]:
        return ("satisfy_any" if self.joiner == "or" else "satisfy_all"), tuple(p.engine() for p in self.parts)


class CmpBuilder:
    """``cmp`` written with an operator: ``cmp >= 9``, ``cmp == 'x'``, ``cmp != 'x'``."""

    loose = True

    def ruby_dispatch(self, name: str):
        if name in _ORDER or name in ("==", "!="):
            return lambda ev, call: self.op(name, call.args[0])
        if name == "=~":
            return lambda ev, call: MatcherSpec("match", (call.args[0],))
        return None

    def op(self, operator: str, value: Any) -> MatcherSpec:
        if operator in ("==", "!="):
            return MatcherSpec("cmp" if self.loose else "eq", (value,), negated=operator == "!=")
        return MatcherSpec(_ORDER[operator], (value,))


class BeBuilder(CmpBuilder):
    """rspec's ``be`` with an operator: ``be >= 3``, ``be == nil``."""

    loose = False


def build(name: str, args: tuple) -> Any:
    """The matcher spec for a matcher call ``name(*args)`` inside an example."""
    if name == "cmp" and not args:
        return CmpBuilder()
    if name == "be" and not args:
        return BeBuilder()
    return MatcherSpec(name, args)

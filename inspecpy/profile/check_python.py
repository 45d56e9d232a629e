"""``inspecpy check`` for Python control files: the mistakes a run would only show as errors, found
without running anything.

Reads the syntax tree of a control file and looks at every
``describe(SUBJECT).its(PATH).should.MATCHER(...)`` chain and every
resource call::

    describe(package("bash")).should.be_instaled()      # unknown predicate: did you mean be_installed?
    describe(file(p)).its("mdoe").should.cmp("0644")    # file has no attribute 'mdoe'; it has: …
    describe(file(p)).should.exist                      # a matcher named but never called
    user(uid=0)                                         # user() got an unexpected keyword argument 'uid'
    port("ssh")                                         # port('ssh'): invalid literal for int()

Resources are only *built* with literal arguments (a resource's constructor
never touches a target; a probe here would be an error, so nothing can
reach this machine).
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from inspecpy import members
from inspecpy.context import LoadContext, loading
from inspecpy.dsl import matchers
from inspecpy.dsl.expect import Expectation
from inspecpy.names import did_you_mean

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.resources.base import Resource

EXPECTATION_METHODS = frozenset(n for n in vars(Expectation) if not n.startswith("_"))


@dataclass(frozen=True)
class Mistake:
    """A problem found in a control file, at *line*."""

    line: int
    message: str


def _describe_of(node: ast.AST) -> tuple[ast.Call | None, list[str]]:
    """From the expression left of ``.should``: the ``describe(...)`` call and its ``its`` paths."""
    paths: list[str] = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "its":
        if node.args and isinstance(node.args[0], ast.Constant):
            paths.insert(0, str(node.args[0].value))
        node = node.func.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "describe":
        return node, paths
    return None, paths


def _signature(cls: type) -> str:
    """``(username)`` or ``(path=None, signature=None)``: the parameters a user passes, without annotations."""
    try:
        parameters = inspect.signature(cls).parameters.values()
    except (TypeError, ValueError):
        return "(…)"
    words = []
    for p in parameters:
        prefix = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        words.append(prefix + p.name + ("" if p.default is p.empty else f"={p.default!r}"))
    return "(" + ", ".join(words) + ")"


def _literal(node: ast.AST) -> Any:
    return ast.literal_eval(node)


class _Checker:
    def __init__(self, resources: dict[str, type[Resource]]):
        self.resources = resources
        self.mistakes: list[Mistake] = []
        self.called: set[int] = set()  # ids of Attribute nodes that are the func of a Call

    def add(self, node: ast.AST, message: str) -> None:
        self.mistakes.append(Mistake(getattr(node, "lineno", 0), message))

    # ------------------------------------------------------------ resources
    def resource_class(self, node: ast.AST) -> type[Resource] | None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.resources.get(node.func.id)
        return None

    def check_arguments(self, call: ast.Call) -> Any:
        """Build the resource when every argument is a literal: a wrong argument is a mistake. The resource, or None."""
        cls = self.resource_class(call)
        if cls is None:
            return None
        try:
            args = [_literal(a) for a in call.args]
            kwargs = {k.arg: _literal(k.value) for k in call.keywords if k.arg is not None}
        except (ValueError, TypeError, SyntaxError, RecursionError):
            return None  # not literal: only a run can tell
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        try:
            with loading(LoadContext()):  # a constructor that probed would raise, never touch this machine
                return cls(*args, **kwargs)
        except TypeError as error:
            why = str(error).split("() ", 1)[-1]  # "User.__init__() got an unexpected …" → "got an unexpected …"
            self.add(call, f"{cls.name}(): {why} (it takes {cls.name}{_signature(cls)})")
        except (ValueError, ArithmeticError) as error:
            shown = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
            self.add(call, f"{cls.name}({shown}): {error}")
        except Exception:  # noqa: BLE001 - anything else only a run can judge
            return None
        return None

    # ------------------------------------------------------------ chains
    def check_expectation(self, should: ast.Attribute, matcher: ast.AST | None) -> None:
        """``describe(S).its(P).should`` (*should*) and the ``.m`` after it (*matcher*, an Attribute or None)."""
        describe, paths = _describe_of(should.value)
        if describe is None or not describe.args:
            return
        cls = self.resource_class(describe.args[0])
        if cls is not None and paths:
            self.check_its(describe, cls, paths[0])
        if not isinstance(matcher, ast.Attribute):
            self.add(should, f"describe(…).{should.attr} names no matcher: add one, e.g. .{should.attr}.exist()")
            return
        if id(matcher) not in self.called:
            self.add(matcher, f"matcher {matcher.attr!r} is named but not called: write .{matcher.attr}(…) "
                              f"(without the parentheses nothing is checked)")
        self.check_matcher(matcher, matcher.attr, cls if not paths else None)

    def check_matcher(self, node: ast.AST, name: str, cls: type[Resource] | None) -> None:
        if name in matchers.MATCHERS or name in EXPECTATION_METHODS:
            return
        attribute = matchers.predicate_attribute(name)
        if attribute is None:  # neither a registered matcher nor be_<x>/have_<x>
            known = sorted(matchers.MATCHERS)
            self.add(node, f"unknown matcher {name!r}{did_you_mean(name, known + sorted(EXPECTATION_METHODS))}")
            return
        if cls is None:
            return  # a predicate on a value only a run knows
        declared = members.attribute_names(cls) + members.method_names(cls)
        if attribute in declared or f"is_{attribute}" in declared:
            return
        offered = [f"be_{n}" for n in declared] + sorted(EXPECTATION_METHODS)
        self.add(node, f"{cls.name} has no attribute {attribute!r} for {name}{did_you_mean(name, offered)}")

    def check_its(self, node: ast.AST, cls: type[Resource], path: str) -> None:
        first = path.split(".")[0]
        declared = members.attribute_names(cls) + members.method_names(cls)
        if first in declared or getattr(cls, "keyed", False):
            return
        self.add(node, f"its({path!r}): {cls.name} has no attribute {first!r}{did_you_mean(first, declared)}; "
                       f"it has: {', '.join(members.attribute_names(cls))}")


def python_mistakes(tree: ast.AST, resources: dict[str, type[Resource]]) -> Iterator[Mistake]:
    """Every mistake in a parsed control file (see the module's docstring), in line order."""
    checker = _Checker(resources)
    parents: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            checker.called.add(id(node.func))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            checker.check_arguments(node)
        elif isinstance(node, ast.Attribute) and node.attr in ("should", "should_not"):
            above = parents.get(id(node))
            checker.check_expectation(node, above if isinstance(above, ast.Attribute) and above.value is node
                                      else None)
    yield from sorted(checker.mistakes, key=lambda m: m.line)

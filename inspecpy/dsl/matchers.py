"""Every matcher, in one registry that the Python DSL and YAML controls share.

A matcher takes the actual value and the expected arguments and says whether
they match; the registry also knows how to phrase it for ``code_desc`` and
how to explain a failure::

    describe(file("/etc/passwd")).its("mode").should.cmp("0644")
    describe([1, 2, 2]).should.contain_duplicates()
    describe("1.10.0").should.be_greater_than("1.9.0")

``be_<name>`` works for any boolean attribute or predicate method ``<name>``
that the subject *declares* (see :mod:`inspecpy.members`), and
``have_<name>`` for ``has_<name>`` (rspec's predicate matchers):
``be_installed`` reads ``package(...).installed``,
``be_readable_by("other")`` calls ``file(...).readable_by("other")`` and
keyword arguments reach the method
(``be_signed_by(key, signature="m.sig")``). A name the subject does not
declare is an error result with the nearest names — never a pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping

from inspecpy import members
from inspecpy.compare import cmp, show, show_cmp
from inspecpy.verdict import Verdict


@dataclass(frozen=True)
class Outcome:
    """Whether a matcher matched, and the failure message if it did not."""

    ok: bool
    message: str = ""


@dataclass(frozen=True)
class Matcher:
    """A named check: ``test(actual, *expected)`` and how to phrase it."""

    name: str
    test: Callable[..., Any]
    phrase: Callable[[tuple], str]
    arity: int = 1
    diff: str | None = None  # "eq"/"cmp": show expected/got on failure
    #: be_<x>/have_<x>: the subject's attribute or method it asks (``x``, ``has_x``; see
    #: :func:`predicate_attribute`); None for the registered matchers
    attribute: str | None = None

    def describe(self, expected: tuple, options: dict[str, Any] | None = None) -> str:
        """The words of ``code_desc``: ``be signed by "k.pub", signature: "m.sig"``."""
        text = self.phrase(expected)
        if options:
            extra = ", ".join(f"{k}: {show(v)}" for k, v in options.items())
            text = f"{text}, {extra}" if expected else f"{text} {extra}"
        return text


def _regex(pattern: Any) -> re.Pattern:
    return pattern if isinstance(pattern, re.Pattern) else re.compile(str(pattern), re.MULTILINE)


def _eq(actual: Any, expected: Any) -> bool:
    """Strict equality as Ruby's ``==``: no string/number coercion, 1 != true."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return actual == expected
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        return len(actual) == len(expected) and all(_eq(a, e) for a, e in zip(actual, expected))
    if isinstance(actual, str) and isinstance(expected, str):  # a PackageVersion is a str too
        return str(actual) == str(expected)
    return type(actual) is type(expected) and actual == expected


def _match(actual: Any, pattern: Any) -> bool:
    if actual is None:
        return False
    return _regex(pattern).search(actual if isinstance(actual, str) else str(actual)) is not None


def _include(actual: Any, *items: Any) -> bool:
    if actual is None:
        return False
    if isinstance(actual, str):
        return all(isinstance(i, str) and i in actual for i in items)
    if isinstance(actual, dict):
        return all(
            (all(k in actual and cmp(actual[k], "==", v) for k, v in i.items()) if isinstance(i, dict) else i in actual)
            for i in items
        )
    return all(i in list(actual) for i in items)


def _be_in(actual: Any, collection: Any) -> bool:
    if isinstance(actual, (list, tuple, set)):
        return all(a in collection for a in actual)
    return actual in collection


def _starts(actual: Any, prefix: Any) -> bool:
    if isinstance(actual, str):
        return actual.startswith(str(prefix))
    seq = list(actual or ())
    prefix = list(prefix) if isinstance(prefix, (list, tuple)) else [prefix]
    return seq[: len(prefix)] == prefix


def _ends(actual: Any, suffix: Any) -> bool:
    if isinstance(actual, str):
        return actual.endswith(str(suffix))
    seq = list(actual or ())
    suffix = list(suffix) if isinstance(suffix, (list, tuple)) else [suffix]
    return bool(suffix) and seq[-len(suffix):] == suffix


def _duplicates(actual: Any) -> bool:
    seen = []
    for item in actual or ():
        if item in seen:
            return True
        seen.append(item)
    return False


def _predicate(name: str) -> Callable[..., Any]:
    """``be_<name>``: the subject's declared attribute or predicate method ``name``/``is_name``."""

    def test(actual: Any, *args: Any, **options: Any) -> Any:
        for attr in (name, f"is_{name}"):
            if members.declares(actual, attr):
                value = getattr(actual, attr)
                return value(*args, **options) if callable(value) else value
        return members.member(actual, name)  # raises UnknownMember with the nearest names

    return test


def _words(name: str) -> str:
    return name.replace("_", " ")


def _phrase(words: str) -> Callable[[tuple], str]:
    return lambda args: " ".join([words, *(show(a) for a in args)])


#: Every named matcher (read-only; ``be_<x>``/``have_<x>`` are made by :func:`lookup`).
MATCHERS: Mapping[str, Matcher] = MappingProxyType({m.name: m for m in (
    Matcher("eq", _eq, lambda args: f"eq {show(args[0])}", diff="eq"),
    Matcher("cmp", lambda a, e: cmp(a, "==", e), lambda args: f"cmp == {show(args[0])}", diff="cmp"),
    Matcher("match", _match, lambda args: f"match {show(_regex(args[0]))}"),
    Matcher("include", _include, _phrase("include"), arity=-1),
    Matcher("be_in", _be_in, _phrase("be in")),
    Matcher("be_empty", lambda a: a is not None and len(a) == 0, _phrase("be empty"), arity=0),
    Matcher("start_with", _starts, _phrase("start with")),
    Matcher("end_with", _ends, _phrase("end with")),
    Matcher("be_greater_than", lambda a, e: cmp(a, ">", e), _phrase("be greater than")),
    Matcher("be_at_least", lambda a, e: cmp(a, ">=", e), _phrase("be at least")),
    Matcher("be_less_than", lambda a, e: cmp(a, "<", e), _phrase("be less than")),
    Matcher("be_at_most", lambda a, e: cmp(a, "<=", e), _phrase("be at most")),
    Matcher("be_between", lambda a, lo, hi: cmp(a, ">=", lo) and cmp(a, "<=", hi),
            lambda args: f"be between {show(args[0])} and {show(args[1])}", arity=2),
    Matcher("contain_duplicates", _duplicates, _phrase("contain duplicates"), arity=0),
    Matcher("exist", _predicate("exists"), _phrase("exist"), arity=0),
)})


def predicate_attribute(name: str) -> str | None:
    """The attribute a predicate matcher *name* reads: ``x`` for ``be_x``, ``has_x`` for ``have_x``
    (rspec: ``have_rule`` asks ``has_rule``), or None when *name* is no predicate matcher's.

    >>> predicate_attribute("be_safe"), predicate_attribute("have_rule"), predicate_attribute("be_")
    ('safe', 'has_rule', None)
    """
    if name.startswith("be_") and len(name) > 3 and name.isidentifier():
        return name[3:]
    if name.startswith("have_") and len(name) > 5 and name.isidentifier():
        return "has_" + name[5:]
    return None


def lookup(name: str) -> Matcher:
    """The matcher called *name*; ``be_<x>``/``have_<x>`` fall back to a predicate matcher."""
    if name in MATCHERS:
        return MATCHERS[name]
    attribute = predicate_attribute(name)
    if attribute is None:
        raise KeyError(name)
    return Matcher(name, _predicate(attribute), _phrase(_words(name)), arity=-1, attribute=attribute)


def evaluate(matcher: Matcher, actual: Any, expected: tuple, options: dict[str, Any], negate: bool,
             subject: str) -> Outcome:
    """Run *matcher* and phrase the failure as rspec/InSpec does."""
    verdict = matcher.test(actual, *expected, **options)
    ok = bool(verdict) != negate
    if ok:
        return Outcome(True)
    reason = verdict.reason if isinstance(verdict, Verdict) and verdict.reason else ""
    if matcher.diff and not negate:
        e = expected[0]
        shown = (show_cmp(e, e), show_cmp(actual, e)) if matcher.diff == "cmp" else (show(e), show(actual))
        how = "`cmp` matcher" if matcher.diff == "cmp" else "=="
        message = f"expected: {shown[0]}\n     got: {shown[1]}\n\n(compared using {how})"
    else:
        target = subject if _is_resource_level(matcher) else show(actual)
        message = f"expected {target} {'not ' if negate else ''}to {matcher.describe(expected, options)}"
        if matcher.diff and negate:
            message += f"\n     got: {show(actual)}"
    if reason:
        message += f"\n{reason}"
    return Outcome(False, message)


def _is_resource_level(matcher: Matcher) -> bool:
    return matcher.name == "exist" or (matcher.name.startswith(("be_", "have_")) and matcher.name not in MATCHERS)

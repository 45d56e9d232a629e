"""A control is data plus deferred checks (InSpec's ``rule.rb``): the ``Control`` class and ``@control``.

Loading a profile builds :class:`Control` objects; nothing touches the
target until the runner calls :meth:`Control.body`::

    from inspecpy import control, describe
    from inspecpy.resources import file

    @control("login-defs", impact="medium", title="Password policy")
    def _():
        describe(file("/etc/login.defs")).its("mode").should.cmp("0644")
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from inspecpy.context import current_load
from inspecpy.errors import ControlSkipped, ProfileError, Where
from inspecpy.results import SourceLocation, Waiver

IMPACT_NAMES = {"none": 0.0, "low": 0.3, "medium": 0.5, "high": 0.7, "critical": 1.0}


def impact_value(impact: Any, where: Where | None = None, subject: str = "") -> float:
    """A number in 0..1 from a number or InSpec's names (none/low/medium/high/critical)."""
    if isinstance(impact, str) and impact.strip().lower() in IMPACT_NAMES:
        return IMPACT_NAMES[impact.strip().lower()]
    try:
        value = float(impact)
    except (TypeError, ValueError):
        raise ProfileError(
            *(where,) if where else (), f"{subject}impact {impact!r} is neither a number nor one of {', '.join(IMPACT_NAMES)}"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise ProfileError(*(where,) if where else (), f"{subject}impact {value:g} is outside 0..1")
    return value


@dataclass
class Control:
    """One control as loaded: its metadata and the function that runs its checks."""

    id: str
    body: Callable[[], Any]
    title: str | None = None
    desc: str | None = None
    impact: float = 0.5
    tags: dict[str, Any] = field(default_factory=dict)
    refs: tuple[Any, ...] = ()
    descriptions: tuple[tuple[str, str], ...] = ()
    only_if: Callable[[], Any] | None = None
    only_if_message: str | None = None
    source_location: SourceLocation | None = None
    code: str = ""
    group: str = ""
    profile: str = ""
    waiver: Waiver | None = None

    def with_changes(self, **changes: Any) -> "Control":
        return replace(self, **changes)

    def has_tag(self, tag: str) -> bool:
        """True when *tag* is a tag key, or a tag value (``key:value`` also matches)."""
        key, _, wanted = tag.partition(":")
        for name, value in self.tags.items():
            values = value if isinstance(value, (list, tuple, set)) else [value]
            if name == tag or any(str(v) == tag for v in values if v is not None):
                return True
            if wanted and name == key and any(str(v) == wanted for v in values):
                return True
        return False


def normalise_tags(tags: Any) -> dict[str, Any]:
    """Tags as a mapping: a list of names becomes ``{name: None}``."""
    if tags is None:
        return {}
    if isinstance(tags, dict):
        return dict(tags)
    if isinstance(tags, (list, tuple, set)):
        out: dict[str, Any] = {}
        for item in tags:
            if isinstance(item, dict):
                out.update(item)
            else:
                out[str(item)] = None
        return out
    return {str(tags): None}


def condition_text(condition: Callable[[], Any]) -> str:
    """The source of an ``only_if`` lambda, for the skip message."""
    try:
        source = inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return getattr(condition, "__name__", "condition")
    found = re.search(r"lambda\s*:\s*(.*)", source, re.S)
    if not found:
        return getattr(condition, "__name__", source)
    text = found.group(1)
    depth = 0
    for i, ch in enumerate(text):  # cut at the end of the lambda's expression
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return text[:i].strip().rstrip(",")
            depth -= 1
        elif ch == "," and depth == 0:
            return text[:i].strip()
    return text.strip()


def only_if_skip_message(message: str | None) -> str:
    """The skip message of a control whose ``only_if`` did not hold (InSpec's words)."""
    if message:
        return f"Skipped control due to only_if condition: {message}"
    return "Skipped control due to only_if condition."


def control(id: str, impact: float | str = 0.5, title: str | None = None, desc: str | None = None,
            tags: Any = None, refs: Any = None, descriptions: dict[str, str] | None = None,
            only_if: Callable[[], Any] | None = None, only_if_message: str | None = None
            ) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register the decorated function as control *id* of the profile being loaded (it runs later).

    Outside a profile load (a script, a notebook) nothing is registered: the
    function gets the :class:`Control` as ``fn.control`` for
    :func:`inspecpy.run.runner.run_control`.
    """
    def decorate(body: Callable[[], Any]) -> Callable[[], Any]:
        code_obj = body.__code__
        where = Where(code_obj.co_filename, code_obj.co_firstlineno)
        try:
            code = inspect.getsource(body)
        except (OSError, TypeError):
            code = ""
        ctrl = Control(
            id=str(id), body=body, title=title, desc=desc, impact=impact_value(impact, where, f"control {id!r}: "),
            tags=normalise_tags(tags), refs=tuple(refs or ()),
            descriptions=tuple((descriptions or {}).items()),
            only_if=only_if, only_if_message=only_if_message or (condition_text(only_if) if only_if else None),
            source_location=SourceLocation(code_obj.co_filename, code_obj.co_firstlineno), code=code,
        )
        load = current_load()
        if load is not None:
            ctrl.profile = load.profile
            load.controls.append(ctrl)
        body.control = ctrl  # type: ignore[attr-defined]
        return body

    return decorate


def skip(reason: str = "Skipped control") -> None:
    """Skip the running control with *reason* (raises; nothing after it runs)."""
    raise ControlSkipped(reason)

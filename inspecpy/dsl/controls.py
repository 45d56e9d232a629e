"""A control is data plus deferred checks (InSpec's ``rule.rb``).

Loading a profile builds :class:`Control` objects; nothing touches the
target until the runner calls :meth:`Control.body`.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from inspecpy.errors import ProfileError
from inspecpy.results import SourceLocation, Waiver

IMPACT_NAMES = {"none": 0.0, "low": 0.3, "medium": 0.5, "high": 0.7, "critical": 1.0}


def impact_value(impact: Any, where: str = "") -> float:
    """A number in 0..1 from a number or InSpec's names (none/low/medium/high/critical)."""
    if isinstance(impact, str) and impact.strip().lower() in IMPACT_NAMES:
        return IMPACT_NAMES[impact.strip().lower()]
    try:
        value = float(impact)
    except (TypeError, ValueError):
        raise ProfileError(
            f"{where}impact {impact!r} is neither a number nor one of {', '.join(IMPACT_NAMES)}"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise ProfileError(f"{where}impact {value:g} is outside 0..1")
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

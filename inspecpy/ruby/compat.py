"""The few Ruby behaviours Python has no one-word idiom for, used by profiles ``inspecpy import`` writes.

::

    from inspecpy.ruby.compat import to_f
    to_f("9.2p1,\\n")          # 9.2  (Ruby's String#to_f reads the leading number)
    split("a:b::", ":")       # ['a', 'b']  (Ruby drops trailing empty fields)

No parser or Ruby machinery is imported here: an imported profile needs
only inspecpy.
"""

from __future__ import annotations

import re
from typing import Any

_LEADING_FLOAT = re.compile(r"\s*[-+]?\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LEADING_INT = re.compile(r"\s*[-+]?\d[\d_]*")


def to_f(value: Any) -> float:
    """Ruby's ``to_f``: the leading number of a string (0.0 when there is none), ``nil`` is 0.0."""
    if value is None:
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    found = _LEADING_FLOAT.match(str(value))
    return float(found.group(0).replace("_", "")) if found else 0.0


def to_i(value: Any) -> int:
    """Ruby's ``to_i``: the leading integer of a string (0 when there is none), ``nil`` is 0."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    found = _LEADING_INT.match(str(value))
    return int(found.group(0).replace("_", "")) if found else 0


def split(text: str, separator: Any = None) -> list[str]:
    """Ruby's ``String#split``: whitespace by default, a string or regex separator, trailing empties dropped."""
    if separator is None or separator == " ":
        return text.split()
    parts = separator.split(text) if isinstance(separator, re.Pattern) else text.split(separator)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def readable(path: str) -> bool:
    """Ruby's ``File.readable?``: whether the target's user can read *path* (``test -r``)."""
    from inspecpy.targets import current_target

    return current_target().run("test -r {}", path).exit_status == 0

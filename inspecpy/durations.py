"""Durations as Prometheus writes them: ``90`` (seconds), ``30s``, ``5m``, ``1h30m``, ``1d``, ``500ms``.

>>> parse_duration("1h30m")
5400.0
>>> parse_duration("90")
90.0
"""

from __future__ import annotations

import re

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")


def parse_duration(text: str | float | int) -> float:
    """Seconds in *text*; ValueError (saying what is wrong) unless it is a duration longer than 0."""
    value = str(text).strip()
    try:
        seconds = float(value)
    except ValueError:
        parts = _PART.findall(value)
        if not parts or "".join(n + u for n, u in parts) != value:
            raise ValueError(f"{text!r} is not a duration (e.g. 30s, 5m, 1h30m, 1d)") from None
        seconds = sum(float(n) * _UNITS[u] for n, u in parts)
    if not seconds > 0:
        raise ValueError(f"{text!r} is not a duration longer than 0")
    return seconds

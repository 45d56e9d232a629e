"""A boolean that says why: what predicate properties return when a bare bool is too terse.

>>> v = Verdict(False, "os.system found in model.pkl")
>>> bool(v), v.reason
(False, 'os.system found in model.pkl')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """``ok`` with a human ``reason``; truthy exactly when ``ok``."""

    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return f"{self.ok} ({self.reason})" if self.reason else str(self.ok)

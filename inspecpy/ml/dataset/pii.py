"""Personal data detectors: counts and columns, never the values.

Five kinds, each a regular expression tuned to avoid the usual false
positives of numeric data: ``email``; ``phone`` (written with separators or
in ``+E.164`` form, since a bare run of ten digits is as likely a timestamp
or an id); ``card`` (13–19 digits, optionally grouped, starting 2–6 and
passing the Luhn check); ``ssn`` (US, dashed, valid area/group/serial);
``ipv4`` (four dotted numbers, except where the words just before name a
version: ``version 10.2.3.4``, ``release``, ``build``, ``rev``, ``ver``,
``firmware``, ``v.``). One combined pattern scans each column's text once. Example::

    >>> counter = PiiCounter()
    >>> counter.scan("contact", ["mail a@b.example", "none"], [1, 2])
    >>> [str(f) for f in counter.findings()]
    ['1 email in column contact (first at row 1)']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

KINDS = ("email", "phone", "card", "ssn", "ipv4")

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
PATTERN = re.compile(
    r"(?P<card>(?<![\w+])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\w-]))"
    r"|(?P<ssn>(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-]))"
    r"|(?P<phone>(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])"
    r"|(?<![\w+])\+[1-9]\d{7,14}(?![\w-]))"
    r"|(?P<ipv4>(?<![\w.])" + _OCTET + r"(?:\." + _OCTET + r"){3}(?![\w.]))"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)


#: words that make the dotted numbers right after them a version, not an address
_VERSION_BEFORE = re.compile(r"\b(?:v|ver|version|release|rel|build|rev|revision|firmware|fw)\.?\s*[:=#]?\s*\Z",
                             re.IGNORECASE)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum of a string of digits (card numbers).

    >>> luhn_valid("4111111111111111"), luhn_valid("4111111111111112")
    (True, False)
    """
    d = np.frombuffer(digits.encode("ascii"), dtype=np.uint8) - 48
    doubled = d[-2::-2] * 2
    return int(d[::-2].sum() + (doubled - 9 * (doubled > 9)).sum()) % 10 == 0


def count_matches(text: str) -> dict[str, list[int]]:
    """Start offsets of each kind found in *text* (cards only when Luhn-valid)."""
    found: dict[str, list[int]] = {}
    for m in PATTERN.finditer(text):
        kind = m.lastgroup
        assert kind is not None  # every alternative of PATTERN is one named group
        if kind == "card" and not luhn_valid(re.sub(r"[ -]", "", m.group())):
            continue
        if kind == "ipv4" and _VERSION_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue
        found.setdefault(kind, []).append(m.start())
    return found


@dataclass(frozen=True)
class PiiFinding:
    """``count`` occurrences of one kind of personal data in one column.

    It carries where (column, first data row), never what: the value itself
    is not kept anywhere.
    """

    kind: str
    column: str
    count: int
    first_row: int

    def __str__(self) -> str:
        return f"{self.count} {self.kind} in column {self.column} (first at row {self.first_row})"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "column": self.column, "count": self.count, "first_row": self.first_row}


class PiiCounter:
    """A mergeable tally of PII occurrences per (kind, column)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = {}

    def scan(self, column: str, texts: list[str], rows) -> None:
        """Scan cell *texts* of *column*; ``rows[i]`` is the data-row number of ``texts[i]``."""
        if not texts:
            return
        joined = "\n".join(texts)
        found = count_matches(joined)
        if not found:
            return
        starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
        rows = np.asarray(rows)
        for kind, offsets in found.items():
            cell = np.searchsorted(starts, offsets, side="right") - 1
            self._add(kind, column, len(offsets), int(rows[cell].min()))

    def _add(self, kind: str, column: str, count: int, first_row: int) -> None:
        entry = self.counts.setdefault((kind, column), [0, first_row])
        entry[0] += count
        entry[1] = min(entry[1], first_row)

    def merge(self, other: PiiCounter) -> None:
        for (kind, column), (count, first) in other.counts.items():
            self._add(kind, column, count, first)

    def findings(self, columns: list[str] | None = None) -> list[PiiFinding]:
        """Findings ordered by column (in *columns* order when given), then kind."""
        order = {c: i for i, c in enumerate(columns or [])}
        items = sorted(self.counts.items(),
                       key=lambda kv: (order.get(kv[0][1], len(order)), kv[0][1], KINDS.index(kv[0][0])))
        return [PiiFinding(kind, column, count, first) for (kind, column), (count, first) in items]

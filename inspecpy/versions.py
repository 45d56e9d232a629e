"""Version ordering: a package manager's rules for package versions, a generic rule for other strings.

A version string that a ``package`` resource returns is a :class:`PackageVersion`:
a ``str`` that orders by its package manager's rules, so every ordering
matcher and ``cmp`` compare it as ``dpkg`` or ``rpm`` would::

    >>> v = PackageVersion("5.2.15-2+b8", "dpkg")
    >>> v >= "1:5.2.15"                    # the epoch makes 1:5.2.15 newer
    False
    >>> PackageVersion("1.0~rc1", "dpkg") < "1.0"
    True
    >>> PackageVersion("1.0^git1-1", "rpm") > "1.0-1"
    True

dpkg's rules come from python-debian (``debian.debian_support``, which uses
apt's own ``apt_pkg`` when it is installed); rpm's from ``rpm-version``
(bindings of the rpm-rs crate, the same algorithm as ``rpmvercmp``).

Plain strings (no package manager known) use :func:`version_key`: numeric
runs compare as numbers, an epoch ``N:`` comes first, ``~`` sorts before
anything (as dpkg and rpm do)::

    >>> sorted(["1.10", "1.9", "1:0.1", "1.9~rc1"], key=version_key)
    ['1.9~rc1', '1.9', '1.10', '1:0.1']
"""

from __future__ import annotations

import re
from functools import cmp_to_key
from typing import Any, Callable

#: a plain string that the generic rule treats as a version: optional epoch, then a digit first
GENERIC_VERSION = re.compile(r"\A\s*(?:[0-9]+:)?[0-9][0-9A-Za-z.+~_-]*\s*\Z")
_TOKEN = re.compile(r"~|[0-9]+|[A-Za-z]+")


def _dpkg(a: str, b: str) -> int:
    from debian.debian_support import Version

    try:
        left, right = Version(a), Version(b)
    except ValueError as error:
        raise ValueError(f"{error} (as a dpkg version)") from None
    return (left > right) - (left < right)


def _rpm(a: str, b: str) -> int:
    from rpm_version import evr_compare

    return int(evr_compare(a, b))


#: package manager → three-way compare of two version strings
SCHEMES: dict[str, Callable[[str, str], int]] = {"dpkg": _dpkg, "rpm": _rpm}


class PackageVersion(str):
    """A version string that orders by its package manager's rules (``dpkg`` or ``rpm``).

    Equality stays the string's (``eq`` is exact); ``<``, ``<=``, ``>``,
    ``>=`` and :meth:`compare` use the scheme, for a plain ``str`` on either side.
    """

    scheme: str

    def __new__(cls, value: str, scheme: str) -> "PackageVersion":
        if scheme not in SCHEMES:
            raise ValueError(f"unknown version scheme {scheme!r} (known: {', '.join(SCHEMES)})")
        version = super().__new__(cls, value)
        version.scheme = scheme
        return version

    def compare(self, other: Any) -> int:
        """-1, 0 or 1 as this version is older, the same or newer than *other* by this scheme."""
        return SCHEMES[self.scheme](str(self), str(other))

    def __lt__(self, other: Any) -> bool:
        return self.compare(other) < 0 if isinstance(other, str) else NotImplemented

    def __le__(self, other: Any) -> bool:
        return self.compare(other) <= 0 if isinstance(other, str) else NotImplemented

    def __gt__(self, other: Any) -> bool:
        return self.compare(other) > 0 if isinstance(other, str) else NotImplemented

    def __ge__(self, other: Any) -> bool:
        return self.compare(other) >= 0 if isinstance(other, str) else NotImplemented

    __eq__ = str.__eq__
    __hash__ = str.__hash__

    def __reduce__(self):
        return (PackageVersion, (str(self), self.scheme))


def scheme_compare(actual: Any, expected: Any) -> int | None:
    """Three-way compare when either side is a :class:`PackageVersion`, else None."""
    for version, other, sign in ((actual, expected, 1), (expected, actual, -1)):
        if isinstance(version, PackageVersion) and isinstance(other, (str, int, float)) \
                and not isinstance(other, bool):
            return sign * version.compare(str(other))
    return None


def _tokens(version: str) -> tuple[int, list[str | int]]:
    text = version.strip()
    epoch, colon, rest = text.partition(":")
    if not (colon and epoch.isdigit()):
        epoch, rest = "0", text
    return int(epoch), [int(t) if t.isdigit() else t for t in _TOKEN.findall(rest)]


def _rank(token: str | int | None) -> tuple[int, int | str]:
    """``~`` < the end < letters < numbers; a missing number counts as the end, so ``1.0 == 1``."""
    if token == "~":
        return (0, 0)
    if token is None:
        return (1, 0)
    if isinstance(token, int):
        return (3, token)
    return (2, token)


def generic_compare(a: str, b: str) -> int:
    """Three-way compare of two version strings by the generic rule (no package manager known).

    An epoch ``N:`` comes first; then tokens in turn: numbers as numbers,
    letters below numbers, ``~`` below the end; separators (``. - + _``)
    only split tokens; a trailing ``0`` equals the end (``1.0 == 1``).
    """
    (epoch_a, tokens_a), (epoch_b, tokens_b) = _tokens(a), _tokens(b)
    if epoch_a != epoch_b:
        return -1 if epoch_a < epoch_b else 1
    for i in range(max(len(tokens_a), len(tokens_b))):
        x = tokens_a[i] if i < len(tokens_a) else None
        y = tokens_b[i] if i < len(tokens_b) else None
        rank_x, rank_y = _rank(0 if x is None and y == 0 else x), _rank(0 if y is None and x == 0 else y)
        if rank_x != rank_y:
            return -1 if rank_x < rank_y else 1
    return 0


#: a sort key by :func:`generic_compare`: ``sorted(versions, key=version_key)``
version_key = cmp_to_key(generic_compare)

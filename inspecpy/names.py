"""Names in messages and files: "unknown resource 'fiel' (did you mean 'file'?)", a target as a file name.

>>> nearest("fiel", ["file", "command"])
'file'
>>> did_you_mean("fiel", ["file", "command"])
" (did you mean 'file'?)"
>>> did_you_mean("zzz", ["file"])
''
"""

from __future__ import annotations

from typing import Iterable


def nearest(name: str, choices: Iterable[str]) -> str | None:
    """The choice closest to *name* (difflib's ratio), or None when none is close."""
    import difflib

    found = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1)
    return found[0] if found else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` for the nearest choice, or ``""``."""
    near = nearest(name, choices)
    return f" (did you mean {near!r}?)" if near else ""


def target_slug(target: str) -> str:
    """*target* as a file-name fragment.

    >>> target_slug("ssh://me@web1:22")
    'me_web1_22'
    """
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in target.split("://", 1)[-1])
    return safe.strip("_") or "local"

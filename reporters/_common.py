"""Small helpers several reporters share: impact names, text made safe for XML.

The status and counts every reporter shows are :func:`inspecpy.results.shown_status`
and :func:`~inspecpy.results.shown_counts`.

Example::

    impact_name(0.7)                 # 'high'
    xml_text("ok" + chr(27) + "[31m")  # 'ok\\x1b[31m' (a backslash, then x1b: XML 1.0 forbids ESC)
    utf8(text)                       # bytes; a lone surrogate becomes U+FFFD
"""

from __future__ import annotations

import re
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from inspecpy.results import RunResult

#: InSpec's and Heimdall's severity bands, highest first: (name, lowest impact).
IMPACT_BANDS = (("critical", 0.9), ("high", 0.7), ("medium", 0.4), ("low", 0.01), ("none", 0.0))

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates,
# U+FFFE/U+FFFF) and the discouraged C1 controls.
_SURROGATE = re.compile("[\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def impact_name(impact: float) -> str:
    """``critical`` (≥ 0.9), ``high`` (≥ 0.7), ``medium`` (≥ 0.4), ``low`` (> 0) or ``none``."""
    for name, lowest in IMPACT_BANDS:
        if impact >= lowest:
            return name
    return "none"


def _escape_char(found: re.Match) -> str:
    code = ord(found.group())
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: Any) -> str:
    """*text* as a string XML 1.0 accepts: forbidden characters shown as ``\\xNN``, lone surrogates as U+FFFD."""
    text = "" if text is None else str(text)
    return _XML_ILLEGAL.sub(_escape_char, text) if _XML_ILLEGAL.search(text) else text


def utf8(text: str) -> bytes:
    """*text* encoded as UTF-8; a lone surrogate (from undecodable bytes) becomes U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def tag_labels(tags: dict[str, Any]) -> list[str]:
    """Tags as the words a user filters by: ``name`` for a bare tag, ``name:value`` otherwise."""
    labels: list[str] = []
    for name, value in tags.items():
        values = value if isinstance(value, (list, tuple, set)) else [value]
        labels += [name if v is None or v is True else f"{name}:{v}" for v in values] or [name]
    return labels


def hostname(run: RunResult) -> str:
    """The host a run checked: the URI's host, or this machine's name for ``local://``."""
    parts = urlsplit(run.target if "://" in run.target else f"local://{run.target}")
    if parts.scheme == "local" or not parts.hostname:
        return socket.gethostname() or "localhost"
    return parts.hostname


def timestamp(run: RunResult) -> str:
    """The run's start as ``YYYY-MM-DDTHH:MM:SS`` (local time, no zone: what JUnit allows)."""
    try:
        return datetime.fromisoformat(run.start_time).strftime("%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return datetime.now().strftime("%Y-%m-%dT%H:%M:%S")

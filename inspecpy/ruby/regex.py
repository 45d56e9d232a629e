"""Ruby (Onigmo) regular expressions translated to Python's ``re``.

Ruby and Python agree on most syntax; the differences profiles meet are
rewritten, and what ``re`` cannot express raises :class:`RegexUnsupported`
naming the feature::

    to_python(r"\\A\\h+\\z").pattern           # '\\\\A[0-9a-fA-F]+\\\\Z'
    to_python("(?<key>\\\\w+)=", "x").flags    # re.VERBOSE | re.MULTILINE

* ``^``/``$`` always anchor at line boundaries in Ruby (``re.MULTILINE``);
* ``\\A`` stays, ``\\z`` becomes ``\\Z``, Ruby's ``\\Z`` (end, or before a
  final newline) becomes ``(?=\\n?\\Z)``;
* ``\\h``/``\\H`` (hex digit), ``\\R`` (line break), ``\\e``, POSIX classes
  ``[[:alpha:]]``, ``(?<name>…)``/``\\k<name>``;
* flags: ``/m`` is ``re.DOTALL`` (Ruby's ``m`` is "dot matches newline"),
  ``/x`` verbose, ``/i`` ignore case; inline ``(?m)`` becomes ``(?s)``.
"""

from __future__ import annotations

import re
from functools import lru_cache

_POSIX = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r"\s", "xdigit": "0-9a-fA-F", "word": r"\w", "punct": r"!-/:-@\[-`{-~", "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e",
}
_UNSUPPORTED_ESCAPES = {
    "G": "\\G (match start anchor)", "p": "\\p{...} (Unicode property)", "P": "\\P{...} (Unicode property)",
    "X": "\\X (extended grapheme cluster)", "K": "\\K (keep)", "g": "\\g<...> (subexpression call)",
    "y": "\\y (text segment boundary)", "Y": "\\Y (text segment boundary)", "O": "\\O (any character)",
}


class RegexUnsupported(ValueError):
    """A Ruby regex that Python's ``re`` cannot express (the message names the feature)."""


def python_flags(options: str) -> int:
    """Python's ``re`` flags for Ruby's regex *options* (``^``/``$`` are always per line in Ruby)."""
    flags = re.MULTILINE
    for letter in options:
        if letter == "m":
            flags |= re.DOTALL
        elif letter == "i":
            flags |= re.IGNORECASE
        elif letter == "x":
            flags |= re.VERBOSE
        elif letter in "onesu":
            continue  # encoding and once-only options: no meaning here
        else:
            raise RegexUnsupported(f"unknown regex option {letter!r}")
    return flags


def translate(source: str) -> str:
    """The Python pattern text for Ruby pattern *source* (flags aside)."""
    out: list[str] = []
    i, n, in_class = 0, len(source), 0
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            nxt = source[i + 1]
            if nxt == "z":
                out.append(r"\Z")
            elif nxt == "Z":
                out.append(r"(?=\n?\Z)")
            elif nxt == "h":
                out.append("0-9a-fA-F" if in_class else "[0-9a-fA-F]")
            elif nxt == "H":
                if in_class:
                    raise RegexUnsupported("\\H inside a character class")
                out.append("[^0-9a-fA-F]")
            elif nxt == "R":
                out.append(r"(?:\r\n|[\n\v\f\r\x85\u2028\u2029])")
            elif nxt == "e":
                out.append(r"\x1b")
            elif nxt == "/":
                out.append("/")
            elif nxt == "k" and i + 2 < n and source[i + 2] == "<":
                end = source.index(">", i)
                out.append(f"(?P={source[i + 3:end]})")
                i = end + 1
                continue
            elif nxt in _UNSUPPORTED_ESCAPES:
                raise RegexUnsupported(f"{_UNSUPPORTED_ESCAPES[nxt]} has no equivalent in Python's re")
            else:
                out.append(source[i:i + 2])
            i += 2
            continue
        if in_class and source.startswith("[:", i):
            end = source.find(":]", i + 2)
            name = source[i + 2:end] if end > 0 else ""
            negated = name.startswith("^")
            if name.lstrip("^") in _POSIX:
                if negated:
                    raise RegexUnsupported(f"negated POSIX class [:{name}:]")
                out.append(_POSIX[name])
                i = end + 2
                continue
        if ch == "[":
            in_class += 1
            out.append(ch)
            if source.startswith("^", i + 1):
                out.append("^")
                i += 1
            if source.startswith("]", i + 1):  # a literal ] first in a class
                out.append(r"\]")
                i += 1
        elif ch == "]" and in_class:
            in_class -= 1
            out.append(ch)
        elif not in_class and source.startswith("(?<", i) and i + 3 < n and source[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        elif not in_class and source.startswith("(?~", i):
            raise RegexUnsupported("(?~...) (absence operator) has no equivalent in Python's re")
        elif not in_class and ch == "(" and source.startswith("(?", i):
            found = re.match(r"\(\?([imx]*)(?:-([imx]*))?([:)])", source[i:])
            if found:
                on, off, close = found.group(1), found.group(2) or "", found.group(3)
                convert = lambda s: s.replace("m", "s")  # noqa: E731 - Ruby's m is Python's s
                text = "(?" + convert(on) + ("-" + convert(off) if off else "") + close
                if close == ")" and (off or i > 0):
                    raise RegexUnsupported("inline option groups like (?m) in the middle of a pattern")
                out.append(text)
                i += len(found.group(0))
                continue
            out.append(ch)
        else:
            out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def to_python(source: str, options: str = "") -> re.Pattern:
    """A compiled Python pattern equivalent to Ruby's ``/source/options``.

    Raises :class:`RegexUnsupported` for a feature ``re`` lacks, and for a
    pattern that does not compile (the message says why).
    """
    flags = python_flags(options)
    pattern = translate(source)
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise RegexUnsupported(f"/{source}/ is not a valid regular expression here: {error}") from None

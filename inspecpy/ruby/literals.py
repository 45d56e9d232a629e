"""Ruby literals to values: numbers, strings (escapes, interpolation, heredocs), symbols, regexes.

Functions take the evaluator only to evaluate ``#{...}`` parts::

    integer_value("0o17"), integer_value("1_000")        # (15, 1000)
    unescape_double(r"a\\tb")                             # 'a\\tb' with a real tab
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from inspecpy.ruby.regex import RegexUnsupported, to_python
from inspecpy.ruby.runtime import Frame, RubyUnsupported
from inspecpy.ruby.syntax import Node
from inspecpy.ruby.values import RubyError, RubyRegexp, Symbol, to_s

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.evaluator import Evaluator

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "s": " ", "r": "\r", "0": "\0", "e": "\x1b", "a": "\a", "b": "\b",
                   "f": "\f", "v": "\v"}


def integer_value(text: str) -> int:
    text = text.replace("_", "").lower()
    if text.startswith(("0x", "0b", "0o")):
        return int(text, 0)
    if text.startswith("0d"):
        return int(text[2:])
    if len(text) > 1 and text.startswith("0"):
        return int(text, 8)
    return int(text)


def unescape_double(text: str) -> str:
    """A double-quoted string's escape sequence (``\\n``, ``\\u00e9``, ``\\x41``, ``\\101``) as text."""
    body = text[1:]
    if not body:
        return "\\"
    first = body[0]
    if first in _SIMPLE_ESCAPES and len(body) == 1:
        return _SIMPLE_ESCAPES[first]
    if first == "u":
        digits = body[1:].strip("{}")
        return "".join(chr(int(d, 16)) for d in digits.split())
    if first == "x":
        return chr(int(body[1:], 16))
    if first.isdigit() and first in "01234567":
        return chr(int(body, 8))
    return body  # \" \\ \# and any other character stand for themselves


def unescape_single(text: str) -> str:
    """Single-quoted text: only ``\\\\`` and ``\\'`` are escapes."""
    return re.sub(r"\\([\\'])", r"\1", text)


def _is_single(node: Node) -> bool:
    opening = node.toks[0] if node.toks else '"'
    return opening == "'" or opening.startswith("%q") or (opening.startswith("<<") and "'" in opening)


def string_parts(ev: "Evaluator", node: Node, frame: Frame, single: bool) -> str:
    out = []
    for kid in node.kids:
        if kid.type in ("string_content", "heredoc_content"):
            out.append(unescape_single(kid.text or "") if single else kid.text or "")
        elif kid.type == "escape_sequence":
            out.append(unescape_single(kid.text or "") if single else unescape_double(kid.text or ""))
        elif kid.type == "interpolation":
            out.append(to_s(ev.run_body_kids(kid.kids, frame)))
        elif kid.type == "comment":
            continue
        else:
            out.append(to_s(ev.eval(kid, frame)))
    return "".join(out)


def string_value(ev: "Evaluator", node: Node, frame: Frame) -> str:
    return string_parts(ev, node, frame, _is_single(node))


def heredoc_value(ev: "Evaluator", node: Node, frame: Frame) -> str:
    """A heredoc body; ``<<~`` removes the common indentation of its lines, as Ruby does."""
    opening = node.text or ""
    single = "'" in opening
    if not opening.startswith("<<~"):
        text = _drop_end_indent(string_parts(ev, node, frame, single))
        return text[1:] if text.startswith("\n") else text
    pieces = []  # (is_literal, text)
    for kid in node.kids:
        if kid.type == "heredoc_content":
            pieces.append((True, unescape_single(kid.text or "") if single else kid.text or ""))
        elif kid.type == "escape_sequence":
            pieces.append((False, unescape_single(kid.text or "") if single else unescape_double(kid.text or "")))
        elif kid.type == "interpolation":
            pieces.append((False, to_s(ev.run_body_kids(kid.kids, frame))))
    literal = "".join(text if is_literal else "x" for is_literal, text in pieces)
    lines = literal[1:].split("\n") if literal.startswith("\n") else literal.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    text = _drop_end_indent("".join(text for _, text in pieces))
    text = text[1:] if text.startswith("\n") else text
    return "\n".join(line[cut:] if line[:cut].strip(" \t") == "" else line.lstrip(" \t")
                     for line in text.split("\n"))


def _drop_end_indent(text: str) -> str:
    """The spaces before an indented closing word (``  EOS``) are not part of the text."""
    head, newline, tail = text.rpartition("\n")
    return head + newline if newline and tail.strip(" \t") == "" else text


def symbol_value(ev: "Evaluator", node: Node, frame: Frame) -> Symbol:
    if node.type == "simple_symbol":
        text = node.text or ":"
        return Symbol(text[1:])
    if node.type == "hash_key_symbol":
        return Symbol(node.text or "")
    return Symbol(string_parts(ev, node, frame, single=False))  # delimited_symbol :"a#{b}"


def regex_value(ev: "Evaluator", node: Node, frame: Frame) -> RubyRegexp:
    """A regex literal, translated to Python's ``re`` (unsupported features name themselves)."""
    parts = []
    for kid in node.kids:
        if kid.type == "interpolation":
            value = ev.run_body_kids(kid.kids, frame)
            parts.append(f"(?:{value.source})" if isinstance(value, RubyRegexp) else to_s(value))
        else:
            parts.append(kid.text or "")
    return make_regexp("".join(parts), regex_options(node), frame.file.path, node.line)


def regex_options(node: Node) -> str:
    """The option letters after a regex literal's closing ``/``: ``"i"`` for ``/x/i``."""
    return (node.toks[-1] if node.toks else "/")[1:]


def make_regexp(source: str, options: str, path: str = "", line: int = 0) -> RubyRegexp:
    try:
        return RubyRegexp(source, options, to_python(source, options))
    except RegexUnsupported as error:
        if path:
            raise RubyUnsupported(f"regex /{source}/: {error}", path, line) from None
        raise RubyError("RegexpError", str(error)) from None


def word_array(ev: "Evaluator", node: Node, frame: Frame) -> list[Any]:
    """``%w[a b]`` strings or ``%i[a b]`` symbols."""
    opening = node.toks[0] if node.toks else "%w"
    single = opening[:2] in ("%w", "%i")
    words = [string_parts(ev, kid, frame, single) for kid in node.kids if kid.type in ("bare_string", "bare_symbol")]
    return [Symbol(w) for w in words] if node.type == "symbol_array" else words

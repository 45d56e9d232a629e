"""Ruby source to a small syntax tree, with tree-sitter, cached by the file's digest.

tree-sitter (the ``tree-sitter`` and ``tree-sitter-ruby`` wheels) parses;
this module turns its tree into plain :class:`Node` objects that the
evaluator, the unsupported-construct scan and the Python exporter share, and
keeps them on disk keyed by the source's SHA-256, so a second run of the
same profile does not parse again::

    tree = parse_source(b"control 'a' do\\n  impact 0.5\\nend\\n", "controls/a.rb")
    tree.kids[0].type, tree.kids[0].field("method").text     # ('call', 'control')

A syntax error raises :class:`RubySyntaxError` naming file and line. The
parser wheels are imported only when a file is not in the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from typing import Any, Iterator

from inspecpy.errors import ProfileError, Where

CACHE_VERSION = "2"
#: Node types whose anonymous tokens the evaluator needs (a regex's flags, a pair's ``:`` or ``=>``...).
_KEEP_TOKENS = frozenset({"regex", "string", "pair", "string_array", "symbol_array", "heredoc_beginning",
                          "delimited_symbol", "subshell", "chained_string", "block", "do_block",
                          "splat_parameter", "hash_splat_parameter", "begin_block", "end_block"})
_memory: dict[str, "Node"] = {}
_lock = threading.Lock()


class RubySyntaxError(ProfileError):
    """A Ruby file that tree-sitter cannot parse (the message names file and line)."""


class Node:
    """One syntax node: ``type``, 1-based ``line``/``end_line``, ``text`` of a leaf, named ``kids``.

    ``fields`` maps tree-sitter field names (``receiver``, ``method``,
    ``arguments``, ``block``, ``left``, ``operator``…) to nodes or, for an
    operator token, its text; ``toks`` keeps a few anonymous tokens.
    """

    __slots__ = ("type", "line", "end_line", "text", "kids", "fields", "toks")

    def __init__(self, type: str, line: int, end_line: int, text: str | None, kids: list["Node"],
                 fields: dict[str, Any], toks: tuple[str, ...] = ()):
        self.type = type
        self.line = line
        self.end_line = end_line
        self.text: str = text or ""  # a leaf's source text ("" for other nodes)
        self.kids = kids
        self.fields = fields
        self.toks = toks

    def field(self, name: str) -> Any:
        return self.fields.get(name)

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, in source order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.kids))

    def __repr__(self) -> str:
        return f"Node({self.type!r}, line={self.line}{', text=' + repr(self.text) if self.text else ''})"

    # compact form for the on-disk cache: [type, line, end_line, text, toks, [[field, kid]...], {field: op}]
    def dump(self) -> list:
        names = {id(v): k for k, v in self.fields.items() if isinstance(v, Node)}
        ops = {k: v for k, v in self.fields.items() if isinstance(v, str)}
        return [self.type, self.line, self.end_line, self.text or None, list(self.toks),
                [[names.get(id(k)), k.dump()] for k in self.kids], ops]

    @classmethod
    def load(cls, data: list) -> "Node":
        type_, line, end_line, text, toks, kids_data, ops = data
        kids, fields = [], dict(ops)
        for name, kid_data in kids_data:
            kid = cls.load(kid_data)
            kids.append(kid)
            if name and name not in fields:
                fields[name] = kid
        return cls(type_, line, end_line, text, kids, fields, tuple(toks))


def constant_path(node: Node, loose: bool = False) -> str | None:
    """``A::B::C`` of a constant or scope resolution node; None for other nodes.

    A scope that is not a constant (``foo::Bar``) makes it None, or, when
    *loose*, is left out (``"Bar"``).
    """
    if node.type == "constant":
        return node.text
    if node.type == "scope_resolution":
        scope = node.field("scope")
        inner = constant_path(scope, loose) if scope is not None else ""
        if inner is None and not loose:
            return None
        return (f"{inner}::" if inner else "") + node.field("name").text
    return None


@dataclass(frozen=True)
class SourceFile:
    """A parsed Ruby file: its path (as shown in messages), text and tree."""

    path: str
    text: str
    tree: Node

    def lines(self, first: int, last: int) -> str:
        return "\n".join(self.text.splitlines()[first - 1:last])


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "inspecpy", "ruby-ast")


def _read_cache(digest: str) -> Node | None:
    path = os.path.join(_cache_dir(), digest + ".json")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    try:
        return Node.load(data["tree"])
    except (KeyError, TypeError, ValueError):
        return None


def _write_cache(digest: str, tree: Node) -> None:
    folder = _cache_dir()
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"version": CACHE_VERSION, "tree": tree.dump()}, out, separators=(",", ":"))
        os.replace(tmp, os.path.join(folder, digest + ".json"))
    except OSError:
        pass  # a read-only home: parse every time


def parse_source(source: bytes, path: str) -> Node:
    """The tree of *source* (from memory, the disk cache, or tree-sitter)."""
    digest = hashlib.sha256(CACHE_VERSION.encode() + b"\0" + source).hexdigest()
    with _lock:
        cached = _memory.get(digest)
    if cached is None:
        cached = _read_cache(digest)
        if cached is None:
            cached = _parse(source, path)
            _write_cache(digest, cached)
        with _lock:
            _memory[digest] = cached
    return cached


def parse_file(path: str, shown: str | None = None) -> SourceFile:
    """Read and parse *path*; *shown* is how messages name it (``controls/x.rb``)."""
    with open(path, "rb") as handle:
        source = handle.read()
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(Where(shown or path), "not UTF-8 text") from None
    return SourceFile(shown or path, text, parse_source(source, shown or path))


_parser = None


def _ts_parser():
    global _parser
    if _parser is None:
        try:
            import tree_sitter
            import tree_sitter_ruby
        except ImportError:
            raise ProfileError("Ruby profiles need the 'ruby' extra: pip install 'inspecpy[ruby]' "
                               "(tree-sitter and tree-sitter-ruby)") from None
        _parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_ruby.language()))
    return _parser


def _parse(source: bytes, path: str) -> Node:
    tree = _ts_parser().parse(source)
    root = tree.root_node
    if root.has_error:
        raise RubySyntaxError(*_syntax_error(root, source, path))
    heredocs = [n for n in _ts_walk(root) if n.type == "heredoc_body"]
    try:
        return _convert(root, source, iter(heredocs))
    except RecursionError:
        raise RubySyntaxError(Where(path), "nested too deeply to evaluate (split the expression)") from None


def _ts_walk(node) -> Iterator[Any]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _syntax_error(root, source: bytes, path: str) -> tuple[Where, str]:
    """Where and what: ``Ruby syntax error near `text``` from the first ERROR or MISSING node."""
    for node in _ts_walk(root):
        if node.type == "ERROR" or node.is_missing:
            where = Where(path, node.start_point[0] + 1)
            if node.is_missing:
                return where, f"Ruby syntax error: missing `{node.type}`"
            snippet = source[node.start_byte:node.end_byte].decode("utf-8", "replace").strip().splitlines()
            near = snippet[0][:40] if snippet else ""
            return where, f"Ruby syntax error near `{near}`"
    return Where(path), "Ruby syntax error"


def _convert(node, source: bytes, heredocs: Iterator[Any]) -> Node:
    kids: list[Node] = []
    fields: dict[str, Any] = {}
    toks: list[str] = []
    keep = node.type in _KEEP_TOKENS
    for index, child in enumerate(node.children):
        name = node.field_name_for_child(index)
        if child.type == "heredoc_body":
            continue  # attached to its heredoc_beginning
        if not child.is_named:
            token = source[child.start_byte:child.end_byte].decode("utf-8")
            if name:
                fields.setdefault(name, token)
            if keep:
                toks.append(token)
            continue
        if child.type == "comment":
            kid = Node("comment", child.start_point[0] + 1, child.end_point[0] + 1,
                       source[child.start_byte:child.end_byte].decode("utf-8"), [], {})
        elif child.type == "heredoc_beginning":
            kid = _heredoc(child, source, heredocs)
        else:
            kid = _convert(child, source, heredocs)
        kids.append(kid)
        if name and name not in fields:
            fields[name] = kid
    text: str | None = None if node.named_child_count else source[node.start_byte:node.end_byte].decode("utf-8")
    return Node(node.type, node.start_point[0] + 1, node.end_point[0] + 1, text, kids, fields, tuple(toks))


def _heredoc(beginning, source: bytes, heredocs: Iterator[Any]) -> Node:
    """A ``heredoc`` node: the opening's text (``<<~EOS``) and the body's pieces as kids."""
    opening = source[beginning.start_byte:beginning.end_byte].decode("utf-8")
    body = next(heredocs, None)
    kids = []
    if body is not None:
        kids = [_convert(c, source, heredocs) for c in body.children if c.is_named and c.type != "heredoc_end"]
    return Node("heredoc", beginning.start_point[0] + 1,
                (body.end_point[0] + 1) if body is not None else beginning.end_point[0] + 1,
                opening, kids, {}, (opening,))

"""Ruby expressions as Python source, for ``inspecpy import``.

Where Ruby and Python agree the translation is the Python idiom
(``x.include?(y)`` → ``y in x``, ``list.map(&:strip)`` → a comprehension,
``file(p).exist?`` → ``file(p).exists``); where they differ in a way a
verdict can see, a helper from :mod:`inspecpy.ruby.compat` keeps Ruby's
behaviour (``to_f``). What has no translation raises :class:`Untranslatable`,
and the statement becomes a ``# TODO`` naming it.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field

from inspecpy.ruby.literals import integer_value, regex_options, unescape_double, unescape_single
from inspecpy.ruby.regex import RegexUnsupported, python_flags, translate
from inspecpy.ruby.syntax import Node

FAMILIES = {"redhat", "debian", "suse", "bsd", "linux", "unix", "windows", "darwin", "solaris", "aix", "hpux",
            "arch", "fedora", "ubuntu", "centos", "amazon", "alpine", "freebsd", "openbsd", "netbsd", "gentoo"}
_BINARY = {"&&": "and", "and": "and", "||": "or", "or": "or", "==": "==", "!=": "!=", "<": "<", "<=": "<=",
           ">": ">", ">=": ">=", "+": "+", "-": "-", "*": "*", "/": "/", "%": "%", "**": "**"}
_FLAG_NAMES = ((re.M, "re.M"), (re.S, "re.S"), (re.I, "re.I"), (re.X, "re.X"))
_STRING_METHODS = {"strip": "strip", "lstrip": "lstrip", "rstrip": "rstrip", "upcase": "upper", "downcase": "lower",
                   "capitalize": "capitalize", "chomp": "rstrip"}


class Untranslatable(Exception):
    """A Ruby construct with no Python translation here (the message names it)."""

    def __init__(self, what: str, node: Node):
        super().__init__(what)
        self.what, self.node = what, node


@dataclass
class Names:
    """What names mean while translating one file."""

    resources: set[str]
    deferred: set[str] = field(default_factory=set)  # top-level values computed per target: calls
    helpers: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)  # in a class: zero-argument methods
    methods: set[str] = field(default_factory=set)  # in a class: methods with arguments
    in_class: bool = False
    imports: set[str] = field(default_factory=set)  # "re", "compat:to_f"...


def py_name(name: str) -> str:
    name = name.rstrip("?!")
    return name + "_" if keyword.iskeyword(name) or name in ("input", "file", "os") else name


def string_literal(text: str) -> str:
    """A double-quoted Python string (JSON escaping is valid Python)."""
    return json.dumps(text, ensure_ascii=False)


class Expressions:
    """Translates expression nodes for one file."""

    def __init__(self, names: Names):
        self.names = names

    def ex(self, node: Node) -> str:
        handler = getattr(self, "_" + node.type, None)
        if handler is None:
            raise Untranslatable(f"`{node.type}`", node)
        return handler(node)

    def wrap(self, node: Node) -> str:
        text = self.ex(node)
        return f"({text})" if node.type in ("binary", "conditional", "unary") and not text.startswith("(") else text

    # literals
    def _integer(self, node):
        return str(integer_value(node.text))

    def _float(self, node):
        return node.text

    def _nil(self, node):
        return "None"

    def _true(self, node):
        return "True"

    def _false(self, node):
        return "False"

    def _self(self, node):
        return "self"

    def _simple_symbol(self, node):
        return string_literal(node.text[1:])

    def _hash_key_symbol(self, node):
        return string_literal(node.text)

    def _string(self, node):
        single = bool(node.toks) and (node.toks[0] == "'" or node.toks[0].startswith("%q"))
        return self.pieces(node.kids, single)

    def pieces(self, kids: list[Node], single: bool) -> str:
        literal, parts, dynamic = [], [], False
        for kid in kids:
            if kid.type in ("string_content", "heredoc_content"):
                text = unescape_single(kid.text or "") if single else kid.text or ""
            elif kid.type == "escape_sequence":
                text = unescape_single(kid.text or "") if single else unescape_double(kid.text or "")
            elif kid.type == "interpolation":
                inner = [k for k in kid.kids if k.type != "comment"]
                if len(inner) != 1:
                    raise Untranslatable("interpolation of several statements", kid)
                dynamic = True
                parts.append(("expr", self.ex(inner[0])))
                continue
            else:
                continue
            literal.append(text)
            parts.append(("text", text))
        if not dynamic:
            return string_literal("".join(literal))
        out = []
        for kind, value in parts:
            if kind == "text":
                out.append(json.dumps(value, ensure_ascii=False)[1:-1].replace("{", "{{").replace("}", "}}"))
            else:
                if '"' in value or "\\" in value:
                    raise Untranslatable("interpolated expression with quotes", kids[0])
                out.append("{" + value + "}")
        return 'f"' + "".join(out) + '"'

    def _heredoc(self, node):
        from inspecpy.ruby.literals import heredoc_value

        if any(k.type == "interpolation" for k in node.kids):
            raise Untranslatable("heredoc with interpolation", node)
        return string_literal(heredoc_value(None, node, None))

    def _chained_string(self, node):
        return " ".join(self.ex(k) for k in node.kids)

    def _array(self, node):
        return "[" + ", ".join(self.ex(k) for k in node.kids if k.type != "comment") + "]"

    def _string_array(self, node):
        return "[" + ", ".join(self.pieces(k.kids, True) for k in node.kids if k.type == "bare_string") + "]"

    def _symbol_array(self, node):
        return "[" + ", ".join(self.pieces(k.kids, True) for k in node.kids if k.type == "bare_symbol") + "]"

    def _hash(self, node):
        items = []
        for pair in node.kids:
            if pair.type != "pair":
                continue
            key = pair.field("key") or pair.kids[0]
            items.append(f"{self.ex(key)}: {self.ex(pair.field('value') or pair.kids[-1])}")
        return "{" + ", ".join(items) + "}"

    def _range(self, node):
        first, last = node.field("begin"), node.field("end")
        if first is None or last is None:
            raise Untranslatable("an open range", node)
        end = self.ex(last) if node.field("operator") == "..." else f"{self.wrap(last)} + 1"
        return f"range({self.ex(first)}, {end})"

    def regex(self, node: Node) -> str:
        """A compiled pattern (``re.compile(r"...", re.M)``) for a regex literal: what ``re.search``,
        ``re.sub`` and ``split`` take, with Ruby's ``^``/``$`` per line."""
        pattern, flags = self._regex_parts(node)
        return f"re.compile({raw(pattern)}, {' | '.join(flags)})"

    def pattern_text(self, node: Node) -> str:
        """The pattern as a raw string when no flag but ``re.M`` is needed (for the ``match`` matcher, which
        reads ``^``/``$`` per line itself, and to recognise line separators), else the compiled pattern."""
        pattern, flags = self._regex_parts(node)
        return raw(pattern) if flags == ["re.M"] else self.regex(node)

    def _regex_parts(self, node: Node) -> tuple[str, list[str]]:
        """The Python pattern text of a regex literal and the names of its flags."""
        if any(k.type == "interpolation" for k in node.kids):
            raise Untranslatable("regex with interpolation", node)
        source = "".join(k.text or "" for k in node.kids)
        try:
            pattern, flags = translate(source), python_flags(regex_options(node))
        except RegexUnsupported as error:
            raise Untranslatable(f"regex /{source}/: {error}", node) from None
        self.names.imports.add("re")
        return pattern, [name for flag, name in _FLAG_NAMES if flags & flag]

    def _regex(self, node):
        return self.regex(node)

    def _parenthesized_statements(self, node):
        inner = [k for k in node.kids if k.type != "comment"]
        if len(inner) != 1:
            raise Untranslatable("parenthesized statements", node)
        return f"({self.ex(inner[0])})"

    # names
    def _identifier(self, node):
        name = node.text
        if name in self.names.deferred:
            return f"{py_name(name)}()"
        if name in self.names.resources and name not in self.names.helpers:
            return f"{name}()"
        if self.names.in_class and name in self.names.properties:
            return f"self.{py_name(name)}"
        if name in self.names.helpers:
            return f"{py_name(name)}()"
        return py_name(name)

    def _instance_variable(self, node):
        return "self._" + node.text[1:]

    def _constant(self, node):
        return node.text

    # operators
    def _binary(self, node):
        op = node.field("operator")
        left, right = node.field("left"), node.field("right")
        if op in ("=~", "!~"):
            pattern = self.regex(right) if right.type == "regex" else self.ex(right)
            self.names.imports.add("re")
            subject = self.ex(left) if left.type == "string" else f"{self.wrap(left)} or \"\""
            found = f"re.search({pattern}, {subject})"
            return f"not {found}" if op == "!~" else found
        if op == "&":
            return f"[item for item in {self.wrap(left)} if item in {self.wrap(right)}]"
        if op not in _BINARY:
            raise Untranslatable(f"operator `{op}`", node)
        return f"{self.wrap(left)} {_BINARY[op]} {self.wrap(right)}"

    def _unary(self, node):
        op = node.field("operator")
        operand = node.field("operand") or node.kids[-1]
        if op in ("!", "not"):
            return f"not {self.wrap(operand)}"
        if op == "-":
            return f"-{self.wrap(operand)}"
        raise Untranslatable(f"operator `{op}`", node)

    def _conditional(self, node):
        return (f"{self.wrap(node.field('consequence'))} if {self.wrap(node.field('condition'))} "
                f"else {self.wrap(node.field('alternative'))}")

    def _element_reference(self, node):
        receiver = node.field("object") or node.kids[0]
        keys = [k for k in node.kids[1:] if k.type != "comment"]
        if len(keys) != 1:
            raise Untranslatable("indexing with several keys", node)
        target = self.ex(receiver)
        if _is_resource(receiver, self.names) and keys[0].type in ("simple_symbol", "string"):
            return f"{target}.{self.ex(keys[0]).strip(chr(34))}"  # os[:family] → os().family
        return f"{target}[{self.ex(keys[0])}]"

    # calls
    def args(self, node: Node) -> list[str]:
        arguments = node.field("arguments")
        out = []
        for kid in arguments.kids if arguments is not None else []:
            if kid.type == "comment":
                continue
            if kid.type == "pair":
                key = kid.field("key") or kid.kids[0]
                name = key.text if key.type == "hash_key_symbol" else self.ex(key).strip('"')
                out.append(f"{py_name(name)}={self.ex(kid.field('value') or kid.kids[-1])}")
            elif kid.type in ("block_argument", "splat_argument", "hash_splat_argument"):
                raise Untranslatable(f"`{kid.type.replace('_', ' ')}`", kid)
            else:
                out.append(self.ex(kid))
        return out



def raw(pattern: str) -> str:
    """A raw string literal for *pattern* (a plain one when raw cannot hold it)."""
    if '"' not in pattern and not pattern.endswith("\\") and "\n" not in pattern:
        return f'r"{pattern}"'
    return string_literal(pattern)


def _is_resource(node: Node, names: Names) -> bool:
    if node.type == "identifier":
        return node.text in names.resources
    if node.type == "call" and node.field("receiver") is None:
        method = node.field("method")
        return method is not None and method.text in names.resources
    return False

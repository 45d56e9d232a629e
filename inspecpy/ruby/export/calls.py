"""Ruby method calls as Python: resources, predicates, Ruby's core methods as Python idioms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspecpy.ruby.export.expressions import FAMILIES, Untranslatable, _STRING_METHODS, py_name, string_literal
from inspecpy.ruby.syntax import Node

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.ruby.export.expressions import Expressions

_LINE_SPLITS = ('"\\n"', '"\\r\\n"', 'r"\\r?\\n"', 'r"\\n"')


def block_parts(node: Node) -> tuple[list[str], Node | None]:
    """A block's parameter names and its single expression (or None)."""
    block = node.field("block")
    if block is None:
        return [], None
    params = block.field("parameters")
    names = [k.text for k in (params.kids if params is not None else []) if k.type == "identifier"]
    body = block.field("body")
    statements = [k for k in (body.kids if body is not None else []) if k.type != "comment"]
    return names, statements[0] if len(statements) == 1 else None


def symbol_block(node: Node) -> str | None:
    """``&:strip`` → ``strip``."""
    arguments = node.field("arguments")
    for kid in arguments.kids if arguments is not None else []:
        if kid.type == "block_argument" and kid.kids and kid.kids[0].type == "simple_symbol":
            return kid.kids[0].text[1:]
    return None


def translate_call(tr: "Expressions", node: Node) -> str:
    method = node.field("method")
    name = method.text if method is not None else "call"
    receiver = node.field("receiver")
    if receiver is None:
        return _function(tr, node, name)
    if receiver.type == "constant":
        return _constant_call(tr, node, receiver.text, name)
    if receiver.type == "identifier" and receiver.text == "inspec":
        return _resource(tr, node, name)
    target = tr.wrap(receiver)
    return _method(tr, node, receiver, target, name)


def _resource(tr: "Expressions", node: Node, name: str) -> str:
    return f"{name}({', '.join(tr.args(node))})"


def _function(tr: "Expressions", node: Node, name: str) -> str:
    names = tr.names
    if name in ("input", "attribute"):
        args = tr.args(node)
        kept = [a for a in args if "=" not in a or a.startswith("value=")]
        kept = [a.replace("default=", "value=") for a in kept]
        return f"input({', '.join(kept)})"
    if names.in_class and (name in names.properties or name in names.methods):
        args = tr.args(node)
        return f"self.{py_name(name)}" if name in names.properties and not args else \
            f"self.{py_name(name)}({', '.join(args)})"
    if name in names.deferred:
        return f"{py_name(name)}()"
    if name in names.helpers or name in names.resources:
        return f"{py_name(name) if name in names.helpers else name}({', '.join(tr.args(node))})"
    if name in ("format", "sprintf"):
        args = tr.args(node)
        return f"{args[0]} % ({', '.join(args[1:])},)"
    if name in ("lambda", "proc"):
        params, body = block_parts(node)
        if body is None:
            raise Untranslatable("a multi-statement lambda", node)
        return f"lambda {', '.join(params)}: {tr.ex(body)}"
    raise Untranslatable(f"`{name}`", node)


def _constant_call(tr: "Expressions", node: Node, constant: str, name: str) -> str:
    args = tr.args(node)
    if constant == "File":
        if name == "readable?":
            tr.names.imports.add("compat:readable")
            return f"readable({args[0]})"
        if name in ("exist?", "exists?"):
            return f"file({args[0]}).exists"
        if name in ("file?", "directory?"):
            return f"file({args[0]}).is_{name[:-1]}"
        if name == "read":
            return f"file({args[0]}).content"
        if name == "join":
            return f'"/".join([{", ".join(args)}])'
    if constant == "Regexp" and name in ("new", "compile"):
        tr.names.imports.add("re")
        return f"re.compile({args[0]}, re.M)"
    if constant == "Regexp" and name == "escape":
        tr.names.imports.add("re")
        return f"re.escape({args[0]})"
    raise Untranslatable(f"`{constant}.{name}`", node)


def _comprehension(tr: "Expressions", node: Node, target: str, condition: bool | None) -> str:
    params, body = block_parts(node)
    symbol = symbol_block(node)
    if symbol is not None:
        return f"[item.{_STRING_METHODS.get(symbol, symbol)}() for item in {target}]"
    if body is None or len(params) != 1:
        raise Untranslatable("a block of several statements or parameters", node)
    var, expr = py_name(params[0]), tr.ex(body)
    if condition is None:
        return f"[{expr} for {var} in {target}]"
    return f"[{var} for {var} in {target} if {'not ' if not condition else ''}{tr.wrap(body)}]"


def _method(tr: "Expressions", node: Node, receiver: Node, target: str, name: str) -> str:
    args = tr.args(node) if name not in ("map", "collect", "select", "find_all", "filter", "reject", "any?",
                                         "all?") else []
    if name in ("map", "collect", "flat_map"):
        return _comprehension(tr, node, target, None)
    if name in ("select", "find_all", "filter"):
        return _comprehension(tr, node, target, True)
    if name == "reject":
        return _comprehension(tr, node, target, False)
    if name in ("any?", "all?", "none?"):
        params, body = block_parts(node)
        if body is None:
            return f"{'any' if name == 'any?' else 'all'}({target})" if name != "none?" else f"not any({target})"
        test = f"{tr.ex(body)} for {py_name(params[0])} in {target}"
        return {"any?": f"any({test})", "all?": f"all({test})", "none?": f"not any({test})"}[name]
    if name in ("nil?",):
        return f"{target} is None"
    if name == "empty?":
        return f"len({target}) == 0"
    if name in ("include?", "member?", "key?", "has_key?"):
        return f"{args[0]} in {target}"
    if name in ("length", "size") or (name == "count" and not args and node.field("block") is None):
        return f"len({target})"
    if name == "first" and not args:
        return f"{target}[0]"
    if name == "last" and not args:
        return f"{target}[-1]"
    if name in _STRING_METHODS and not args:
        return f"{target}.{_STRING_METHODS[name]}()"
    if name == "to_s":
        return f"str({target})"
    if name in ("to_i", "to_f"):
        tr.names.imports.add(f"compat:{name}")
        return f"{name}({target})"
    if name in ("to_sym", "to_str", "freeze", "dup"):
        return target
    if name == "to_a":
        return f"list({target})"
    if name in ("start_with?", "end_with?"):
        method = "startswith" if name == "start_with?" else "endswith"
        return f"{target}.{method}({args[0] if len(args) == 1 else '(' + ', '.join(args) + ')'})"
    if name == "split":
        return _split(tr, node, target, args)
    if name == "lines":
        return f"{target}.splitlines(keepends=True)"
    if name == "join":
        return f"{args[0] if args else chr(34) * 2}.join({target})"
    if name == "sort" and node.field("block") is None:
        return f"sorted({target})"
    if name == "uniq" and node.field("block") is None:
        return f"list(dict.fromkeys({target}))"
    if name == "reverse":
        return f"list(reversed({target}))" if not receiver.type == "string" else f"{target}[::-1]"
    if name == "compact":
        return f"[item for item in {target} if item is not None]"
    if name in ("keys", "values"):
        return f"list({target}.{name}())"
    if name in ("equal?", "eql?", "=="):
        return f"{target} == {args[0]}"
    if name in ("match", "match?"):
        return _match(tr, node, target, name)
    if name in ("sub", "gsub"):
        pattern = node.field("arguments").kids[0]
        tr.names.imports.add("re")
        text = tr.regex(pattern) if pattern.type == "regex" else f"re.escape({args[0]})"
        count = ", count=1" if name == "sub" else ""
        return f"re.sub({text}, {args[1]}, {target}{count})"
    if name == "where":
        if node.field("block") is not None:
            raise Untranslatable("`where` with a block", node)
        return f"{target}.where({', '.join(args)})"
    if name.endswith("?"):
        base = name[:-1]
        if receiver.type in ("identifier", "call") and _receiver_name(receiver) in ("os", "platform") \
                and base in FAMILIES:
            return f"{target}.in_family({string_literal(base)})"
        attribute = {"exist": "exists"}.get(base, base)
        return f"{target}.{attribute}" if not args else f"{target}.{attribute}({', '.join(args)})"
    if node.field("block") is not None:
        raise Untranslatable(f"`{name}` with a block", node)
    if not args and node.field("arguments") is None:
        return f"{target}.{py_name(name)}"
    return f"{target}.{py_name(name)}({', '.join(args)})"


def _receiver_name(node: Node) -> str | None:
    if node.type == "identifier":
        return node.text
    method = node.field("method")
    return method.text if method is not None and node.field("receiver") is None else None


def _split(tr: "Expressions", node: Node, target: str, args: list[str]) -> str:
    arguments = node.field("arguments")
    first = next((k for k in (arguments.kids if arguments is not None else []) if k.type != "comment"), None)
    if first is None:
        return f"{target}.split()"
    separator = tr.pattern_text(first) if first.type == "regex" else args[0]
    if separator in _LINE_SPLITS:
        return f"{target}.splitlines()"
    if separator == '" "':
        return f"{target}.split()"
    tr.names.imports.add("compat:split")
    if first.type == "regex":
        return f"split({target}, {tr.regex(first)})"
    return f"split({target}, {separator})"


def _match(tr: "Expressions", node: Node, target: str, name: str) -> str:
    pattern = node.field("arguments").kids[0]
    tr.names.imports.add("re")
    text = tr.regex(pattern) if pattern.type == "regex" else tr.ex(pattern)
    found = f"re.search({text}, {target})"
    return f"bool({found})" if name == "match?" else found

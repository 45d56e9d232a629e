"""Ruby's core methods on nil, booleans, numbers, strings, symbols and regexes.

Each method is a function ``(rt, receiver, args, block)`` registered for a
kind of value; :func:`find` returns it, or ``None`` when Ruby would raise
``NoMethodError``. ``rt`` is the evaluator (for ``rt.send`` and for calling
blocks); arrays, hashes and ranges are in :mod:`inspecpy.ruby.enumerable`::

    find("a b", "split")(rt, "a b", [], None)      # ['a', 'b']
"""

from __future__ import annotations

import re
from typing import Any, Callable

from inspecpy.ruby import compat
from inspecpy.ruby.regex import to_python
from inspecpy.ruby.values import (MatchData, RubyError, RubyRange, RubyRegexp, Symbol, class_name, equal,
                                  inspect, to_s, truthy)

Method = Callable[[Any, Any, list, Any], Any]
METHODS: dict[str, dict[str, Method]] = {}


def method(kind: str, *names: str) -> Callable[[Method], Method]:
    """Register the decorated function as Ruby method(s) *names* of values of *kind*."""
    def register(fn: Method) -> Method:
        table = METHODS.setdefault(kind, {})
        for name in names:
            table[name] = fn
        return fn
    return register


def kind_of(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, Symbol):
        return "sym"
    if isinstance(value, str):
        return "str"
    if isinstance(value, (int, float)):
        return "num"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, RubyRange):
        return "range"
    if isinstance(value, RubyRegexp):
        return "regexp"
    if isinstance(value, MatchData):
        return "match"
    if type(value).__name__ == "Enumerator":  # inspecpy.ruby.enumerable.Enumerator (a block-less each/map)
        return "enumerator"
    return "other"


_FALLBACK = {"sym": ("sym", "str"), "list": ("list", "enum"), "dict": ("dict", "enum"), "range": ("range", "enum"),
             "enumerator": ("enum",)}


def find(value: Any, name: str) -> Method | None:
    """The core method *name* of *value*, or None."""
    kind = kind_of(value)
    for table in _FALLBACK.get(kind, (kind,)) + ("object",):
        fn = METHODS.get(table, {}).get(name)
        if fn is not None:
            return fn
    return None


def arg(args: list, index: int, default: Any = None) -> Any:
    return args[index] if len(args) > index else default


def pattern_of(value: Any) -> re.Pattern:
    """A Python pattern for a Ruby regex, or for a string used as one (``"a.b".match("a.")``)."""
    if isinstance(value, RubyRegexp):
        return value.pattern
    if isinstance(value, re.Pattern):
        return value
    return to_python(str(value))


def literal_or_pattern(value: Any) -> re.Pattern:
    """A string argument matches literally (``split(".")``), a regex as a regex."""
    if isinstance(value, (RubyRegexp, re.Pattern)):
        return pattern_of(value)
    return re.compile(re.escape(str(value)))


def compare(a: Any, b: Any) -> int | None:
    """Ruby's ``<=>`` (None when the values do not compare)."""
    try:
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            for x, y in zip(a, b):
                found = compare(x, y)
                if found != 0:
                    return found
            return (len(a) > len(b)) - (len(a) < len(b))
        if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
            return 0 if a is b else None
        if isinstance(a, str) != isinstance(b, str):
            return None
        return (a > b) - (a < b)
    except TypeError:
        return None


def ordered(a: Any, b: Any) -> int:
    found = compare(a, b)
    if found is None:
        raise RubyError("ArgumentError", f"comparison of {class_name(a)} with {inspect(b)} failed")
    return found


# ------------------------------------------------------------------ every object


@method("object", "nil?")
def _nil_p(rt, recv, args, block):
    return recv is None


@method("object", "to_s")
def _to_s(rt, recv, args, block):
    if isinstance(recv, int) and not isinstance(recv, bool) and args:
        return _int_to_base(recv, int(args[0]))
    return to_s(recv)


@method("object", "inspect")
def _inspect(rt, recv, args, block):
    return inspect(recv)


@method("object", "==", "eql?", "===")
def _eq(rt, recv, args, block):
    return equal(recv, args[0])


@method("object", "!=")
def _ne(rt, recv, args, block):
    return not equal(recv, args[0])


@method("object", "!")
def _not(rt, recv, args, block):
    return not truthy(recv)


@method("object", "equal?")
def _identical(rt, recv, args, block):
    other = args[0]
    return recv is other or (isinstance(recv, (int, float, str)) and not isinstance(recv, bool) and equal(recv, other))


@method("object", "freeze", "dup", "clone", "itself", "to_str", "force_encoding", "encode", "b")
def _self(rt, recv, args, block):
    return recv


@method("object", "frozen?")
def _frozen(rt, recv, args, block):
    return True


@method("object", "then", "yield_self")
def _then(rt, recv, args, block):
    return block(recv)


@method("object", "tap")
def _tap(rt, recv, args, block):
    block(recv)
    return recv


@method("object", "class")
def _class(rt, recv, args, block):
    return rt.constant(class_name(recv))


@method("object", "is_a?", "kind_of?", "instance_of?")
def _is_a(rt, recv, args, block):
    return rt.is_a(recv, args[0])


@method("object", "respond_to?")
def _respond_to(rt, recv, args, block):
    return rt.responds_to(recv, str(args[0]))


@method("object", "send", "public_send", "__send__")
def _send(rt, recv, args, block):
    return rt.send(recv, str(args[0]), list(args[1:]), block)


@method("object", "<=>")
def _spaceship(rt, recv, args, block):
    return compare(recv, args[0])


@method("object", "in?")
def _in(rt, recv, args, block):
    return rt.send(args[0], "include?", [recv])


# ------------------------------------------------------------------- nil, bools


@method("nil", "to_a")
def _nil_to_a(rt, recv, args, block):
    return []


@method("nil", "to_i")
def _nil_to_i(rt, recv, args, block):
    return 0


@method("nil", "to_f")
def _nil_to_f(rt, recv, args, block):
    return 0.0


@method("nil", "to_h")
def _nil_to_h(rt, recv, args, block):
    return {}


@method("nil", "&")
@method("bool", "&")
def _and(rt, recv, args, block):
    return truthy(recv) and truthy(args[0])


@method("nil", "|")
@method("bool", "|")
def _or(rt, recv, args, block):
    return truthy(recv) or truthy(args[0])


@method("bool", "^")
def _xor(rt, recv, args, block):
    return truthy(recv) != truthy(args[0])


# ------------------------------------------------------------------- numbers


def _number(value: Any, op: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        shown = "nil" if value is None else class_name(value)
        raise RubyError("TypeError", f"{shown} can't be coerced into a number (for {op})")
    return value


def _arith(op: str) -> Method:
    def fn(rt, recv, args, block):
        other = _number(args[0], op)
        if op == "+":
            return recv + other
        if op == "-":
            return recv - other
        if op == "*":
            return recv * other
        if op == "**":
            return recv ** other
        if other == 0 and isinstance(recv, int) and isinstance(other, int):
            raise RubyError("ZeroDivisionError", "divided by 0")
        if op == "/":
            return recv // other if isinstance(recv, int) and isinstance(other, int) else recv / other
        return recv % other
    return fn


for _op in ("+", "-", "*", "/", "%", "**"):
    method("num", _op)(_arith(_op))
method("num", "modulo")(_arith("%"))


def _ordering(op: str) -> Method:
    def fn(rt, recv, args, block):
        result = ordered(recv, args[0])
        return {"<": result < 0, "<=": result <= 0, ">": result > 0, ">=": result >= 0}[op]
    return fn


for _op in ("<", "<=", ">", ">="):
    method("num", _op)(_ordering(_op))
    method("str", _op)(_ordering(_op))


@method("num", "-@")
def _negate(rt, recv, args, block):
    return -recv


@method("num", "to_i", "to_int", "truncate")
def _num_to_i(rt, recv, args, block):
    return int(recv)


@method("num", "to_f")
def _num_to_f(rt, recv, args, block):
    return float(recv)


@method("num", "round")
def _round(rt, recv, args, block):
    digits = arg(args, 0, 0)
    if digits == 0:
        rounded = int(abs(recv) + 0.5) * (1 if recv >= 0 else -1)  # Ruby rounds half away from zero
        return rounded
    return round(recv, digits)


@method("num", "floor")
def _floor(rt, recv, args, block):
    import math

    return math.floor(recv)


@method("num", "ceil")
def _ceil(rt, recv, args, block):
    import math

    return math.ceil(recv)


@method("num", "abs")
def _abs(rt, recv, args, block):
    return abs(recv)


@method("num", "zero?")
def _zero(rt, recv, args, block):
    return recv == 0


@method("num", "positive?")
def _positive(rt, recv, args, block):
    return recv > 0


@method("num", "negative?")
def _negative(rt, recv, args, block):
    return recv < 0


@method("num", "even?")
def _even(rt, recv, args, block):
    return recv % 2 == 0


@method("num", "odd?")
def _odd(rt, recv, args, block):
    return recv % 2 == 1


@method("num", "integer?")
def _integer_p(rt, recv, args, block):
    return isinstance(recv, int)


@method("num", "succ", "next")
def _succ(rt, recv, args, block):
    return recv + 1


@method("num", "pred")
def _pred(rt, recv, args, block):
    return recv - 1


@method("num", "between?")
@method("str", "between?")
def _between(rt, recv, args, block):
    return ordered(recv, args[0]) >= 0 and ordered(recv, args[1]) <= 0


@method("num", "clamp")
def _clamp(rt, recv, args, block):
    return max(args[0], min(args[1], recv))


@method("num", "times")
def _times(rt, recv, args, block):
    for i in range(recv):
        block(i)
    return recv


@method("num", "upto")
def _upto(rt, recv, args, block):
    for i in range(recv, args[0] + 1):
        block(i)
    return recv


@method("num", "downto")
def _downto(rt, recv, args, block):
    for i in range(recv, args[0] - 1, -1):
        block(i)
    return recv


@method("num", "divmod")
def _divmod(rt, recv, args, block):
    return list(divmod(recv, args[0]))


@method("num", "&")
def _bit_and(rt, recv, args, block):
    return recv & args[0]


@method("num", "|")
def _bit_or(rt, recv, args, block):
    return recv | args[0]


@method("num", "^")
def _bit_xor(rt, recv, args, block):
    return recv ^ args[0]


@method("num", "<<")
def _shift_left(rt, recv, args, block):
    return recv << args[0]


@method("num", ">>")
def _shift_right(rt, recv, args, block):
    return recv >> args[0]


def _int_to_base(value: int, base: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if value == 0:
        return "0"
    sign, value, out = "-" if value < 0 else "", abs(value), []
    while value:
        value, rest = divmod(value, base)
        out.append(digits[rest])
    return sign + "".join(reversed(out))


# ------------------------------------------------------------------- strings

@method("str", "to_i")
def _str_to_i(rt, recv, args, block):
    base = arg(args, 0, 10)
    if base != 10:
        try:
            return int(recv.strip().replace("_", ""), base)
        except ValueError:
            return 0
    return compat.to_i(recv)


@method("str", "to_f")
def _str_to_f(rt, recv, args, block):
    return compat.to_f(recv)


@method("str", "to_sym", "intern")
def _to_sym(rt, recv, args, block):
    return Symbol(recv)


@method("str", "hex")
def _hex(rt, recv, args, block):
    try:
        return int(recv, 16)
    except ValueError:
        return 0


@method("str", "oct")
def _oct(rt, recv, args, block):
    try:
        return int(recv, 8)
    except ValueError:
        return 0


@method("str", "+")
def _str_plus(rt, recv, args, block):
    if not isinstance(args[0], str):
        raise RubyError("TypeError", f"no implicit conversion of {class_name(args[0])} into String")
    return str(recv) + str(args[0])


@method("str", "*")
def _str_times(rt, recv, args, block):
    return str(recv) * args[0]


@method("str", "%")
def _str_format(rt, recv, args, block):
    values = args[0]
    return format_string(recv, values if isinstance(values, list) else [values])


@method("str", "length", "size")
def _str_length(rt, recv, args, block):
    return len(recv)


@method("str", "empty?")
def _str_empty(rt, recv, args, block):
    return len(recv) == 0


@method("str", "strip")
def _strip(rt, recv, args, block):
    return str(recv).strip(" \t\n\v\f\r\0")


@method("str", "lstrip")
def _lstrip(rt, recv, args, block):
    return str(recv).lstrip(" \t\n\v\f\r\0")


@method("str", "rstrip")
def _rstrip(rt, recv, args, block):
    return str(recv).rstrip(" \t\n\v\f\r\0")


@method("str", "chomp")
def _chomp(rt, recv, args, block):
    text = str(recv)
    if args:
        return text[: -len(args[0])] if args[0] and text.endswith(args[0]) else text
    for ending in ("\r\n", "\n", "\r"):
        if text.endswith(ending):
            return text[: -len(ending)]
    return text


@method("str", "chop")
def _chop(rt, recv, args, block):
    return str(recv)[:-2] if str(recv).endswith("\r\n") else str(recv)[:-1]


@method("str", "chars")
def _chars(rt, recv, args, block):
    return list(recv)


@method("str", "lines")
def _lines(rt, recv, args, block):
    return str(recv).splitlines(keepends=True)


@method("str", "each_line")
def _each_line(rt, recv, args, block):
    for line in str(recv).splitlines(keepends=True):
        block(line)
    return recv


@method("str", "upcase")
def _upcase(rt, recv, args, block):
    return str(recv).upper()


@method("str", "downcase")
def _downcase(rt, recv, args, block):
    return str(recv).lower()


@method("str", "capitalize")
def _capitalize(rt, recv, args, block):
    return str(recv).capitalize()


@method("str", "swapcase")
def _swapcase(rt, recv, args, block):
    return str(recv).swapcase()


@method("str", "reverse")
def _str_reverse(rt, recv, args, block):
    return str(recv)[::-1]


@method("str", "include?")
def _str_include(rt, recv, args, block):
    if not isinstance(args[0], str):
        raise RubyError("TypeError", f"no implicit conversion of {class_name(args[0])} into String")
    return str(args[0]) in str(recv)


@method("str", "start_with?")
def _start_with(rt, recv, args, block):
    for prefix in args:
        if isinstance(prefix, RubyRegexp):
            if prefix.pattern.match(recv):
                return True
        elif str(recv).startswith(str(prefix)):
            return True
    return False


@method("str", "end_with?")
def _end_with(rt, recv, args, block):
    return any(str(recv).endswith(str(s)) for s in args)


@method("str", "split")
def _split(rt, recv, args, block):
    text, sep, limit = str(recv), arg(args, 0), arg(args, 1, 0)
    if sep is None or sep == " ":
        parts = text.split(None, limit - 1) if limit > 0 else text.split()
        return parts
    pattern = literal_or_pattern(sep)
    if pattern.pattern == "":
        parts = list(text)
    else:
        parts = pattern.split(text, maxsplit=limit - 1 if limit > 0 else 0)
        if pattern.groups:  # Python adds every group; Ruby too, minus unmatched (None) ones
            parts = [p for p in parts if p is not None]
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return parts


@method("str", "=~")
def _str_match_op(rt, recv, args, block):
    found = pattern_of(args[0]).search(recv)
    rt.last_match = MatchData(found) if found else None
    return found.start() if found else None


@method("str", "!~")
def _str_not_match(rt, recv, args, block):
    return _str_match_op(rt, recv, args, block) is None


@method("str", "match")
def _str_match(rt, recv, args, block):
    found = pattern_of(args[0]).search(recv)
    rt.last_match = MatchData(found) if found else None
    return rt.last_match


@method("str", "match?")
def _str_match_p(rt, recv, args, block):
    return pattern_of(args[0]).search(recv) is not None


@method("str", "scan")
def _scan(rt, recv, args, block):
    pattern = literal_or_pattern(args[0])
    found = []
    for item in pattern.finditer(recv):
        found.append(list(item.groups()) if pattern.groups else item.group(0))
    if block is not None:
        for item in found:
            block(item)
        return recv
    return found


def _replacement(rt, match: re.Match, replacement: Any, block) -> str:
    rt.last_match = MatchData(match)
    if block is not None:
        return to_s(block(match.group(0)))
    if isinstance(replacement, dict):
        return to_s(replacement.get(match.group(0)))
    text = str(replacement)

    def backref(found: re.Match) -> str:
        key = found.group(1) or found.group(2)
        if key == "0" or key == "&":
            return match.group(0)
        if key == "\\":
            return "\\"
        try:
            return match.group(int(key) if key.isdigit() else key) or ""
        except (IndexError, re.error):
            return ""
    return re.sub(r"\\(?:(\d|&|\\)|k<(\w+)>)", backref, text)


def _sub(count: int) -> Method:
    def fn(rt, recv, args, block):
        pattern = literal_or_pattern(args[0])
        replacement = arg(args, 1)
        return pattern.sub(lambda m: _replacement(rt, m, replacement, block), recv, count=count)
    return fn


method("str", "sub")(_sub(1))
method("str", "gsub")(_sub(0))


@method("str", "tr")
def _tr(rt, recv, args, block):
    source, target = _tr_set(str(args[0])), _tr_set(str(args[1]))
    if source.startswith("^"):
        keep = set(source[1:])
        return "".join(c if c in keep else (target[-1:] or "") for c in recv)
    target = target + target[-1:] * (len(source) - len(target)) if target else ""
    table = {ord(s): (target[i] if target else None) for i, s in enumerate(source)}
    return str(recv).translate(table)


def _tr_set(spec: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


@method("str", "delete")
def _str_delete(rt, recv, args, block):
    removed = set(_tr_set(str(args[0])))
    return "".join(c for c in recv if c not in removed)


@method("str", "squeeze")
def _squeeze(rt, recv, args, block):
    return re.sub(r"(.)\1+", r"\1", recv, flags=re.S)


@method("str", "index")
def _str_index(rt, recv, args, block):
    found = literal_or_pattern(args[0]).search(recv, arg(args, 1, 0))
    return found.start() if found else None


@method("str", "rindex")
def _str_rindex(rt, recv, args, block):
    position = str(recv).rfind(str(args[0]))
    return None if position < 0 else position


@method("str", "count")
def _str_count(rt, recv, args, block):
    wanted = set(_tr_set(str(args[0])))
    return sum(1 for c in recv if c in wanted)


@method("str", "ljust")
def _ljust(rt, recv, args, block):
    return str(recv).ljust(args[0], arg(args, 1, " "))


@method("str", "rjust")
def _rjust(rt, recv, args, block):
    return str(recv).rjust(args[0], arg(args, 1, " "))


@method("str", "center")
def _center(rt, recv, args, block):
    return str(recv).center(args[0], arg(args, 1, " "))


@method("str", "partition")
def _partition(rt, recv, args, block):
    found = literal_or_pattern(args[0]).search(recv)
    if not found:
        return [str(recv), "", ""]
    return [recv[:found.start()], found.group(0), recv[found.end():]]


@method("str", "casecmp?")
def _casecmp_p(rt, recv, args, block):
    return str(recv).casefold() == str(args[0]).casefold()


@method("str", "casecmp")
def _casecmp(rt, recv, args, block):
    a, b = str(recv).lower(), str(args[0]).lower()
    return (a > b) - (a < b)


@method("str", "ord")
def _ord(rt, recv, args, block):
    return ord(recv[0])


@method("str", "each_char")
def _each_char(rt, recv, args, block):
    for ch in recv:
        block(ch)
    return recv


@method("str", "[]", "slice")
def _str_index_op(rt, recv, args, block):
    key = args[0]
    text = str(recv)
    if isinstance(key, int) and len(args) == 2:
        start = key + len(text) if key < 0 else key
        return text[start:start + args[1]] if 0 <= start <= len(text) else None
    if isinstance(key, int):
        try:
            return text[key]
        except IndexError:
            return None
    if isinstance(key, RubyRange):
        start = key.first + len(text) if key.first < 0 else key.first
        last = key.last if key.last is not None else len(text)
        end = last + len(text) if last < 0 else last
        return text[start:end if key.exclusive else end + 1] if start <= len(text) else None
    if isinstance(key, RubyRegexp):
        found = key.pattern.search(text)
        rt.last_match = MatchData(found) if found else None
        return (found.group(arg(args, 1, 0)) if found else None)
    return str(key) if str(key) in text else None


@method("str", "unpack1", "unpack", "encoding", "bytes", "bytesize")
def _binary(rt, recv, args, block):
    raise RubyError("NotImplementedError", "binary string methods are not supported")


# ------------------------------------------------------------------- symbols


@method("sym", "to_proc")
def _to_proc(rt, recv, args, block):
    name = str(recv)
    return lambda item, *rest: rt.send(item, name, list(rest))


@method("sym", "to_s", "id2name", "name")
def _sym_to_s(rt, recv, args, block):
    return str(recv)


# ------------------------------------------------------------------- regexes


@method("regexp", "match")
def _re_match(rt, recv, args, block):
    if args[0] is None:
        rt.last_match = None
        return None
    found = recv.pattern.search(to_s(args[0]))
    rt.last_match = MatchData(found) if found else None
    return rt.last_match


@method("regexp", "match?")
def _re_match_p(rt, recv, args, block):
    return args[0] is not None and recv.pattern.search(to_s(args[0])) is not None


@method("regexp", "=~")
def _re_match_op(rt, recv, args, block):
    if args[0] is None:
        return None
    found = recv.pattern.search(to_s(args[0]))
    rt.last_match = MatchData(found) if found else None
    return found.start() if found else None


@method("regexp", "===")
def _re_case(rt, recv, args, block):
    return isinstance(args[0], str) and recv.pattern.search(args[0]) is not None


@method("regexp", "source")
def _re_source(rt, recv, args, block):
    return recv.source


@method("match", "[]")
def _md_index(rt, recv, args, block):
    return recv[args[0]]


@method("match", "captures")
def _md_captures(rt, recv, args, block):
    return recv.captures


@method("match", "named_captures")
def _md_named(rt, recv, args, block):
    return dict(recv.match.groupdict())


@method("match", "to_a")
def _md_to_a(rt, recv, args, block):
    return [recv.match.group(0), *recv.match.groups()]


@method("match", "pre_match")
def _md_pre(rt, recv, args, block):
    return recv.match.string[:recv.match.start()]


@method("match", "post_match")
def _md_post(rt, recv, args, block):
    return recv.match.string[recv.match.end():]


# ------------------------------------------------------------------- format

_DIRECTIVE = re.compile(r"%(?:%|<(\w+)>([-+ 0#]*\d*(?:\.\d+)?[sdifgeExXobp])|\{(\w+)\}|([-+ 0#]*\d*(?:\.\d+)?)([sdifgeExXobpc]))")


def format_string(template: str, values: list) -> str:
    """Ruby's ``format``/``String#%``: ``%s`` shows ``to_s``, ``%p`` ``inspect``, ``%<name>s`` and ``%{name}``."""
    items = iter(values)
    named = values[0] if values and isinstance(values[0], dict) else {}

    def one(spec: str, conversion: str, value: Any) -> str:
        if conversion == "s":
            return ("%" + spec + "s") % to_s(value)
        if conversion == "p":
            return ("%" + spec + "s") % inspect(value)
        if conversion in "di":
            return ("%" + spec + "d") % int(value if not isinstance(value, str) else float(value))
        if conversion == "b":
            return ("%" + spec + "s") % format(int(value), "b")
        if conversion == "c":
            return value if isinstance(value, str) else chr(value)
        return ("%" + spec + conversion) % value

    def replace(found: re.Match) -> str:
        whole = found.group(0)
        if whole == "%%":
            return "%"
        if found.group(1):
            spec = found.group(2)
            return one(spec[:-1], spec[-1], _named(named, found.group(1)))
        if found.group(3):
            return to_s(_named(named, found.group(3)))
        try:
            value = next(items)
        except StopIteration:
            raise RubyError("ArgumentError", "too few arguments") from None
        return one(found.group(4), found.group(5), value)

    return _DIRECTIVE.sub(replace, template)


def _named(values: dict, name: str) -> Any:
    for key in (Symbol(name), name):
        if key in values:
            return values[key]
    raise RubyError("KeyError", f"key<{name}> not found")

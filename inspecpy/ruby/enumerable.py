"""Ruby's Array, Hash, Range and Enumerable methods on Python lists, dicts and ranges.

Registered in the same table as :mod:`inspecpy.ruby.corelib` (kinds
``list``, ``dict``, ``range`` and ``enum`` for what all three share). A
hash enumerates ``[key, value]`` pairs, which a two-parameter block splits,
as in Ruby::

    {"a" => 1}.map { |k, v| "#{k}=#{v}" }     # ["a=1"]

A method that takes a block, called without one, returns an
:class:`Enumerator`, so ``each_with_index.map { |x, i| ... }`` and
``map.with_index(1)`` work.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable

from inspecpy.ruby.corelib import arg, compare, method, ordered
from inspecpy.ruby.values import RubyError, RubyRange, Symbol, class_name, equal, inspect, to_s, truthy


class Enumerator:
    """The items a block-less ``each``/``map``/``select``… would visit, and which method to finish with."""

    def __init__(self, items: list, then: str = "each"):
        self.items = items
        self.then = then

    def ruby_class_name(self) -> str:
        return "Enumerator"


def items_of(value: Any) -> list:
    """What ``each`` visits: list items, hash pairs, range members, an enumerator's items."""
    if isinstance(value, dict):
        return [[k, v] for k, v in value.items()]
    if isinstance(value, RubyRange):
        return value.to_list()
    if isinstance(value, Enumerator):
        return value.items
    if isinstance(value, (list, tuple)):
        return list(value)
    raise RubyError("NoMethodError", f"undefined method `each' for {class_name(value)}")


def contains(collection: Iterable, item: Any) -> bool:
    return any(equal(x, item) for x in collection)


def _uniq(values: list, key=None) -> list:
    out: list = []
    seen: list = []
    for value in values:
        marker = key(value) if key else value
        if not contains(seen, marker):
            seen.append(marker)
            out.append(value)
    return out


def _sort_key(rt):
    return functools.cmp_to_key(lambda a, b: ordered(a, b))


def _flatten(values: list, depth: int = -1) -> list:
    out = []
    for value in values:
        if isinstance(value, (list, tuple)) and depth != 0:
            out.extend(_flatten(list(value), depth - 1))
        else:
            out.append(value)
    return out


# ------------------------------------------------------------------ Enumerable


@method("enum", "each", "each_pair", "each_entry")
def _each(rt, recv, args, block):
    if block is None:
        return Enumerator(items_of(recv))
    for item in items_of(recv):
        block(item)
    return recv


@method("enum", "each_with_index", "each_with_index_pair")
def _each_with_index(rt, recv, args, block):
    items = items_of(recv)
    if block is None:
        return Enumerator([[item, i] for i, item in enumerate(items)])
    for i, item in enumerate(items):
        block(item, i)
    return recv


@method("enum", "with_index", "each_with_index_then")
def _with_index(rt, recv, args, block):
    offset = arg(args, 0, 0)
    pairs = [[item, i + offset] for i, item in enumerate(items_of(recv))]
    then = recv.then if isinstance(recv, Enumerator) else "each"
    if then == "each":
        for pair in pairs:
            block(*pair)
        return recv
    return rt.send(Enumerator(pairs), then, [], block)


@method("enum", "each_with_object")
def _each_with_object(rt, recv, args, block):
    memo = args[0]
    for item in items_of(recv):
        block(item, memo)
    return memo


def _blockless(name: str):
    def wrap(fn):
        def run(rt, recv, args, block):
            if block is None and not args:
                return Enumerator(items_of(recv), name)
            return fn(rt, recv, args, block)
        return run
    return wrap


@method("enum", "map", "collect")
@_blockless("map")
def _map(rt, recv, args, block):
    return [block(item) for item in items_of(recv)]


@method("enum", "flat_map", "collect_concat")
def _flat_map(rt, recv, args, block):
    out = []
    for item in items_of(recv):
        value = block(item)
        out.extend(value if isinstance(value, list) else [value])
    return out


@method("enum", "filter_map")
def _filter_map(rt, recv, args, block):
    return [v for v in (block(item) for item in items_of(recv)) if truthy(v)]


@method("enum", "select", "filter", "find_all")
@_blockless("select")
def _select(rt, recv, args, block):
    if isinstance(recv, dict):
        return {k: v for k, v in recv.items() if truthy(block(k, v))}
    return [item for item in items_of(recv) if truthy(block(item))]


@method("enum", "reject")
@_blockless("reject")
def _reject(rt, recv, args, block):
    if isinstance(recv, dict):
        return {k: v for k, v in recv.items() if not truthy(block(k, v))}
    return [item for item in items_of(recv) if not truthy(block(item))]


@method("enum", "partition")
def _partition(rt, recv, args, block):
    yes, no = [], []
    for item in items_of(recv):
        (yes if truthy(block(item)) else no).append(item)
    return [yes, no]


@method("enum", "find", "detect")
def _find(rt, recv, args, block):
    return next((item for item in items_of(recv) if truthy(block(item))), None)


@method("enum", "find_index")
def _find_index(rt, recv, args, block):
    for i, item in enumerate(items_of(recv)):
        if (truthy(block(item)) if block is not None else equal(item, args[0])):
            return i
    return None


def _test(rt, args, block):
    if args:
        return lambda item: rt.case_equal(args[0], item)
    if block is not None:
        return lambda item: truthy(block(item))
    return truthy


@method("enum", "any?")
def _any(rt, recv, args, block):
    test = _test(rt, args, block)
    return any(test(item) for item in items_of(recv))


@method("enum", "all?")
def _all(rt, recv, args, block):
    test = _test(rt, args, block)
    return all(test(item) for item in items_of(recv))


@method("enum", "none?")
def _none(rt, recv, args, block):
    test = _test(rt, args, block)
    return not any(test(item) for item in items_of(recv))


@method("enum", "one?")
def _one(rt, recv, args, block):
    test = _test(rt, args, block)
    return sum(1 for item in items_of(recv) if test(item)) == 1


@method("enum", "count")
def _count(rt, recv, args, block):
    items = items_of(recv)
    if args:
        return sum(1 for item in items if equal(item, args[0]))
    if block is not None:
        return sum(1 for item in items if truthy(block(item)))
    return len(items)


@method("enum", "include?", "member?")
def _include(rt, recv, args, block):
    if isinstance(recv, dict):
        return args[0] in recv
    if isinstance(recv, RubyRange):
        return args[0] in recv
    return contains(items_of(recv), args[0])


@method("enum", "to_a", "entries")
def _to_a(rt, recv, args, block):
    return items_of(recv)


@method("enum", "sort")
def _sort(rt, recv, args, block):
    items = items_of(recv)
    if block is not None:
        return sorted(items, key=functools.cmp_to_key(lambda a, b: block(a, b)))
    return sorted(items, key=_sort_key(rt))


@method("enum", "sort_by")
def _sort_by(rt, recv, args, block):
    items = items_of(recv)
    keys = {id(item): block(item) for item in items}
    return sorted(items, key=functools.cmp_to_key(lambda a, b: ordered(keys[id(a)], keys[id(b)])))


def _extreme(sign: int, by: bool):
    def fn(rt, recv, args, block):
        items = items_of(recv)
        if not items:
            return None
        key = (lambda item: block(item)) if by else (lambda item: item)
        best = items[0]
        for item in items[1:]:
            if not by and block is not None:
                better = block(item, best) * sign > 0
            else:
                better = ordered(key(item), key(best)) * sign > 0
            if better:
                best = item
        return best
    return fn


method("enum", "min")(_extreme(-1, False))
method("enum", "max")(_extreme(1, False))
method("enum", "min_by")(_extreme(-1, True))
method("enum", "max_by")(_extreme(1, True))


@method("enum", "sum")
def _sum(rt, recv, args, block):
    total = arg(args, 0, 0)
    for item in items_of(recv):
        total = rt.send(total, "+", [block(item) if block is not None else item])
    return total


@method("enum", "inject", "reduce")
def _inject(rt, recv, args, block):
    items = items_of(recv)
    op = next((a for a in args if isinstance(a, Symbol)), None)
    initial = [a for a in args if not isinstance(a, Symbol)]
    memo = initial[0] if initial else (items.pop(0) if items else None)
    for item in items:
        memo = rt.send(memo, str(op), [item]) if op is not None else block(memo, item)
    return memo


@method("enum", "group_by")
def _group_by(rt, recv, args, block):
    groups: dict = {}
    for item in items_of(recv):
        groups.setdefault(block(item), []).append(item)
    return groups


@method("enum", "tally")
def _tally(rt, recv, args, block):
    counts: dict = {}
    for item in items_of(recv):
        counts[item] = counts.get(item, 0) + 1
    return counts


@method("enum", "each_slice")
def _each_slice(rt, recv, args, block):
    items, size = items_of(recv), args[0]
    slices = [items[i:i + size] for i in range(0, len(items), size)]
    if block is None:
        return slices
    for part in slices:
        block(part)
    return recv


@method("enum", "grep")
def _grep(rt, recv, args, block):
    found = [item for item in items_of(recv) if rt.case_equal(args[0], item)]
    return [block(item) for item in found] if block is not None else found


@method("enum", "grep_v")
def _grep_v(rt, recv, args, block):
    return [item for item in items_of(recv) if not rt.case_equal(args[0], item)]


@method("enum", "zip")
def _zip(rt, recv, args, block):
    others = [items_of(a) for a in args]
    return [[item, *(o[i] if i < len(o) else None for o in others)] for i, item in enumerate(items_of(recv))]


@method("enum", "take_while")
def _take_while(rt, recv, args, block):
    out = []
    for item in items_of(recv):
        if not truthy(block(item)):
            break
        out.append(item)
    return out


@method("enum", "drop_while")
def _drop_while(rt, recv, args, block):
    items = items_of(recv)
    for i, item in enumerate(items):
        if not truthy(block(item)):
            return items[i:]
    return []


@method("enum", "uniq")
def _uniq_m(rt, recv, args, block):
    return _uniq(items_of(recv), block)


@method("enum", "to_h")
def _to_h(rt, recv, args, block):
    out = {}
    for item in items_of(recv):
        pair = block(item) if block is not None else item
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise RubyError("TypeError", f"wrong element type {class_name(pair)} (expected array)")
        out[pair[0]] = pair[1]
    return out


@method("enum", "to_set")
def _to_set(rt, recv, args, block):
    return _uniq(items_of(recv))


@method("enum", "first")
def _first(rt, recv, args, block):
    items = items_of(recv)
    if args:
        return items[: args[0]]
    return items[0] if items else None


@method("enum", "empty?")
def _empty(rt, recv, args, block):
    return len(items_of(recv)) == 0


@method("enum", "length", "size")
def _length(rt, recv, args, block):
    return len(items_of(recv))


# ------------------------------------------------------------------ Array


def _index(items: list, index: int) -> Any:
    try:
        return items[index]
    except IndexError:
        return None


@method("list", "[]", "slice")
def _list_get(rt, recv, args, block):
    key = args[0]
    if isinstance(key, RubyRange):
        start = key.first + len(recv) if key.first < 0 else key.first
        last = len(recv) - 1 if key.last is None else key.last + len(recv) if key.last < 0 else key.last
        if start > len(recv):
            return None
        return list(recv[start:last if key.exclusive else last + 1])
    if len(args) == 2:
        start = key + len(recv) if key < 0 else key
        return list(recv[start:start + args[1]]) if 0 <= start <= len(recv) else None
    if not isinstance(key, int) or isinstance(key, bool):
        raise RubyError("TypeError", f"no implicit conversion of {class_name(key)} into Integer")
    return _index(recv, key)


@method("list", "[]=")
def _list_set(rt, recv, args, block):
    index, value = args[0], args[-1]
    while len(recv) <= index:
        recv.append(None)
    recv[index] = value
    return value


@method("list", "at")
def _at(rt, recv, args, block):
    return _index(recv, args[0])


@method("list", "fetch")
def _list_fetch(rt, recv, args, block):
    try:
        return recv[args[0]]
    except IndexError:
        if len(args) > 1:
            return args[1]
        if block is not None:
            return block(args[0])
        raise RubyError("IndexError", f"index {args[0]} outside of array bounds") from None


@method("list", "dig")
def _list_dig(rt, recv, args, block):
    value = _index(recv, args[0])
    return rt.send(value, "dig", list(args[1:])) if len(args) > 1 and value is not None else value


@method("list", "last")
def _last(rt, recv, args, block):
    if args:
        return list(recv[-args[0]:]) if args[0] else []
    return recv[-1] if recv else None


@method("list", "take")
def _take(rt, recv, args, block):
    return list(recv[: args[0]])


@method("list", "drop")
def _drop(rt, recv, args, block):
    return list(recv[args[0]:])


@method("list", "join")
def _join(rt, recv, args, block):
    sep = arg(args, 0, "")
    return str(sep or "").join(_join_item(rt, item, sep) for item in recv)


def _join_item(rt, item: Any, sep: Any) -> str:
    if isinstance(item, (list, tuple)):
        return _join(rt, item, [sep], None)
    return to_s(item)


@method("list", "reverse")
def _reverse(rt, recv, args, block):
    return list(reversed(recv))


@method("list", "compact")
def _compact(rt, recv, args, block):
    return [item for item in recv if item is not None]


@method("list", "flatten")
def _flatten_m(rt, recv, args, block):
    return _flatten(list(recv), arg(args, 0, -1))


@method("list", "+")
def _list_plus(rt, recv, args, block):
    if not isinstance(args[0], (list, tuple)):
        raise RubyError("TypeError", f"no implicit conversion of {class_name(args[0])} into Array")
    return list(recv) + list(args[0])


@method("list", "-", "difference")
def _list_minus(rt, recv, args, block):
    other = list(args[0])
    return [item for item in recv if not contains(other, item)]


@method("list", "&", "intersection")
def _list_and(rt, recv, args, block):
    other = list(args[0])
    return _uniq([item for item in recv if contains(other, item)])


@method("list", "|", "union")
def _list_or(rt, recv, args, block):
    return _uniq(list(recv) + list(args[0]))


@method("list", "*")
def _list_times(rt, recv, args, block):
    if isinstance(args[0], str):
        return _join(rt, recv, args, block)
    return list(recv) * args[0]


@method("list", "<<", "push", "append")
def _push(rt, recv, args, block):
    recv.extend(args)
    return recv


@method("list", "concat")
def _concat(rt, recv, args, block):
    for other in args:
        recv.extend(other)
    return recv


@method("list", "unshift", "prepend")
def _unshift(rt, recv, args, block):
    recv[:0] = args
    return recv


@method("list", "insert")
def _insert(rt, recv, args, block):
    recv[args[0]:args[0]] = args[1:]
    return recv


@method("list", "pop")
def _pop(rt, recv, args, block):
    return recv.pop() if recv else None


@method("list", "shift")
def _shift(rt, recv, args, block):
    return recv.pop(0) if recv else None


@method("list", "delete")
def _list_delete(rt, recv, args, block):
    found = None
    for item in list(recv):
        if equal(item, args[0]):
            recv.remove(item)
            found = item
    return found


@method("list", "delete_if", "reject!")
def _delete_if(rt, recv, args, block):
    recv[:] = [item for item in recv if not truthy(block(item))]
    return recv


@method("list", "keep_if", "select!", "filter!")
def _keep_if(rt, recv, args, block):
    recv[:] = [item for item in recv if truthy(block(item))]
    return recv


@method("list", "map!", "collect!")
def _map_bang(rt, recv, args, block):
    recv[:] = [block(item) for item in recv]
    return recv


@method("list", "uniq!")
def _uniq_bang(rt, recv, args, block):
    recv[:] = _uniq(list(recv), block)
    return recv


@method("list", "compact!")
def _compact_bang(rt, recv, args, block):
    recv[:] = [item for item in recv if item is not None]
    return recv


@method("list", "sort!")
def _sort_bang(rt, recv, args, block):
    recv[:] = _sort(rt, recv, args, block)
    return recv


@method("list", "flatten!")
def _flatten_bang(rt, recv, args, block):
    recv[:] = _flatten(list(recv))
    return recv


@method("list", "index")
def _list_index(rt, recv, args, block):
    return _find_index(rt, recv, args, block)


@method("list", "values_at")
def _values_at(rt, recv, args, block):
    return [_index(recv, i) for i in args]


@method("list", "each_index")
def _each_index(rt, recv, args, block):
    for i in range(len(recv)):
        block(i)
    return recv


@method("list", "==", "eql?")
def _list_eq(rt, recv, args, block):
    return equal(recv, args[0])


@method("list", "<=>")
def _list_cmp(rt, recv, args, block):
    return compare(recv, args[0])


@method("list", "assoc")
def _assoc(rt, recv, args, block):
    return next((item for item in recv if isinstance(item, list) and item and equal(item[0], args[0])), None)


@method("list", "sample", "shuffle")
def _random(rt, recv, args, block):
    raise RubyError("NotImplementedError", "random choices make a check that is not repeatable")


# ------------------------------------------------------------------ Hash


@method("dict", "[]")
def _hash_get(rt, recv, args, block):
    return recv.get(args[0])


@method("dict", "[]=", "store")
def _hash_set(rt, recv, args, block):
    recv[args[0]] = args[1]
    return args[1]


@method("dict", "fetch")
def _hash_fetch(rt, recv, args, block):
    if args[0] in recv:
        return recv[args[0]]
    if len(args) > 1:
        return args[1]
    if block is not None:
        return block(args[0])
    raise RubyError("KeyError", f"key not found: {inspect(args[0])}")


@method("dict", "dig")
def _hash_dig(rt, recv, args, block):
    value = recv.get(args[0])
    return rt.send(value, "dig", list(args[1:])) if len(args) > 1 and value is not None else value


@method("dict", "key?", "has_key?", "include?", "member?")
def _has_key(rt, recv, args, block):
    return args[0] in recv


@method("dict", "value?", "has_value?")
def _has_value(rt, recv, args, block):
    return contains(recv.values(), args[0])


@method("dict", "key")
def _key(rt, recv, args, block):
    return next((k for k, v in recv.items() if equal(v, args[0])), None)


@method("dict", "keys")
def _keys(rt, recv, args, block):
    return list(recv.keys())


@method("dict", "values")
def _values(rt, recv, args, block):
    return list(recv.values())


@method("dict", "values_at")
def _hash_values_at(rt, recv, args, block):
    return [recv.get(k) for k in args]


@method("dict", "each_key")
def _each_key(rt, recv, args, block):
    for key in list(recv):
        block(key)
    return recv


@method("dict", "each_value")
def _each_value(rt, recv, args, block):
    for value in list(recv.values()):
        block(value)
    return recv


@method("dict", "merge")
def _merge(rt, recv, args, block):
    out = dict(recv)
    for other in args:
        for key, value in other.items():
            out[key] = block(key, out[key], value) if block is not None and key in out else value
    return out


@method("dict", "merge!", "update")
def _merge_bang(rt, recv, args, block):
    recv.update(_merge(rt, recv, args, block))
    return recv


@method("dict", "delete")
def _hash_delete(rt, recv, args, block):
    return recv.pop(args[0], None)


@method("dict", "transform_values")
def _transform_values(rt, recv, args, block):
    return {k: block(v) for k, v in recv.items()}


@method("dict", "transform_keys")
def _transform_keys(rt, recv, args, block):
    return {block(k): v for k, v in recv.items()}


@method("dict", "invert")
def _invert(rt, recv, args, block):
    return {v: k for k, v in recv.items()}


@method("dict", "slice")
def _hash_slice(rt, recv, args, block):
    return {k: recv[k] for k in args if k in recv}


@method("dict", "except")
def _hash_except(rt, recv, args, block):
    return {k: v for k, v in recv.items() if k not in args}


@method("dict", "compact")
def _hash_compact(rt, recv, args, block):
    return {k: v for k, v in recv.items() if v is not None}


@method("dict", "==")
def _hash_eq(rt, recv, args, block):
    return equal(recv, args[0])


@method("dict", "to_h")
def _hash_to_h(rt, recv, args, block):
    return dict(recv) if block is None else _to_h(rt, recv, args, block)


# ------------------------------------------------------------------ Range


@method("range", "first", "begin", "min")
def _range_first(rt, recv, args, block):
    if args:
        return recv.to_list()[: args[0]]
    return recv.first


@method("range", "last", "end")
def _range_last(rt, recv, args, block):
    if args:
        return recv.to_list()[-args[0]:]
    return recv.last


@method("range", "max")
def _range_max(rt, recv, args, block):
    return recv.last - 1 if recv.exclusive else recv.last


@method("range", "cover?", "===", "include?", "member?")
def _cover(rt, recv, args, block):
    return args[0] in recv


@method("range", "step")
def _step(rt, recv, args, block):
    items = recv.to_list()[:: args[0]]
    if block is None:
        return items
    for item in items:
        block(item)
    return recv


__all__ = ["Enumerator", "items_of", "contains", "inspect", "to_s", "Symbol"]

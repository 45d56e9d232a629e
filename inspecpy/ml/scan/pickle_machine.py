"""A symbolic unpickler: CPython's stack discipline over opcodes, no imports, no calls.

:class:`SymbolicUnpickler` walks one pickle stream the way
``pickle.Unpickler`` would, but pushes placeholders instead of objects:
strings and small ints are kept (they name globals and sizes), payloads
are skipped with ``seek``, calls become :class:`_Obj` records.  Every global
that ``GLOBAL``, ``STACK_GLOBAL``, ``INST`` or ``EXT1/2/4`` would import is
recorded as the exact ``(module, name)`` pair the unpickler would resolve.
``BUILD`` or a container opcode aimed at an imported object (it would set
attributes of a module-level class or function) is unsafe whatever the
object is.

joblib's inline arrays follow joblib's own reading rule exactly (see
:mod:`inspecpy.ml.scan.joblib_arrays`); ``mode`` says which loader reads
the stream: ``"joblib"`` (a compressed joblib file), ``"pickle"``
(``pickle.load``, ``torch.load``, ``np.load``: array bytes are opcodes) or
``"both"`` (an uncompressed file either loader may open: the joblib reading
is followed, and at every array the bytes are also walked as the opcodes
``pickle.load`` would run).

Example::

    >>> import io, pickle
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> data = pickle.dumps(complex(1, 2)); r = BoundedReader(io.BytesIO(data), Limits())
    >>> f = Findings(); SymbolicUnpickler(r, f, 0).run(r.read(1)).func.shown
    'builtins.complex'
"""

from __future__ import annotations

import codecs
import struct
from collections import ChainMap
from typing import Any

from inspecpy.ml.scan.allowlist import CONDITIONAL, is_ufunc, normalize
from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import BoundedReader, ScanError, ScanLimitError

_MAX_STR = 4096  # longer strings are skipped; they never name a global
_UFUNC_MODULES = {"numpy", "numpy.core.umath", "numpy._core.umath",
                  "numpy.core._multiarray_umath", "numpy._core._multiarray_umath"}
WRAPPER = ("joblib.numpy_pickle", "NumpyArrayWrapper")
_NEW_INSTANCE = {("copyreg", "_reconstructor"), ("copyreg", "__newobj__"), ("copyreg", "__newobj_ex__")}


class _Global:
    __slots__ = ("pair", "shown", "conditional")

    def __init__(self, pair: tuple[str, str], shown: str, conditional: bool = False):
        self.pair, self.shown, self.conditional = pair, shown, conditional


class _Obj:  # what a call/instantiation/persistent id would produce
    __slots__ = ("func", "args", "states", "cls", "attrs", "how")

    def __init__(self, func, args=(), how: str = "call"):
        self.func, self.args, self.how = func, args, how
        self.states: list[Any] = []
        self.cls = func  # the class of the instance, when known
        self.attrs: dict | None = None


class _Blob:  # a payload that was skipped
    __slots__ = ("kind", "size")

    def __init__(self, kind: str, size: int):
        self.kind, self.size = kind, size


class _Dict:
    __slots__ = ("items",)

    def __init__(self, items=None):
        self.items = items if items is not None else []


class _Set(_Dict):
    __slots__ = ()


class SymbolicUnpickler:
    """A symbolic unpickler: CPython's stack discipline, no imports, no calls."""

    def __init__(self, reader: BoundedReader, findings: Findings, depth: int, mode: str = "pickle",
                 arrays: Any = None):
        self.arrays = arrays  # joblib's inline arrays (the joblib_arrays module), or None: plain pickle
        self.r = reader
        self.f = findings
        self.limits = reader.limits
        self.depth = depth
        self.mode = mode
        self.memo: dict | ChainMap = {}
        self.proto = 0
        self.stack: list = []
        self.metastack: list = []
        self.cond: dict[int, list] = {}  # id(global) -> [global, unchecked uses]
        self.touched = False  # a global was imported or something was called
        self.frame_end = 0  # where the current protocol-4 frame ends
        self.strict_names = False  # a name that is not an identifier stops the walk (forks)
        self.dispatch = {op[0]: getattr(self, "op_" + name) for op, name in _OPCODES.items()}

    # -- driver -----------------------------------------------------------
    def run(self, first_op: bytes, fresh: bool = True):
        """Walk one stream whose first opcode byte is ``first_op``; return its top value."""
        if fresh:  # what Unpickler.load() resets (the memo lives on)
            self.stack, self.metastack, self.proto = [], [], 0
            self.f.streams += 1
        start = self.r.pos - 1
        op = first_op
        dispatch, read, f, max_ops = self.dispatch, self.r.read, self.f, self.limits.max_opcodes
        try:
            while True:
                f.opcodes += 1
                if f.opcodes > max_ops:
                    raise ScanLimitError(f"more than {max_ops} pickle opcodes (limit reached)")
                handler = dispatch.get(op[0])
                if handler is None:
                    raise ScanError(f"invalid pickle opcode {op!r} at offset {self.r.pos - 1}")
                if op == b".":
                    return self.pop()
                handler()
                op = read(1)
        except (IndexError, KeyError, TypeError, ValueError, struct.error, UnicodeDecodeError) as e:
            raise ScanError(f"malformed pickle stream starting at offset {start}: "
                            f"{type(e).__name__}: {e} (near offset {self.r.pos})") from None

    def check_conditionals(self) -> None:
        for g, uses in self.cond.values():
            if uses > 0:
                self.f.flag(f"{g.shown} (not called with checked arguments)")

    # -- stack helpers ----------------------------------------------------
    def push(self, v) -> None:
        self.stack.append(v)

    def pop(self):
        if not self.stack:
            raise ScanError(f"stack underflow at offset {self.r.pos - 1}")
        return self.stack.pop()

    def pop_mark(self) -> list:
        if not self.metastack:
            raise ScanError(f"MARK expected before offset {self.r.pos - 1}")
        items, self.stack = self.stack, self.metastack.pop()
        return items

    def top(self):
        if not self.stack:
            raise ScanError(f"stack underflow at offset {self.r.pos - 1}")
        return self.stack[-1]

    def u(self, fmt: str, n: int) -> int:
        return struct.unpack(fmt, self.r.read(n))[0]

    def text(self, n: int, encoding: str, kind: str):
        if n > _MAX_STR:
            self.r.skip(n)
            return _Blob(kind, n)
        return self.r.read(n).decode(encoding, "surrogatepass" if encoding == "utf-8" else "strict")

    def blob(self, n: int, kind: str):
        self.r.skip(n)
        return _Blob(kind, n)

    def global_(self, module: str, name: str) -> _Global:
        if self.strict_names and not all(p.isidentifier() for p in (*module.split("."), *name.split("."))):
            raise ScanError(f"{module!r} {name!r} cannot be imported")  # the loader stops here too
        self.touched = True
        pair = normalize(module, name, self.proto)
        if pair in CONDITIONAL:
            g = _Global(pair, f"{pair[0]}.{pair[1]}", True)
            self.f.globals[g.shown] = None
            self.cond[id(g)] = [g, 1]
            return g
        return _Global(pair, self.f.record(*pair, self.limits))

    def ref(self, v):
        if isinstance(v, _Global) and v.conditional:
            self.cond[id(v)][1] += 1
        return v

    def mutate(self, target, what: str):
        """A container opcode or BUILD applied to ``target``: unsafe on an imported object."""
        if isinstance(target, _Global):
            self.f.flag(f"{what} on the imported object {target.shown} (sets module-level state)")
        return target

    # -- opcodes: framing, constants --------------------------------------
    def op_PROTO(self):
        self.proto = self.r.read(1)[0]
        if self.proto > 5:
            raise ScanError(f"unsupported pickle protocol {self.proto}")

    def op_FRAME(self):
        self.frame_end = self.r.pos + self.u("<Q", 8)

    def op_STOP(self):  # handled by run()
        pass

    def op_NONE(self): self.push(None)
    def op_NEWTRUE(self): self.push(True)
    def op_NEWFALSE(self): self.push(False)
    def op_BININT(self): self.push(self.u("<i", 4))
    def op_BININT1(self): self.push(self.r.read(1)[0])
    def op_BININT2(self): self.push(self.u("<H", 2))
    def op_BINFLOAT(self): self.push(self.u(">d", 8))
    def op_FLOAT(self): self.push(float(self.r.readline()))

    def op_INT(self):
        line = self.r.readline()
        self.push({b"00": False, b"01": True}.get(line) if line in (b"00", b"01") else int(line))

    def op_LONG(self):
        self.push(int(self.r.readline().rstrip(b"L") or b"0"))

    def _long(self, n: int):
        if n > 64:
            return self.blob(n, "int")
        return int.from_bytes(self.r.read(n), "little", signed=True)

    def op_LONG1(self): self.push(self._long(self.r.read(1)[0]))
    def op_LONG4(self): self.push(self._long(self.u("<i", 4)))

    def op_STRING(self):
        data = self.r.readline().rstrip()
        if len(data) < 2 or data[0] != data[-1] or data[:1] not in (b"'", b'"'):
            raise ScanError(f"STRING opcode argument must be quoted (offset {self.r.pos})")
        self.push(codecs.escape_decode(data[1:-1])[0].decode("latin-1"))

    # py2 str opcodes load as str (ASCII/latin-1), so they can name globals
    def op_BINSTRING(self): self.push(self.text(self.u("<i", 4), "latin-1", "str"))
    def op_SHORT_BINSTRING(self): self.push(self.text(self.r.read(1)[0], "latin-1", "str"))
    def op_UNICODE(self): self.push(self.r.readline().decode("raw-unicode-escape"))
    def op_SHORT_BINUNICODE(self): self.push(self.text(self.r.read(1)[0], "utf-8", "str"))
    def op_BINUNICODE(self): self.push(self.text(self.u("<I", 4), "utf-8", "str"))
    def op_BINUNICODE8(self): self.push(self.text(self.u("<Q", 8), "utf-8", "str"))
    def op_BINBYTES(self): self.push(self.blob(self.u("<I", 4), "bytes"))
    def op_SHORT_BINBYTES(self): self.push(self.blob(self.r.read(1)[0], "bytes"))
    def op_BINBYTES8(self): self.push(self.blob(self.u("<Q", 8), "bytes"))
    def op_BYTEARRAY8(self): self.push(self.blob(self.u("<Q", 8), "bytearray"))
    def op_NEXT_BUFFER(self): self.push(_Blob("buffer", 0))
    def op_READONLY_BUFFER(self): self.top()

    # -- containers -------------------------------------------------------
    def op_MARK(self):
        self.metastack.append(self.stack)
        self.stack = []

    def op_POP(self):
        if self.stack:
            self.stack.pop()
        else:
            self.pop_mark()

    def op_POP_MARK(self): self.pop_mark()
    def op_DUP(self): self.push(self.ref(self.top()))
    def op_EMPTY_TUPLE(self): self.push(())
    def op_TUPLE(self): self.push(tuple(self.pop_mark()))
    def op_TUPLE1(self): self.push((self.pop(),))

    def op_TUPLE2(self):
        b, a = self.pop(), self.pop()
        self.push((a, b))

    def op_TUPLE3(self):
        c, b, a = self.pop(), self.pop(), self.pop()
        self.push((a, b, c))

    def op_EMPTY_LIST(self): self.push([])
    def op_LIST(self): self.push(self.pop_mark())

    def op_APPEND(self):
        v = self.pop()
        target = self.mutate(self.top(), "APPEND")
        if isinstance(target, list):
            target.append(v)

    def op_APPENDS(self):
        items = self.pop_mark()
        target = self.mutate(self.top(), "APPENDS")
        if isinstance(target, list):
            target.extend(items)

    def op_EMPTY_DICT(self): self.push(_Dict())

    def op_DICT(self):
        items = self.pop_mark()
        self.push(_Dict(list(zip(items[::2], items[1::2]))))

    def op_SETITEM(self):
        v, k = self.pop(), self.pop()
        target = self.mutate(self.top(), "SETITEM")
        if isinstance(target, _Dict):
            target.items.append((k, v))

    def op_SETITEMS(self):
        items = self.pop_mark()
        target = self.mutate(self.top(), "SETITEMS")
        if isinstance(target, _Dict):
            target.items.extend(zip(items[::2], items[1::2]))

    def op_EMPTY_SET(self): self.push(_Set())

    def op_ADDITEMS(self):
        items = self.pop_mark()
        target = self.mutate(self.top(), "ADDITEMS")
        if isinstance(target, _Set):
            target.items.extend(items)

    def op_FROZENSET(self): self.push(_Set(self.pop_mark()))

    # -- memo ---------------------------------------------------------------
    def _get(self, key: int):
        if key not in self.memo:
            raise ScanError(f"memo key {key} read before it was written (offset {self.r.pos})")
        self.push(self.ref(self.memo[key]))

    def op_GET(self): self._get(int(self.r.readline()))
    def op_BINGET(self): self._get(self.r.read(1)[0])
    def op_LONG_BINGET(self): self._get(self.u("<I", 4))
    def op_PUT(self): self.memo[int(self.r.readline())] = self.top()
    def op_BINPUT(self): self.memo[self.r.read(1)[0]] = self.top()
    def op_LONG_BINPUT(self): self.memo[self.u("<I", 4)] = self.top()
    def op_MEMOIZE(self): self.memo[len(self.memo)] = self.top()

    # -- globals and calls --------------------------------------------------
    def _line_global(self) -> _Global:
        module = self.r.readline().decode("utf-8")
        name = self.r.readline().decode("utf-8")
        return self.global_(module, name)

    def op_GLOBAL(self): self.push(self._line_global())

    def op_STACK_GLOBAL(self):
        name, module = self.pop(), self.pop()
        if not isinstance(module, str) or not isinstance(name, str):
            raise ScanError(f"STACK_GLOBAL operands are not strings short enough to resolve "
                            f"(offset {self.r.pos - 1})")
        self.push(self.global_(module, name))

    def _ext(self, code: int):
        self.touched = True
        shown = f"copyreg extension code {code}"
        self.f.flag(shown)  # whatever the loader registered: not known data
        self.push(_Global(("copyreg", f"extension {code}"), shown))

    def op_EXT1(self): self._ext(self.r.read(1)[0])
    def op_EXT2(self): self._ext(self.u("<H", 2))
    def op_EXT4(self): self._ext(self.u("<i", 4))

    def _call(self, func, args, how: str) -> _Obj:
        self.touched = True
        obj = _Obj(func, args, how)
        if (isinstance(func, _Global) and func.pair in _NEW_INSTANCE and isinstance(args, tuple)
                and args and isinstance(args[0], _Global)):
            obj.cls, obj.how = args[0], "new"  # copyreg builds an instance of args[0] without __init__
        if isinstance(obj.cls, _Global) and obj.cls.pair == WRAPPER and self.arrays is not None:
            obj.attrs = self.arrays.wrapper_attrs(obj, args)
        return obj

    def op_REDUCE(self):
        args = self.pop()
        func = self.pop()
        if isinstance(func, _Global) and func.conditional:
            self._check_conditional_call(func, args)
        self.push(self._call(func, args, "call"))

    def _check_conditional_call(self, func: _Global, args) -> None:
        module, name = (args + (None, None))[:2] if isinstance(args, tuple) else (None, None)
        self.cond[id(func)][1] -= 1  # this use is judged here
        if (isinstance(module, str) and isinstance(name, str) and module in _UFUNC_MODULES
                and is_ufunc("numpy", name)):
            self.f.globals[f"numpy.{name}"] = None
        else:
            shown = f"{module}.{name}" if isinstance(module, str) and isinstance(name, str) else "?"
            self.f.flag(f"{func.shown}({shown})")

    def op_NEWOBJ(self):
        args, cls = self.pop(), self.pop()
        self.push(self._call(cls, args, "new"))

    def op_NEWOBJ_EX(self):
        _kwargs, args, cls = self.pop(), self.pop(), self.pop()
        self.push(self._call(cls, args, "new"))

    def op_OBJ(self):
        items = self.pop_mark()
        if not items:
            raise ScanError(f"OBJ without a class (offset {self.r.pos - 1})")
        self.push(self._call(items[0], tuple(items[1:]), "call"))

    def op_INST(self):
        g = self._line_global()
        self.push(self._call(g, tuple(self.pop_mark()), "call"))

    def op_PERSID(self): self.push(_Obj(None, self.r.readline(), "persid"))
    def op_BINPERSID(self): self.push(_Obj(None, self.pop(), "persid"))

    def op_BUILD(self):
        state = self.pop()
        obj = self.mutate(self.top(), "BUILD")
        self.touched = True
        if not isinstance(obj, _Obj):
            return
        obj.states.append(state)
        if obj.attrs is not None and self.mode != "pickle":
            self.arrays.read_array(self, obj, state)


_OPCODES = {
    b"(": "MARK", b".": "STOP", b"0": "POP", b"1": "POP_MARK", b"2": "DUP",
    b"F": "FLOAT", b"I": "INT", b"J": "BININT", b"K": "BININT1", b"L": "LONG",
    b"M": "BININT2", b"N": "NONE", b"P": "PERSID", b"Q": "BINPERSID", b"R": "REDUCE",
    b"S": "STRING", b"T": "BINSTRING", b"U": "SHORT_BINSTRING", b"V": "UNICODE",
    b"X": "BINUNICODE", b"a": "APPEND", b"b": "BUILD", b"c": "GLOBAL", b"d": "DICT",
    b"}": "EMPTY_DICT", b"e": "APPENDS", b"g": "GET", b"h": "BINGET", b"i": "INST",
    b"j": "LONG_BINGET", b"l": "LIST", b"]": "EMPTY_LIST", b"o": "OBJ", b"p": "PUT",
    b"q": "BINPUT", b"r": "LONG_BINPUT", b"s": "SETITEM", b"t": "TUPLE",
    b")": "EMPTY_TUPLE", b"u": "SETITEMS", b"G": "BINFLOAT",
    b"\x80": "PROTO", b"\x81": "NEWOBJ", b"\x82": "EXT1", b"\x83": "EXT2", b"\x84": "EXT4",
    b"\x85": "TUPLE1", b"\x86": "TUPLE2", b"\x87": "TUPLE3", b"\x88": "NEWTRUE",
    b"\x89": "NEWFALSE", b"\x8a": "LONG1", b"\x8b": "LONG4",
    b"B": "BINBYTES", b"C": "SHORT_BINBYTES",
    b"\x8c": "SHORT_BINUNICODE", b"\x8d": "BINUNICODE8", b"\x8e": "BINBYTES8",
    b"\x8f": "EMPTY_SET", b"\x90": "ADDITEMS", b"\x91": "FROZENSET", b"\x92": "NEWOBJ_EX",
    b"\x93": "STACK_GLOBAL", b"\x94": "MEMOIZE", b"\x95": "FRAME",
    b"\x96": "BYTEARRAY8", b"\x97": "NEXT_BUFFER", b"\x98": "READONLY_BUFFER",
}

#: First bytes a pickle stream can start with (any opcode).
OPCODE_BYTES = frozenset(op[0] for op in _OPCODES)


def fork(machine: SymbolicUnpickler, findings: Findings) -> SymbolicUnpickler:
    """A copy of ``machine``'s state that records into ``findings`` and leaves ``machine`` as is."""
    other = SymbolicUnpickler(machine.r, findings, machine.depth, "pickle", machine.arrays)
    other.stack = list(machine.stack)
    other.metastack = [list(s) for s in machine.metastack]
    other.memo = ChainMap({}, machine.memo)
    other.proto = machine.proto
    other.cond = {k: list(v) for k, v in machine.cond.items()}
    other.strict_names = True
    return other

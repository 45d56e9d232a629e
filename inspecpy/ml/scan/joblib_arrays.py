"""joblib's inline numpy arrays, read exactly as joblib reads them (or refused).

``joblib.dump`` writes each array as a ``NumpyArrayWrapper`` object followed,
right after the ``BUILD`` opcode that gives it its attributes, by the raw
array bytes (or, for an object array, a nested pickle).  ``joblib.load``
reads those bytes with rules the scanner must follow byte for byte, or an
attacker hides opcodes where the scanner skips "array data":

- the wrapper's attributes are what ``pickle`` would give the instance:
  ``__init__``'s arguments when it was called, then every ``BUILD`` state
  merged in (``__dict__`` update and ``setattr`` of a slot state);
- one padding-length byte (then that many bytes) is read whenever the
  ``numpy_array_alignment_bytes`` attribute exists and is not ``None``
  (also when it is ``0``);
- the element size is that of the dtype *numpy builds* from the pickled
  ``numpy.dtype(...)`` call and its ``__setstate__`` — so the scanner
  builds the same dtype with numpy from the literal values (numpy ignores
  an ``elsize`` in the state of a non-flexible type; so does the scanner);
- an object dtype means a nested pickle read by a *plain* ``Unpickler``
  (joblib's array rule does not apply inside it);
- joblib reads the array from the file, not through pickle's frame
  buffer: a wrapper built inside a frame with bytes left is refused.

What the scanner cannot follow exactly (a non-literal dtype, a shape that
overflows joblib's int64 count, a wrapper built an unusual way) is refused.
In ``"both"`` mode the bytes after the wrapper are also walked as the
opcodes ``pickle.load`` would run (a ``.pkl`` holding a wrapper is opened by
either loader), in a fork of the machine whose unsafe findings are kept
(except names whose top-level package does not exist: the load stops there).

Example::

    >>> import io, joblib, numpy as np
    >>> from inspecpy.ml.scan.scanner import scan_file
    >>> buf = io.BytesIO(); joblib.dump(np.arange(4.0), buf); _ = buf.seek(0)
    >>> scan_file(buf, "a.joblib").safe
    True
"""

from __future__ import annotations

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_machine import SymbolicUnpickler, _Blob, _Dict, _Global, _Obj, fork
from inspecpy.ml.reader import ScanError, ScanLimitError

_INIT_ARGS = ("subclass", "shape", "order", "dtype", "allow_mmap", "numpy_array_alignment_bytes")
_MAX_DTYPE_DEPTH = 8


def wrapper_attrs(obj, args) -> dict:
    """Attributes a new ``NumpyArrayWrapper`` instance has before any ``BUILD``."""
    if obj.how == "new":  # __new__ only (NEWOBJ, copyreg._reconstructor): no attributes yet
        return {}
    if not isinstance(args, tuple) or not 4 <= len(args) <= 6:
        raise ScanError("NumpyArrayWrapper called with arguments joblib's __init__ does not take")
    attrs = {"allow_mmap": False, "numpy_array_alignment_bytes": 16}
    attrs.update(zip(_INIT_ARGS, args))
    return attrs


def _merge_state(attrs: dict, state) -> None:
    slot = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slot = state
    for part in (state, slot):
        if part is None or (isinstance(part, _Dict) and not part.items):
            continue
        if not isinstance(part, _Dict):
            raise ScanError("joblib array wrapper state is not a dict (cannot follow joblib's reading)")
        for k, v in part.items:
            if isinstance(k, str):
                attrs[k] = v


def read_array(machine, obj, state) -> None:
    """Follow ``joblib.load`` over the array that follows the wrapper's ``BUILD``."""
    machine.f.joblib = True
    if machine.frame_end > machine.r.pos:
        raise ScanError(f"joblib array inside an unfinished pickle frame (offset {machine.r.pos}): "
                        "joblib reads it from after the frame, pickle reads the frame on")
    _merge_state(obj.attrs, state)
    if machine.mode == "both":
        _pickle_view(machine)
    attrs = obj.attrs
    shape = attrs.get("shape")
    if not (isinstance(shape, (tuple, list))
            and all(isinstance(n, int) and not isinstance(n, _Blob) and n >= 0 for n in shape)):
        raise ScanError(f"joblib array wrapper without a valid shape (offset {machine.r.pos})")
    count = 1
    for n in shape:
        count *= n
    if count >= 1 << 63:
        raise ScanError(f"joblib array shape {tuple(shape)} overflows joblib's element count")
    dtype = real_dtype(attrs.get("dtype"))
    if dtype.hasobject:  # a nested pickle, read by a plain Unpickler
        if machine.depth >= machine.limits.max_depth:
            raise ScanLimitError("joblib object arrays nested too deeply (limit reached)")
        nested = SymbolicUnpickler(machine.r, machine.f, machine.depth + 1, "pickle", machine.arrays)
        nested.run(machine.r.read(1))
        nested.check_conditionals()
    else:
        if "numpy_array_alignment_bytes" in attrs and attrs["numpy_array_alignment_bytes"] is not None:
            machine.r.skip(machine.r.read(1)[0])
        machine.r.skip(count * dtype.itemsize)
    machine.stack[-1] = _Blob("ndarray", 0)


def _pickle_view(machine) -> None:
    """Walk what follows the wrapper as ``pickle.load`` would (it reads the array as opcodes)."""
    mark = machine.r.mark()
    if mark is None:
        raise ScanError("cannot check how pickle.load reads the bytes after a joblib array "
                        "(stream not seekable)")
    start = machine.r.pos
    seen = Findings()
    other = fork(machine, seen)
    try:
        op = machine.r.read_byte_or_eof()
        if op:
            other.run(op, fresh=False)
    except ScanLimitError:
        raise
    except ScanError:
        pass  # pickle.load stops here too, having run only what was recorded
    other.check_conditionals()
    for name in seen.unsafe:
        if _importable(name):
            machine.f.flag(f"{name} (run by pickle.load from the bytes of a joblib array at offset {start})")
    machine.f.opcodes += seen.opcodes
    machine.r.reset(mark)


def _importable(shown: str) -> bool:
    """Could ``pickle.load`` import this global at all?  A nested object-array stream read in
    the outer stream's context resolves stale memo entries into names like
    ``NumpyArrayWrapper.dtype``; their top-level package does not exist, so the load stops
    there.  (Judged on this machine: a package missing here is assumed missing there.)"""
    import importlib.util

    top = shown.split(":")[0].split(".")[0].split(" ")[0]
    if not top.isidentifier():
        return False
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return True


def real_dtype(sym, depth: int = 0):
    """The ``numpy.dtype`` numpy builds from a pickled ``numpy.dtype(...)`` call and its state."""
    import numpy as np

    if not (isinstance(sym, _Obj) and isinstance(sym.func, _Global) and sym.func.pair == ("numpy", "dtype")
            and sym.how == "call" and isinstance(sym.args, tuple) and sym.args
            and isinstance(sym.args[0], str)):
        raise ScanError("joblib array wrapper without a literal numpy dtype")
    if depth > _MAX_DTYPE_DEPTH:
        raise ScanError("joblib array dtype nested too deeply")
    try:
        dtype = np.dtype(*(_literal(a, depth) for a in sym.args))
        for state in sym.states:
            dtype.__setstate__(_literal(state, depth))
        return dtype
    except (TypeError, ValueError, OverflowError, KeyError, IndexError) as e:
        raise ScanError(f"joblib array dtype that numpy does not build: {e}") from None


def _literal(v, depth: int):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, tuple):
        return tuple(_literal(x, depth) for x in v)
    if isinstance(v, list):
        return [_literal(x, depth) for x in v]
    if type(v) is _Dict:
        return {_literal(k, depth): _literal(x, depth) for k, x in v.items}
    if isinstance(v, _Obj) and isinstance(v.func, _Global) and v.func.pair == ("numpy", "dtype"):
        return real_dtype(v, depth + 1)
    raise ScanError(f"joblib array dtype holds a value that is not a literal ({type(v).__name__})")

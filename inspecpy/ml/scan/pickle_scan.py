"""Static scan of pickle streams: which globals would loading them import?

Nothing is ever unpickled.  :func:`scan_pickles` walks the opcodes of every
pickle in a stream (protocols 0-5, concatenated streams, joblib's inline
numpy arrays, PyTorch's legacy multi-pickle files) with a small symbolic
stack machine, so that ``STACK_GLOBAL`` operands are resolved through the
memo (``MEMOIZE``/``PUT``/``GET``...) exactly as the unpickler would resolve
them.  Every global that ``GLOBAL``, ``STACK_GLOBAL``, ``INST`` or the
extension registry (``EXT1/2/4``) would import is recorded and judged by
:mod:`inspecpy.ml.scan.allowlist`.  Payloads (``BINBYTES``, ``BINUNICODE``,
array data...) are skipped with ``seek``, never copied, so the work is
proportional to the number of opcodes, not to the size of the file.

Example::

    >>> import io, pickle, collections
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> data = pickle.dumps(collections.OrderedDict(a=1))
    >>> f = Findings()
    >>> scan_pickles(BoundedReader(io.BytesIO(data), Limits()), f)
    >>> list(f.globals), list(f.unsafe)
    (['collections.OrderedDict'], [])
"""

from __future__ import annotations

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_machine import OPCODE_BYTES, SymbolicUnpickler
from inspecpy.ml.reader import BoundedReader, ScanError

__all__ = ["Findings", "OPCODE_BYTES", "scan_pickles"]

_TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def scan_pickles(reader: BoundedReader, findings: Findings, depth: int = 0) -> None:
    """Walk every pickle stream in ``reader`` until its end.

    Raises :class:`ScanError` (with the offset) when a stream does not
    parse; findings gathered before the error are kept.
    """
    walker = SymbolicUnpickler(reader, findings, depth)
    first = True
    while True:
        op = reader.read_byte_or_eof()
        if not op:
            if first:
                raise ScanError("empty file: no pickle stream")
            break
        value = walker.run(op)
        if first and value == _TORCH_LEGACY_MAGIC and isinstance(value, int):
            # torch.save legacy format: protocol, sys_info, object, storage keys, raw data
            findings.torch_legacy = True
            for _ in range(4):
                op = reader.read_byte_or_eof()
                if not op:
                    raise ScanError(f"truncated legacy PyTorch file at offset {reader.pos}")
                walker.run(op)
            break
        first = False
    walker.check_conditionals()

"""Static scan of pickle streams: which globals would loading them import?

Nothing is ever unpickled.  :func:`scan_pickles` walks the opcodes of every
pickle in a stream (protocols 0-5, concatenated streams, joblib's inline
numpy arrays, PyTorch's legacy multi-pickle files) with a small symbolic
stack machine (:mod:`.pickle_machine`), so that ``STACK_GLOBAL`` operands
are resolved through the memo exactly as the unpickler would resolve them.
Payloads are skipped with ``seek``, never copied, so the work is
proportional to the number of opcodes, not to the size of the file.

:func:`trial_pickle` answers "would ``pickle.load`` run anything from this
file?" for a file with no pickle magic (protocol 0/1 pickles are plain
text, e.g. gensim's ``.model`` files): a walk that fails before it imports
or calls anything means ``pickle.load`` fails there too, harmlessly.

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

from inspecpy.ml.scan import joblib_arrays
from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_machine import OPCODE_BYTES, SymbolicUnpickler
from inspecpy.ml.reader import BoundedReader, ScanError, ScanLimitError

__all__ = ["Findings", "OPCODE_BYTES", "scan_pickles", "trial_pickle"]

_TORCH_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def scan_pickles(reader: BoundedReader, findings: Findings, depth: int = 0, mode: str = "pickle") -> None:
    """Walk every pickle stream in ``reader`` until its end.

    ``mode`` says which loader reads the stream (see :mod:`.pickle_machine`).
    Raises :class:`ScanError` (with the offset) when a stream does not
    parse; findings gathered before the error are kept.
    """
    walker = SymbolicUnpickler(reader, findings, depth, mode, joblib_arrays)
    first = True
    try:
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
                walker.mode = "pickle"
                for _ in range(4):
                    op = reader.read_byte_or_eof()
                    if not op:
                        raise ScanError(f"truncated legacy PyTorch file at offset {reader.pos}")
                    walker.run(op)
                break  # the rest is raw storage bytes torch reads with no unpickler
            first = False
    finally:
        walker.check_conditionals()


def trial_pickle(reader: BoundedReader, findings: Findings) -> bool:
    """Walk a file that has no pickle magic as ``pickle.load`` would.

    Returns False when the walk fails before importing or calling anything
    (the file is not a pickle: ``pickle.load`` fails there, harmlessly);
    True when it is one (its findings are recorded, and a later parse
    error is raised as usual).
    """
    op = reader.read_byte_or_eof()
    if not op or op[0] not in OPCODE_BYTES:
        return False
    trial = Findings()
    walker = SymbolicUnpickler(reader, trial, 0, "pickle", joblib_arrays)
    try:
        walker.run(op)
    except ScanLimitError:
        raise
    except ScanError:
        if not walker.touched:
            return False
        _merge(findings, trial)
        raise
    walker.check_conditionals()
    _merge(findings, trial)
    return True


def _merge(into: Findings, part: Findings) -> None:
    into.globals.update(part.globals)
    into.unsafe.update(part.unsafe)
    into.streams += part.streams
    into.opcodes += part.opcodes

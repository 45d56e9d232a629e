"""Static scan of numpy ``.npy`` content (alone or inside an ``.npz``).

An ``.npy`` holds a small header (a Python dict literal, parsed with
``ast.literal_eval``) and the array bytes.  Arrays of ``object`` dtype are
stored as a *pickle* after the header, so their body is handed to the
pickle scanner; other arrays are checked for size and skipped.

Example::

    >>> import io, numpy as np
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> buf = io.BytesIO(); np.save(buf, np.zeros((2, 3))); _ = buf.seek(0)
    >>> f = Findings(); scan_npy(BoundedReader(buf, Limits()), f, "a.npy"); f.notes
    ['a.npy: float64 array of shape (2, 3)']
"""

from __future__ import annotations

import ast
import struct

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_scan import scan_pickles
from inspecpy.ml.reader import BoundedReader, ScanError

MAGIC = b"\x93NUMPY"


def read_header(reader: BoundedReader, label: str):
    """(dtype, fortran_order, shape) of an ``.npy`` stream positioned at its magic."""
    import numpy as np

    if reader.read(6) != MAGIC:
        raise ScanError(f"{label}: not a .npy stream (bad magic)")
    major, _minor = reader.read(2)
    if major == 1:
        hlen = struct.unpack("<H", reader.read(2))[0]
    elif major in (2, 3):
        hlen = struct.unpack("<I", reader.read(4))[0]
    else:
        raise ScanError(f"{label}: unsupported .npy format version {major}")
    if hlen > 1 << 20:
        raise ScanError(f"{label}: .npy header of {hlen} bytes is implausibly large")
    text = reader.read(hlen).decode("utf-8" if major == 3 else "latin-1")
    try:
        header = ast.literal_eval(text)
        dtype = np.lib.format.descr_to_dtype(header["descr"])
        shape = tuple(header["shape"])
        fortran = bool(header["fortran_order"])
    except (ValueError, SyntaxError, KeyError, TypeError) as e:
        raise ScanError(f"{label}: malformed .npy header {text.strip()[:80]!r}: {e}") from None
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ScanError(f"{label}: invalid shape {shape!r} in .npy header")
    return dtype, fortran, shape


def scan_npy(reader: BoundedReader, findings: Findings, label: str, depth: int = 0) -> None:
    """Scan one ``.npy`` stream; object arrays have their pickle scanned."""
    dtype, _fortran, shape = read_header(reader, label)
    if dtype.hasobject:
        findings.notes.append(f"{label}: object array of shape {shape} (pickled)")
        try:
            scan_pickles(reader, findings, depth + 1)
        except ScanError as e:
            raise ScanError(f"{label}: object array pickle: {e}") from None
        return
    count = 1
    for n in shape:
        count *= n
    expected = count * dtype.itemsize
    left = None if reader.size is None else reader.size - reader.pos
    if left is not None and left != expected:
        raise ScanError(f"{label}: {left} bytes of array data, expected {expected} "
                        f"for {dtype} {shape}" + (" (truncated)" if left < expected else ""))
    if left is None:
        reader.skip(expected)
    findings.notes.append(f"{label}: {dtype} array of shape {shape}")

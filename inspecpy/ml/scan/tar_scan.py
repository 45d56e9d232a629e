"""Tar archives: PyTorch's oldest checkpoint format, and tarred model folders.

``torch.load`` opens a tar (magic ``ustar`` at offset 257) as a legacy
checkpoint: ``sys_info`` and ``pickle`` are pickles; ``storages`` is a
pickled count, then per storage a pickled ``(key, location, type)`` tuple,
an int64 element count and the raw elements, then a pickled list of views;
``tensors`` is a pickled count, then per tensor a pickled tuple and raw
sizes/strides.  Those are walked exactly that way (element sizes from the
storage type); any other member is scanned as a file of its own name.
Links and paths that leave the archive are refused.

Example::

    >>> import io, tarfile, pickle
    >>> buf = io.BytesIO()
    >>> with tarfile.open(fileobj=buf, mode="w") as t:
    ...     data = pickle.dumps({"a": 1}); info = tarfile.TarInfo("pickle"); info.size = len(data)
    ...     t.addfile(info, io.BytesIO(data))
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import Limits
    >>> _ = buf.seek(0); f = Findings(); scan_tar(buf, f, Limits(), lambda *a: None), f.unsafe
    ('tar', {})
"""

from __future__ import annotations

import io
import struct
import tarfile
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_machine import SymbolicUnpickler, _Global
from inspecpy.ml.reader import BoundedReader, Limits, ScanError, ScanLimitError

_ELEMENT_SIZE = {"Double": 8, "Float": 4, "Half": 2, "BFloat16": 2, "Long": 8, "Int": 4, "Short": 2,
                 "Char": 1, "Byte": 1, "Bool": 1, "ComplexDouble": 16, "ComplexFloat": 8,
                 "QUInt8": 1, "QInt8": 1, "QInt32": 4}
_TORCH_MEMBERS = ("sys_info", "pickle", "storages", "tensors")


def scan_tar(f: BinaryIO | io.BufferedIOBase, findings: Findings, limits: Limits, scan_member) -> str:
    """Scan a tar archive; ``scan_member(stream, name)`` scans a member that is not
    part of a legacy PyTorch checkpoint.  Returns ``pytorch-tar`` or ``tar``."""
    try:
        tar = tarfile.open(fileobj=f, mode="r:")
    except (tarfile.TarError, OSError, ValueError) as e:
        raise ScanError(f"not a readable tar archive: {e}") from None
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, ValueError, EOFError) as e:
            raise ScanError(f"tar archive does not parse: {e}") from None
        if len(members) > limits.max_members:
            raise ScanLimitError(f"archive has {len(members)} members, more than {limits.max_members}")
        names = {m.name for m in members}
        torch = set(_TORCH_MEMBERS) <= names
        for m in members:
            parts = m.name.split("/")
            if m.name.startswith("/") or ".." in parts:
                findings.problems.append(f"member path {m.name!r} escapes the archive")
            if m.issym() or m.islnk():
                findings.problems.append(f"member {m.name!r} is a link to {m.linkname!r}")
                continue
            if not m.isfile():
                continue
            stream = tar.extractfile(m)
            assert stream is not None  # a regular file member (checked above) always has one
            reader = BoundedReader(stream, limits, size=m.size)
            try:
                if torch and m.name in ("sys_info", "pickle"):
                    SymbolicUnpickler(reader, findings, 0, "pickle").run(reader.read(1))
                elif torch and m.name in ("storages", "tensors"):
                    _walk(reader, findings, m.name)
                else:
                    scan_member(stream, m.name)
            except ScanError as e:
                raise type(e)(f"{m.name}: {e}") from None
    return "pytorch-tar" if torch else "tar"


def _walk(reader: BoundedReader, findings: Findings, member: str) -> None:
    machine = SymbolicUnpickler(reader, findings, 0, "pickle")

    def load():
        value = machine.run(reader.read(1))
        machine.check_conditionals()
        machine.cond.clear()
        return value

    count = load()
    if not isinstance(count, int) or count < 0:
        raise ScanError(f"{member} does not start with a pickled count")
    for _ in range(count):
        record = load()
        if member == "storages":
            storage = record[2] if isinstance(record, tuple) and len(record) == 3 else None
            kind = storage.pair[1][:-len("Storage")] if isinstance(storage, _Global) else ""
            if storage is None or storage.pair[0] != "torch" or kind not in _ELEMENT_SIZE:
                raise ScanError("storage record without a known torch storage type")
            n = struct.unpack("<q", reader.read(8))[0]
            if n < 0:
                raise ScanError(f"negative storage size {n}")
            reader.skip(n * _ELEMENT_SIZE[kind])
        else:
            ndim = struct.unpack("<i", reader.read(4))[0]
            if not 0 <= ndim <= 64:
                raise ScanError(f"tensor with {ndim} dimensions")
            reader.skip(4 + 16 * ndim + 8)
    if member == "storages":
        load()  # the storage views

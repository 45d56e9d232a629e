"""Compressed model files (joblib's compressors), decompressed lazily and scanned.

``joblib.load`` recognises the compression by its magic bytes and reads the
decompressed stream as a joblib pickle; a tar inside (``model.tar.gz``) is
scanned member by member.  A stream that does not decompress
(``zlib.error``, ``LZMAError``, a bad gzip header...) is "cannot parse",
never an exception.

Example::

    >>> import gzip, io, pickle
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import Limits
    >>> f = Findings()
    >>> scan_compressed("gzip", io.BytesIO(gzip.compress(pickle.dumps([1]))), "m.gz", f, Limits(), None)
    'joblib'
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_scan import scan_pickles
from inspecpy.ml.reader import BoundedReader, Limits, ScanError
from inspecpy.ml.scan.tar_scan import scan_tar

DECOMPRESS_ERRORS = (zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


def open_stream(kind: str, f: BinaryIO) -> io.BufferedIOBase:
    """A lazily decompressing reader of ``f`` for a joblib compression ``kind``."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=f, mode="rb")
    if kind == "bz2":
        return bz2.BZ2File(f)
    if kind in ("xz", "lzma"):
        return lzma.LZMAFile(f)
    if kind == "zlib":
        return io.BufferedReader(_ZlibRaw(f))
    if kind == "lz4":
        try:
            import lz4.frame
        except ImportError:
            raise ScanError("lz4-compressed content cannot be checked: lz4 is not installed") from None
        return lz4.frame.LZ4FrameFile(f)
    raise ScanError(f"unsupported compression {kind!r} (joblib < 0.10 format)")


def scan_compressed(kind: str, f: BinaryIO, label: str, findings: Findings, limits: Limits,
                    scan_member) -> str:
    """Scan a compressed file; return ``joblib``, ``pytorch-legacy`` or ``tar``."""
    start = f.tell()
    try:
        with open_stream(kind, f) as stream:
            head = stream.read(512)
        f.seek(start)
        if head[257:262] == b"ustar":
            with open_stream(kind, f) as stream:
                findings.notes.append(f"{kind}-compressed tar")
                return scan_tar(stream, findings, limits, scan_member)
        with open_stream(kind, f) as stream:
            scan_pickles(BoundedReader(stream, limits, size=None, costly_skip=True), findings,
                         mode="joblib")
    except DECOMPRESS_ERRORS as e:
        raise ScanError(f"{kind} stream does not decompress: {type(e).__name__}: {e}") from None
    findings.notes.append(f"{kind}-compressed")
    return "pytorch-legacy" if findings.torch_legacy else "joblib"


class _ZlibRaw(io.RawIOBase):
    """A raw zlib stream (joblib's ``compress=('zlib', n)``), decompressed lazily."""

    def __init__(self, f: BinaryIO):
        self.f, self.d = f, zlib.decompressobj()

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        while True:
            if self.d.eof:
                return 0
            data = self.d.unconsumed_tail or self.f.read(1 << 16)
            if not data:
                raise EOFError("zlib stream ends before its end marker")
            out = self.d.decompress(data, len(b))
            if out:
                b[: len(out)] = out
                return len(out)

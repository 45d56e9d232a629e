"""Static safety scan of a model file or folder: the ``be_safe`` verdict.

:func:`scan_file` detects the format (magic bytes, then extension) and
runs the matching scanner; nothing is ever unpickled or loaded.  A file is
*safe* only when it was fully understood and nothing unsafe was found: a
file that does not parse, exceeds a work bound, or has a part that could
not be checked is reported as not safe, with the reason.

Example::

    >>> import io, pickle, os
    >>> class Payload:
    ...     def __reduce__(self):
    ...         return (os.system, ("true",))
    >>> r = scan_file(io.BytesIO(pickle.dumps(Payload())), "model.pkl")
    >>> r.format, r.safe, r.unsafe_globals
    ('pickle', False, ('posix.system',))
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from inspecpy.ml.scan.data_formats import scan_onnx, scan_safetensors
from inspecpy.ml.files import Entry, local_entries
from inspecpy.ml.scan.formats import HEAD_SIZE, detect_format
from inspecpy.ml.scan.keras_scan import scan_h5
from inspecpy.ml.scan.npy_scan import scan_npy
from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_scan import OPCODE_BYTES, scan_pickles
from inspecpy.ml.reader import BoundedReader, Limits, ScanError
from inspecpy.ml.scan.zip_scan import scan_zip


@dataclass(frozen=True)
class ScanReport:
    """Outcome of a static scan.

    ``globals`` are all globals the content would import, ``unsafe_globals``
    those not known to be data; ``errors`` say why (part of) the content
    could not be scanned; ``reason`` is one sentence for a report.
    """

    format: str
    safe: bool
    unsafe_globals: tuple[str, ...] = ()
    globals: tuple[str, ...] = ()
    reason: str = ""
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def scan_file(f: BinaryIO, name: str = "", limits: Limits = Limits()) -> ScanReport:
    """Scan one file from a seekable binary stream positioned at its start."""
    findings = Findings()
    fmt, error = "unknown", None
    try:
        head = f.read(HEAD_SIZE)
        f.seek(-len(head), io.SEEK_CUR)
        fmt = detect_format(head, name)
        if fmt == "pickle" and (not head or head[0] not in OPCODE_BYTES):
            fmt = "unknown"  # named like a pickle, but pickle.load would stop at byte 0
        fmt = _dispatch(fmt, f, name or "file", findings, limits)
    except ScanError as e:
        error = str(e)
    except (OSError, EOFError, ValueError, RuntimeError) as e:  # codec/zip errors from the stdlib
        error = f"{type(e).__name__}: {e}"
    return _report(findings.format or fmt, findings, error)


def scan_files(entries: Iterable[Entry], limits: Limits = Limits(), name: str = "") -> ScanReport:
    """Scan a model made of several files (a folder): safe only if every file is.

    ``entries`` are ``(relative_path, opener)`` pairs (see
    :mod:`inspecpy.ml.files`); a single ``"."`` entry is a one-file model
    whose file ``name`` serves the extension fallback.  Files of
    unrecognised format in a folder are treated as data (configs,
    tokenizers) and listed in ``notes``.
    """
    entries = list(entries)
    if len(entries) == 1 and entries[0][0] == ".":
        with entries[0][1]() as f:
            return scan_file(f, name, limits)
    globs: dict[str, None] = {}
    unsafe: dict[str, None] = {}
    errors, problems, notes = [], [], []
    for rel, opener in entries:
        with opener() as f:
            r = scan_file(f, rel, limits)
        globs.update(dict.fromkeys(r.globals))
        unsafe.update(dict.fromkeys(r.unsafe_globals))
        if r.format == "unknown":
            notes.append(f"{rel}: not a model format, treated as data")
            continue
        errors.extend(f"{rel}: {e}" for e in r.errors)
        if not r.safe:
            problems.append(f"{rel}: {r.reason}")
        notes.extend(f"{rel}: {n}" for n in r.notes)
    safe = not problems and bool(entries)
    reason = "; ".join(problems) if problems else (
        f"{len(entries)} files scanned, no unsafe content" if entries else "empty folder")
    return ScanReport("directory", safe, tuple(unsafe), tuple(globs), reason, tuple(errors),
                      tuple(notes))


def scan_path(path, limits: Limits = Limits()) -> ScanReport:
    """Scan a local file or folder (convenience for scripts and tests)."""
    return scan_files(local_entries(path), limits, name=str(path))


def _dispatch(fmt: str, f: BinaryIO, label: str, findings: Findings, limits: Limits) -> str:
    if fmt == "zip":
        return scan_zip(f, findings, limits)
    if fmt == "pickle":
        scan_pickles(BoundedReader(f, limits), findings)
        return _pickle_format(findings, label)
    if fmt.startswith("compressed:"):
        return _scan_compressed(fmt.split(":", 1)[1], f, label, findings, limits)
    if fmt == "npy":
        scan_npy(BoundedReader(f, limits), findings, label)
    elif fmt == "npz":
        raise ScanError(f"{label}: .npz file is not a zip archive")
    elif fmt in ("h5", "keras"):
        if fmt == "keras":
            raise ScanError(f"{label}: .keras file is not a zip archive")
        scan_h5(f, findings, label, limits)
    elif fmt == "safetensors":
        scan_safetensors(BoundedReader(f, limits), findings, label)
    elif fmt == "onnx":
        scan_onnx(BoundedReader(f, limits), findings, label)
    elif fmt == "python":
        findings.problems.append("Python source: it runs when the model is loaded with remote code")
    elif fmt == "gguf":
        findings.problems.append("GGUF files are not analysed")
    else:
        findings.problems.append("unrecognised format: cannot tell whether loading it is safe")
    return fmt


def _pickle_format(findings: Findings, label: str) -> str:
    if findings.torch_legacy:
        return "pytorch-legacy"
    if findings.joblib or label.endswith(".joblib"):
        return "joblib"
    return "pickle"


def _scan_compressed(kind: str, f: BinaryIO, label: str, findings: Findings, limits: Limits) -> str:
    if kind == "gzip":
        stream = gzip.GzipFile(fileobj=f, mode="rb")
    elif kind == "bz2":
        stream = bz2.BZ2File(f)
    elif kind in ("xz", "lzma"):
        stream = lzma.LZMAFile(f)
    elif kind == "zlib":
        stream = io.BufferedReader(_ZlibRaw(f))
    elif kind == "lz4":
        try:
            import lz4.frame
        except ImportError:
            raise ScanError("lz4-compressed content cannot be checked: lz4 is not installed") from None
        stream = lz4.frame.LZ4FrameFile(f)
    else:
        raise ScanError(f"unsupported compression {kind!r} (joblib < 0.10 format)")
    with stream:
        scan_pickles(BoundedReader(stream, limits, size=None, costly_skip=True), findings)
    findings.notes.append(f"{kind}-compressed")
    fmt = _pickle_format(findings, label)
    return "joblib" if fmt == "pickle" else fmt


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
                return 0
            out = self.d.decompress(data, len(b))
            if out:
                b[: len(out)] = out
                return len(out)


def _report(fmt: str, findings: Findings, error: str | None) -> ScanReport:
    unsafe = tuple(findings.unsafe)
    parts = []
    if unsafe:
        parts.append("unsafe globals: " + ", ".join(unsafe))
    parts.extend(findings.problems)
    if error:
        parts.append(f"cannot be fully scanned: {error}")
    safe = not parts
    if safe:
        what = f"{findings.streams} pickle stream(s), " if findings.streams else ""
        parts.append(f"{fmt}: {what}no unsafe content")
    return ScanReport(fmt, safe, unsafe, tuple(findings.globals), "; ".join(parts),
                      (error,) if error else (), tuple(findings.notes))

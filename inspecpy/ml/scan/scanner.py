"""Static safety scan of a model file or folder: the ``be_safe`` verdict.

:func:`scan_file` finds every format a loader could take the file for
(:mod:`.formats`) and scans it as each; nothing is ever unpickled or
loaded.  A file is *safe* only when it was fully understood and nothing
unsafe was found: a file that does not parse, exceeds a work bound, or has
a part that could not be checked is reported as not safe, with the reason.

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

import io
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from inspecpy.ml.files import Entry, local_entries, local_links_outside
from inspecpy.ml.reader import BoundedReader, Limits, ScanError, seekable
from inspecpy.ml.scan import data_files
from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.formats import HEAD_SIZE, candidates
from inspecpy.ml.scan import compressed, data_formats, keras_scan, npy_scan, pickle_scan, tar_scan, zip_scan
from inspecpy.ml.scan.gguf_scan import scan_gguf
from inspecpy.ml.scan.tf_scan import scan_protobuf_file

PARSE_ERRORS = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, KeyError,
                IndexError, TypeError, MemoryError, RecursionError)


@dataclass(frozen=True)
class ScanReport:
    """Outcome of a static scan.

    ``globals`` are all globals the content would import, ``unsafe_globals``
    those not known to be data; ``errors`` say why (part of) the content
    could not be scanned; ``reason`` is one sentence for a report;
    ``external`` lists the external-data paths an ONNX model names.
    """

    format: str
    safe: bool
    unsafe_globals: tuple[str, ...] = ()
    globals: tuple[str, ...] = ()
    reason: str = ""
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def scan_file(f: BinaryIO, name: str = "", limits: Limits = Limits(), depth: int = 0) -> ScanReport:
    """Scan one file from a seekable binary stream positioned at its start."""
    findings = Findings()
    findings.scan_embedded = _member_scanner(findings, limits, depth, name_globals=True)
    errors: list[str] = []
    start = f.tell()
    head = f.read(HEAD_SIZE)
    f.seek(start)
    found = candidates(head, name)
    label = name or "file"
    fmt = found[0] if found else "unknown"
    for i, kind in enumerate(found):
        f.seek(start)
        try:
            got = _dispatch(kind, f, label, findings, limits, depth)
            if i == 0:
                fmt = got
        except ScanError as e:
            errors.append(f"as {kind}: {e}" if len(found) > 1 else str(e))
        except PARSE_ERRORS as e:  # codec/zip/tar errors from the stdlib: cannot parse
            errors.append(f"{'as ' + kind + ': ' if len(found) > 1 else ''}{type(e).__name__}: {e}")
    if len(found) > 1:
        findings.notes.append(f"{label}: also a valid start of {', '.join(found[1:])}: scanned as each")
    if not found:
        f.seek(start)
        try:
            fmt = data_files.sniff(f, label, findings, limits)
        except ScanError as e:
            fmt = "pickle"
            errors.append(str(e))
    return _report(findings.format or fmt, findings, errors)


def scan_files(entries: Iterable[Entry], limits: Limits = Limits(), name: str = "",
               outside: dict[str, str] | None = None) -> ScanReport:
    """Scan a model made of several files (a folder): safe only if every file is.

    ``entries`` are ``(relative_path, opener)`` pairs (see
    :mod:`inspecpy.ml.files`); a single ``"."`` entry is a one-file model
    whose file ``name`` gives the extension.  ``outside`` maps files that
    are symlinks leaving the folder to where they point.  Every file must
    be recognised: model formats are scanned, data formats (JSON, text,
    protobuf, TensorFlow checkpoint shards, ONNX external data) checked;
    a file that is none of these is reported as not checked (not safe).
    """
    entries = list(entries)
    if len(entries) == 1 and entries[0][0] == ".":
        with entries[0][1]() as f:
            r = scan_file(f, name, limits)
        if r.external:
            return _replace(r, f"ONNX external data {', '.join(r.external)} lies beside the file: "
                               "scan the folder as the model")
        return r
    names = {rel for rel, _ in entries}
    reports: dict[str, ScanReport] = {}
    external: dict[str, str] = {}
    problems: list[str] = [f"{rel}: symlink to {dest} outside the model folder"
                           for rel, dest in sorted((outside or {}).items())]
    ordered = sorted(entries, key=lambda e: not e[0].lower().endswith(".onnx"))  # ONNX first
    for rel, opener in ordered:
        with opener() as f:
            r = reports[rel] = scan_file(f, rel, limits)
        for loc in r.external:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), loc))
            if target not in names:
                problems.append(f"{rel}: external data {loc!r} is not a file of the model folder")
            else:
                external[target] = rel
    globs: dict[str, None] = {}
    unsafe: dict[str, None] = {}
    errors: list[str] = []
    notes: list[str] = []
    for rel, _ in entries:
        r = reports[rel]
        globs.update(dict.fromkeys(r.globals))
        unsafe.update(dict.fromkeys(r.unsafe_globals))
        notes.extend(n if n.startswith(rel + ":") else f"{rel}: {n}" for n in r.notes)
        if rel in external and not r.unsafe_globals and not r.problems:
            notes.append(f"{rel}: external data of {external[rel]}")
            continue
        errors.extend(f"{rel}: {e}" for e in r.errors)
        if not r.safe:
            problems.append(r.reason if r.reason.startswith(rel + ":") else f"{rel}: {r.reason}")
    safe = not problems and bool(entries)
    reason = "; ".join(problems) if problems else (
        f"{len(entries)} files scanned, no unsafe content" if entries else "empty folder")
    return ScanReport("directory", safe, tuple(unsafe), tuple(globs), reason, tuple(errors),
                      tuple(notes), problems=tuple(problems))


def scan_path(path, limits: Limits = Limits()) -> ScanReport:
    """Scan a local file or folder (convenience for scripts and tests)."""
    return scan_files(local_entries(path), limits, name=str(path), outside=local_links_outside(path))


def _dispatch(fmt: str, f: BinaryIO, label: str, findings: Findings, limits: Limits, depth: int) -> str:
    if fmt == "zip":
        return zip_scan.scan_zip(f, findings, limits, depth, _member_scanner(findings, limits, depth))
    if fmt == "tar":
        return tar_scan.scan_tar(f, findings, limits, _member_scanner(findings, limits, depth))
    if fmt == "pickle":
        pickle_scan.scan_pickles(BoundedReader(f, limits), findings, mode="both")
        return _pickle_format(findings, label)
    if fmt.startswith("compressed:"):
        return compressed.scan_compressed(fmt.split(":", 1)[1], f, label, findings, limits,
                                          _member_scanner(findings, limits, depth))
    if fmt == "npy":
        npy_scan.scan_npy(BoundedReader(f, limits), findings, label)
    elif fmt == "h5":
        keras_scan.scan_h5(f, findings, label)
    elif fmt == "safetensors":
        data_formats.scan_safetensors(BoundedReader(f, limits), findings, label)
    elif fmt == "onnx":
        data_formats.scan_onnx(BoundedReader(f, limits), findings, label)
    elif fmt == "gguf":
        scan_gguf(BoundedReader(f, limits), findings, label)
    elif fmt == "protobuf":
        scan_protobuf_file(BoundedReader(f, limits), findings, label)
    elif fmt == "tflite":
        data_files.scan_tflite(BoundedReader(f, limits), findings, label)
    elif fmt == "python":
        findings.problems.append("Python source: it runs when the model is loaded with remote code")
    else:  # pragma: no cover - candidates() only returns the formats above
        raise ScanError(f"no scanner for format {fmt!r}")
    return fmt


def _member_scanner(findings: Findings, limits: Limits, depth: int, name_globals: bool = False):
    """``scan(stream, name)`` for an archive member (or an embedded file) scanned as a file of its own;
    *name_globals* shows its globals as ``NAME: module.name`` (embedded files have no path of their own)."""

    def scan(stream: BinaryIO, name: str) -> None:
        if depth >= limits.max_depth:
            raise ScanError(f"{name}: archives nested too deeply (limit reached)")
        if not seekable(stream):
            stream = io.BytesIO(stream.read(limits.max_bytes + 1))
            if len(stream.getbuffer()) > limits.max_bytes:
                raise ScanError(f"{name}: larger than {limits.max_bytes} bytes (limit reached)")
        r = scan_file(stream, name, limits, depth + 1)
        shown = (lambda g: f"{name}: {g}") if name_globals else (lambda g: g)
        findings.globals.update(dict.fromkeys(map(shown, r.globals)))
        findings.unsafe.update(dict.fromkeys(map(shown, r.unsafe_globals)))
        findings.problems.extend(f"{name}: {p}" for p in r.problems)
        findings.notes.extend(f"{name}: {n}" for n in r.notes)
        if r.errors:
            raise ScanError(f"{name}: {'; '.join(r.errors)}")
        if r.external:
            findings.problems.append(f"{name}: ONNX external data inside an archive is not checked")

    return scan


def _pickle_format(findings: Findings, label: str) -> str:
    if findings.torch_legacy:
        return "pytorch-legacy"
    if findings.joblib or label.endswith(".joblib"):
        return "joblib"
    return "pickle"


def _replace(r: ScanReport, problem: str) -> ScanReport:
    problems = (*r.problems, problem)
    return ScanReport(r.format, False, r.unsafe_globals, r.globals, "; ".join(
        [r.reason] if not r.safe else []) + ("; " if not r.safe else "") + problem,
        r.errors, r.notes, r.external, problems)


def _report(fmt: str, findings: Findings, errors: list[str]) -> ScanReport:
    unsafe = tuple(findings.unsafe)
    parts = []
    if unsafe:
        parts.append("unsafe globals: " + ", ".join(unsafe))
    parts.extend(dict.fromkeys(findings.problems))
    if errors:
        parts.append("cannot be fully scanned: " + "; ".join(errors))
    safe = not parts
    if safe:
        what = f"{findings.streams} pickle stream(s), " if findings.streams else ""
        parts.append(f"{fmt}: {what}no unsafe content")
    return ScanReport(fmt, safe, unsafe, tuple(findings.globals), "; ".join(parts), tuple(errors),
                      tuple(findings.notes), tuple(findings.external), tuple(findings.problems))

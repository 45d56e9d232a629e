"""Static scan of zip-based model archives: PyTorch, TorchScript, npz, Keras.

Every member is scanned by what it is, whatever the archive looks like
overall: ``*.pkl`` members (``data.pkl``, ``constants.pkl``, TorchScript
``*.debug_pkl``) as pickles, ``*.npy`` members as numpy arrays, every
``config.json`` as a Keras config, Python/TorchScript code as code.  In an
archive of no known layout every member is scanned as a file of its own
(an unrecognised member is not checked, hence not safe).  Raw tensor
storages of a PyTorch archive are data: torch reads them by name, never
unpickles them.  The work is bounded before anything is decompressed: at
most ``limits.max_members`` entries, and the members to scan may declare
at most ``limits.max_bytes`` in total (a zip bomb is refused by its
declared size; a member that lies about its size fails zipfile's checks).

Example::

    >>> import io, zipfile, pickle
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("archive/data.pkl", pickle.dumps({"w": 1}, protocol=2))
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import Limits
    >>> f = Findings(); scan_zip(buf, f, Limits(), 0, None)
    'pytorch'
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.keras_scan import MAX_CONFIG, scan_config_json
from inspecpy.ml.scan.npy_scan import scan_npy
from inspecpy.ml.scan.pickle_scan import scan_pickles
from inspecpy.ml.reader import BoundedReader, Limits, ScanError, ScanLimitError

_PICKLE_SUFFIXES = (".pkl", ".pickle", ".debug_pkl")
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError)


def _layout(names: list[str]) -> str:
    base = {PurePosixPath(n).name for n in names}
    if "constants.pkl" in base and any("/code/" in f"/{n}" for n in names):
        return "torchscript"
    if "config.json" in base and ({"model.weights.h5", "metadata.json", "model.weights.npz"} & base):
        return "keras"
    if "data.pkl" in base:
        return "pytorch"
    if names and all(n.endswith(".npy") for n in names):
        return "npz"
    return "zip"


def scan_zip(f: BinaryIO, findings: Findings, limits: Limits, depth: int, scan_member) -> str:
    """Scan a zip archive; return its layout: pytorch, torchscript, npz, keras or zip.

    ``scan_member(stream, name)`` scans a member as a file of its own (used
    for archives of no known layout).
    """
    try:
        zf = zipfile.ZipFile(f)
    except _ZIP_ERRORS as e:
        raise ScanError(f"not a readable zip archive: {e}") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_members:
            raise ScanLimitError(f"archive has {len(infos)} members, more than {limits.max_members}"
                                 " (limit reached)")
        names = [i.filename for i in infos]
        layout = findings.format = _layout(names)
        for name in names:
            parts = name.replace("\\", "/").split("/")
            if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                findings.problems.append(f"member path {name!r} escapes the archive")
        todo = [(i, _member_kind(i.filename, layout)) for i in infos]
        todo = [(i, k) for i, k in todo if k]
        declared = sum(i.file_size for i, _ in todo)
        if declared > limits.max_bytes:
            big = max(todo, key=lambda t: t[0].file_size)[0]
            raise ScanLimitError(f"members to scan decompress to {declared} bytes "
                                 f"({big.filename}: {big.file_size}), more than {limits.max_bytes}"
                                 " (limit reached; zip bomb?)")
        for info, kind in todo:
            _scan_member(zf, info, kind, findings, limits, depth, scan_member)
    return layout


def _member_kind(name: str, layout: str) -> str:
    base = PurePosixPath(name).name
    if name.endswith(_PICKLE_SUFFIXES):
        return "pickle"
    if name.endswith(".npy"):
        return "npy"
    if base == "config.json":
        return "keras-config"
    if name.endswith(".py") or (layout == "torchscript" and "/code/" in f"/{name}"):
        return "code"
    if layout == "zip":
        return "file"
    return ""  # tensor storages, version records, weights: read by name as raw data


def _scan_member(zf, info, kind, findings: Findings, limits: Limits, depth: int, scan_member) -> None:
    name = info.filename
    if kind == "code":
        findings.problems.append(f"{name}: code inside the archive (TorchScript/Python) is not analysed")
        return
    try:
        with zf.open(info) as m:
            if kind == "file":
                scan_member(m, name)
                return
            reader = BoundedReader(m, limits, size=info.file_size,
                                   costly_skip=info.compress_type != zipfile.ZIP_STORED)
            if kind == "pickle":
                scan_pickles(reader, findings, depth, mode="pickle")
            elif kind == "npy":
                scan_npy(reader, findings, name, depth)
            else:
                if info.file_size > MAX_CONFIG:
                    raise ScanLimitError(f"{name}: Keras config larger than {MAX_CONFIG >> 20} MiB")
                scan_config_json(reader.read(info.file_size), findings, name)
    except ScanError as e:
        msg = str(e)
        raise type(e)(msg if msg.startswith(name) else f"{name}: {msg}") from None
    except _ZIP_ERRORS as e:
        raise ScanError(f"{name}: cannot read member: {e}") from None

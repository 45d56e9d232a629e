"""Static scan of zip-based model archives: PyTorch, TorchScript, npz, Keras.

Every pickle member (``data.pkl``, ``constants.pkl``, any ``.pkl``; in an
archive of unknown layout, any member that starts like a pickle) is walked
by the pickle scanner and every ``.npy`` member by the npy scanner.  The work is bounded before anything is
decompressed: the archive may hold at most ``limits.max_members`` entries
and the members to scan may declare at most ``limits.max_bytes`` in total
(a zip bomb is refused by its declared size, and a member that lies about
its size is cut at the declared size, where zipfile's CRC check fails).

Example::

    >>> import io, zipfile, pickle
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("archive/data.pkl", pickle.dumps({"w": 1}, protocol=2))
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import Limits
    >>> f = Findings(); scan_zip(buf, f, Limits())
    'pytorch'
"""

from __future__ import annotations

import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

from inspecpy.ml.scan.formats import looks_like_pickle
from inspecpy.ml.scan.keras_scan import scan_config_json
from inspecpy.ml.scan.npy_scan import MAGIC as NPY_MAGIC
from inspecpy.ml.scan.npy_scan import scan_npy
from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.pickle_scan import scan_pickles
from inspecpy.ml.reader import BoundedReader, Limits, ScanError, ScanLimitError

_PICKLE_SUFFIXES = (".pkl", ".pickle")


def _layout(names: list[str]) -> str:
    base = {PurePosixPath(n).name for n in names}
    if any(n.split("/")[-2:-1] == ["code"] or "/code/" in f"/{n}" for n in names) \
            and "constants.pkl" in base:
        return "torchscript"
    if "data.pkl" in base:
        return "pytorch"
    if names and all(n.endswith(".npy") for n in names):
        return "npz"
    if "config.json" in base and ({"model.weights.h5", "metadata.json"} & base):
        return "keras"
    return "zip"


def scan_zip(f: BinaryIO, findings: Findings, limits: Limits, depth: int = 0) -> str:
    """Scan a zip archive; return its layout: pytorch, torchscript, npz, keras or zip."""
    try:
        zf = zipfile.ZipFile(f)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
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
        todo = []
        for info in infos:
            kind = _member_kind(zf, info, layout)
            if kind == "code":
                findings.problems.append(f"{info.filename}: TorchScript code is not analysed")
            elif kind:
                todo.append((info, kind))
        declared = sum(i.file_size for i, _ in todo)
        if declared > limits.max_bytes:
            big = max(todo, key=lambda t: t[0].file_size)[0]
            raise ScanLimitError(f"members to scan decompress to {declared} bytes "
                                 f"({big.filename}: {big.file_size}), more than {limits.max_bytes}"
                                 " (limit reached; zip bomb?)")
        for info, kind in todo:
            _scan_member(zf, info, kind, findings, limits, depth)
    if layout == "zip":
        findings.problems.append("unrecognised archive layout (not PyTorch, TorchScript, npz or Keras)")
    return layout


def _member_kind(zf: zipfile.ZipFile, info: zipfile.ZipInfo, layout: str) -> str:
    name = info.filename
    if name.endswith(_PICKLE_SUFFIXES):
        return "pickle"
    if name.endswith(".npy"):
        return "npy"
    if layout == "keras" and PurePosixPath(name).name == "config.json":
        return "keras-config"
    if layout == "torchscript" and name.endswith(".py"):
        return "code"
    if layout != "zip" or info.file_size < 2:
        return ""  # tensor storages are raw bytes: torch never unpickles them
    try:
        with zf.open(info) as m:
            head = m.read(6)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as e:
        raise ScanError(f"{name}: cannot read member: {e}") from None
    if looks_like_pickle(head):
        return "pickle"
    if head == NPY_MAGIC:
        return "npy"
    return ""


def _scan_member(zf, info, kind, findings: Findings, limits: Limits, depth: int) -> None:
    name = info.filename
    try:
        with zf.open(info) as m:
            reader = BoundedReader(m, limits, size=info.file_size,
                                   costly_skip=info.compress_type != zipfile.ZIP_STORED)
            if kind == "pickle":
                scan_pickles(reader, findings, depth)
            elif kind == "npy":
                scan_npy(reader, findings, name, depth)
            else:
                if info.file_size > 64 << 20:
                    raise ScanLimitError(f"{name}: Keras config larger than 64 MiB")
                scan_config_json(reader.read(info.file_size), findings, name)
    except ScanError as e:
        msg = str(e)
        raise type(e)(msg if msg.startswith(name) else f"{name}: {msg}") from None
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as e:
        raise ScanError(f"{name}: cannot read member: {e}") from None

"""Header checks for formats that hold only data: safetensors and ONNX.

Neither format can carry Python code; the scan checks that the file is
what it claims to be (a file that does not parse is not safe), and for
ONNX that external-data paths stay beside the model.

Example::

    >>> import io, json, struct
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> h = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    >>> buf = io.BytesIO(struct.pack("<Q", len(h)) + h + bytes(8))
    >>> f = Findings(); scan_safetensors(BoundedReader(buf, Limits()), f, "m"); f.notes
    ['m: 1 tensors (safetensors)']
"""

from __future__ import annotations

import json
import struct

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import BoundedReader, ScanError

_ST_DTYPES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1,
              "I16": 2, "U16": 2, "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4,
              "I64": 8, "U64": 8, "F64": 8, "C64": 8}


def scan_safetensors(reader: BoundedReader, findings: Findings, label: str) -> None:
    """Parse and check a safetensors header (offsets, sizes); data is not read."""
    n = struct.unpack("<Q", reader.read(8))[0]
    if n > 100 << 20:
        raise ScanError(f"{label}: safetensors header of {n} bytes is implausibly large")
    try:
        header = json.loads(reader.read(n))
    except ValueError as e:
        raise ScanError(f"{label}: safetensors header is not JSON: {e}") from None
    if not isinstance(header, dict):
        raise ScanError(f"{label}: safetensors header is not a JSON object")
    data_size = None if reader.size is None else reader.size - reader.pos
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
                raise ScanError(f"{label}: safetensors __metadata__ must map strings to strings")
            continue
        try:
            dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise ScanError(f"{label}: tensor {name!r} lacks dtype/shape/data_offsets") from None
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin <= end):
            raise ScanError(f"{label}: tensor {name!r} has invalid data_offsets {[begin, end]}")
        if data_size is not None and end > data_size:
            raise ScanError(f"{label}: tensor {name!r} ends at {end}, past the data ({data_size} bytes)")
        if dtype in _ST_DTYPES:
            count = 1
            for d in shape:
                count *= d
            if count * _ST_DTYPES[dtype] != end - begin:
                raise ScanError(f"{label}: tensor {name!r} {dtype}{shape} needs "
                                f"{count * _ST_DTYPES[dtype]} bytes, offsets give {end - begin}")
        spans.append((begin, end, name))
    spans.sort()
    for (_, e1, n1), (b2, _, n2) in zip(spans, spans[1:]):
        if b2 < e1:
            raise ScanError(f"{label}: tensors {n1!r} and {n2!r} overlap")
    findings.notes.append(f"{label}: {len(spans)} tensors (safetensors)")


# --- ONNX: protobuf wire format, walked without the onnx package ------------

def _varint(reader: BoundedReader) -> int:
    shift = value = 0
    while True:
        b = reader.read(1)[0]
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value
        shift += 7
        if shift > 63:
            raise ScanError(f"malformed varint at offset {reader.pos}")


def _fields(reader: BoundedReader, end: int):
    """Yield (field number, wire type, length) up to ``end``; the caller reads or skips."""
    while reader.pos < end:
        key = _varint(reader)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _varint(reader)
            yield number, wire, 0
        elif wire == 1:
            reader.skip(8)
        elif wire == 5:
            reader.skip(4)
        elif wire == 2:
            length = _varint(reader)
            if reader.pos + length > end:
                raise ScanError(f"protobuf field {number} overruns its message at offset {reader.pos}")
            yield number, wire, length
        else:
            raise ScanError(f"invalid protobuf wire type {wire} at offset {reader.pos}")
    if reader.pos != end:
        raise ScanError(f"protobuf message overruns at offset {reader.pos}")


def _skip_or_enter(reader, wire, length, inner):
    if wire == 2:
        if inner is None:
            reader.skip(length)
        else:
            inner(reader.pos + length)


def scan_onnx(reader: BoundedReader, findings: Findings, label: str) -> None:
    """Walk an ONNX ModelProto; flag external-data paths that leave the model's folder."""
    if reader.size is None:
        raise ScanError(f"{label}: ONNX scan needs a stream of known size")
    seen_graph = False
    external: list[str] = []

    def entry(end):  # StringStringEntryProto
        kv = {}
        for number, wire, length in _fields(reader, end):
            if wire == 2 and number in (1, 2):
                kv[number] = reader.read(length).decode("utf-8", "replace")
            else:
                _skip_or_enter(reader, wire, length, None)
        if kv.get(1) == "location":
            external.append(kv.get(2, ""))

    def tensor(end):  # TensorProto: 13 = external_data
        for number, wire, length in _fields(reader, end):
            _skip_or_enter(reader, wire, length, entry if number == 13 else None)

    def graph(end):  # GraphProto: 5 = initializer, 15 = sparse_initializer (skipped)
        for number, wire, length in _fields(reader, end):
            _skip_or_enter(reader, wire, length, tensor if number == 5 else None)

    try:
        for number, wire, length in _fields(reader, reader.size):
            if number == 7 and wire == 2:
                seen_graph = True
                graph(reader.pos + length)
            else:
                _skip_or_enter(reader, wire, length, None)
    except ScanError as e:
        raise ScanError(f"{label}: not a valid ONNX protobuf: {e}") from None
    if not seen_graph:
        raise ScanError(f"{label}: not an ONNX model (no graph)")
    for loc in external:
        if loc.startswith(("/", "\\")) or ".." in loc.replace("\\", "/").split("/") or ":" in loc:
            findings.problems.append(f"{label}: external data path {loc!r} leaves the model folder")
    findings.notes.append(f"{label}: ONNX model" + (f" with {len(external)} external tensors"
                                                    if external else ""))

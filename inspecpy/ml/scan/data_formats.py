"""Header checks for formats that hold only data: safetensors and ONNX.

Neither format can carry Python code; the scan checks that the file is
what it claims to be (a file that does not parse is not safe), and for
ONNX where every external-data path points.

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
from inspecpy.ml.scan.protobuf import text, walk
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

_MAX_GRAPH_DEPTH = 64


def scan_onnx(reader: BoundedReader, findings: Findings, label: str) -> None:
    """Walk an ONNX ModelProto and collect every external-data location it names.

    Tensors are reached wherever ONNX allows them: graph initializers and
    sparse initializers, node attributes (``Constant``'s ``value``, tensor
    lists), subgraphs of ``If``/``Loop``/``Scan`` at any depth, model-local
    functions and training graphs.  Absolute paths and ``..`` are refused
    here; the folder scan checks that each location is a file of the model
    folder that does not resolve outside it.
    """
    if reader.size is None:
        raise ScanError(f"{label}: ONNX scan needs a stream of known size")
    seen_graph = False
    external: list[str] = []
    depth = [0]

    def entry(end):  # StringStringEntryProto: 1 = key, 2 = value
        kv = {}

        def keep(n):
            return lambda e: kv.__setitem__(n, text(reader, e) or "")

        walk(reader, end, {1: keep(1), 2: keep(2)})
        if kv.get(1) == "location":
            external.append(kv.get(2, ""))

    def tensor(end):  # TensorProto: 13 = external_data
        walk(reader, end, {13: entry})

    def sparse(end):  # SparseTensorProto: 1 = values, 2 = indices
        walk(reader, end, {1: tensor, 2: tensor})

    def attribute(end):  # AttributeProto: t, g, tensors, graphs, sparse_tensor(s)
        walk(reader, end, {5: tensor, 6: graph, 10: tensor, 11: graph, 22: sparse, 23: sparse})

    def node(end):  # NodeProto: 5 = attribute
        walk(reader, end, {5: attribute})

    def graph(end):  # GraphProto: 1 = node, 5 = initializer, 15 = sparse_initializer
        depth[0] += 1
        if depth[0] > _MAX_GRAPH_DEPTH:
            raise ScanError(f"subgraphs nested deeper than {_MAX_GRAPH_DEPTH}")
        walk(reader, end, {1: node, 5: tensor, 15: sparse})
        depth[0] -= 1

    def function(end):  # FunctionProto: 7 = node, 11 = attribute_proto
        walk(reader, end, {7: node, 11: attribute})

    def training(end):  # TrainingInfoProto: 1 = initialization, 2 = algorithm
        walk(reader, end, {1: graph, 2: graph})

    def main_graph(end):
        nonlocal seen_graph
        seen_graph = True
        graph(end)

    try:
        walk(reader, reader.size, {7: main_graph, 20: training, 25: function})
    except ScanError as e:
        raise ScanError(f"{label}: not a valid ONNX protobuf: {e}") from None
    if not seen_graph:
        raise ScanError(f"{label}: not an ONNX model (no graph)")
    for loc in external:
        parts = loc.replace("\\", "/").split("/")
        if not loc or loc.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            findings.problems.append(f"{label}: external data path {loc!r} leaves the model folder")
        else:
            findings.external.append(loc)
    findings.notes.append(f"{label}: ONNX model" + (f" with {len(external)} external tensors"
                                                    if external else ""))

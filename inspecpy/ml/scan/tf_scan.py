"""TensorFlow protobufs: SavedModel graphs, Keras metadata, and other protobuf data.

- ``saved_model.pb``: every op of every graph and function is listed; ops
  that read or write host files or call back into Python (``ReadFile``,
  ``WriteFile``, ``PyFunc``...) are unsafe (as modelscan judges
  SavedModels).  Ordinary ops are math on tensors.
- ``keras_metadata.pb``: the JSON layer configs it embeds are checked like
  any Keras config (``Lambda`` and other code-bearing layers).
- any other ``.pb``/``.model`` (sentencepiece tokenizers, fingerprints):
  checked to be a well-formed protobuf message, i.e. data.

Example::

    >>> import io
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> f = Findings(); scan_protobuf_file(BoundedReader(io.BytesIO(b"\\x08\\x01"), Limits()), f, "x.pb")
    >>> f.notes
    ['x.pb: protobuf message (data)']
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.scan.protobuf import fields, text, walk
from inspecpy.ml.reader import BoundedReader, ScanError
from inspecpy.ml.scan.keras_scan import MAX_CONFIG, scan_config

UNSAFE_OPS = frozenset({"ReadFile", "WriteFile", "PyFunc", "PyFuncStateless", "EagerPyFunc",
                        "MatchingFiles", "ImmutableConst", "PrintV2", "DebugIdentityV2"})


def scan_protobuf_file(reader: BoundedReader, findings: Findings, label: str) -> None:
    if reader.size is None:
        raise ScanError(f"{label}: protobuf scan needs a stream of known size")
    base = PurePosixPath(label).name
    try:
        if base == "saved_model.pb":
            _saved_model(reader, reader.size, findings, label)
        elif base == "keras_metadata.pb":
            _keras_metadata(reader, reader.size, findings, label)
        else:
            _well_formed(reader, reader.size)
            findings.notes.append(f"{label}: protobuf message (data)")
    except ScanError as e:
        raise ScanError(f"{label}: not a valid protobuf message: {e}") from None


def _well_formed(reader: BoundedReader, end: int) -> None:
    for _number, wire, length in fields(reader, end):
        if wire == 2:
            reader.skip(length)


def _saved_model(reader: BoundedReader, size: int, findings: Findings, label: str) -> None:
    ops: dict[str, None] = {}

    def node(end):  # NodeDef: 2 = op
        walk(reader, end, {2: lambda e: ops.setdefault(text(reader, e) or "", None)})

    def function(end):  # FunctionDef: 3 = node_def
        walk(reader, end, {3: node})

    def library(end):  # FunctionDefLibrary: 1 = function
        walk(reader, end, {1: function})

    def graph(end):  # GraphDef: 1 = node, 2 = library
        walk(reader, end, {1: node, 2: library})

    def meta_graph(end):  # MetaGraphDef: 2 = graph_def
        walk(reader, end, {2: graph})

    walk(reader, size, {2: meta_graph})  # SavedModel: 2 = meta_graphs
    bad = sorted(o for o in ops if o in UNSAFE_OPS)
    for op in bad:
        findings.flag(f"tensorflow op {op}")
    findings.notes.append(f"{label}: TensorFlow SavedModel graph with {len(ops)} distinct ops")


def _keras_metadata(reader: BoundedReader, size: int, findings: Findings, label: str) -> None:
    configs = []

    def saved_object(end):  # SavedObject: node_path, identifier, metadata (JSON) are strings
        def string(e):
            s = text(reader, e, MAX_CONFIG)
            if s is None:
                raise ScanError(f"Keras metadata larger than {MAX_CONFIG >> 20} MiB")
            if s.lstrip().startswith("{"):
                configs.append(s)

        walk(reader, end, {}, default=string)

    walk(reader, size, {1: saved_object})  # SavedMetadata: 1 = nodes
    for s in configs:
        try:
            doc = json.loads(s)
        except ValueError as e:
            raise ScanError(f"Keras metadata entry is not JSON: {e}") from None
        scan_config(doc, findings, label)
    findings.notes.append(f"{label}: Keras metadata of {len(configs)} objects")

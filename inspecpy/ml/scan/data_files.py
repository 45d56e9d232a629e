"""Files with no model magic: is it a pickle after all, or a known kind of data?

Protocol 0 and 1 pickles have no magic (gensim's ``.model`` files, old
checkpoints under any extension), so a file that matches no magic is first
walked as ``pickle.load`` would walk it (see
:func:`~inspecpy.ml.scan.pickle_scan.trial_pickle`).  Then the data files a
model folder holds are recognised: UTF-8 text (JSON configs and
tokenizers — a Keras config is checked for code — vocabularies, model
cards), TensorFlow checkpoint shards and index tables, TFLite flatbuffers,
and protobuf messages (sentencepiece ``tokenizer.model``).  Anything else
is ``unknown``: not checked, hence not safe.

Example::

    >>> import io
    >>> from inspecpy.ml.scan.findings import Findings
    >>> from inspecpy.ml.reader import Limits
    >>> f = Findings(); sniff(io.BytesIO(b'{"vocab_size": 3}'), "config.json", f, Limits())
    'json'
    >>> f = Findings(); sniff(io.BytesIO(b"cos\\nsystem\\n(S'id'\\ntR."), "w.model", f, Limits())
    'pickle'
    >>> list(f.unsafe)
    ['os.system']
"""

from __future__ import annotations

import json
import re
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import BoundedReader, Limits, ScanError
from inspecpy.ml.scan.keras_scan import MAX_CONFIG, looks_like_keras, scan_config
from inspecpy.ml.scan.pickle_scan import scan_pickles, trial_pickle
from inspecpy.ml.scan.tf_scan import scan_protobuf_file

_TEXT_PROBE = 1 << 16
_TF_SHARD = re.compile(r"\.data-\d{5}-of-\d{5}$")
_LEVELDB_MAGIC = bytes.fromhex("57fb808b247547db")  # TensorFlow checkpoint index (table footer)
_PROTOBUF_NAMES = (".model", ".pb", ".proto.bin", ".pbtxt")
PICKLE_NAMES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".ckpt", ".sav", ".npy")


def sniff(f: BinaryIO, label: str, findings: Findings, limits: Limits) -> str:
    """Classify a file that matched no magic; records findings, returns its format."""
    start = f.tell()
    if label.lower().endswith(PICKLE_NAMES):  # read by pickle.load (or torch.load/joblib.load)
        scan_pickles(BoundedReader(f, limits), findings, mode="both")
        return "pickle"
    if trial_pickle(BoundedReader(f, limits), findings):
        return "pickle"
    f.seek(start)
    reader = BoundedReader(f, limits)
    size = reader.size or 0
    if _TF_SHARD.search(label):
        findings.notes.append("TensorFlow checkpoint shard (raw tensors)")
        return "tf-checkpoint"
    if label.endswith(".index") and size >= 48:
        f.seek(start + size - 8)
        if f.read(8) == _LEVELDB_MAGIC:
            findings.notes.append("TensorFlow checkpoint index")
            return "tf-checkpoint"
        f.seek(start)
    probe = f.read(_TEXT_PROBE)
    if _is_text(probe, size <= _TEXT_PROBE):
        f.seek(start)
        return _text(f, label, size, findings)
    if len(probe) >= 8 and probe[4:8] == b"TFL3":
        f.seek(start)
        scan_tflite(BoundedReader(f, limits), findings, label)
        return "tflite"
    if label.lower().endswith(_PROTOBUF_NAMES):
        f.seek(start)
        scan_protobuf_file(BoundedReader(f, limits), findings, label)
        return "protobuf"
    findings.problems.append("unrecognised format: not checked, cannot tell whether loading it is safe")
    return "unknown"


def _is_text(probe: bytes, whole: bool) -> bool:
    if b"\x00" in probe:
        return False
    try:
        probe.decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        return not whole and e.start >= len(probe) - 3  # a character cut at the probe's end


def _text(f: BinaryIO, label: str, size: int, findings: Findings) -> str:
    if not label.lower().endswith(".json"):
        findings.notes.append("text data")
        return "text"
    if size > MAX_CONFIG:
        raise ScanError(f"{label}: JSON file larger than {MAX_CONFIG} bytes (limit reached)")
    try:
        doc = json.loads(f.read(size))
    except ValueError as e:
        raise ScanError(f"{label}: not valid JSON: {e}") from None
    if looks_like_keras(doc):
        scan_config(doc, findings, label)
        findings.notes.append("Keras config")
    else:
        findings.notes.append("JSON data")
    return "json"


def scan_tflite(reader: BoundedReader, findings: Findings, label: str) -> None:
    """A TFLite flatbuffer: data plus built-in ops; custom ops need code the loader must register."""
    head = reader.read(8)
    if head[4:8] != b"TFL3":
        raise ScanError(f"{label}: not a TFLite flatbuffer (no TFL3 identifier)")
    findings.notes.append("TFLite model (flatbuffer data)")

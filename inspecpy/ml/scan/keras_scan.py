"""Static scan of Keras model configurations (``.keras`` zip, ``.h5``, SavedModel metadata).

A Keras model config is JSON; loading it runs code when it holds

- a ``Lambda`` layer (marshalled Python bytecode) or a ``__lambda__``;
- an object or function whose ``module`` lies outside Keras (loading
  imports it), or a Keras *function* outside activations/losses/metrics
  (``keras.config.enable_unsafe_deserialization``,
  ``keras.models.load_model`` — CVE-2025-1550, CVE-2025-9906);
- a layer that loads external content: ``TorchModuleWrapper`` (a base64
  ``torch.save`` archive Keras hands to ``torch.load``: decoded and
  scanned), ``TFSMLayer`` (a SavedModel from a path: not checked), a
  ``StringLookup``/``IntegerLookup``/``TextVectorization`` vocabulary given
  as a file path (read from the loading host).

HDF5 files are read with h5py (an optional extra); without it the file is
reported as not checked, hence not safe.

Example::

    >>> f = Findings()
    >>> scan_config({"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "Lambda", "config": {"function": "..."}}]}}, f, "m")
    >>> list(f.unsafe)
    ['keras.layers.Lambda']
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import ScanError

_KERAS_MODULES = ("keras", "tf_keras", "keras_hub", "keras_nlp", "keras_cv", "tensorflow.keras")
_FUNCTION_MODULES = ("activations", "losses", "metrics", "initializers", "regularizers", "constraints")
_VOCAB_LAYERS = {"StringLookup", "IntegerLookup", "TextVectorization"}
MAX_CONFIG = 64 << 20  # bytes of JSON text read whole: a Keras config or metadata, a .json model file


def _keras_module(module: str) -> bool:
    return module in _KERAS_MODULES or module.startswith(tuple(m + "." for m in _KERAS_MODULES))


def _function_module_ok(module: str) -> bool:
    parts = module.split(".")
    return _keras_module(module) and any(p in _FUNCTION_MODULES for p in parts[1:])


def looks_like_keras(doc) -> bool:
    """A JSON document shaped like a Keras model/layer config."""
    return isinstance(doc, dict) and "class_name" in doc and ("config" in doc or "module" in doc)


def scan_config(config, findings: Findings, label: str) -> None:
    """Record what loading a Keras config would run or read."""
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        cls, module, conf = node.get("class_name"), node.get("module"), node.get("config")
        if cls == "Lambda":
            findings.flag("keras.layers.Lambda")
        elif cls == "__lambda__" or node.get("function_type") == "lambda":
            findings.flag("keras lambda function")
        elif cls == "function" and isinstance(module, str):
            name = conf if isinstance(conf, str) else "?"
            if not _function_module_ok(module):
                findings.flag(f"keras function {module}.{name}")
        elif isinstance(module, str) and isinstance(cls, str) and module and not _keras_module(module):
            findings.flag(f"{module}.{cls}")
        if isinstance(cls, str) and isinstance(conf, dict):
            _layer(cls, conf, findings, label)
        stack.extend(reversed(list(node.values())))


def _layer(cls: str, conf: dict, findings: Findings, label: str) -> None:
    if cls == "TorchModuleWrapper":
        _torch_module(conf.get("module"), findings, label)
    elif cls == "TFSMLayer":
        findings.problems.append(f"{label}: TFSMLayer loads a SavedModel from "
                                 f"{conf.get('filepath')!r} when the model loads: not checked")
    elif cls in _VOCAB_LAYERS and isinstance(conf.get("vocabulary"), str):
        findings.problems.append(f"{label}: {cls} reads its vocabulary from the file "
                                 f"{conf['vocabulary']!r} on the loading host")


def _torch_module(blob, findings: Findings, label: str) -> None:
    if not isinstance(blob, str):
        findings.problems.append(f"{label}: TorchModuleWrapper without an inline module: not checked")
        return
    try:
        data = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise ScanError(f"{label}: TorchModuleWrapper module is not base64") from None
    if findings.scan_embedded is None:
        findings.problems.append(f"{label}: TorchModuleWrapper module: not checked")
        return
    findings.scan_embedded(io.BytesIO(data), "TorchModuleWrapper")


def scan_config_json(data: bytes, findings: Findings, label: str) -> None:
    """Scan the JSON text of a Keras model config."""
    try:
        config = json.loads(data)
    except ValueError as e:
        raise ScanError(f"{label}: Keras config is not JSON: {e}") from None
    scan_config(config, findings, label)


def scan_h5(f: BinaryIO, findings: Findings, label: str) -> None:
    """Scan an HDF5 file: a Keras ``model_config`` attribute, if any."""
    try:
        import h5py
    except ImportError:
        findings.problems.append(f"{label}: Keras Lambda layers not checked: h5py is not installed "
                                 "(install the 'h5' extra)")
        return
    try:
        with h5py.File(f, "r") as h5:
            config = h5.attrs.get("model_config")
    except (OSError, ValueError) as e:
        raise ScanError(f"{label}: not a readable HDF5 file: {e}") from None
    if config is None:
        findings.notes.append(f"{label}: HDF5 without a Keras model config (weights or data)")
        return
    data = config if isinstance(config, bytes) else str(config).encode("utf-8")
    if len(data) > MAX_CONFIG:
        raise ScanError(f"{label}: Keras config larger than {MAX_CONFIG} bytes")
    findings.notes.append(f"{label}: Keras model config")
    scan_config_json(data, findings, label)

"""Static scan of Keras model configurations (``.keras`` zip, ``.h5``).

A Keras model config is JSON; what can run code when it loads is a
``Lambda`` layer (marshalled Python bytecode), a serialized ``__lambda__``
function, or an object whose ``module`` lies outside Keras (loading
imports it).  HDF5 files are read with h5py (an optional extra); without
it the file is reported as not checked, hence not safe.

Example::

    >>> unsafe_in_config({"class_name": "Sequential", "config": {"layers": [
    ...     {"class_name": "Lambda", "config": {"function": "..."}}]}})
    ['keras.layers.Lambda']
"""

from __future__ import annotations

import json
from typing import BinaryIO

from inspecpy.ml.scan.findings import Findings
from inspecpy.ml.reader import Limits, ScanError

_KERAS_MODULES = ("keras", "tf_keras", "keras_hub", "keras_nlp", "keras_cv", "tensorflow.keras")
_MAX_CONFIG = 64 << 20


def unsafe_in_config(config) -> list[str]:
    """Names of config objects that would run or import code when loaded."""
    found: list[str] = []
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        cls = node.get("class_name")
        module = node.get("module")
        if cls == "Lambda":
            found.append("keras.layers.Lambda")
        elif cls == "__lambda__" or node.get("function_type") == "lambda":
            found.append("keras lambda function")
        elif isinstance(module, str) and isinstance(cls, str) and module and not (
                module in _KERAS_MODULES or module.startswith(tuple(m + "." for m in _KERAS_MODULES))):
            found.append(f"{module}.{cls}")
        stack.extend(reversed(list(node.values())))
    return list(dict.fromkeys(found))


def scan_config_json(data: bytes, findings: Findings, label: str) -> None:
    """Scan the JSON text of a Keras model config."""
    try:
        config = json.loads(data)
    except ValueError as e:
        raise ScanError(f"{label}: Keras config is not JSON: {e}") from None
    for name in unsafe_in_config(config):
        findings.globals[name] = None
        findings.unsafe[name] = None


def scan_h5(f: BinaryIO, findings: Findings, label: str, limits: Limits) -> None:
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
    if isinstance(config, bytes):
        data = config
    else:
        data = str(config).encode("utf-8")
    if len(data) > _MAX_CONFIG:
        raise ScanError(f"{label}: Keras config larger than {_MAX_CONFIG} bytes")
    findings.notes.append(f"{label}: Keras model config")
    scan_config_json(data, findings, label)

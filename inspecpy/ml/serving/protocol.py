"""The REST protocols model servers speak: paths, request bodies and answers, as pure functions.

- **Open Inference Protocol v2** (KServe, MLServer, Triton): ``/v2/health/live``,
  ``/v2/health/ready``, ``/v2/models/{m}`` (metadata), ``/v2/models/{m}/ready``,
  ``POST /v2/models/{m}/infer`` with ``{"inputs": [{"name", "shape", "datatype", "data"}]}``.
- **KServe / TF-Serving v1**: ``/v1/models/{m}`` (status), ``POST /v1/models/{m}:predict``
  with ``{"instances": [...]}``, answered ``{"predictions": [...]}``.

Example::

    >>> import numpy as np
    >>> V2.encode(np.array([[0.5, 1.0]]), "input-0", "FP64")
    b'{"inputs": [{"name": "input-0", "shape": [1, 2], "datatype": "FP64", "data": [0.5, 1.0]}]}'
    >>> V2.decode({"outputs": [{"name": "predict", "shape": [2, 1], "datatype": "INT64", "data": [3, 4]}]})
    {'predict': array([[3],
           [4]])}
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

_FLOAT = {"FP16": "float16", "FP32": "float32", "FP64": "float64"}
_INT = {"INT8": "int8", "INT16": "int16", "INT32": "int32", "INT64": "int64", "UINT8": "uint8",
        "UINT16": "uint16", "UINT32": "uint32", "UINT64": "uint64", "BOOL": "bool"}


class ProtocolError(ValueError):
    """An answer that does not follow the protocol (what is missing or wrong)."""


def _q(name: str) -> str:
    return quote(str(name), safe="")


class V2:
    """The Open Inference Protocol (v2)."""

    name = "v2"
    live = "/v2/health/live"
    ready = "/v2/health/ready"
    index = "/v2/repository/index"  # POST; the model-repository extension (MLServer, Triton)

    @staticmethod
    def model(model: str) -> str:
        return f"/v2/models/{_q(model)}"

    @classmethod
    def model_ready(cls, model: str) -> str:
        return cls.model(model) + "/ready"

    @classmethod
    def infer(cls, model: str) -> str:
        return cls.model(model) + "/infer"

    @staticmethod
    def encode(X, input_name: str = "input-0", datatype: str = "FP64", outputs: tuple[str, ...] = ()) -> bytes:
        """An inference request for the rows of ``X`` (one tensor ``[N, features]``)."""
        import numpy as np

        X = np.asarray(X)
        data = X.astype(_FLOAT.get(datatype, "float64")).ravel().tolist() if datatype in _FLOAT \
            else X.ravel().tolist()
        body: dict[str, Any] = {"inputs": [{"name": input_name, "shape": list(X.shape), "datatype": datatype,
                                            "data": data}]}
        if outputs:
            body["outputs"] = [{"name": name} for name in outputs]
        return json.dumps(body).encode()

    @staticmethod
    def decode(answer: Any) -> dict[str, Any]:
        """The output tensors of an inference answer, by name, shaped as declared."""
        import numpy as np

        outputs = answer.get("outputs") if isinstance(answer, dict) else None
        if not isinstance(outputs, list) or not outputs:
            raise ProtocolError(f"the answer has no 'outputs' list (keys: {_keys(answer)})")
        tensors: dict[str, Any] = {}
        for out in outputs:
            if not isinstance(out, dict) or "data" not in out:
                raise ProtocolError(f"an output has no 'data' ({str(out)[:60]})")
            datatype = str(out.get("datatype"))
            dtype = _FLOAT.get(datatype) or _INT.get(datatype)
            try:
                array = np.asarray(out["data"], dtype=dtype) if dtype else np.asarray(out["data"])
                shape = out.get("shape")
                tensors[str(out.get("name", len(tensors)))] = array.reshape(shape) if shape else array
            except (TypeError, ValueError) as error:
                raise ProtocolError(f"output {out.get('name')!r} ({out.get('datatype')}, shape "
                                    f"{out.get('shape')}) cannot be read: {error}") from None
        return tensors

    @staticmethod
    def metadata(answer: Any) -> dict[str, Any]:
        """Name, versions, platform, inputs and outputs (each ``{name, datatype, shape}``)."""
        if not isinstance(answer, dict):
            raise ProtocolError(f"model metadata is not a JSON object: {str(answer)[:60]}")
        return {"name": answer.get("name"), "versions": tuple(answer.get("versions") or ()),
                "platform": answer.get("platform") or "",
                "inputs": tuple(_spec(t) for t in answer.get("inputs") or ()),
                "outputs": tuple(_spec(t) for t in answer.get("outputs") or ())}

    @staticmethod
    def model_names(answer: Any) -> list[str]:
        """Model names in a repository index answer (``[{"name": ..., "state": ...}]``)."""
        items = answer if isinstance(answer, list) else (answer or {}).get("models", [])
        return [str(m["name"]) for m in items if isinstance(m, dict) and "name" in m]


class V1:
    """KServe's v1 / TF-Serving's REST protocol."""

    name = "v1"
    live = "/"  # KServe answers {"status": "alive"}; TF-Serving has no such path
    ready = None
    index = "/v1/models"  # GET; KServe lists {"models": [...]}

    @staticmethod
    def model(model: str) -> str:
        return f"/v1/models/{_q(model)}"

    @classmethod
    def model_ready(cls, model: str) -> str:
        return cls.model(model)

    @classmethod
    def infer(cls, model: str) -> str:
        return cls.model(model) + ":predict"

    @staticmethod
    def encode(X, input_name: str = "", datatype: str = "FP64", outputs: tuple[str, ...] = ()) -> bytes:
        import numpy as np

        return json.dumps({"instances": np.asarray(X).tolist()}).encode()

    @staticmethod
    def decode(answer: Any) -> dict[str, Any]:
        import numpy as np

        if not isinstance(answer, dict) or "predictions" not in answer:
            raise ProtocolError(f"the answer has no 'predictions' (keys: {_keys(answer)})")
        try:
            return {"predictions": np.asarray(answer["predictions"])}
        except ValueError as error:
            raise ProtocolError(f"'predictions' cannot be read as an array: {error}") from None

    @staticmethod
    def is_ready(answer: Any) -> bool:
        """KServe's ``{"ready": true}`` or TF-Serving's ``model_version_status`` AVAILABLE."""
        if not isinstance(answer, dict):
            return False
        if "ready" in answer:
            return answer["ready"] is True
        states = [s.get("state") for s in answer.get("model_version_status") or () if isinstance(s, dict)]
        return "AVAILABLE" in states

    @staticmethod
    def metadata(answer: Any) -> dict[str, Any]:
        """KServe's status answer, or TF-Serving's ``/metadata`` signature (inputs and outputs)."""
        if not isinstance(answer, dict):
            raise ProtocolError(f"model metadata is not a JSON object: {str(answer)[:60]}")
        spec = answer.get("metadata", {}).get("signature_def", {}).get("signature_def", {}) \
            .get("serving_default", {})
        versions = answer.get("model_spec", {}).get("version")
        return {"name": answer.get("name") or answer.get("model_spec", {}).get("name"),
                "versions": (str(versions),) if versions else (),
                "platform": "tensorflow" if spec else "",
                "inputs": tuple(_tf_spec(k, v) for k, v in (spec.get("inputs") or {}).items()),
                "outputs": tuple(_tf_spec(k, v) for k, v in (spec.get("outputs") or {}).items())}

    @staticmethod
    def model_names(answer: Any) -> list[str]:
        models = (answer or {}).get("models", []) if isinstance(answer, dict) else []
        return [str(m if isinstance(m, str) else m.get("name")) for m in models]


PROTOCOLS = {"v2": V2, "v1": V1}


def _keys(answer: Any) -> str:
    return ", ".join(map(str, answer)) if isinstance(answer, dict) else type(answer).__name__


def _spec(tensor: Any) -> dict[str, Any]:
    tensor = tensor if isinstance(tensor, dict) else {}
    return {"name": tensor.get("name"), "datatype": tensor.get("datatype"), "shape": list(tensor.get("shape") or [])}


def _tf_spec(name: str, tensor: Any) -> dict[str, Any]:
    dims = (tensor or {}).get("tensor_shape", {}).get("dim") or []
    return {"name": name, "datatype": (tensor or {}).get("dtype"),
            "shape": [int(d.get("size", -1)) for d in dims if isinstance(d, dict)]}


def features_of(inputs: tuple[dict, ...]) -> int | None:
    """The feature count a declared ``[batch, features]`` input gives (None when unknown)."""
    if len(inputs) != 1:
        return None
    shape = inputs[0].get("shape") or []
    return int(shape[-1]) if len(shape) >= 2 and int(shape[-1]) > 0 else None


def labels_of(array, classes=None):
    """Labels from an output: itself when ``[N]``/``[N, 1]``, else the argmax of class scores."""
    import numpy as np

    array = np.asarray(array)
    if array.ndim == 2 and array.shape[1] > 1:
        index = np.argmax(array, axis=1)
        return np.asarray(classes)[index] if classes is not None else index
    if array.ndim > 2:
        raise ProtocolError(f"an output of shape {list(array.shape)} is neither labels nor class scores")
    return array.reshape(-1)


def scores_of(array):
    """Class scores ``[N, classes]`` from an output, or None when it holds labels."""
    import numpy as np

    array = np.asarray(array)
    if array.ndim == 2 and array.shape[1] > 1 and array.dtype.kind == "f":
        return array.astype(np.float64)
    return None

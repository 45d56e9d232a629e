"""Predict-only wrapper around an ONNX classifier (onnxruntime, optional extra).

ONNX graphs give no loss gradients here, so they are attacked with the
black-box attacks, inside the valid input range the model declares in its
metadata properties ``clip_min``/``clip_max`` (numbers or JSON lists, set
with ``onnx.helper.set_model_props``) unless the caller gives one.  The
wrapper finds the label output (an int64 or string
tensor of shape ``(n,)``) and the probability output (a float tensor
``(n, k)`` or skl2onnx's ZipMap list of dicts); a graph with a single float
output is read as scores whose argmax is the class.

Example::

    >>> model = OnnxModel(open("model.onnx", "rb").read())   # doctest: +SKIP
    >>> model.predict(X[:3])                                 # doctest: +SKIP
    array([0, 1, 2])
"""

from __future__ import annotations

import numpy as np

from inspecpy.ml.attacks.input_range import as_bound

_DTYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64,
           "tensor(float16)": np.float16, "tensor(int64)": np.int64, "tensor(int32)": np.int32}


class OnnxError(RuntimeError):
    """The ONNX model cannot be loaded or run."""


class OnnxModel:
    """An ONNX classifier: ``predict``, ``predict_proba`` (when the graph has one)."""

    def __init__(self, model: bytes, clip_min=None, clip_max=None, source: str = "model.onnx"):
        try:
            import onnxruntime as ort
        except ImportError:
            raise OnnxError("ONNX models need onnxruntime: install the 'onnx' extra "
                            "(pip install 'inspecpy[onnx]')") from None
        try:
            self.session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types
            raise OnnxError(f"{source}: onnxruntime cannot load the model: {e}") from None
        self.source = source
        declared = self.session.get_modelmeta().custom_metadata_map
        try:
            self.clip_min = as_bound(clip_min if clip_min is not None else declared.get("clip_min"))
            self.clip_max = as_bound(clip_max if clip_max is not None else declared.get("clip_max"))
        except ValueError as e:
            raise OnnxError(f"{source}: metadata clip_min/clip_max is not a number or a list of numbers: {e}") \
                from None
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        self.input_dtype = _DTYPES.get(inp.type, np.float32)
        shape = inp.shape
        self.n_features = shape[1] if len(shape) == 2 and isinstance(shape[1], int) else None
        self.classes = _class_labels(model)
        outs = self.session.get_outputs()
        self._label = next((i for i, o in enumerate(outs)
                            if o.type in ("tensor(int64)", "tensor(string)", "tensor(int32)")), None)
        self._proba = next((i for i, o in enumerate(outs)
                            if o.type.startswith("seq(map(") or (o.type in _DTYPES and i != self._label)), None)
        if self._label is None and self._proba is None:
            raise OnnxError(f"{source}: no label or score output found")

    def _run(self, X) -> list:
        X = np.asarray(X, dtype=self.input_dtype)
        if X.ndim != 2 or (self.n_features is not None and X.shape[1] != self.n_features):
            raise OnnxError(f"{self.source}: input has shape {X.shape}, the model expects "
                            f"(n, {self.n_features}) features")
        try:
            return self.session.run(None, {self.input_name: X})
        except Exception as e:
            raise OnnxError(f"{self.source}: inference failed: {e}") from None

    def predict_proba(self, X) -> np.ndarray | None:
        """Class scores ``(n, k)``, or None when the graph has only labels."""
        if self._proba is None:
            return None
        return self._scores(self._run(X)[self._proba])

    def _scores(self, raw) -> np.ndarray:
        if isinstance(raw, list):  # ZipMap: one {class: p} dict per row
            keys = list(raw[0]) if raw else []
            if self.classes is None:
                self.classes = np.array(keys)
            return np.array([[row[k] for k in keys] for row in raw], dtype=np.float64)
        return np.asarray(raw, dtype=np.float64).reshape(len(raw), -1)

    def predict(self, X) -> np.ndarray:
        """Predicted class labels."""
        out = self._run(X)
        if self._label is not None:
            return np.asarray(out[self._label]).reshape(-1)
        assert self._proba is not None  # __init__ refuses a graph with neither output
        idx = np.argmax(self._scores(out[self._proba]), axis=1)
        return self.classes[idx] if self.classes is not None else idx


def _class_labels(model: bytes):
    """Class labels from the graph's classifier node, if the onnx package is installed."""
    try:
        import onnx
    except ImportError:
        return None
    try:
        graph = onnx.load_from_string(model).graph
    except Exception:
        return None
    for node in graph.node:
        for attr in node.attribute:
            if attr.name in ("classlabels_ints", "classlabels_int64s") and attr.ints:
                return np.array(list(attr.ints))
            if attr.name == "classlabels_strings" and attr.strings:
                return np.array([s.decode("utf-8") for s in attr.strings])
    return None

"""The ``.npz`` network format: dense layers with exact input gradients.

A network file is an ``.npz`` (read with ``allow_pickle=False``) holding
``W0, b0, W1, b1, ...`` (``Wi`` of shape ``(inputs, outputs)``), an
optional 0-d string ``activation`` for the hidden layers (``relu``
default, ``tanh``, ``sigmoid``, ``identity``), optional ``classes`` and
optional ``clip_min``/``clip_max`` (the valid input range).  The output is
a softmax, or a sigmoid when the last layer has a single unit.  This covers
logistic/softmax regression and MLPs; :meth:`Network.loss_gradient` gives
the exact gradient of the cross-entropy loss with respect to the input,
so FGSM/PGD are white-box.

Example::

    >>> import numpy as np
    >>> net = Network((np.eye(2),), (np.zeros(2),), classes=np.array(["a", "b"]))
    >>> net.predict(np.array([[0.0, 1.0]])).tolist()
    ['b']
    >>> loss, grad = net.loss_gradient(np.array([[0.0, 1.0]]), np.array([1]))
    >>> grad.round(3).tolist()
    [[0.269, -0.269]]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from inspecpy.ml.attacks.input_range import as_bound

ACTIVATIONS = ("relu", "tanh", "sigmoid", "identity")
_KEY = re.compile(r"([Wb])(\d+)$")


class NetworkError(ValueError):
    """The network file or its arrays are not a valid network."""


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


_ACT = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda h: (h > 0).astype(h.dtype)),
    "tanh": (np.tanh, lambda h: 1.0 - h * h),
    "sigmoid": (_sigmoid, lambda h: h * (1.0 - h)),
    "identity": (lambda z: z, lambda h: np.ones_like(h)),
}


@dataclass(frozen=True, eq=False)
class Network:
    """A feed-forward classifier: ``weights[i]`` is ``(inputs, outputs)``."""

    weights: tuple
    biases: tuple
    activation: str = "relu"
    classes: np.ndarray | None = None
    clip_min: float | np.ndarray | None = None
    clip_max: float | np.ndarray | None = None
    source: str = "network"

    def __post_init__(self):
        src = self.source
        if not self.weights or len(self.weights) != len(self.biases):
            raise NetworkError(f"{src}: needs W0, b0, W1, b1, ... in pairs")
        if self.activation not in ACTIVATIONS:
            raise NetworkError(f"{src}: activation {self.activation!r} is not one of {', '.join(ACTIVATIONS)}")
        prev = None
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            if W.ndim != 2:
                raise NetworkError(f"{src}: W{i} must be 2-d (inputs, outputs), got shape {W.shape}")
            if b.shape != (W.shape[1],):
                raise NetworkError(f"{src}: b{i} has shape {b.shape}, expected ({W.shape[1]},) to match W{i} {W.shape}")
            if prev is not None and W.shape[0] != prev:
                raise NetworkError(f"{src}: shapes do not chain: W{i} takes {W.shape[0]} inputs but "
                                   f"layer {i - 1} has {prev} outputs (W{i - 1} {self.weights[i - 1].shape})")
            if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
                raise NetworkError(f"{src}: W{i}/b{i} contain NaN or inf")
            prev = W.shape[1]
        if self.classes is not None and len(self.classes) != self.n_classes:
            raise NetworkError(f"{src}: {len(self.classes)} classes for {self.n_classes} outputs")
        for name in ("clip_min", "clip_max"):
            v = getattr(self, name)
            if v is not None and (np.ndim(v) > 1 or (np.ndim(v) == 1 and len(v) != self.n_features)):
                raise NetworkError(f"{src}: {name} must be a scalar or have {self.n_features} values")

    # -- files ------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], source: str = "network") -> "Network":
        """Build from the arrays of a network file (names as in the format)."""
        layers: dict[str, dict[int, np.ndarray]] = {"W": {}, "b": {}}
        extra = {}
        for key, value in arrays.items():
            m = _KEY.match(key)
            if m:
                layers[m.group(1)][int(m.group(2))] = np.asarray(value, dtype=np.float64)
            elif key in ("activation", "classes", "clip_min", "clip_max"):
                extra[key] = np.asarray(value)
            else:
                raise NetworkError(f"{source}: unexpected array {key!r} (expected W0, b0, ..., "
                                   "activation, classes, clip_min, clip_max)")
        n = len(layers["W"])
        for kind in "Wb":
            for i in range(n):
                if i not in layers[kind]:
                    raise NetworkError(f"{source}: missing array {kind}{i}")
        if n == 0 or len(layers["b"]) != n:
            raise NetworkError(f"{source}: needs W0, b0, W1, b1, ... in pairs (found "
                               f"{sorted(k + str(i) for k in 'Wb' for i in layers[k])})")
        act = extra.get("activation")
        return cls(tuple(layers["W"][i] for i in range(n)), tuple(layers["b"][i] for i in range(n)),
                   activation=str(act.item() if act is not None else "relu"),
                   classes=extra.get("classes"),
                   clip_min=as_bound(extra.get("clip_min")), clip_max=as_bound(extra.get("clip_max")),
                   source=source)

    @classmethod
    def load(cls, file, source: str | None = None) -> "Network":
        """Read a network from an ``.npz`` path or binary stream (``allow_pickle=False``)."""
        source = source or str(getattr(file, "name", file))
        try:
            with np.load(file, allow_pickle=False) as z:
                arrays = {k: z[k] for k in z.files}
        except ValueError as e:  # object arrays, bad zip members, not npz
            raise NetworkError(f"{source}: not a network .npz: {e}") from None
        except (OSError, EOFError) as e:
            raise NetworkError(f"{source}: cannot read: {e}") from None
        if not isinstance(arrays, dict) or not arrays:
            raise NetworkError(f"{source}: not a network .npz (no arrays)")
        return cls.from_arrays(arrays, source)

    def save(self, file) -> None:
        """Write the network as an ``.npz`` (path or binary stream)."""
        arrays = {}
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"W{i}"], arrays[f"b{i}"] = W, b
        arrays["activation"] = np.array(self.activation)
        if self.classes is not None:
            arrays["classes"] = np.asarray(self.classes)
        for name in ("clip_min", "clip_max"):
            if getattr(self, name) is not None:
                arrays[name] = np.asarray(getattr(self, name), dtype=np.float64)
        np.savez(file, **arrays)

    # -- shape ------------------------------------------------------------------
    @property
    def n_features(self) -> int:
        return self.weights[0].shape[0]

    @property
    def n_outputs(self) -> int:
        return self.weights[-1].shape[1]

    @property
    def n_classes(self) -> int:
        return 2 if self.n_outputs == 1 else self.n_outputs

    @property
    def labels(self) -> np.ndarray:
        """The class labels (``classes``, or 0..n-1)."""
        return np.asarray(self.classes) if self.classes is not None else np.arange(self.n_classes)

    # -- inference ------------------------------------------------------------------
    def _check(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise NetworkError(f"{self.source}: input has shape {X.shape}, the network expects "
                               f"(n, {self.n_features}) features")
        return X

    def _forward(self, X):
        f, _ = _ACT[self.activation]
        hidden = []
        h = X
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            h = f(h @ W + b)
            hidden.append(h)
        return hidden, h @ self.weights[-1] + self.biases[-1]

    def logits(self, X) -> np.ndarray:
        """Pre-activation outputs of the last layer, shape ``(n, outputs)``."""
        return self._forward(self._check(X))[1]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)``."""
        return _proba(self.logits(X))

    def predict_index(self, X) -> np.ndarray:
        z = self.logits(X)
        return (z[:, 0] > 0).astype(np.intp) if z.shape[1] == 1 else np.argmax(z, axis=1)

    def predict(self, X) -> np.ndarray:
        """Predicted class labels."""
        return self.labels[self.predict_index(X)]

    def loss_gradient(self, X, y_index) -> tuple[np.ndarray, np.ndarray]:
        """Per-sample cross-entropy loss and its exact gradient w.r.t. ``X``.

        ``y_index`` are class indices (positions in :attr:`labels`).
        Returns ``(loss (n,), grad (n, features))``.
        """
        X = self._check(X)
        y = np.asarray(y_index, dtype=np.intp)
        hidden, z = self._forward(X)
        if z.shape[1] == 1:
            z1 = z[:, 0]
            p = _sigmoid(z1)
            loss = np.logaddexp(0.0, z1) - y * z1
            dz = (p - y)[:, None]
        else:
            rows = np.arange(len(y))
            zmax = z.max(axis=1, keepdims=True)
            dz = np.exp(z - zmax)
            total = dz.sum(axis=1, keepdims=True)
            loss = np.log(total[:, 0]) + zmax[:, 0] - z[rows, y]
            dz /= total
            dz[rows, y] -= 1.0
        _, deriv = _ACT[self.activation]
        for i in range(len(self.weights) - 1, 0, -1):
            dz = (dz @ self.weights[i].T) * deriv(hidden[i - 1])
        return loss, dz @ self.weights[0].T


def _proba(z: np.ndarray) -> np.ndarray:
    if z.shape[1] == 1:
        p = _sigmoid(z[:, 0])
        return np.column_stack([1.0 - p, p])
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)



"""Shared pieces of the attacks: the classifier adapter, norms, balls, clipping.

Example::

    >>> import numpy as np
    >>> parse_norm("inf"), parse_norm(2), parse_norm("l2")
    ('inf', '2', '2')
    >>> project(np.array([[3.0, 4.0]]), 1.0, "2").tolist()
    [[0.6000000000000001, 0.8]]
"""

from __future__ import annotations

import numpy as np


def parse_norm(norm) -> str:
    """``"inf"`` or ``"2"`` from the many ways users write them."""
    text = str(norm).lower().lstrip("l")
    if text in ("inf", "infinity", "linf") or norm == np.inf:
        return "inf"
    if text in ("2", "2.0"):
        return "2"
    raise ValueError(f"norm {norm!r} is not supported (use 'inf' or 2)")


def lp_norm(d: np.ndarray, norm: str) -> np.ndarray:
    """Per-row norm of perturbations ``d`` (n, features)."""
    return np.abs(d).max(axis=1) if norm == "inf" else np.linalg.norm(d, axis=1)


def direction(g: np.ndarray, norm: str) -> np.ndarray:
    """Steepest-ascent unit step for gradient ``g`` (ART's ``_apply_norm``)."""
    if norm == "inf":
        return np.sign(g)
    n = np.linalg.norm(g, axis=1, keepdims=True)
    return g / np.where(n > 0, n, np.inf)


def project(d: np.ndarray, eps: float, norm: str) -> np.ndarray:
    """Project perturbations ``d`` onto the ``eps``-ball of ``norm``."""
    if norm == "inf":
        return np.clip(d, -eps, eps)
    n = np.linalg.norm(d, axis=1, keepdims=True)
    return d * np.where(n > eps, eps / np.where(n > 0, n, 1.0), 1.0)


def random_ball(rng: np.random.Generator, shape, eps: float, norm: str) -> np.ndarray:
    """Points drawn uniformly from the ``eps``-ball (ART's ``random_sphere``)."""
    if norm == "inf":
        return rng.uniform(-eps, eps, shape)
    g = rng.standard_normal(shape)
    g /= np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    r = rng.uniform(0.0, 1.0, (shape[0], 1)) ** (1.0 / shape[1])
    return g * eps * r


class Clip:
    """Clip inputs to ``[lo, hi]`` (scalars, per-feature arrays, or None)."""

    def __init__(self, lo=None, hi=None):
        self.lo, self.hi = lo, hi

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.lo is None and self.hi is None:
            return x
        return np.clip(x, self.lo, self.hi)

    def bounds(self, x: np.ndarray) -> tuple:
        """Finite bounds, taking the data's range where a bound is missing."""
        return (x.min() if self.lo is None else self.lo, x.max() if self.hi is None else self.hi)


def as_model(model):
    """Our model objects pass; a fitted scikit-learn classifier is converted."""
    if hasattr(model, "coefs_") or (hasattr(model, "coef_") and hasattr(model, "classes_")) \
            or hasattr(model, "steps"):
        from inspecpy.ml.models.convert import to_network

        return to_network(model)
    if not hasattr(model, "predict"):
        raise TypeError(f"{type(model).__name__} has no predict(); cannot be evaluated")
    return model


def same_labels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Element-wise label equality, comparing as text when the kinds differ (3 vs "3")."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind != b.dtype.kind and "U" in (a.dtype.kind, b.dtype.kind) or "O" in (a.dtype.kind, b.dtype.kind):
        a, b = a.astype(str), b.astype(str)
    return a == b


class Classifier:
    """What the attacks need from a model, whatever its kind.

    ``correct(X, y)``; ``proba(X)`` (None when predict-only-labels);
    ``gradient(X, y)`` for white-box models (those with ``loss_gradient``).
    """

    def __init__(self, model):
        self.model = as_model(model)
        self.has_gradients = hasattr(self.model, "loss_gradient")

    def predict(self, X) -> np.ndarray:
        return np.asarray(self.model.predict(X)).reshape(-1)

    def correct(self, X, y) -> np.ndarray:
        return same_labels(self.predict(X), y)

    def proba(self, X):
        fn = getattr(self.model, "predict_proba", None)
        return None if fn is None else fn(X)

    def index(self, y) -> np.ndarray:
        """Positions of labels ``y`` in the model's classes (white-box models)."""
        labels = np.asarray(self.model.labels)
        out = np.full(len(y), -1, dtype=np.intp)
        for i, label in enumerate(labels):
            out[same_labels(y, np.full(len(y), label))] = i
        if (out < 0).any():
            bad = np.asarray(y)[out < 0][0]
            bad = bad.item() if hasattr(bad, "item") else bad
            raise ValueError(f"label {bad!r} is not one of the model's classes {labels.tolist()}")
        return out

    def gradient(self, X, y_index) -> np.ndarray:
        return self.model.loss_gradient(X, y_index)[1]

"""Convert fitted scikit-learn classifiers to the ``.npz`` network format.

Supported: ``MLPClassifier``; linear classifiers with ``coef_`` and
``intercept_`` (``LogisticRegression`` binary and multinomial,
``SGDClassifier``, ``RidgeClassifier``, ``LinearSVC``, ``Perceptron``...);
and a ``Pipeline`` of ``StandardScaler``/``MinMaxScaler`` steps followed by
one of those, the scalers being folded into the first layer.  Predictions
are identical to the estimator's; probabilities are the network's softmax
(or sigmoid) of the decision values, which equals ``predict_proba`` for
``LogisticRegression`` (multinomial or binary) and ``MLPClassifier``.

Example::

    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]]); y = np.array([0, 0, 1, 1])
    >>> net = to_network(LogisticRegression().fit(X, y), clip_min=0.0, clip_max=3.0)
    >>> net.predict(X).tolist(), net.n_outputs
    ([0, 0, 1, 1], 1)
"""

from __future__ import annotations

import numpy as np

from inspecpy.ml.models.network import Network, NetworkError

_MLP_ACTIVATION = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "identity"}


def to_network(estimator, clip_min=None, clip_max=None) -> Network:
    """A :class:`Network` equivalent to a fitted scikit-learn classifier."""
    steps = list(getattr(estimator, "steps", None) or [(None, estimator)])
    *scalers, (_, final) = steps
    weights, biases, activation = _layers(final)
    for _, scaler in reversed(scalers):
        weights[0], biases[0] = _fold_scaler(scaler, weights[0], biases[0])
    classes = np.asarray(final.classes_)
    if classes.dtype == object:
        classes = classes.astype(str)
    return Network(tuple(weights), tuple(biases), activation, classes,
                   clip_min=clip_min, clip_max=clip_max,
                   source=f"converted {type(estimator).__name__}")


def save_npz(estimator, path, clip_min=None, clip_max=None) -> Network:
    """Convert ``estimator`` and write it to ``path`` (an ``.npz``); returns the network."""
    net = to_network(estimator, clip_min, clip_max)
    net.save(path)
    return net


def _layers(est) -> tuple[list, list, str]:
    name = type(est).__name__
    if not hasattr(est, "classes_"):
        raise NetworkError(f"{name} is not a fitted classifier (no classes_)")
    if hasattr(est, "coefs_"):  # MLPClassifier
        out = getattr(est, "out_activation_", "softmax")
        if out not in ("softmax", "logistic") or (out == "logistic" and est.coefs_[-1].shape[1] != 1):
            raise NetworkError(f"{name} with output {out!r} and {est.coefs_[-1].shape[1]} units "
                               "(multi-label) cannot be converted")
        act = _MLP_ACTIVATION.get(est.activation)
        if act is None:
            raise NetworkError(f"{name} activation {est.activation!r} is not supported")
        return ([np.array(W, dtype=np.float64) for W in est.coefs_],
                [np.array(b, dtype=np.float64) for b in est.intercepts_], act)
    if hasattr(est, "coef_"):
        coef = np.atleast_2d(np.asarray(est.coef_, dtype=np.float64))
        intercept = np.broadcast_to(np.asarray(getattr(est, "intercept_", 0.0), dtype=np.float64),
                                    (coef.shape[0],)).copy()
        if coef.shape[0] != (1 if len(est.classes_) == 2 else len(est.classes_)):
            raise NetworkError(f"{name}: coef_ has {coef.shape[0]} rows for {len(est.classes_)} classes")
        return [coef.T.copy()], [intercept], "identity"
    raise NetworkError(f"{name} cannot be converted (supported: MLPClassifier, linear classifiers "
                       "with coef_, and a Pipeline of scalers ending in one)")


def _fold_scaler(scaler, W, b):
    """Fold ``x' = x * s + o`` into the first layer: ``x' W + b = x (s W) + (o W + b)``."""
    name = type(scaler).__name__
    if name == "StandardScaler":
        n = W.shape[0]
        scale = scaler.scale_ if scaler.with_std and scaler.scale_ is not None else np.ones(n)
        mean = scaler.mean_ if scaler.with_mean and scaler.mean_ is not None else np.zeros(n)
        s, o = 1.0 / scale, -mean / scale
    elif name == "MinMaxScaler":
        s, o = scaler.scale_, scaler.min_
    else:
        raise NetworkError(f"pipeline step {name} cannot be folded (only StandardScaler, MinMaxScaler)")
    return W * np.asarray(s, dtype=np.float64)[:, None], np.asarray(o, dtype=np.float64) @ W + b

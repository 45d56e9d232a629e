"""The .npz network format, the scikit-learn converter and the ONNX wrapper, on real fitted models."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from inspecpy.ml.models.convert import save_npz, to_network
from inspecpy.ml.models.network import Network, NetworkError

import sklearn
from sklearn.datasets import load_breast_cancer, load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression, RidgeClassifier, SGDClassifier  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


@pytest.fixture(scope="module")
def cancer():
    return load_breast_cancer(return_X_y=True)


def fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y)


@pytest.mark.parametrize("make, data", [
    (lambda: LogisticRegression(max_iter=500), "digits"),
    (lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)), "cancer"),
    (lambda: MLPClassifier((16,), max_iter=60, random_state=0), "digits"),
    (lambda: MLPClassifier((8, 4), activation="tanh", max_iter=60, random_state=0), "cancer"),
    (lambda: make_pipeline(MinMaxScaler(), MLPClassifier((8,), activation="logistic", max_iter=60,
                                                          random_state=0)), "digits"),
])
def test_converted_probabilities_equal_predict_proba(make, data, request, tmp_path):
    X, y = request.getfixturevalue(data)
    est = fit(make(), X, y)
    net = save_npz(est, tmp_path / "m.npz", clip_min=0.0, clip_max=1.0)
    loaded = Network.load(tmp_path / "m.npz")
    assert np.array_equal(loaded.predict(X), est.predict(X))
    assert np.allclose(loaded.predict_proba(X), est.predict_proba(X), atol=1e-10)
    assert loaded.clip_min == 0.0 and loaded.clip_max == 1.0 and loaded.activation == net.activation


@pytest.mark.parametrize("make", [SGDClassifier, RidgeClassifier, LinearSVC])
def test_linear_classifiers_keep_their_predictions(make, digits, cancer):
    for X, y in (digits, cancer):
        est = fit(make(random_state=0) if make is not RidgeClassifier else make(), X, y)
        assert np.array_equal(to_network(est).predict(X), est.predict(X))


def test_string_classes_round_trip(tmp_path, cancer):
    X, y = cancer
    labels = np.array(["benign", "malignant"])[y]
    est = fit(make_pipeline(StandardScaler(), LogisticRegression()), X, labels)
    save_npz(est, tmp_path / "s.npz")
    assert Network.load(tmp_path / "s.npz").predict(X[:5]).tolist() == est.predict(X[:5]).tolist()


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("outputs", [1, 4])
def test_input_gradient_is_exact(activation, outputs):
    rng = np.random.default_rng(0)
    net = Network((rng.normal(size=(5, 7)) / 2, rng.normal(size=(7, 6)) / 2, rng.normal(size=(6, outputs)) / 2),
                  (rng.normal(size=7), rng.normal(size=6), rng.normal(size=outputs)), activation)
    X = rng.normal(size=(3, 5))
    y = rng.integers(0, net.n_classes, 3)
    loss, grad = net.loss_gradient(X, y)
    p = net.predict_proba(X)
    assert np.allclose(loss, -np.log(p[np.arange(3), y]))
    h, num = 1e-6, np.zeros_like(X)
    for j in range(X.shape[1]):
        e = np.zeros_like(X)
        e[:, j] = h
        num[:, j] = (net.loss_gradient(X + e, y)[0] - net.loss_gradient(X - e, y)[0]) / (2 * h)
    assert np.allclose(grad, num, atol=1e-6)


def test_validation_messages():
    W = np.ones((3, 2))
    with pytest.raises(NetworkError, match="activation 'gelu' is not one of"):
        Network((W,), (np.zeros(2),), "gelu")
    with pytest.raises(NetworkError, match="missing array b1"):
        Network.from_arrays({"W0": W, "b0": np.zeros(2), "W1": np.ones((2, 2))})
    with pytest.raises(NetworkError, match="unexpected array 'w0'"):
        Network.from_arrays({"w0": W})
    with pytest.raises(NetworkError, match="W0/b0 contain NaN or inf"):
        Network((np.full((3, 2), np.nan),), (np.zeros(2),))
    with pytest.raises(NetworkError, match="3 classes for 2 outputs"):
        Network((W,), (np.zeros(2),), classes=np.array([0, 1, 2]))
    with pytest.raises(NetworkError, match=r"input has shape \(1, 4\), the network expects \(n, 3\)"):
        Network((W,), (np.zeros(2),)).predict(np.ones((1, 4)))


def test_unsupported_estimators_are_refused(digits):
    from sklearn.tree import DecisionTreeClassifier

    X, y = digits
    with pytest.raises(NetworkError, match="DecisionTreeClassifier cannot be converted"):
        to_network(fit(DecisionTreeClassifier(), X, y))
    with pytest.raises(NetworkError, match="not a fitted classifier"):
        to_network(LogisticRegression())


def test_onnx_wrapper_predicts_like_sklearn(digits, tmp_path):
    import skl2onnx
    import onnxruntime  # noqa: F401 - a test extra: missing is an error, not a skip
    from inspecpy.ml.models.onnx_model import OnnxError, OnnxModel

    X, y = digits
    est = fit(LogisticRegression(max_iter=500), X, y)
    for options in ({}, {"zipmap": False}):
        onx = skl2onnx.to_onnx(est, X[:1].astype(np.float32), options=options)
        model = OnnxModel(onx.SerializeToString())
        assert (model.predict(X) == est.predict(X)).mean() > 0.99
        assert np.allclose(model.predict_proba(X[:10]), est.predict_proba(X[:10]), atol=1e-4)
        assert model.classes.tolist() == list(range(10))
    with pytest.raises(OnnxError, match="onnxruntime cannot load the model"):
        OnnxModel(b"not onnx")
    with pytest.raises(OnnxError, match=r"input has shape \(1, 3\)"):
        model.predict(np.ones((1, 3)))

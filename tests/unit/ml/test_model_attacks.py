"""Metrics and robustness under attack, on scikit-learn's digits (inputs in [0, 1])."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from inspecpy.ml.attacks.robustness import robustness
from inspecpy.ml.models.convert import to_network
from inspecpy.ml.metrics import classification_metrics, evaluate
from inspecpy.ml.attacks.perturb import Classifier, Clip, lp_norm
from inspecpy.ml.attacks import blackbox, whitebox

import sklearn  # noqa: F401 - a test extra: missing is an error, not a skip
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402


@pytest.fixture(scope="module")
def data():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X / 16.0, y, test_size=360, random_state=0, stratify=y)


@pytest.fixture(scope="module")
def lr(data):
    Xtr, _, ytr, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LogisticRegression(max_iter=1000).fit(Xtr, ytr)


@pytest.fixture(scope="module")
def mlp(data):
    Xtr, _, ytr, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return to_network(MLPClassifier((32,), max_iter=200, random_state=0).fit(Xtr, ytr), 0.0, 1.0)


def test_metrics_agree_with_sklearn(data, lr):
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support

    _, Xte, _, yte = data
    e = evaluate(lr.predict, Xte, yte)
    pred = lr.predict(Xte)
    p, r, f, s = precision_recall_fscore_support(yte, pred, average=None)
    assert e.accuracy == pytest.approx(accuracy_score(yte, pred))
    assert (e.precision, e.recall, e.f1) == pytest.approx((p.mean(), r.mean(), f.mean()))
    assert e.per_class[3].recall == pytest.approx(r[3]) and e.per_class["3"].support == s[3]
    assert e.samples == 360


def test_metrics_zero_division_and_string_labels():
    e = classification_metrics(np.array(["a", "a", "b"]), np.array(["a", "c", "a"]))
    assert e.per_class["c"].precision == 0.0 and e.per_class["b"].recall == 0.0
    assert e.accuracy == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="3 labels but 2 predictions"):
        classification_metrics([1, 2, 3], [1, 2])


def reference_pgd(model, X, y, eps, step, steps, clip=(0.0, 1.0), random_init=False, seed=0):
    """ART's ProjectedGradientDescentNumpy loop, written out with sklearn's predict_proba."""
    W = model.coef_.T
    x_adv = X.copy()
    if random_init:
        x_adv = np.clip(X + np.random.default_rng(seed).uniform(-eps, eps, X.shape), *clip)
    onehot = np.eye(W.shape[1])[y]
    for _ in range(steps):
        grad = (model.predict_proba(x_adv) - onehot) @ W.T / W.shape[1]
        x_adv = np.clip(x_adv + step * np.sign(grad), *clip)
        x_adv = X + np.sign(x_adv - X) * np.minimum(np.abs(x_adv - X), eps)
    return x_adv


def test_fgsm_and_pgd_agree_with_the_reference_loop(data, lr):
    _, Xte, _, yte = data
    for attack, steps, step in (("fgsm", 1, 0.1), ("pgd", 20, 0.01)):
        ours = robustness(lr, Xte, yte, attack=attack, eps=0.1, step_size=step, clip_min=0.0, clip_max=1.0)
        ref = reference_pgd(lr, Xte, yte, 0.1, step, steps)
        assert ours.robust_accuracy == pytest.approx(np.mean(lr.predict(ref) == yte), abs=0.005)
        assert ours.clean_accuracy == pytest.approx(np.mean(lr.predict(Xte) == yte))
        assert ours.robust_accuracy < ours.clean_accuracy
        assert ours.samples == 360 and ours.seconds > 0


def test_pgd_agrees_with_art_within_half_a_point(data, lr):
    import art
    from art.attacks.evasion import FastGradientMethod, ProjectedGradientDescent
    from art.estimators.classification import SklearnClassifier

    _, Xte, _, yte = data
    clf = SklearnClassifier(lr, clip_values=(0.0, 1.0))
    x_art = ProjectedGradientDescent(clf, eps=0.1, eps_step=0.01, max_iter=20, verbose=False).generate(
        Xte.astype(np.float32), y=yte)
    ours = robustness(lr, Xte, yte, attack="pgd", eps=0.1, step_size=0.01, clip_min=0.0, clip_max=1.0)
    assert abs(ours.robust_accuracy - np.mean(lr.predict(x_art) == yte)) <= 0.005
    x_art = FastGradientMethod(clf, eps=0.1).generate(Xte.astype(np.float32), y=yte)
    ours = robustness(lr, Xte, yte, attack="fgsm", eps=0.1, clip_min=0.0, clip_max=1.0)
    assert abs(ours.robust_accuracy - np.mean(lr.predict(x_art) == yte)) <= 0.005
    del art


@pytest.mark.parametrize("attack, norm", [("fgsm", "inf"), ("pgd", "inf"), ("pgd", 2), ("noise", "inf"),
                                          ("noise", "l2"), ("simba", "inf"), ("simba", 2),
                                          ("hopskipjump", "inf"), ("hopskipjump", 2)])
def test_adversarial_inputs_stay_in_the_ball_and_the_clip_range(data, mlp, attack, norm):
    _, Xte, _, yte = data
    X, y = Xte[:40], yte[:40]
    eps = 0.1 if norm == "inf" else 0.8
    clf = Classifier(mlp)
    fn = {"fgsm": whitebox.fgsm, "pgd": whitebox.pgd, "noise": blackbox.noise, "simba": blackbox.simba,
          "hopskipjump": blackbox.hopskipjump}[attack]
    norm_s = "inf" if norm == "inf" else "2"
    adv = fn(clf, X, y, eps=eps, norm=norm_s, clip=Clip(0.0, 1.0), steps=10,
             rng=np.random.default_rng(0))
    assert adv.min() >= 0.0 and adv.max() <= 1.0
    assert (lp_norm(adv - X, norm_s) <= eps + 1e-9).all()
    r = robustness(mlp, X, y, attack=attack, eps=eps, norm=norm, steps=10)
    assert 0.0 <= r.robust_accuracy <= r.clean_accuracy
    if attack != "noise":
        assert r.attack_success_rate > 0.1, r
        assert 0 < r.mean_perturbation <= eps + 1e-9


def test_attacks_are_seeded_and_reproducible(data, mlp):
    _, Xte, _, yte = data
    for attack in ("noise", "simba", "hopskipjump"):
        a = robustness(mlp, Xte, yte, attack=attack, samples=30, seed=3, steps=5)
        b = robustness(mlp, Xte, yte, attack=attack, samples=30, seed=3, steps=5)
        assert (a.robust_accuracy, a.mean_perturbation) == (b.robust_accuracy, b.mean_perturbation)
        assert a.samples == 30


def test_stronger_attacks_hurt_more(data, mlp):
    _, Xte, _, yte = data
    fgsm = robustness(mlp, Xte, yte, attack="fgsm", eps=0.1)
    pgd = robustness(mlp, Xte, yte, attack="pgd", eps=0.1)
    noise = robustness(mlp, Xte, yte, attack="noise", eps=0.1)
    assert pgd.robust_accuracy <= fgsm.robust_accuracy < noise.robust_accuracy
    restarts = robustness(mlp, Xte, yte, attack="pgd", eps=0.1, random_init=3)
    assert restarts.robust_accuracy <= pgd.robust_accuracy + 0.01


def test_predict_only_models_get_black_box_attacks(data, lr):
    import skl2onnx
    import onnxruntime  # noqa: F401 - a test extra: missing is an error, not a skip
    from inspecpy.ml.models.onnx_model import OnnxModel

    _, Xte, _, yte = data
    onx = OnnxModel(skl2onnx.to_onnx(lr, Xte[:1].astype(np.float32)).SerializeToString(), 0.0, 1.0)
    with pytest.raises(ValueError, match="attack 'pgd' needs loss gradients.*'hopskipjump', 'simba' or 'noise'"):
        robustness(onx, Xte, yte, attack="pgd")
    r = robustness(onx, Xte, yte, attack="simba", eps=0.1, samples=60)
    assert r.robust_accuracy < r.clean_accuracy


def test_bad_arguments(data, mlp):
    _, Xte, _, yte = data
    with pytest.raises(ValueError, match="unknown attack 'deepfool'"):
        robustness(mlp, Xte, yte, attack="deepfool")
    with pytest.raises(ValueError, match="norm 'l1' is not supported"):
        robustness(mlp, Xte, yte, norm="l1")
    with pytest.raises(ValueError, match="features contain NaN or inf"):
        robustness(mlp, np.full((2, 64), np.nan), [0, 1])
    with pytest.raises(ValueError, match="label 42 is not one of the model's classes"):
        robustness(mlp, Xte[:2], [42, 1])
    with pytest.raises(ValueError, match="3 samples but 2 labels"):
        robustness(mlp, Xte[:3], [1, 2])


def _onnx_mlp(data, clip=None) -> bytes:
    """An ONNX MLP of the digits, with ``clip_min``/``clip_max`` metadata when *clip* is given."""
    skl2onnx = pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    import onnx

    Xtr, _, ytr, _ = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp = MLPClassifier((32,), max_iter=200, random_state=0).fit(Xtr, ytr)
    model = skl2onnx.to_onnx(mlp, Xtr[:1].astype(np.float32), options={"zipmap": False})
    if clip is not None:
        onnx.helper.set_model_props(model, {"clip_min": str(clip[0]), "clip_max": str(clip[1])})
    return model.SerializeToString()


def test_black_box_attacks_refuse_without_an_input_range_and_never_guess(data):
    """The issue's case: SimBA on an ONNX MLP with no known range must not run unbounded."""
    from inspecpy.ml.attacks.input_range import InputRangeMissing
    from inspecpy.ml.models.onnx_model import OnnxModel

    _, Xte, _, yte = data
    bare = OnnxModel(_onnx_mlp(data), source="mlp.onnx")
    for attack in ("simba", "hopskipjump", "noise"):
        with pytest.raises(InputRangeMissing, match=rf"attack '{attack}' on mlp.onnx needs the model's valid input "
                                                    r"range \(clip_min and clip_max unknown\).*never guesses"):
            robustness(bare, Xte, yte, attack=attack, samples=20)
    with pytest.raises(InputRangeMissing, match=r"\(clip_max unknown\)"):
        robustness(bare, Xte, yte, attack="simba", clip_min=0, samples=20)
    given = robustness(bare, Xte, yte, attack="simba", eps=0.1, samples=80, clip_min=0, clip_max=1)
    declared = OnnxModel(_onnx_mlp(data, clip=(0, 1)), source="mlp.onnx")
    assert (declared.clip_min, declared.clip_max) == (0.0, 1.0)
    from_file = robustness(declared, Xte, yte, attack="simba", eps=0.1, samples=80)
    assert from_file.robust_accuracy == given.robust_accuracy < from_file.clean_accuracy
    with pytest.raises(ValueError, match="clip_min 1 is not below clip_max 0"):
        robustness(declared, Xte, yte, attack="simba", clip_min=1, clip_max=0)


def test_a_sklearn_model_gets_no_guessed_range_either(data, lr):
    _, Xte, _, yte = data
    from inspecpy.ml.attacks.input_range import InputRangeMissing

    with pytest.raises(InputRangeMissing):
        robustness(lr, Xte, yte, attack="simba", samples=10)
    assert robustness(lr, Xte, yte, attack="fgsm", samples=10).samples == 10   # white-box: no range needed

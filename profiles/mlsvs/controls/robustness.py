"""Robustness: the model keeps its accuracy on clean data and under adversarial attack."""

from inspecpy import control, describe, input, profile_file
from inspecpy.resources import dataset, model

MODEL = input("model_path", value=profile_file("model.npz"))
TEST = input("test_path", value=profile_file("test.npz"))
LABEL = input("label")
EPS = input("attack_eps")
ROBUST = {"owasp_ml": ["ML01"], "aisvs": ["11.1.3"]}


def _model():
    """The model, inside the valid input range the inputs give (else the one its file declares)."""
    return model(MODEL, clip_min=input("clip_min", value=None), clip_max=input("clip_max", value=None))


def _attack(name: str, white_box: str, black_box: str) -> str:
    """The attack an input names; ``auto`` picks by what the model gives (gradients or only predictions)."""
    if name != "auto":
        return name
    return white_box if _model().white_box else black_box


@control("mlsvs-robust-01", impact="medium", title="The model reaches its accuracy on held-out data",
         tags={"owasp_ml": ["ML01"], "aisvs": ["11.1.1"]})
def _():
    describe(_model().evaluate(dataset(TEST, label=LABEL))).its("accuracy").should.be_at_least(input("min_accuracy"))


@control("mlsvs-robust-02", impact="high", title="Accuracy under adversarial attack: FGSM, or SimBA for a predict-only model",
         desc="FGSM perturbs every input by attack_eps in the direction that raises the loss most; a model "
              "that gives no gradients (ONNX) is attacked with SimBA, a black-box attack, inside its valid "
              "input range. The failure message shows the clean accuracy beside the robust one.",
         tags=ROBUST)
def _():
    attack = _attack(input("attack"), "fgsm", "simba")
    result = _model().robustness(dataset(TEST, label=LABEL), attack=attack, eps=EPS)
    describe(result).its("robust_accuracy").should.be_at_least(input("min_robust_accuracy"))


@control("mlsvs-robust-03", impact="high", title="Accuracy under adversarial attack: PGD, or HopSkipJump for a predict-only model",
         desc="PGD takes 20 projected steps inside the attack_eps ball: the stronger white-box attack; a "
              "predict-only model gets HopSkipJump, the stronger black-box one.",
         tags=ROBUST)
def _():
    attack = _attack(input("strong_attack"), "pgd", "hopskipjump")
    result = _model().robustness(dataset(TEST, label=LABEL), attack=attack, eps=EPS, steps=20)
    describe(result).its("robust_accuracy").should.be_at_least(input("min_robust_accuracy"))

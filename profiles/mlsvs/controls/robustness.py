"""Robustness: the model keeps its accuracy on clean data and under adversarial attack."""

from inspecpy import control, describe, input, profile_file
from inspecpy.resources import dataset, model

MODEL = input("model_path", value=profile_file("model.npz"))
TEST = input("test_path", value=profile_file("test.npz"))
EPS = input("attack_eps")
ROBUST = {"owasp_ml": ["ML01"], "aisvs": ["11.1.3"]}


@control("mlsvs-robust-01", impact="medium", title="The model reaches its accuracy on held-out data",
         tags={"owasp_ml": ["ML01"], "aisvs": ["11.1.1"]})
def _():
    describe(model(MODEL).evaluate(dataset(TEST))).its("accuracy").should.be_at_least(input("min_accuracy"))


@control("mlsvs-robust-02", impact="high", title="Accuracy under a one-step gradient attack (FGSM)",
         desc="FGSM perturbs every input by attack_eps in the direction that raises the loss most.",
         tags=ROBUST)
def _():
    result = model(MODEL).robustness(dataset(TEST), attack="fgsm", eps=EPS)
    describe(result).its("robust_accuracy").should.be_at_least(input("min_robust_accuracy"))


@control("mlsvs-robust-03", impact="high", title="Accuracy under an iterative gradient attack (PGD)",
         desc="PGD takes 20 projected steps inside the attack_eps ball: the stronger white-box attack.",
         tags=ROBUST)
def _():
    result = model(MODEL).robustness(dataset(TEST), attack="pgd", eps=EPS, steps=20)
    describe(result).its("robust_accuracy").should.be_at_least(input("min_robust_accuracy"))

"""Training-data integrity: pinned, unpoisoned, no leakage, no personal data."""

from inspecpy import control, describe, input, profile_file
from inspecpy.resources import dataset

TRAIN = input("train_path", value=profile_file("train.npz"))
TEST = input("test_path", value=profile_file("test.npz"))
TEXT = input("text_data_paths", value=[profile_file("tickets.jsonl")])
LABEL = input("label")
POISONING = {"owasp_ml": ["ML02"]}


@control("mlsvs-data-01", impact="high", title="Training data is the pinned version",
         desc="A changed training file is the simplest way to poison a model.",
         tags={**POISONING, "aisvs": ["1.1.2"]})
def _():
    describe(dataset(TRAIN, label=LABEL)).should.exist()
    describe(dataset(TRAIN, label=LABEL)).its("sha256").should.eq(input("train_sha256"))


@control("mlsvs-data-02", impact="high", title="No conflicting labels or duplicates in the training data",
         desc="Identical features with different labels are a sign of label flipping; duplicates "
              "over-weight some samples.",
         tags={**POISONING, "aisvs": ["1.3.1"]})
def _():
    train = dataset(TRAIN, label=LABEL)
    describe(train).its("conflicting_labels").should.eq(0)
    describe(train).its("duplicate_rows").should.eq(0)
    describe(train).its("missing").should.eq(0)


@control("mlsvs-data-03", impact="medium", title="Test data does not leak into the training data",
         desc="Rows present in both sets inflate every accuracy figure measured on the test set.",
         tags={"owasp_ml": ["ML02"], "aisvs": ["1.3.4"]})
def _():
    describe(dataset(TEST, label=LABEL, reference=TRAIN)).its("overlap").should.eq(0)


@control("mlsvs-data-04", impact="high", title="Data sets hold no personal data",
         desc="E-mail addresses, phone numbers, card numbers, SSNs and IP addresses must be removed "
              "before data is used for training or kept beside a model. Findings name the column "
              "and count, never the values.",
         tags={"owasp_ml": ["ML03", "ML04"], "aisvs": ["1.2.3"]})
def _():
    describe(dataset(TRAIN, label=LABEL)).its("pii").should.be_empty()
    for path in TEXT:
        describe(dataset(path)).its("pii").should.be_empty()

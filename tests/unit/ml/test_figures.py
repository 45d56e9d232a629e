"""Figures: what a check measured, attached to its test result (for the prometheus reporter)."""

from __future__ import annotations

from inspecpy import describe
from contextlib import contextmanager

from inspecpy.context import RunContext, running
from inspecpy.dsl.recording import Recorder, figures_of
from inspecpy.targets import current_target
from inspecpy.resources.builtin.dataset import Dataset
from inspecpy.resources.builtin.model import Model
from inspecpy.results import Figure
from tests.conftest import ROOT

FILES = ROOT / "profiles" / "mlsvs" / "files"
MODEL, TEST, TRAIN, RECENT, TICKETS = (str(FILES / n) for n in
                                       ("model.npz", "test.npz", "train.npz", "recent.csv", "tickets.jsonl"))


@contextmanager
def recording(recorder: Recorder):
    """Results of the block go to *recorder*, on the local target (as in a run)."""
    with running(RunContext(current_target(), recorder=recorder)):
        yield recorder


def checked(check) -> list:
    """The results the *check* (a function making describe calls) recorded."""
    with recording(Recorder()) as recorder:
        check()
    return recorder.results


def by_name(result) -> dict[str, list[Figure]]:
    found: dict[str, list[Figure]] = {}
    for figure in result.figures:
        found.setdefault(figure.name, []).append(figure)
    return found


def test_a_robustness_check_carries_clean_and_robust_accuracy_labelled_by_model_and_attack():
    [result] = checked(lambda: describe(Model(MODEL).robustness(Dataset(TEST), attack="fgsm", eps=0.1))
                       .its("robust_accuracy").should.be_at_least(0.99))
    assert result.status == "failed"  # a failing figure is charted too
    figures = by_name(result)
    [robust] = figures["model_robust_accuracy"]
    assert dict(robust.labels) == {"model": MODEL, "dataset": TEST, "attack": "fgsm", "eps": "0.1", "norm": "inf"}
    assert 0 < robust.value < figures["model_clean_accuracy"][0].value <= 1
    assert result.message and f"{robust.value:.4g} (clean accuracy " in result.message  # shown with the clean figure


def test_an_evaluation_carries_accuracy():
    [result] = checked(lambda: describe(Model(MODEL).evaluate(Dataset(TEST))).its("accuracy").should.be_at_least(0))
    [accuracy] = by_name(result)["model_accuracy"]
    assert dict(accuracy.labels) == {"model": MODEL, "dataset": TEST} and accuracy.value > 0.5


def test_a_drift_check_carries_each_columns_statistic_in_python_and_in_the_yaml_form():
    recent = Dataset(RECENT, label="y", reference=TRAIN)
    direct, walked = checked(lambda: (describe(recent.drift()).its("drifted_columns").should.be_empty(),
                                      describe(recent).its("drift.drift_share").should.be_at_most(1)))
    assert by_name(direct) == by_name(walked)
    stats = {dict(f.labels)["column"]: f.value for f in by_name(direct)["dataset_drift_statistic"]}
    report = recent.drift()
    assert stats == {c: d.statistic for c, d in report.columns.items()}
    assert dict(by_name(direct)["dataset_column_drifted"][0].labels)["reference"] == TRAIN


def test_pii_counts_come_with_a_pii_check_only():
    tickets = Dataset(TICKETS)
    pii, rows = checked(lambda: (describe(tickets).its("pii").should.be_empty(),
                                 describe(tickets).its("rows").should.be_at_least(1)))
    figures = by_name(pii)
    kinds = {dict(f.labels)["kind"]: f.value for f in figures["dataset_pii_findings"]}
    assert kinds == {f.kind: f.count for f in tickets.pii}
    assert figures["dataset_pii_findings_all"][0].value == sum(kinds.values()) > 0
    assert rows.figures == ()


def test_model_safety_comes_with_a_safety_check_only():
    safe, exists = checked(lambda: (describe(Model(MODEL)).should.be_safe(), describe(Model(MODEL)).should.exist()))
    assert {f.name: f.value for f in safe.figures} == {"model_safe": 1.0, "model_unsafe_globals": 0.0}
    assert exists.figures == ()


def test_plain_values_carry_no_figures_and_a_failing_figures_method_costs_nothing():
    class Broken:
        def figures(self, read=""):
            raise RuntimeError("bug")

    class Measured:
        def figures(self, read=""):
            return [Figure.of("thing", 2, where=read), "not a figure"]

    [plain, broken, measured] = checked(lambda: (describe(3).should.eq(3), describe(Broken()).should.be_a_thing(),
                                                 describe(Measured()).its("x").should.eq(None)))
    assert plain.figures == () and broken.figures == ()
    assert figures_of(Measured(), "x") == (Figure.of("thing", 2, where="x"),)


def test_a_sensitive_value_in_a_figure_label_is_redacted():
    class Measured:
        x = 1

        def figures(self, read=""):
            return (Figure.of("thing", 1, model="/models/s3cret/m.npz"),)

    with recording(Recorder(secrets=["s3cret"])) as recorder:
        describe(Measured()).its("x").should.eq(1)
    assert dict(recorder.results[0].figures[0].labels) == {"model": "/models/***/m.npz"}

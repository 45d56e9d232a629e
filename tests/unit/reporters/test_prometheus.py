"""The prometheus reporter: what it writes, read back with prometheus_client's own parser."""

from __future__ import annotations

import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from inspecpy.reporters.prometheus import MAX_TAG_LENGTH, MAX_TAGS_LENGTH, PrometheusReporter
from inspecpy.results import (
    ControlResult, Figure, Platform, ProfileResult, RunResult, TestResult, Waiver, shown_status,
)
from tests.conftest import ROOT, run_cli
from tests.unit.reporters.support import SECRET, all_kinds_profile


def parse(data: bytes) -> dict[str, list]:
    """Metric name → samples (each with .labels and .value), through prometheus_client's parser."""
    found: dict[str, list] = {}
    for family in text_string_to_metric_families(data.decode("utf-8")):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def series(samples: list, **labels) -> list:
    return [s for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]


def one(samples: list, **labels) -> float:
    [match] = series(samples, **labels)
    return match.value


def control(cid: str, *statuses: str, impact: float = 0.5, waiver: Waiver | None = None, tags=None,
            figures: tuple = (), exception: str | None = None) -> ControlResult:
    results = tuple(TestResult(status, f"{cid} test {n}", exception=exception if status == "failed" else None,
                               figures=figures) for n, status in enumerate(statuses))
    return ControlResult(id=cid, title=f"title of {cid}", desc=None, impact=impact, tags=tags or {},
                         results=results, waiver=waiver)


def run_of(*controls: ControlResult, target: str = "local://", error: str | None = None,
           profile: str = "p") -> RunResult:
    return RunResult(target=target, platform=None if error else Platform("debian", "debian", "12", "x86_64"),
                     profiles=() if error else (ProfileResult(name=profile, controls=controls),),
                     duration=1.5, version="0.1.0", start_time="2024-05-01T10:00:00+00:00", error=error)


def render(*runs: RunResult) -> dict[str, list]:
    return parse(PrometheusReporter().render(list(runs)))


# -- the all-kinds profile through the real command line ------------------------------------------


def test_a_real_run_gives_every_control_its_status_and_the_totals(reports):
    metrics = parse((reports.folder / "metrics.prom").read_bytes())
    status = metrics["inspecpy_control_status"]
    got = {s.labels["control"]: s.labels["status"] for s in status}
    assert got == {"pass-1": "passed", "fail-1": "failed", "skip-1": "skipped", "error-1": "error",
                   "secret-1": "failed"}
    assert {s.value for s in status} == {1.0}
    [passing] = series(status, control="pass-1")
    assert passing.labels == {"target": "local://", "profile": "rp", "control": "pass-1", "impact": "0.7",
                              "severity": "high", "status": "passed", "tags": "nist:AC-1,nist:AC-2,web"}
    assert one(metrics["inspecpy_tests"], status="failed") == 5
    assert one(metrics["inspecpy_tests"], status="passed") == 3
    assert one(metrics["inspecpy_controls"], profile="rp", status="error") == 1
    assert one(metrics["inspecpy_controls"], profile="rp", status="failed") == 2
    assert one(metrics["inspecpy_target_up"], target="local://") == 1
    assert one(metrics["inspecpy_run_duration_seconds"], target="local://") > 0


def test_no_message_title_or_secret_reaches_a_label(reports):
    text = (reports.folder / "metrics.prom").read_text()
    assert SECRET not in text
    assert "boom" not in text and "Fails | with a pipe" not in text and "expected" not in text


# -- statuses and waivers ------------------------------------------------------------------------


def test_a_waived_failure_is_waived_and_a_waived_pass_stays_passed():
    accepted = Waiver(justification="ticket 42")
    metrics = render(run_of(control("w-fail", "failed", waiver=accepted),
                            control("w-error", "failed", waiver=accepted, exception="OSError"),
                            control("w-pass", "passed", waiver=accepted),
                            control("w-skip", "skipped", waiver=Waiver("not run", run=False)),
                            control("plain", "failed")))
    got = {s.labels["control"]: s.labels["status"] for s in metrics["inspecpy_control_status"]}
    assert got == {"w-fail": "waived", "w-error": "waived", "w-pass": "passed", "w-skip": "skipped",
                   "plain": "failed"}
    assert one(metrics["inspecpy_controls"], status="waived") == 2


def test_a_waived_failing_test_is_counted_waived_in_the_tests_metric():
    """inspecpy_tests counted raw statuses: a waived failure was ``failed`` there, ``waived`` everywhere else."""
    metrics = render(run_of(control("w-fail", "failed", "passed", waiver=Waiver("ticket 42")),
                            control("plain", "failed", "skipped")))
    got = {s.labels["status"]: s.value for s in metrics["inspecpy_tests"]}
    assert got == {"passed": 1, "failed": 1, "skipped": 1, "waived": 1}


def test_the_status_label_is_the_one_waiver_rule():
    assert shown_status(control("c", "failed", waiver=Waiver("x"))) == "waived"
    assert shown_status(control("c", "failed", exception="E")) == "error"
    assert shown_status(control("c", "passed", "skipped")) == "passed"


def test_an_unreachable_target_is_down_and_has_no_controls():
    metrics = render(run_of(control("a", "passed")), run_of(target="ssh://me@db1:22", error="Connection refused"))
    assert one(metrics["inspecpy_target_up"], target="ssh://me@db1:22") == 0
    assert one(metrics["inspecpy_target_up"], target="local://") == 1
    assert not series(metrics["inspecpy_control_status"], target="ssh://me@db1:22")
    assert "Connection refused" not in PrometheusReporter().render([run_of(error="Connection refused")]).decode()


def test_several_targets_share_one_file_without_duplicate_series():
    runs = [run_of(control("a", "passed"), target=f"ssh://me@web{n}") for n in range(3)]
    data = PrometheusReporter().render(runs)
    lines = [line for line in data.decode().splitlines() if not line.startswith("#")]
    assert len(lines) == len(set(lines))
    assert len(parse(data)["inspecpy_control_status"]) == 3


# -- label values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("cid", ['quote " and \\ backslash', "new\nline", "ünïcødé ✓ 控制", "tab\there", "{}=,"])
def test_control_ids_round_trip_through_the_exposition_format(cid):
    metrics = render(run_of(control(cid, "passed", tags={f"t-{cid}": None, "n": cid})))
    [sample] = metrics["inspecpy_control_status"]
    assert sample.labels["control"] == cid
    assert sample.labels["tags"] == f"t-{cid},n:{cid}"


def test_a_lone_surrogate_becomes_the_replacement_character():
    metrics = render(run_of(control("bad\udcffbyte", "passed")))
    assert [s.labels["control"] for s in metrics["inspecpy_control_status"]] == ["bad\ufffdbyte"]


def test_long_tags_are_prose_and_stay_out_of_labels_and_the_tags_label_is_bounded():
    prose = "x" * (MAX_TAG_LENGTH + 1)
    metrics = render(run_of(control("c", "passed", tags={"check": prose, "nist": ["AC-1"]})))
    assert [s.labels["tags"] for s in metrics["inspecpy_control_status"]] == ["nist:AC-1"]
    many = {"cci": [f"CCI-{n:06d}" for n in range(100)]}
    [sample] = render(run_of(control("c", "passed", tags=many)))["inspecpy_control_status"]
    assert len(sample.labels["tags"]) <= MAX_TAGS_LENGTH
    assert sample.labels["tags"].startswith("cci:CCI-000000,cci:CCI-000001,")
    assert sample.labels["tags"].split(",")[-1].startswith("cci:CCI-")  # whole tags only


# -- figures -------------------------------------------------------------------------------------------


def test_figures_become_gauges_labelled_by_where_they_were_measured():
    robust = Figure.of("model_robust_accuracy", 0.82, "Accuracy under attack", model="m.npz", attack="pgd",
                       eps=0.1, norm="inf")
    drift = Figure.of("dataset_drift_statistic", 0.3, "PSI", dataset="d.csv", column="age", method="psi")
    metrics = render(run_of(control("robust", "passed", figures=(robust,)), control("drift", "failed",
                                                                                     figures=(drift,))))
    [sample] = metrics["inspecpy_model_robust_accuracy"]
    assert sample.value == 0.82
    assert sample.labels == {"target": "local://", "profile": "p", "control": "robust", "model": "m.npz",
                             "attack": "pgd", "eps": "0.1", "norm": "inf"}
    assert one(metrics["inspecpy_dataset_drift_statistic"], column="age", control="drift") == 0.3


def test_a_figure_measured_twice_is_one_series_and_bad_names_are_left_out():
    first, again = Figure.of("model_safe", 1, model="m"), Figure.of("model_safe", 0, model="m")
    clash = Figure.of("model_safe", 1, model="n", control="mine")
    bad = Figure.of("Not A Metric!", 1)
    metrics = render(run_of(control("c", "passed", "failed", figures=(first, again, clash, bad))))
    assert one(metrics["inspecpy_model_safe"], model="m") == 0
    assert series(metrics["inspecpy_model_safe"], model="n", exported_control="mine", control="c")
    assert not any("Not" in name for name in metrics)


def test_figures_from_a_real_mlsvs_run(tmp_path):
    """The shipped ML profile: robustness, drift, PII and model safety reach the metrics."""
    out = tmp_path / "ml.prom"
    run = run_cli("exec", ROOT / "profiles" / "mlsvs", "--reporter", f"prometheus:{out}",
                  f"json:{tmp_path / 'r.json'}")
    assert run.code in (0, 100), run.err
    metrics = parse(out.read_bytes())
    robust = metrics["inspecpy_model_robust_accuracy"]
    assert {s.labels["attack"] for s in robust} == {"fgsm", "pgd"}
    clean = metrics["inspecpy_model_clean_accuracy"]
    assert all(0 <= s.value <= 1 for s in robust + clean)
    assert all(one(robust, attack=a) <= one(clean, attack=a) for a in ("fgsm", "pgd"))
    assert metrics["inspecpy_model_accuracy"][0].value == one(clean, attack="pgd")
    assert {s.labels["column"] for s in metrics["inspecpy_dataset_drift_statistic"]} >= {"x0", "x63"}
    assert one(metrics["inspecpy_dataset_pii_findings"], kind="email") > 0
    assert {s.labels["format"] for s in metrics["inspecpy_model_safe"]} >= {"npz"}
    # the InSpec formats leave the figures out
    assert "figures" not in (tmp_path / "r.json").read_text()


def test_the_json_report_is_the_same_with_or_without_figures():
    from inspecpy.reporters.json import JsonReporter

    plain = run_of(control("c", "passed"))
    measured = run_of(control("c", "passed", figures=(Figure.of("model_safe", 1, model="m"),)))
    assert JsonReporter().render([plain]) == JsonReporter().render([measured])
    assert json.loads(JsonReporter().render([measured]))["profiles"][0]["controls"][0]["results"]


def test_the_output_is_valid_for_node_exporters_textfile_collector():
    """One HELP and TYPE per metric, no timestamps (the textfile collector refuses them), newline at the end."""
    data = PrometheusReporter().render([run_of(control("a", "passed", figures=(Figure.of("model_safe", 1),)))])
    text = data.decode()
    assert text.endswith("\n")
    helps = [line.split()[2] for line in text.splitlines() if line.startswith("# HELP")]
    assert len(helps) == len(set(helps))
    for line in text.splitlines():
        if not line.startswith("#"):
            assert len(line.rsplit("}", 1)[-1].split()) == 1, line  # a value, no timestamp


def test_a_pushgateway_password_with_a_slash_is_never_shown():
    """The reporter's own URL redaction (urlsplit) showed ``u@u:pa/ss@h``: the netloc ends at the ``/``."""
    from inspecpy.errors import UsageError
    from inspecpy.reporters.prometheus import pushgateway

    with pytest.raises(UsageError) as error:
        pushgateway("http://u:pa/ss@gw:9091")
    message = str(error.value)
    assert ":pa" not in message and "pa/ss" not in message and "'http://u@gw:9091'" in message

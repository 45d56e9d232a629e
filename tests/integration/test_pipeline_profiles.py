"""ci-baseline and kserve-baseline on their example repositories and on this project's own workflow,
locally and over SSH (the same files read through the SSH target give the same verdicts).

zizmor and kubernetes-validate are installed by the test extra, so ci-09 and
kserve-00's schema check run for real here.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, run_cli

CI = ROOT / "profiles" / "ci-baseline"
KSERVE = ROOT / "profiles" / "kserve-baseline"


def run(profile, input_name: str, path, tmp_path, *args: str, inputs: tuple[str, ...] = ()) -> tuple[int, dict]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    report = tmp_path / "report.json"
    result = run_cli("exec", profile, "--input", f"{input_name}={path}", *inputs, "--reporter", f"json:{report}",
                     "--no-color", *args)
    assert result.code in (0, 100), result.out + result.err
    return result.code, json.loads(report.read_text())


def failures(report: dict, base) -> dict[str, list[str]]:
    """Control id → the files (relative to *base*) it failed, in order; every result names its file."""
    found: dict[str, list[str]] = {}
    for control in report["profiles"][0]["controls"]:
        for r in control["results"]:
            assert str(base) in r["code_desc"], r["code_desc"]
            assert not r.get("exception"), r
            if r["status"] != "passed":
                name = next(w for w in r["code_desc"].split() if w.startswith(str(base)))
                found.setdefault(control["id"], []).append(name[len(str(base)) + 1:])
    return found


@pytest.mark.parametrize("profile", [CI, KSERVE])
def test_profiles_are_valid(profile):
    result = run_cli("check", profile)
    assert result.code == 0, result.out + result.err
    assert "Summary: 0 error(s), 0 warning(s)" in result.out


def test_ci_baseline_passes_its_passing_example_and_this_project(tmp_path):
    passing = CI / "files" / "passing" / "workflows"
    code, report = run(CI, "workflows_path", passing, tmp_path / "example")
    assert (code, failures(report, passing)) == (0, {})
    controls = report["profiles"][0]["controls"]
    assert len(controls) == 10 and all(len(c["results"]) >= 2 for c in controls)
    own = ROOT / ".github" / "workflows"
    code, report = run(CI, "workflows_path", own, tmp_path / "own")
    assert (code, failures(report, own)) == (0, {})


def test_ci_baseline_names_each_finding_of_the_failing_example(tmp_path):
    failing = CI / "files" / "failing" / "workflows"
    code, report = run(CI, "workflows_path", failing, tmp_path)
    assert code == 100
    assert failures(report, failing) == {
        "ci-01": ["cml.yml", "label-pr.yml"], "ci-02": ["cml.yml", "label-pr.yml"], "ci-03": ["label-pr.yml"],
        "ci-04": ["label-pr.yml"], "ci-05": ["cml.yml", "label-pr.yml"], "ci-06": ["cml.yml", "cml.yml"],
        "ci-07": ["cml.yml"], "ci-08": ["cml.yml"], "ci-09": ["cml.yml", "label-pr.yml"],
    }
    messages = {(c["id"], r["message"]) for c in report["profiles"][0]["controls"] for r in c["results"]
                if r["status"] == "failed"}
    assert ("ci-06", 'expected ["API_KEY written to api_key.txt (script line 2)"] to be empty') in messages
    assert ("ci-07", 'expected ["train-and-report/actions/upload-artifact@v4"] to be empty') in messages
    assert ("ci-04", 'expected ["github.event.pull_request.title"] to be empty') in messages


def test_an_allowlisted_owner_may_use_tags(tmp_path):
    failing = CI / "files" / "failing" / "workflows"
    _, report = run(CI, "workflows_path", failing, tmp_path, "--controls", "ci-01",
                    inputs=("allowed_unpinned_actions=[iterative, actions/checkout]",))
    assert failures(report, failing) == {"ci-01": ["cml.yml"]}
    messages = [r["message"] for r in report["profiles"][0]["controls"][0]["results"] if r["status"] == "failed"]
    assert messages == ['expected ["actions/setup-python@v5", "actions/upload-artifact@v4"] to be empty']


def test_kserve_baseline_on_its_examples(tmp_path):
    passing = KSERVE / "files" / "passing"
    code, report = run(KSERVE, "manifests_path", passing, tmp_path / "passing")
    assert (code, failures(report, passing)) == (0, {})
    failing = KSERVE / "files" / "failing"
    code, report = run(KSERVE, "manifests_path", failing, tmp_path / "failing")
    both = ["inference-service.yaml", "kubectl-get.yaml"]
    assert (code, failures(report, failing)) == (100, {
        "kserve-01": both, "kserve-02": ["kubectl-get.yaml"], "kserve-03": both, "kserve-04": both,
        "kserve-05": both, "kserve-06": both, "kserve-07": ["kubectl-get.yaml"], "kserve-08": both,
        "kserve-09": ["kubectl-get.yaml"], "kserve-10": ["inference-service.yaml"],
        "kserve-11": ["inference-service.yaml", "inference-service.yaml"], "kserve-12": ["inference-service.yaml"],
    })


def test_production_namespaces_input_changes_the_replica_verdict(tmp_path):
    failing = KSERVE / "files" / "failing"
    _, report = run(KSERVE, "manifests_path", failing, tmp_path, "--controls", "kserve-12",
                    inputs=("production_namespaces=[live]",))
    assert failures(report, failing) == {}


@pytest.mark.integration
@pytest.mark.parametrize("profile, input_name, path", [
    (CI, "workflows_path", CI / "files" / "failing" / "workflows"),
    (KSERVE, "manifests_path", KSERVE / "files" / "failing"),
])
def test_same_verdicts_over_ssh(profile, input_name, path, sshd, tmp_path):
    local_code, local = run(profile, input_name, path, tmp_path / "local")
    remote_code, remote = run(profile, input_name, path, tmp_path / "ssh", *sshd.args("--sudo"))
    assert remote_code == local_code == 100
    assert failures(remote, path) == failures(local, path)

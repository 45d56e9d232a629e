"""Bad input for ci-baseline and kserve-baseline: each case is one clear failed result for the file
it concerns, nothing crashes, the other files and controls are still judged and the report is written.

The shipped profiles run through the command line, as a user runs them, with a json report.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.conftest import ROOT, run_cli

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"
GOOD_WORKFLOW = f"""\
on: push
permissions: {{}}
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions: {{contents: read}}
    steps:
      - uses: actions/checkout@{SHA}
        with: {{persist-credentials: false}}
      - run: make test
"""
GOOD_MANIFEST = """\
apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: dev}
spec:
  automountServiceAccountToken: false
  containers:
    - name: c
      image: "example/app@sha256:%s"
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
      resources: {limits: {cpu: "1", memory: 1Gi}}
""" % ("ab" * 32)


def judge(profile: str, input_name: str, path, tmp_path) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """Run a shipped profile; control id → {file named in code_desc → [(status, message)]}."""
    report = tmp_path / "report.json"
    result = run_cli("exec", ROOT / "profiles" / profile, "--input", f"{input_name}={path}",
                     "--reporter", f"json:{report}", "--no-color")
    assert result.code in (0, 100, 101), result.err
    assert "Traceback" not in result.out + result.err
    verdicts: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for control in json.loads(report.read_text())["profiles"][0]["controls"]:
        per_file = verdicts.setdefault(control["id"], {})
        for r in control["results"]:
            assert not r.get("exception"), r  # a clear failure, never a crash
            named = next((w.rstrip("/") for w in r["code_desc"].split() if w.startswith(str(path))), "-")
            per_file.setdefault(named, []).append((r["status"], r.get("message") or r.get("skip_message") or ""))
    return verdicts


def workflows(tmp_path, **files: str):
    folder = tmp_path / "repo" / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "good.yml").write_text(GOOD_WORKFLOW)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text) if isinstance(text, str) else text)
    return folder


def assert_good_file_still_judged(verdicts, folder):
    good = str(folder / "good.yml")
    for control, per_file in verdicts.items():
        assert {s for s, _ in per_file[good]} == {"passed"}, (control, per_file[good])


def only_failure(verdicts, file) -> set[str]:
    """The distinct messages of every result about *file* (all must be failures)."""
    results = [r for per_file in verdicts.values() for r in per_file.get(str(file), [])]
    assert results and {s for s, _ in results} == {"failed"}, results
    return {m for _, m in results}


# ------------------------------------------------------------------- workflows
def test_a_workflow_that_is_not_a_mapping(tmp_path):
    folder = workflows(tmp_path, **{"list.yml": "- on: push\n- jobs: {}\n"})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    messages = only_failure(verdicts, folder / "list.yml")
    assert messages - {f"zizmor could not audit {folder / 'list.yml'}: failed to load "
                       f"{folder / 'list.yml'} as workflow"} == {
        f"{folder / 'list.yml'}: a workflow must be a mapping with 'on:' and 'jobs:' (got a list)"}
    assert_good_file_still_judged(verdicts, folder)


def test_on_as_a_number_is_named(tmp_path):
    folder = workflows(tmp_path, **{"num.yml": "on: 42\njobs: {a: {runs-on: x, steps: [{run: ls}]}}\n"})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    assert verdicts["ci-00"][str(folder / "num.yml")] == [
        ("failed", f"{folder / 'num.yml'}: 'on:' must be an event name, a list or a mapping of events (got int)")]
    assert_good_file_still_judged(verdicts, folder)


@pytest.mark.parametrize("on", ["push", "[push, pull_request]", "{push: {branches: [main]}, pull_request: null}"])
def test_on_as_string_list_or_map_is_judged_alike(tmp_path, on):
    folder = workflows(tmp_path, **{"on.yml": GOOD_WORKFLOW.replace("on: push", f"on: {on}")})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    for control, per_file in verdicts.items():
        assert {s for s, _ in per_file[str(folder / "on.yml")]} == {"passed"}, control


def test_a_matrix_uses_is_not_pinned_and_says_so(tmp_path):
    folder = workflows(tmp_path, **{"matrix.yml": GOOD_WORKFLOW.replace(
        "      - run: make test\n",
        "      - uses: ${{ matrix.action }}\n    strategy:\n      matrix:\n"
        "        action: [actions/setup-python@v5, actions/setup-node@v4]\n")})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    assert verdicts["ci-01"][str(folder / "matrix.yml")] == [
        ("failed", 'expected ["${{ matrix.action }}"] to be empty')]
    assert_good_file_still_judged(verdicts, folder)


def test_an_expression_spanning_lines_is_found(tmp_path):
    folder = workflows(tmp_path, **{"multi.yml": GOOD_WORKFLOW.replace(
        "      - run: make test\n",
        '      - run: |\n          echo "${{\n            github.event.head_commit.message\n          }}"\n')})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    assert verdicts["ci-04"][str(folder / "multi.yml")] == [
        ("failed", 'expected ["github.event.head_commit.message"] to be empty')]
    assert [s for s, _ in verdicts["ci-09"][str(folder / "multi.yml")]] == ["failed"]  # zizmor agrees
    assert_good_file_still_judged(verdicts, folder)


def test_a_huge_workflow_and_an_alias_bomb(tmp_path):
    bomb = "on: push\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    bomb += "jobs: {t: {runs-on: x, steps: [{run: ls, with: *i}]}}\n"
    folder = workflows(tmp_path, **{"huge.yml": "# padding\n" * 500_000, "bomb.yml": bomb})
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    huge = only_failure(verdicts, folder / "huge.yml")
    assert f"{folder / 'huge.yml'}: 4.8 MiB is larger than the 4 MiB this resource reads" in huge
    bombed = only_failure(verdicts, folder / "bomb.yml")
    assert (f"{folder / 'bomb.yml'}: YAML aliases expand to more than 1,000,000 nodes "
            "(a 'billion laughs' document)") in bombed
    assert_good_file_still_judged(verdicts, folder)


def test_an_empty_workflow_folder_is_no_pass(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    verdicts = judge("ci-baseline", "workflows_path", folder, tmp_path)
    for control, per_file in verdicts.items():
        assert per_file == {str(folder): [("failed", "expected [] not to be empty")]}, control


# ------------------------------------------------------------------- manifests
def manifests(tmp_path, **files: str):
    folder = tmp_path / "deploy"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD_MANIFEST)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


def test_unknown_kinds_and_crds_are_objects_without_pod_templates(tmp_path):
    folder = manifests(tmp_path, **{"crd.yaml": """\
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        spec: {size: 3}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: Namespaced, versions: []}
        """})
    verdicts = judge("kserve-baseline", "manifests_path", folder, tmp_path)
    for control, per_file in verdicts.items():
        assert {s for s, _ in per_file[str(folder / "crd.yaml")]} == {"passed"}, control
        assert {s for s, _ in per_file[str(folder / "good.yaml")]} == {"passed"}, control


def test_a_dashes_only_file(tmp_path):
    folder = manifests(tmp_path, **{"empty.yaml": "---\n---\n"})
    in_folder = judge("kserve-baseline", "manifests_path", folder, tmp_path)
    assert all(str(folder / "empty.yaml") not in per_file for per_file in in_folder.values())
    alone = judge("kserve-baseline", "manifests_path", folder / "empty.yaml", tmp_path)
    assert alone["kserve-00"] == {str(folder / "empty.yaml"): [("failed", "expected [] not to be empty")]}


def test_an_unrendered_helm_template_is_one_clear_message(tmp_path):
    folder = manifests(tmp_path, **{"deployment.yaml": """\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ include "chart.fullname" . }}
        spec:
          replicas: {{ .Values.replicaCount }}
        """})
    verdicts = judge("kserve-baseline", "manifests_path", folder, tmp_path)
    assert only_failure(verdicts, folder / "deployment.yaml") == {
        f"{folder / 'deployment.yaml'}:4: a Helm template, not a manifest ({{{{ … }}}} is not rendered): "
        "run `helm template` and check its output"}
    for control, per_file in verdicts.items():
        assert {s for s, _ in per_file[str(folder / "good.yaml")]} == {"passed"}, control


def test_invalid_yaml_and_schema_errors_name_file_and_line(tmp_path):
    folder = manifests(tmp_path, **{"broken.yaml": "apiVersion: v1\nkind: Pod\nmetadata: [\n",
                                   "wrong.yaml": GOOD_MANIFEST.replace("metadata: {name: ok, namespace: dev}",
                                                                       "metadata: {name: 7}")})
    verdicts = judge("kserve-baseline", "manifests_path", folder, tmp_path)
    assert only_failure(verdicts, folder / "broken.yaml") == {
        f"{folder / 'broken.yaml'}:4: not valid YAML (did not find expected node content)"}
    assert verdicts["kserve-00"][str(folder / "wrong.yaml")] == [
        ("passed", ""), ("failed", f'expected ["{folder / "wrong.yaml"}: Pod/7: metadata.name: 7 is not of type '
                                   "'string', 'null'\"] to be empty")]

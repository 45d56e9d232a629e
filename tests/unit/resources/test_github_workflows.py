"""github_workflow(s) and zizmor: what a workflow file says, read as GitHub reads it.

Workflows are real files in a temporary checkout, read through the local
target; zizmor is the real binary of the installed package.
"""

from __future__ import annotations

import textwrap
from importlib import metadata

import pytest

from inspecpy import describe
from inspecpy.cicd.expressions import attacker_controllable, contexts_of, find_expressions
from inspecpy.cicd.scripts import secret_leaks
from inspecpy.cicd.uses import split_uses
from inspecpy.resources import github_workflow, github_workflows, zizmor

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


@pytest.fixture
def repo(tmp_path):
    """A checkout: ``repo(name=text, ...)`` writes .github/workflows files; returns the folder."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)

    def write(**files: str):
        for name, text in files.items():
            path = tmp_path / name if "/" in name else workflows / f"{name}.yml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return workflows

    return write


def steps_of(workflows, name):
    return github_workflow(str(workflows / f"{name}.yml"))


# ------------------------------------------------------------------ triggers
@pytest.mark.parametrize("on, expected", [
    ("push", ["push"]),
    ("[push, pull_request_target]", ["push", "pull_request_target"]),
    ("{push: {branches: [main]}, workflow_run: {workflows: [ci]}}", ["push", "workflow_run"]),
])
def test_on_as_string_list_or_map(repo, on, expected):
    workflows = repo(ci=f"on: {on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{{run: ls}}]\n")
    wf = steps_of(workflows, "ci")
    assert wf.triggers == expected
    assert wf.dangerous_triggers == [t for t in expected if t in ("pull_request_target", "workflow_run")]


def test_yaml_anchors_and_merge_keys_are_resolved(repo):
    workflows = repo(ci="""
        on: push
        jobs:
          a: &base
            runs-on: ubuntu-latest
            permissions: {contents: read}
            steps:
              - &checkout
                uses: actions/checkout@v4
                with: {persist-credentials: false}
          b:
            <<: *base
            steps: [*checkout, {run: make}]
        """)
    wf = steps_of(workflows, "ci")
    assert wf.jobs.jobs == ["a", "b"]
    assert wf.jobs.permissions_sources == ["job", "job"]
    assert wf.where(job="b").uses == ["actions/checkout@v4", None]
    assert wf.where(persist_credentials=False).count == 2


# --------------------------------------------------------------- permissions
def test_permissions_resolve_as_github_does(repo):
    workflows = repo(
        absent="on: push\njobs:\n  a: {runs-on: x, steps: [{run: ls}]}\n  b: {runs-on: x, steps: [{run: ls}]}\n",
        top="on: push\npermissions: {contents: write}\njobs:\n  a: {runs-on: x, steps: [{run: ls}]}\n"
            "  b: {runs-on: x, permissions: {contents: read}, steps: [{run: ls}]}\n",
        reusable="on: workflow_call\njobs:\n  a: {runs-on: x, steps: [{run: ls}]}\n",
        writeall="on: push\njobs:\n  a: {runs-on: x, permissions: write-all, steps: [{run: ls}]}\n",
    )
    absent = steps_of(workflows, "absent")
    assert absent.permissions == "default"
    assert absent.jobs.permissions == ["default", "default"]
    assert absent.permissions_declared is False
    assert absent.permission_problems == [
        "job a: no permissions block (the repository default token)",
        "job b: no permissions block (the repository default token)"]
    top = steps_of(workflows, "top")
    assert top.jobs.permissions_sources == ["workflow", "job"]
    assert top.permission_problems == ["job a: inherits contents: write granted at the workflow level"]
    reusable = steps_of(workflows, "reusable")
    assert reusable.reusable and reusable.jobs.permissions_sources == ["caller"]
    assert reusable.permission_problems == []
    assert steps_of(workflows, "writeall").permission_problems == ["job a: write-all (job level)"]


# ---------------------------------------------------------------------- uses
@pytest.mark.parametrize("uses, parts", [
    (f"actions/checkout@{SHA}", ("actions", "checkout", None, SHA, "sha", True)),
    ("actions/checkout@v4", ("actions", "checkout", None, "v4", "tag", False)),
    ("github/codeql-action/upload-sarif@v3.28.1", ("github", "codeql-action", "upload-sarif", "v3.28.1", "tag", False)),
    ("iterative/setup-cml@main", ("iterative", "setup-cml", None, "main", "branch", False)),
    ("some/action@11bd719", ("some", "action", None, "11bd719", "unknown", False)),
    ("some/action", ("some", "action", None, None, "unknown", False)),
    ("./.github/actions/setup", (None, None, "./.github/actions/setup", None, "local", True)),
    ("docker://alpine:3.20", (None, "alpine", None, "3.20", "tag", False)),
    ("docker://alpine@sha256:" + "a" * 64, (None, "alpine", None, "sha256:" + "a" * 64, "digest", True)),
    ("${{ matrix.action }}", (None, None, None, None, "unknown", False)),
])
def test_uses_is_split_into_owner_repo_path_and_ref(uses, parts):
    got = split_uses(uses)
    assert (got["owner"], got["repo"], got["action_path"], got["ref"], got["ref_kind"], got["pinned"]) == parts


def test_reusable_workflow_calls_and_local_composite_actions_are_read(repo):
    workflows = repo(ci=f"""
        on: pull_request
        permissions: {{}}
        jobs:
          build:
            runs-on: [self-hosted, gpu]
            permissions: {{contents: read}}
            steps:
              - uses: actions/checkout@{SHA}
                with: {{persist-credentials: false}}
              - uses: ./.github/actions/setup
          release:
            permissions: {{contents: read}}
            uses: org/shared/.github/workflows/release.yml@v1
            secrets: inherit
        """, **{".github/actions/setup/action.yml": """
        runs:
          using: composite
          steps:
            - uses: actions/setup-python@v5
            - shell: bash
              run: echo "${{ github.event.pull_request.title }}"
        """})
    wf = steps_of(workflows, "ci")
    assert wf.labels == ["build/actions/checkout@" + SHA, "build/./.github/actions/setup",
                         "build/actions/setup-python@v5 (in ./.github/actions/setup)",
                         "build/step 2 (in ./.github/actions/setup)", "release/org/shared/.github/workflows/release.yml@v1"]
    assert wf.where(pinned=False).uses == ["actions/setup-python@v5", "org/shared/.github/workflows/release.yml@v1"]
    assert wf.where(lambda s: s.injections).labels == ["build/step 2 (in ./.github/actions/setup)"]
    call = wf.where(kind="call").entries[0]
    assert (call["owner"], call["repo"], call["action_path"], call["secrets"]) == (
        "org", "shared", ".github/workflows/release.yml", ["*"])
    assert wf.jobs.where(job="build").entries[0]["self_hosted"] is True
    assert wf.jobs.where(job="release").calls == ["org/shared/.github/workflows/release.yml@v1"]


# --------------------------------------------------------------- expressions
def test_expressions_spanning_lines_are_found_and_judged():
    script = 'echo "${{\n  github.event.issue.title }}" && echo ${{ github.sha }} ${{ toJSON(github.event) }}'
    found = find_expressions(script)
    assert [(e["line"], e["contexts"], e["untrusted"]) for e in found] == [
        (1, ["github.event.issue.title"], ["github.event.issue.title"]),
        (2, ["github.sha"], []),
        (2, ["github.event"], ["github.event"]),
    ]


@pytest.mark.parametrize("context, untrusted", [
    ("github.event.pull_request.title", True), ("github.event.pull_request.head.ref", True),
    ("github.head_ref", True), ("github.event.commits.*.message", True),
    ("github.event.comment.body", True), ("github.event.workflow_run.head_branch", True),
    ("github.event.pull_request.number", False), ("github.sha", False), ("inputs.version", False),
    ("github.event.inputs.name", False), ("github.event.repository.name", False), ("secrets.TOKEN", False),
])
def test_attacker_controllable_contexts(context, untrusted):
    assert attacker_controllable(context) is untrusted


def test_contexts_ignore_string_literals_and_normalise_indexes():
    assert contexts_of("format('github.event.issue.title {0}', github.event.commits[0]['message'])") == [
        "github.event.commits.*.message"]


# ------------------------------------------------------------------- secrets
def test_secret_leaks_in_scripts():
    script = textwrap.dedent("""\
        echo "::add-mask::$TOKEN"
        echo $API_KEY > api_key.txt
        echo "$API_KEY" | docker login -u me --password-stdin
        echo ${{ secrets.PYPI }}
        cat > creds.json <<EOF
        {"key": "$API_KEY"}
        EOF
        curl -H "Authorization: $TOKEN" \\
          https://example.com | tee out.log
        """)
    leaks = [(l["kind"], l["secret"], l["line"], l["target"]) for l in secret_leaks(script, {"API_KEY", "TOKEN"})]
    assert leaks == [("file", "API_KEY", 2, "api_key.txt"), ("log", "PYPI", 4, None),
                     ("file", "API_KEY", 6, "creds.json"), ("file", "TOKEN", 8, "out.log")]


def test_secret_hygiene_columns(repo):
    workflows = repo(ml="""
        on: push
        env: {GDRIVE: "${{ secrets.GDRIVE }}"}
        jobs:
          train:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v2
              - env: {API_KEY: "${{ secrets.API_KEY }}"}
                run: |
                  set -x
                  echo $API_KEY > api_key.txt
              - run: echo "$GDRIVE" > gdrive.json && dvc pull
              - run: rm -f gdrive.json
                if: always()
              - uses: actions/upload-artifact@v4
                with: {path: models/model.pkl}
        """)
    wf = steps_of(workflows, "ml")
    assert wf.secret_leaks == ["API_KEY written to api_key.txt (script line 2)",
                               "GDRIVE written to gdrive.json (script line 1)"]
    assert wf.where(traces_secrets=True).labels == ["train/step 2"]
    assert wf.uncleaned_credentials == ["file api_key.txt"]
    assert wf.where(persist_credentials=True).labels == ["train/actions/checkout@v2"]
    assert wf.missing_before_publish == ["model scan", "signature"]


def test_a_scanned_and_signed_model_may_be_published(repo):
    workflows = repo(ml="""
        on: push
        jobs:
          train:
            runs-on: ubuntu-latest
            steps:
              - run: inspecpy exec profiles/mlsvs --input model_path=model.onnx
              - run: cosign sign-blob --yes model.onnx --bundle model.onnx.sigstore
              - run: huggingface-cli upload org/model model.onnx
        """)
    wf = steps_of(workflows, "ml")
    assert wf.where(publishes_model=True).labels == ["train/step 3"]
    assert wf.missing_before_publish == []


# ------------------------------------------------------------------ plural
def test_github_workflows_reads_every_file_of_the_folder(repo):
    workflows = repo(a="on: push\njobs: {x: {runs-on: y, steps: [{uses: actions/checkout@v4}]}}\n",
                     b=f"on: push\njobs: {{x: {{runs-on: y, steps: [{{uses: actions/checkout@{SHA}}}]}}}}\n")
    (workflows / "notes.txt").write_text("not a workflow")
    table = github_workflows(str(workflows))
    assert table.workflow_files == [str(workflows / "a.yml"), str(workflows / "b.yml")]
    assert table.where(ref_kind="tag").files == [str(workflows / "a.yml")]
    assert len(table.jobs.where(permissions_source="default").jobs) == 2
    result = describe(table.where(pinned=False)).its("uses").should.be_empty()
    assert result.status == "failed" and "actions/checkout@v4" in result.message


# ------------------------------------------------------------------- zizmor
def test_zizmor_findings_are_a_table(repo):
    workflows = repo(bad="""
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: echo "${{ github.event.pull_request.title }}"
        """, good=f"""
        on: push
        permissions: {{}}
        jobs:
          a:
            runs-on: ubuntu-latest
            permissions: {{contents: read}}
            steps:
              - uses: actions/checkout@{SHA}
                with: {{persist-credentials: false}}
        """)
    found = zizmor(str(workflows))
    bad = str(workflows / "bad.yml")
    assert set(found.where(severity="high").audits) >= {"dangerous-triggers", "template-injection", "unpinned-uses"}
    assert found.files == [bad]
    assert found.where(audit="template-injection").lines == [8]
    assert zizmor(str(workflows / "good.yml")).where(severity="high").count == 0


def test_zizmor_absent_is_a_skip_that_says_why(repo, monkeypatch):
    workflows = repo(ci="on: push\njobs: {a: {runs-on: x, steps: [{run: ls}]}}\n")
    real = metadata.distribution

    def without_zizmor(name):
        if name == "zizmor":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(metadata, "distribution", without_zizmor)
    result = describe(zizmor(str(workflows))).its("audits").should.be_empty()
    assert result.status == "skipped"
    assert result.skip_message == "zizmor is not installed (pip install 'inspecpy[zizmor]')"

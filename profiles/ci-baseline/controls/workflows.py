"""GitHub Actions workflows: pinning, token permissions, poisoned pipelines, credential hygiene, ML gates.

Every result names the workflow file it judged, so a report reads per file.
"""

from inspecpy import control, describe, input
from inspecpy.errors import ResourceFailed
from inspecpy.resources import github_workflow, github_workflows, zizmor

PATH = input("workflows_path", value=".github/workflows")
ROOT = input("repository_root", value="") or None
ALLOWED = [str(a).strip("/") for a in input("allowed_unpinned_actions", value=[]) or []]


def workflow_files() -> list[str]:
    """The files to judge; none is a failed result (checking nothing is no pass)."""
    table = github_workflows(PATH, root=ROOT)
    try:
        files = table.workflow_files
    except ResourceFailed:
        files = []
    if not files:
        describe(table).its("workflow_files").should_not.be_empty()
    return files


def workflows():
    return [github_workflow(file, root=ROOT) for file in workflow_files()]


def unpinned(step) -> bool:
    """A third-party reference by tag, branch or nothing (allowlisted owners excepted)."""
    if step.pinned is not False:
        return False
    return not any(step.owner == a or f"{step.owner}/{step.repo}" == a for a in ALLOWED)


def injectable(step) -> bool:
    return bool(step.injections)


def leaves_credentials(step) -> bool:
    return bool(step.uncleaned_credentials)


def publishes_unguarded(step) -> bool:
    return bool(step.missing_before_publish)


@control("ci-00", impact="high", title="Workflow files are valid workflows",
         desc="A file GitHub cannot read as a workflow is a broken pipeline, and nothing else here can judge it.",
         tags={"owasp_cicd": ["CICD-SEC-1"]})
def _():
    for wf in workflows():
        describe(wf).its("triggers").should_not.be_empty()


@control("ci-01", impact="high", title="Actions and reusable workflows are pinned to full commit SHAs",
         desc="A tag or a branch is moved by whoever controls the action's repository (tj-actions/changed-files, "
              "2025); a 40-hex commit cannot be. Allowlisted owners (input allowed_unpinned_actions) may use tags.",
         tags={"owasp_cicd": ["CICD-SEC-3", "CICD-SEC-8"], "slsa": ["Build L3: isolated (no mutable build inputs)"],
               "zizmor": ["unpinned-uses"]})
def _():
    for wf in workflows():
        describe(wf.where(unpinned)).its("uses").should.be_empty()


@control("ci-02", impact="high", title="Every job's token is declared with least privilege",
         desc="Without a permissions block a job gets the repository's default token, often write to "
              "everything. Declare permissions per job (or read-only at the top), never write-all/read-all, "
              "and grant write at the workflow level only when one job needs it.",
         tags={"owasp_cicd": ["CICD-SEC-5", "CICD-SEC-6"], "slsa": ["Build L2: hosted, least-privilege build"],
               "zizmor": ["excessive-permissions"]})
def _():
    for wf in workflows():
        describe(wf).its("permission_problems").should.be_empty()


@control("ci-03", impact="critical", title="No privileged trigger checks out untrusted code",
         desc="pull_request_target and workflow_run run with the base repository's secrets and write token; "
              "checking out the pull request's head there runs an outsider's code with them "
              "(poisoned pipeline execution).",
         tags={"owasp_cicd": ["CICD-SEC-4"], "slsa": ["Build L3: isolated"], "zizmor": ["dangerous-triggers"]})
def _():
    for wf in workflows():
        describe(wf.where(privileged_untrusted_checkout=True)).its("labels").should.be_empty()


@control("ci-04", impact="critical", title="No attacker-controllable expression is expanded into a script",
         desc="${{ github.event.issue.title }} and the like are pasted into the script before the shell runs "
              "it; an issue title becomes code. Pass them through env: and quote the variable.",
         tags={"owasp_cicd": ["CICD-SEC-4"], "slsa": ["Build L3: isolated"], "zizmor": ["template-injection"]})
def _():
    for wf in workflows():
        describe(wf.where(injectable)).its("injections").should.be_empty()


@control("ci-05", impact="medium", title="Checkout does not persist the token in the workspace",
         desc="actions/checkout writes the token into .git/config unless persist-credentials: false; any later "
              "step, or an uploaded artifact of the workspace, can read it.",
         tags={"owasp_cicd": ["CICD-SEC-6"], "zizmor": ["artipacked"]})
def _():
    for wf in workflows():
        describe(wf.where(persist_credentials=True)).its("labels").should.be_empty()


@control("ci-06", impact="high", title="Secrets are never written to files, printed or traced",
         desc="echo $API_KEY > api_key.txt leaves the key in the workspace (and in any artifact of it); "
              "printing a transformed secret defeats the log masking; set -x prints every expanded secret.",
         tags={"owasp_cicd": ["CICD-SEC-6"], "slsa": ["Build L3: isolated (secrets unreachable by build steps)"]})
def _():
    for wf in workflows():
        describe(wf).its("secret_leaks").should.be_empty()
        describe(wf.where(traces_secrets=True)).its("labels").should.be_empty()


@control("ci-07", impact="high", title="A model is scanned and signed before it is published",
         desc="A step that uploads or pushes model files (artifact, Hugging Face, DVC, MLflow, object storage) "
              "must follow, in the same job, a model scan (inspecpy exec profiles/mlsvs, modelscan, "
              "picklescan, fickling) and a signature (model_signing, cosign, sigstore, attestations).",
         tags={"owasp_cicd": ["CICD-SEC-9"], "owasp_ml": ["ML06", "ML10"],
               "slsa": ["Build L2: signed provenance", "Distribute provenance"]})
def _():
    for wf in workflows():
        describe(wf.where(publishes_unguarded)).its("labels").should.be_empty()


@control("ci-08", impact="medium", title="Credentials a step pulls are cleaned up in the same job",
         desc="A secret written to a file, DVC remote credentials, docker/aws/gcloud logins stay on the runner "
              "after the job on self-hosted runners (CML's usual set-up) and in the workspace until then; a later "
              "step (if: always()) removes them.",
         tags={"owasp_cicd": ["CICD-SEC-6", "CICD-SEC-7"]})
def _():
    for wf in workflows():
        describe(wf.where(leaves_credentials)).its("uncleaned_credentials").should.be_empty()


@control("ci-09", impact="high", title="zizmor reports no high-severity finding",
         desc="zizmor's ~30 audits (cache poisoning, impostor commits, bot conditions…) gate too. Skipped, "
              "saying so, where zizmor is not installed (pip install 'inspecpy[zizmor]').",
         tags={"owasp_cicd": ["CICD-SEC-3", "CICD-SEC-4", "CICD-SEC-6"]})
def _():
    for file in workflow_files():
        describe(zizmor(file).where(severity="high")).its("audits").should.be_empty()

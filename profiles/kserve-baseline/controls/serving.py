"""Kubernetes and KServe manifests of a model deployment: pod security, pinning, storage, secrets, replicas.

Every result names the manifest file it judged, so a report reads per file.
"""

from inspecpy import control, describe, input
from inspecpy.errors import ResourceFailed
from inspecpy.resources import k8s_manifests

PATH = input("manifests_path", value=".")
PRODUCTION = [str(n) for n in input("production_namespaces", value=["production", "prod"]) or []]
MIN_REPLICAS = input("min_replicas", value=1)
ALLOWED_CAPS = {str(c).upper() for c in input("allowed_capabilities", value=["NET_BIND_SERVICE"]) or []}
CHECKOV = "checkov"


def manifests():
    """One table per manifest file; none is a failed result (checking nothing is no pass)."""
    everything = k8s_manifests(PATH)
    try:
        files = everything.files
    except ResourceFailed:
        files = []
    if not files:
        describe(everything).its("files").should_not.be_empty()
    return [k8s_manifests(file) for file in files]


def runs_as_root(c) -> bool:
    return not (c.run_as_non_root is True or (isinstance(c.run_as_user, int) and c.run_as_user > 0))


def may_escalate(c) -> bool:
    return c.allow_privilege_escalation is not False


def keeps_capabilities(c) -> bool:
    dropped = {cap.upper() for cap in c.capabilities_dropped}
    return "ALL" not in dropped or not {cap.upper() for cap in c.capabilities_added} <= ALLOWED_CAPS


def unlimited(c) -> bool:
    return not ("cpu" in c.limits and "memory" in c.limits)


def uses_host(c) -> bool:
    return c.host_network or c.host_pid or c.host_ipc or bool(c.host_path_volumes)


def mounts_token(c) -> bool:
    return c.automount_service_account_token is not False


def literal_secret_env(c) -> bool:
    return bool(c.literal_secret_env)


def literal_secret_object(o) -> bool:
    return bool(o.literal_secrets)


def mutable_model(o) -> bool:
    return o.kind == "InferenceService" and o.storage_immutable is False


def too_few_replicas(o) -> bool:
    if o.namespace not in PRODUCTION or o.kind not in ("InferenceService", "Deployment", "StatefulSet"):
        return False
    replicas = o.min_replicas if o.kind == "InferenceService" else (1 if o.replicas is None else o.replicas)
    return not isinstance(replicas, int) or replicas < MIN_REPLICAS


@control("kserve-00", impact="high", title="Manifests are readable Kubernetes objects that match the schema",
         desc="A file kubectl cannot apply (invalid YAML, an unrendered Helm template, a field of the wrong type) "
              "is a broken deployment. Validated with kubernetes-validate where installed; custom resources "
              "(InferenceService) have no schema there and are judged by the controls below.",
         tags={"nist": ["CM-6"]})
def _():
    for m in manifests():
        describe(m).its("kinds").should_not.be_empty()
        describe(m).its("schema_problems").should.be_empty()


@control("kserve-01", impact="high", title="Containers run as a non-root user",
         desc="runAsNonRoot: true (or a non-zero runAsUser) on the container or the pod.",
         tags={"cis_k8s": ["5.2.6"], CHECKOV: ["CKV_K8S_23"]})
def _():
    for m in manifests():
        describe(m.containers.where(runs_as_root)).its("labels").should.be_empty()


@control("kserve-02", impact="critical", title="No container is privileged",
         desc="A privileged container is root on the node: the model server's compromise is the node's.",
         tags={"cis_k8s": ["5.2.2"], CHECKOV: ["CKV_K8S_16"]})
def _():
    for m in manifests():
        describe(m.containers.where(privileged=True)).its("labels").should.be_empty()


@control("kserve-03", impact="high", title="Privilege escalation is disallowed",
         desc="allowPrivilegeEscalation: false on every container (Kubernetes allows it when unset).",
         tags={"cis_k8s": ["5.2.6"], CHECKOV: ["CKV_K8S_20"]})
def _():
    for m in manifests():
        describe(m.containers.where(may_escalate)).its("labels").should.be_empty()


@control("kserve-04", impact="medium", title="Root filesystems are read-only",
         desc="readOnlyRootFilesystem: true keeps a compromised server from replacing the model or the code it runs.",
         tags={CHECKOV: ["CKV_K8S_22"]})
def _():
    for m in manifests():
        describe(m.containers.where(read_only_root_filesystem=False)).its("labels").should.be_empty()


@control("kserve-05", impact="medium", title="Capabilities are dropped (ALL) and only allowlisted ones added",
         desc="drop: [ALL]; add only the capabilities in the allowed_capabilities input.",
         tags={"cis_k8s": ["5.2.8", "5.2.9"], CHECKOV: ["CKV_K8S_37", "CKV_K8S_28"]})
def _():
    for m in manifests():
        describe(m.containers.where(keeps_capabilities)).its("labels").should.be_empty()


@control("kserve-06", impact="medium", title="CPU and memory limits are set",
         desc="A model server without limits can starve its node (a large batch, a crafted input).",
         tags={CHECKOV: ["CKV_K8S_11", "CKV_K8S_13"]})
def _():
    for m in manifests():
        describe(m.containers.where(unlimited)).its("labels").should.be_empty()


@control("kserve-07", impact="high", title="No host network, PID, IPC namespace or hostPath volume",
         desc="Host namespaces and hostPath volumes break the container boundary.",
         tags={"cis_k8s": ["5.2.3", "5.2.4", "5.2.5"], CHECKOV: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"]})
def _():
    for m in manifests():
        describe(m.containers.where(uses_host)).its("labels").should.be_empty()


@control("kserve-08", impact="medium", title="The service-account token is not mounted",
         desc="automountServiceAccountToken: false unless the server calls the Kubernetes API.",
         tags={"cis_k8s": ["5.1.6"], CHECKOV: ["CKV_K8S_38"]})
def _():
    for m in manifests():
        describe(m.containers.where(mounts_token)).its("labels").should.be_empty()


@control("kserve-09", impact="high", title="Images are pinned by digest",
         desc="image@sha256:… names content; a tag can be re-pushed. (A KServe model container without an "
              "image takes its runtime's, judged in the ServingRuntime.)",
         tags={"owasp_cicd": ["CICD-SEC-9"], "slsa": ["Verify artifacts (consumer)"], CHECKOV: ["CKV_K8S_43"]})
def _():
    for m in manifests():
        describe(m.containers.where(pinned_by_digest=False)).its("images").should.be_empty()


@control("kserve-10", impact="high", title="Models are loaded from an immutable location",
         desc="storageUri names content (oci://…@sha256, hf://org/model:<commit>, an S3 versionId, a GCS "
              "generation), so the served model is the one that was scanned and signed.",
         tags={"owasp_ml": ["ML06", "ML10"], "owasp_cicd": ["CICD-SEC-9"]})
def _():
    for m in manifests():
        describe(m.where(mutable_model)).its("storage_uris").should.be_empty()


@control("kserve-11", impact="high", title="No secret is written as a literal",
         desc="Secret values belong in a Secret referenced by secretKeyRef and kept out of the repository; "
              "literal env values that look secret and Secret objects carrying data are flagged (by name only).",
         tags={"owasp_cicd": ["CICD-SEC-6"]})
def _():
    for m in manifests():
        describe(m.containers.where(literal_secret_env)).its("labels").should.be_empty()
        describe(m.where(literal_secret_object)).its("names").should.be_empty()


@control("kserve-12", impact="medium", title="Production serving keeps a minimum number of replicas",
         desc="An InferenceService with minReplicas 0 (or a Deployment scaled to 0) in a production namespace "
              "cold-starts or drops requests; see the production_namespaces and min_replicas inputs.",
         tags={"nist": ["CP-10"]})
def _():
    for m in manifests():
        describe(m.where(too_few_replicas)).its("names").should.be_empty()

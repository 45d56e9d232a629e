"""k8s_manifests: objects, pod templates and KServe InferenceServices from real manifest files."""

from __future__ import annotations

import textwrap

import pytest

from inspecpy import describe
from inspecpy.cicd.kserve import storage_immutable, storage_scheme
from inspecpy.resources import k8s_manifests

DIGEST = "sha256:" + "ab" * 32


@pytest.fixture
def manifest(tmp_path):
    def write(text: str, name: str = "m.yaml") -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return str(path)
    return write


WORKLOADS = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: prod, labels: {app: api}}
    spec:
      replicas: 3
      selector: {matchLabels: {app: api}}
      template:
        metadata: {labels: {app: api}}
        spec:
          automountServiceAccountToken: false
          securityContext: {runAsNonRoot: true}
          initContainers:
            - {name: fetch, image: "busybox@%(digest)s"}
          containers:
            - name: api
              image: registry.example.com/api:1.2
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
              resources: {requests: {cpu: 100m}, limits: {cpu: "1", memory: 1Gi}}
              env:
                - {name: DB_PASSWORD, value: hunter2-secret}
                - {name: LOG_LEVEL, value: debug}
                - {name: TOKEN, valueFrom: {secretKeyRef: {name: api, key: token}}}
              envFrom: [{secretRef: {name: api-env}}]
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: retrain}
    spec:
      schedule: "0 3 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              hostNetwork: true
              hostPID: true
              volumes: [{name: h, hostPath: {path: /var/run/docker.sock}}]
              containers:
                - {name: train, image: trainer, securityContext: {privileged: true, runAsUser: 0}}
    """ % {"digest": DIGEST}


def test_objects_and_their_metadata(manifest):
    m = k8s_manifests(manifest(WORKLOADS))
    assert m.kinds == ["Deployment", "CronJob"]
    assert m.names == ["api", "retrain"]
    assert m.namespaces == ["prod", None]
    assert m.where(kind="Deployment").entries[0]["labels"] == {"app": "api"}
    assert [r["line"] for r in m.entries] == [2, 29]


def test_container_security_facts(manifest):
    containers = k8s_manifests(manifest(WORKLOADS)).containers
    assert containers.labels == ["Deployment/api api", "Deployment/api fetch", "CronJob/retrain train"]
    api, fetch, train = containers.entries
    assert (api["pinned_by_digest"], fetch["pinned_by_digest"], fetch["init"]) == (False, True, True)
    assert (api["run_as_non_root"], api["allow_privilege_escalation"], api["read_only_root_filesystem"]) == (
        True, False, True)
    assert (api["capabilities_dropped"], api["capabilities_added"]) == (["ALL"], ["NET_BIND_SERVICE"])
    assert (api["requests"], api["limits"]) == ({"cpu": "100m"}, {"cpu": "1", "memory": "1Gi"})
    assert api["automount_service_account_token"] is False
    assert api["literal_secret_env"] == ["DB_PASSWORD"]
    assert api["secret_ref_env"] == ["TOKEN", "envFrom:api-env"]
    assert (train["privileged"], train["run_as_user"], train["run_as_non_root"]) == (True, 0, None)
    assert (train["host_network"], train["host_pid"], train["host_ipc"]) == (True, True, False)
    assert train["host_path_volumes"] == ["/var/run/docker.sock"]
    assert train["allow_privilege_escalation"] is None and train["automount_service_account_token"] is None


def test_secret_values_never_reach_a_row(manifest):
    path = manifest(textwrap.dedent(WORKLOADS) + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                               "stringData: {password: hunter2-secret}\n")
    m = k8s_manifests(path)
    assert m.where(kind="Secret").entries[0]["literal_secrets"] == ["password"]
    shown = repr([{k: v for k, v in row.items() if k != "raw"} for row in m.entries]) + repr(m.containers.entries)
    assert "hunter2" not in shown


INFERENCE_SERVICE = f"""
    apiVersion: serving.kserve.io/v1beta1
    kind: InferenceService
    metadata: {{name: iris, namespace: production}}
    spec:
      predictor:
        minReplicas: 0
        maxReplicas: 3
        model:
          modelFormat: {{name: sklearn}}
          runtime: kserve-sklearnserver
          storageUri: s3://models/iris/model.joblib
      transformer:
        containers:
          - name: transformer
            image: "example/transformer@{DIGEST}"
    ---
    apiVersion: serving.kserve.io/v1beta1
    kind: InferenceService
    metadata: {{name: legacy}}
    spec:
      predictor:
        tensorflow:
          storageUri: "gs://bucket/model#1712345678901234"
    """


def test_inference_service_facts(manifest):
    m = k8s_manifests(manifest(INFERENCE_SERVICE))
    iris, legacy = m.entries
    assert (iris["model_format"], iris["runtime"], iris["storage_scheme"], iris["storage_immutable"]) == (
        "sklearn", "kserve-sklearnserver", "s3", False)
    assert (iris["min_replicas"], iris["max_replicas"]) == (0, 3)
    assert (legacy["model_format"], legacy["storage_immutable"], legacy["min_replicas"]) == ("tensorflow", True, 1)
    assert m.containers.labels == ["InferenceService/iris predictor kserve-container",
                                   "InferenceService/iris transformer transformer",
                                   "InferenceService/legacy predictor kserve-container"]
    assert m.containers.where(component="transformer").entries[0]["pinned_by_digest"] is True
    assert m.containers.where(component="predictor").images == [None, None]


@pytest.mark.parametrize("uri, scheme, immutable", [
    ("oci://reg.example.com/models/iris@" + DIGEST, "oci", True),
    ("oci://reg.example.com/models/iris:v1", "oci", False),
    ("hf://org/model:" + "0" * 40, "hf", True),
    ("hf://org/model", "hf", False),
    ("s3://bucket/model.onnx?versionId=3HL4kqtJlcpXroDTDmJ", "s3", True),
    ("gs://bucket/models/" + "ab" * 32 + "/model.onnx", "gs", True),
    ("pvc://models/iris", "pvc", False),
    ("https://acct.blob.core.windows.net/models/iris?versionid=2026-01-01", "azure", True),
])
def test_storage_uri_immutability(uri, scheme, immutable):
    assert (storage_scheme(uri), storage_immutable(uri)) == (scheme, immutable)


def test_kubectl_lists_and_folders_are_read(manifest, tmp_path):
    manifest("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: a},"
             " spec: {containers: [{name: c, image: x}]}}\n- {apiVersion: v1, kind: Service, metadata: {name: s}}\n",
             "deploy/list.yaml")
    manifest("name: not a manifest\n", "deploy/values.yaml")
    manifest("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: hidden}\n", "deploy/.git/x.yaml")
    m = k8s_manifests(str(tmp_path / "deploy"))
    assert m.files == [str(tmp_path / "deploy" / "list.yaml")]
    assert m.kinds == ["Pod", "Service"]
    assert m.containers.labels == ["Pod/a c"]


def test_schema_validation_with_kubernetes_validate(manifest):
    path = manifest("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: 3}\n---\n"
                    + textwrap.dedent(INFERENCE_SERVICE))
    m = k8s_manifests(path)
    assert m.schema_problems == [f"{path}: Pod/a: spec.containers: 3 is not of type 'array'"]
    assert m.unvalidated_kinds == ["serving.kserve.io/v1beta1 InferenceService"]
    valid = describe(k8s_manifests(manifest(WORKLOADS, "ok.yaml"))).its("schema_problems").should.be_empty()
    assert valid.status == "passed"

"""The pod templates of Kubernetes workloads and the security facts of each container.

Workloads: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
CronJob, ReplicationController, Knative Service, KServe ``InferenceService``
(predictor, transformer, explainer — their model container included) and
``(Cluster)ServingRuntime``.

>>> pod = {"kind": "Pod", "spec": {"containers": [{"name": "a", "image": "nginx:1.27"}]}}
>>> [(c["container"], c["pinned_by_digest"], c["privileged"]) for c in containers_of(pod)]
[('a', False, False)]

``run_as_non_root`` and ``allow_privilege_escalation`` are the effective
values (the container's, else the pod's) and ``None`` when neither says —
Kubernetes then runs as the image's user and allows escalation.
"""

from __future__ import annotations

import re

from inspecpy.cicd.kserve import COMPONENTS, model_container

_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}
_DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")
_SECRET_NAME = re.compile(r"pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential"
                          r"|auth|conn(?:ection)?[_-]?str", re.I)
_SECRET_VALUE = re.compile(r"AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9-]{10,}"
                           r"|-----BEGIN [A-Z ]*PRIVATE KEY-----|hf_[A-Za-z0-9]{30,}|sk-[A-Za-z0-9]{20,}")


def _map(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def pod_specs(obj: dict) -> list[tuple[str | None, dict]]:
    """``(component, pod spec)`` pairs of one object (component names an InferenceService part)."""
    kind, spec = obj.get("kind"), _map(obj.get("spec"))
    api = str(obj.get("apiVersion", ""))
    if kind == "Pod" or kind in ("ServingRuntime", "ClusterServingRuntime"):
        return [(None, spec)]
    if kind in _WORKLOADS:
        return [(None, _map(_map(spec.get("template")).get("spec")))]
    if kind == "CronJob":
        job = _map(_map(spec.get("jobTemplate")).get("spec"))
        return [(None, _map(_map(job.get("template")).get("spec")))]
    if kind == "Service" and api.startswith("serving.knative.dev/"):
        return [(None, _map(_map(spec.get("template")).get("spec")))]
    if kind == "InferenceService":
        return [(part, _map(spec.get(part))) for part in COMPONENTS if isinstance(spec.get(part), dict)]
    return []


def is_workload(obj: dict) -> bool:
    return bool(pod_specs(obj))


def _env_secrets(container: dict) -> tuple[list[str], list[str]]:
    literal, referenced = [], []
    for var in _list(container.get("env")):
        if not isinstance(var, dict):
            continue
        name = str(var.get("name", ""))
        value_from = _map(var.get("valueFrom"))
        if value_from.get("secretKeyRef"):
            referenced.append(name)
        elif "value" in var and var["value"] not in (None, ""):
            value = str(var["value"])
            looks_secret = _SECRET_VALUE.search(value) or (
                _SECRET_NAME.search(name) and not value.startswith("$(") and len(value) >= 4
                and not re.fullmatch(r"(?i)true|false|none|null|enabled|disabled|\d+|/[\w./-]*", value))
            if looks_secret:
                literal.append(name)
    for source in _list(container.get("envFrom")):
        if isinstance(source, dict) and _map(source.get("secretRef")).get("name"):
            referenced.append(f"envFrom:{source['secretRef']['name']}")
    return literal, referenced


def _effective(container_ctx: dict, pod_ctx: dict, key: str):
    return container_ctx[key] if key in container_ctx else pod_ctx.get(key)


def containers_of(obj: dict) -> list[dict]:
    """A row per container (init containers too) of every pod template of *obj*."""
    rows = []
    meta = _map(obj.get("metadata"))
    for component, spec in pod_specs(obj):
        pod_ctx = _map(spec.get("securityContext"))
        host_paths = [str(_map(v.get("hostPath")).get("path")) for v in _list(spec.get("volumes"))
                      if isinstance(v, dict) and v.get("hostPath")]
        entries = [(c, False) for c in _list(spec.get("containers"))]
        entries += [(c, True) for c in _list(spec.get("initContainers"))]
        if obj.get("kind") == "InferenceService":
            model = model_container(spec)
            if model is not None:
                entries.insert(0, (model, False))
        for container, init in entries:
            if not isinstance(container, dict):
                continue
            ctx = _map(container.get("securityContext"))
            caps = _map(ctx.get("capabilities"))
            resources = _map(container.get("resources"))
            literal, referenced = _env_secrets(container)
            image = container.get("image")
            name = str(container.get("name") or ("kserve-container" if component else "?"))
            run_as_user = _effective(ctx, pod_ctx, "runAsUser")
            rows.append({
                "file": None, "kind": obj.get("kind"), "name": meta.get("name"), "namespace": meta.get("namespace"),
                "object": f"{obj.get('kind')}/{meta.get('name')}", "component": component,
                "container": name, "init": init,
                "label": f"{obj.get('kind')}/{meta.get('name')}" + (f" {component}" if component else "") + f" {name}",
                "image": None if image is None else str(image),
                "pinned_by_digest": None if image is None else bool(_DIGEST.search(str(image))),
                "image_pull_policy": container.get("imagePullPolicy"),
                "run_as_non_root": _effective(ctx, pod_ctx, "runAsNonRoot"),
                "run_as_user": run_as_user,
                "privileged": bool(ctx.get("privileged", False)),
                "allow_privilege_escalation": ctx.get("allowPrivilegeEscalation"),
                "read_only_root_filesystem": bool(ctx.get("readOnlyRootFilesystem", False)),
                "capabilities_added": [str(c) for c in _list(caps.get("add"))],
                "capabilities_dropped": [str(c) for c in _list(caps.get("drop"))],
                "requests": {str(k): str(v) for k, v in _map(resources.get("requests")).items()},
                "limits": {str(k): str(v) for k, v in _map(resources.get("limits")).items()},
                "host_path_volumes": host_paths,
                "host_network": bool(spec.get("hostNetwork", False)),
                "host_pid": bool(spec.get("hostPID", False)),
                "host_ipc": bool(spec.get("hostIPC", False)),
                "automount_service_account_token": spec.get("automountServiceAccountToken"),
                "service_account": spec.get("serviceAccountName") or spec.get("serviceAccount"),
                "literal_secret_env": literal, "secret_ref_env": referenced,
                "line": getattr(container, "line", 0),
            })
    return rows

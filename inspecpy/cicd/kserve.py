"""KServe ``InferenceService`` facts: model format, runtime, where the model comes from, replicas.

>>> isvc = {"kind": "InferenceService", "spec": {"predictor": {"minReplicas": 2, "model": {
...     "modelFormat": {"name": "sklearn"}, "storageUri": "s3://models/iris/model.joblib?versionId=3HL4kq"}}}}
>>> facts = inference_service_facts(isvc)
>>> facts["model_format"], facts["storage_scheme"], facts["storage_immutable"], facts["min_replicas"]
('sklearn', 's3', True, 2)

A model location is immutable when it names content, not a place: an OCI
image by digest (``oci://…@sha256:…``), a Hugging Face revision by full
commit (``hf://org/model:<40 hex>``), an object version (S3 ``versionId``,
GCS ``generation``, Azure ``versionid``/``snapshot``), or a path holding a
SHA-256 digest. A bucket path, a PVC or a tag can change under the same name.
"""

from __future__ import annotations

import re

COMPONENTS = ("predictor", "transformer", "explainer")
FRAMEWORKS = ("sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "pmml", "lightgbm", "paddle",
              "huggingface", "mlflow", "alibi", "art")
_IMMUTABLE = re.compile(
    r"@sha256:[0-9a-f]{64}|[?&](?:versionId|generation|versionid|snapshot)=[^&]+|#\d+$"
    r"|^hf://[^:]+:[0-9a-f]{40}$|(?:^|[/_.-])(?:sha256[:_-])?[0-9a-f]{64}(?:[/_.-]|$)")


def model_container(part: dict) -> dict | None:
    """The model spec of a predictor/explainer part (``model:`` or an old framework key), or None."""
    if isinstance(part.get("model"), dict):
        return part["model"]
    for framework in FRAMEWORKS:
        if isinstance(part.get(framework), dict):
            return {**part[framework], "modelFormat": {"name": framework, **(part[framework].get("modelFormat") or {})}}
    return None


def storage_scheme(uri: str | None) -> str | None:
    """``s3``, ``gs``, ``pvc``, ``hf``, ``oci``, ``https``, ``azure`` (blob HTTPS), ``file``… or None."""
    if not uri:
        return None
    if re.match(r"^https://[^/]+\.blob\.core\.windows\.net/", uri):
        return "azure"
    found = re.match(r"^([a-z][a-z0-9+.-]*)://", uri)
    return found.group(1) if found else "path"


def storage_immutable(uri: str | None) -> bool | None:
    """True when the URI pins content (see the module doc), None when there is no URI."""
    if not uri:
        return None
    if storage_scheme(uri) == "pvc":
        return False
    return bool(_IMMUTABLE.search(uri))


def inference_service_facts(obj: dict) -> dict:
    """``model_format``, ``runtime``, ``storage_uri``, ``storage_scheme``, ``storage_immutable``,
    ``min_replicas``, ``max_replicas`` of the predictor (None outside an InferenceService)."""
    empty = dict.fromkeys(("model_format", "runtime", "storage_uri", "storage_scheme", "storage_immutable",
                           "min_replicas", "max_replicas"))
    if obj.get("kind") != "InferenceService" or not isinstance(obj.get("spec"), dict):
        return empty
    predictor = obj["spec"].get("predictor") if isinstance(obj["spec"].get("predictor"), dict) else {}
    model = model_container(predictor) or {}
    uri = model.get("storageUri") or predictor.get("storageUri")
    uri = None if uri is None else str(uri)
    fmt = given if isinstance(given := model.get("modelFormat"), dict) else {}
    return {
        "model_format": fmt.get("name"), "runtime": model.get("runtime"),
        "storage_uri": uri, "storage_scheme": storage_scheme(uri), "storage_immutable": storage_immutable(uri),
        # KServe's default minReplicas is 1; 0 scales to zero (serverless).
        "min_replicas": predictor.get("minReplicas", 1), "max_replicas": predictor.get("maxReplicas"),
    }

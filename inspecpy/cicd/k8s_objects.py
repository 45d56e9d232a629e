"""Kubernetes objects from manifest text: multi-document YAML, ``kubectl get -o yaml`` lists, Helm output.

>>> objects = parse_manifests("kind: Pod\\napiVersion: v1\\nmetadata: {name: a}\\n---\\n", "pod.yaml")
>>> [(o["kind"], o["name"], o["line"]) for o in objects]
[('Pod', 'a', 1)]

A document without ``apiVersion`` and ``kind`` is not an object (``None``
documents of a ``---``-only file neither). A file with unrendered Helm
template actions (``{{ .Values.x }}``) is refused with one clear message:
it is a template, not a manifest.
"""

from __future__ import annotations

from inspecpy.cicd.yaml_source import YamlProblem, helm_template_line, load_all

# Helm-rendered and kubectl output can be large; a manifest bigger than this is not read.
MAX_MANIFEST_BYTES = 64 * 2**20


def is_object(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("kind"), str) and isinstance(doc.get("apiVersion"), str)


def _items(doc: dict) -> list:
    """A ``List`` (``kubectl get -o yaml``) flattened to its items; another object as itself."""
    if doc.get("kind", "").endswith("List") and isinstance(doc.get("items"), list):
        return [item for item in doc["items"] if is_object(item)]
    return [doc]


def parse_manifests(text: str, file: str) -> list[dict]:
    """Every object of a manifest file: ``file``, ``document``, ``line``, ``kind``, ``api_version``,
    ``name``, ``namespace``, ``labels``, ``annotations`` and the object itself as ``raw``."""
    line = helm_template_line(text)
    if line is not None:
        raise YamlProblem(f"{file}:{line}: a Helm template, not a manifest ({{{{ … }}}} is not rendered): "
                          "run `helm template` and check its output")
    objects = []
    for number, doc in enumerate(load_all(text, file)):
        if not is_object(doc):
            continue
        for item in _items(doc):
            meta = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
            labels = given if isinstance(given := meta.get("labels"), dict) else {}
            annotations = given if isinstance(given := meta.get("annotations"), dict) else {}
            objects.append({
                "file": file, "document": number, "line": getattr(item, "line", 0),
                "kind": item["kind"], "api_version": item["apiVersion"],
                "name": None if meta.get("name") is None else str(meta.get("name")),
                "namespace": None if meta.get("namespace") is None else str(meta.get("namespace")),
                "labels": {str(k): str(v) for k, v in labels.items()},
                "annotations": {str(k): str(v) for k, v in annotations.items()},
                "raw": item,
            })
    return objects

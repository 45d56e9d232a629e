"""Validating Kubernetes objects against the API's JSON schema with ``kubernetes-validate`` (optional).

>>> schema_problem({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}, "spec": {"containers": 3}})
'spec.containers: 3 is not of type ...'
>>> schema_problem(inference_service)      # a custom resource: no schema to judge by
None

Custom resources (KServe, Knative…) have no schema in the package; they
are listed by :func:`unvalidated`, not passed silently.
"""

from __future__ import annotations

from inspecpy.errors import ResourceSkipped


def validator():
    """The ``kubernetes_validate`` module; ResourceSkipped when it is not installed."""
    try:
        import kubernetes_validate
    except ImportError:
        raise ResourceSkipped("kubernetes-validate is not installed (pip install 'inspecpy[k8s]')") from None
    return kubernetes_validate


def schema_problem(obj: dict) -> str | None:
    """Why *obj* does not validate against the newest schema the package knows, or None.

    Raises LookupError for a kind the package has no schema for (a CRD).
    """
    kv = validator()
    try:
        kv.validate(dict(obj), kv.latest_version(), strict=False)
    except kv.SchemaNotFoundError:
        raise LookupError(f"{obj.get('apiVersion')} {obj.get('kind')}") from None
    except kv.ValidationError as error:
        path = ".".join(str(p) for p in error.path)
        message = str(error.message).splitlines()[0][:200]
        return f"{path}: {message}" if path else message
    return None

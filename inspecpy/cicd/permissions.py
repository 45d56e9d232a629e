"""``GITHUB_TOKEN`` permissions resolved the way GitHub resolves them.

A job's token gets the job's ``permissions:`` if it has one, else the
workflow's, else the repository's default (which an organisation may set to
read-only or to read/write for every scope — unknown from the file, so it is
reported as ``default``). A workflow that only runs on ``workflow_call``
gets its caller's token (``caller``), capped by its own declarations.

>>> resolve({"contents": "read"}, None, reusable_only=False)
({'contents': 'read'}, 'job')
>>> resolve(None, None, reusable_only=False)
('default', 'default')

Least privilege (our verdict, the same as zizmor's ``excessive-permissions``
in its regular persona): no job on the default token, no ``write-all`` or
``read-all``, and no ``write`` granted at the workflow level when another
job inherits it.
"""

from __future__ import annotations

LEVELS = {"read", "write", "none"}


def normalise(value: object) -> object:
    """``None`` (absent), ``"read-all"``/``"write-all"``, or a ``{scope: level}`` mapping."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return value


def resolve(job: object, workflow: object, reusable_only: bool) -> tuple[object, str]:
    """``(permissions, source)`` with source ``job``, ``workflow``, ``caller`` or ``default``."""
    if job is not None:
        return job, "job"
    if workflow is not None:
        return workflow, "workflow"
    if reusable_only:
        return "caller", "caller"
    return "default", "default"


def writes(permissions: object) -> list[str]:
    """The scopes granted ``write`` (``["*"]`` for write-all)."""
    if permissions == "write-all":
        return ["*"]
    if isinstance(permissions, dict):
        return [scope for scope, level in permissions.items() if level == "write"]
    return []


def problems(job_id: str, permissions: object, source: str, workflow: object, job_count: int,
             inherits_workflow: bool) -> list[str]:
    """Why a job's token is not least-privilege (empty when it is)."""
    found = []
    if source == "default":
        found.append(f"job {job_id}: no permissions block (the repository default token)")
    if isinstance(permissions, str) and permissions not in ("read-all", "write-all", "default", "caller"):
        found.append(f"job {job_id}: permissions {permissions!r} is not read-all, write-all or a mapping")
    if isinstance(permissions, dict):
        bad = [f"{scope}: {level}" for scope, level in permissions.items() if level not in LEVELS]
        if bad:
            found.append(f"job {job_id}: unknown permission level ({', '.join(bad)})")
    if permissions in ("write-all", "read-all"):
        found.append(f"job {job_id}: {permissions} ({source} level)")
    elif inherits_workflow and job_count > 1 and writes(workflow):
        found.append(f"job {job_id}: inherits {', '.join(s + ': write' for s in writes(workflow))} "
                     "granted at the workflow level")
    return found

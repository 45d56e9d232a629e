"""One GitHub Actions workflow file (or composite action) parsed into triggers, jobs and step rows.

>>> wf = parse_workflow("on: [push]\\njobs:\\n  a:\\n    runs-on: ubuntu-latest\\n"
...                     "    steps: [{uses: actions/checkout@v4}]\\n", "ci.yml")
>>> wf.triggers, wf.jobs[0]["permissions_source"], wf.steps[0]["ref_kind"]
(['push'], 'default', 'tag')

``read_action(path)`` (optional) returns the text of a local action's
``action.yml`` (``uses: ./path``) or None; composite actions' steps are then
rows too, with ``via`` naming the action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from inspecpy.cicd import permissions as perms
from inspecpy.cicd.scripts import secret_env_names
from inspecpy.cicd.steps import job_sequence_checks, step_row
from inspecpy.cicd.yaml_source import Node, YamlProblem, load_one

# Triggers that run with the base repository's secrets and write token on events an outsider causes.
DANGEROUS_TRIGGERS = ("pull_request_target", "workflow_run")
_HOSTED = re.compile(r"^(?:ubuntu|windows|macos)-[\w.-]+$|^(?:ubuntu|windows|macos)-latest", re.I)


@dataclass
class Workflow:
    """What :func:`parse_workflow` found in one file."""

    file: str
    name: str | None
    triggers: list[str]
    permissions: object
    jobs: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)
    env: dict = field(default_factory=dict)

    @property
    def dangerous_triggers(self) -> list[str]:
        return [t for t in self.triggers if t in DANGEROUS_TRIGGERS]

    @property
    def permission_problems(self) -> list[str]:
        return [p for job in self.jobs for p in job["permission_problems"]]


def triggers_of(on: object, file: str) -> list[str]:
    """``on:`` as a string, a list or a mapping → the event names."""
    if isinstance(on, str):
        return [on]
    if isinstance(on, list) and all(isinstance(e, str) for e in on):
        return list(on)
    if isinstance(on, dict):
        return [str(k) for k in on]
    raise YamlProblem(f"{file}: 'on:' must be an event name, a list or a mapping of events (got {_kind(on)})")


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "nothing"}.get(
        type(value) if not isinstance(value, dict) else dict, type(value).__name__)


def runner_labels(runs_on: object) -> list[str]:
    """``runs-on`` as a list of labels (a group is ``group:NAME``)."""
    if runs_on is None:
        return []
    if isinstance(runs_on, (str, int, float)):
        return [str(runs_on)]
    if isinstance(runs_on, list):
        return [str(x) for x in runs_on]
    if isinstance(runs_on, dict):
        labels = runner_labels(runs_on.get("labels"))
        return ([f"group:{runs_on['group']}"] if runs_on.get("group") else []) + labels
    return [str(runs_on)]


def is_self_hosted(labels: list[str]) -> bool | None:
    """True for self-hosted (or custom-labelled) runners, None when an expression decides."""
    if not labels:
        return None
    if any("${{" in label for label in labels):
        return None
    if any(l == "self-hosted" or l.startswith("group:") for l in labels):
        return True
    return not all(_HOSTED.match(label) for label in labels)


def _steps_of(value: object, file: str, where: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise YamlProblem(f"{file}: {where}: 'steps' must be a list (got {_kind(value)})")
    for i, step in enumerate(value):
        if not isinstance(step, dict):
            raise YamlProblem(f"{file}: {where}: step {i + 1} must be a mapping (got {_kind(step)})")
    return value


def parse_workflow(text: str, file: str, read_action: Callable[[str], str | None] | None = None) -> Workflow:
    """Parse a workflow file's text; YamlProblem (naming the file) when it is not a workflow."""
    doc = load_one(text, file)
    if not isinstance(doc, dict):
        raise YamlProblem(f"{file}: a workflow must be a mapping with 'on:' and 'jobs:' (got {_kind(doc)})")
    if "on" not in doc:
        raise YamlProblem(f"{file}: no 'on:' (the events that start the workflow)")
    triggers = triggers_of(doc["on"], file)
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        raise YamlProblem(f"{file}: 'jobs:' must be a mapping of at least one job (got {_kind(jobs)})")
    top = perms.normalise(doc.get("permissions"))
    reusable_only = triggers == ["workflow_call"]
    env = given if isinstance(given := doc.get("env"), dict) else {}
    wf = Workflow(file=file, name=None if doc.get("name") is None else str(doc.get("name")),
                  triggers=triggers, permissions=top, env=env)
    for job_id, job in jobs.items():
        if not isinstance(job, dict):
            raise YamlProblem(f"{file}: job {job_id!r} must be a mapping (got {_kind(job)})")
        wf.jobs.append(_job_row(wf, str(job_id), job, len(jobs), reusable_only))
        wf.steps.extend(_job_steps(wf, wf.jobs[-1], job, read_action))
    return wf


def _job_row(wf: Workflow, job_id: str, job: dict, job_count: int, reusable_only: bool) -> dict:
    own = perms.normalise(job.get("permissions"))
    permissions, source = perms.resolve(own, wf.permissions, reusable_only)
    labels = runner_labels(job.get("runs-on"))
    calls = job.get("uses")
    strategy = given if isinstance(given := job.get("strategy"), dict) else {}
    return {
        "file": wf.file, "workflow": wf.name, "job": job_id,
        "job_name": None if job.get("name") is None else str(job.get("name")),
        "runs_on": labels, "self_hosted": None if calls else is_self_hosted(labels),
        "permissions": permissions, "permissions_source": source,
        "permission_problems": perms.problems(job_id, permissions, source, wf.permissions, job_count,
                                              inherits_workflow=own is None),
        "calls": None if calls is None else str(calls),
        "secrets_inherit": job.get("secrets") == "inherit",
        "environment": job.get("environment") if not isinstance(job.get("environment"), dict)
        else job["environment"].get("name"),
        "needs": [job["needs"]] if isinstance(job.get("needs"), str) else list(job.get("needs") or []),
        "if": job.get("if"), "matrix": "matrix" in strategy, "line": getattr(job, "line", 0),
        "steps": len(job.get("steps") or []) if isinstance(job.get("steps"), list) else 0,
    }


def _job_steps(wf: Workflow, job_row: dict, job: dict, read_action) -> list[dict]:
    columns = {"file": wf.file, "workflow": wf.name, "job": job_row["job"], "runs_on": job_row["runs_on"],
               "self_hosted": job_row["self_hosted"], "job_permissions": job_row["permissions"],
               "triggers": wf.triggers, "dangerous_triggers": wf.dangerous_triggers}
    if job_row["calls"] is not None:  # a reusable workflow call is the job's one "step"
        with_ = job.get("with") if isinstance(job.get("with"), dict) else {}
        row = step_row(Node({"uses": job_row["calls"], "with": with_}, line=job_row["line"]), columns, 0, set())
        row.update(kind="call", secrets=row["secrets"] + (["*"] if job_row["secrets_inherit"] else []))
        rows = [row]
    else:
        secret_vars = secret_env_names(wf.env, job.get("env"))
        rows = []
        for index, step in enumerate(_steps_of(job.get("steps"), wf.file, f"job {job_row['job']!r}")):
            rows.append(step_row(step, columns, index, secret_vars))
            if read_action and rows[-1]["uses_kind"] == "local":
                rows.extend(_composite_steps(rows[-1], columns, secret_vars, read_action, wf.file))
    for row in rows:
        row["privileged_untrusted_checkout"] = row["checks_out_untrusted"] and bool(wf.dangerous_triggers)
    job_sequence_checks(rows)
    return rows


def _composite_steps(caller: dict, columns: dict, secret_vars: set[str], read_action, file: str,
                     depth: int = 0) -> list[dict]:
    """The steps of a local composite action (``uses: ./path``), as rows of the calling job."""
    path = caller["action_path"]
    text = read_action(path) if depth < 5 else None
    if text is None:
        return []
    doc = load_one(text, f"{path}/action.yml")
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, dict) or runs.get("using") != "composite":
        return []
    rows = []
    for index, step in enumerate(_steps_of(runs.get("steps"), f"{path}/action.yml", "runs")):
        rows.append(step_row(step, columns, index, secret_vars, via=path))
        if rows[-1]["uses_kind"] == "local":
            rows.extend(_composite_steps(rows[-1], columns, secret_vars, read_action, file, depth + 1))
    return rows

"""One step of a workflow job (or of a composite action) as a row of facts.

>>> row = step_row({"uses": "actions/checkout@v4"}, job={"job": "build"}, index=0, secret_vars=set())
>>> row["ref_kind"], row["pinned"], row["persist_credentials"]
('tag', False, True)
"""

from __future__ import annotations

import re

from inspecpy.cicd import ml_steps
from inspecpy.cicd.expressions import find_expressions
from inspecpy.cicd.scripts import secret_leaks, step_secrets, traces_secrets
from inspecpy.cicd.uses import split_uses

# Inputs that actions evaluate as code (zizmor reads CodeQL's longer list; these are the common ones).
SCRIPT_INPUTS = {"actions/github-script": "script"}
_CHECKOUT = re.compile(r"^actions/checkout@", re.I)
_UNTRUSTED_REF = re.compile(
    r"github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)"
    r"|refs/pull/|github\.event\.pull_request\.merge_commit_sha|github\.event\.pull_request\.head\.repo"
    r"|github\.event\.workflow_run\.head_repository")
_UNTRUSTED_FETCH = re.compile(r"\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b.*\bpull/|\bgit\s+checkout\b.*\bFETCH_HEAD\b")


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    return str(value).strip().lower() not in ("false", "0", "no", "off", "")


def step_row(step: dict, job: dict, index: int, secret_vars: set[str], via: str | None = None) -> dict:
    """The facts of one step; *job* holds the job columns copied into the row."""
    uses = step.get("uses")
    with_ = _mapping(step.get("with"))
    env = _mapping(step.get("env"))
    run = step.get("run")
    run = None if run is None else str(run)
    parts = split_uses(uses)
    script_input = next((name for action, name in SCRIPT_INPUTS.items()
                         if str(uses or "").lower().startswith(action + "@")), None)
    code = run if run is not None else (str(with_.get(script_input)) if script_input and with_.get(script_input) else None)
    expressions = find_expressions(code)
    step_env_secrets = {str(k) for k, v in env.items() if isinstance(v, str) and "${{" in v and step_secrets(v)}
    visible = secret_vars | step_env_secrets
    texts = " ".join(v for v in (run, *with_.values(), *env.values()) if isinstance(v, str))
    secrets = step_secrets(texts) if "${{" in texts else []
    leaks = secret_leaks(run, visible) if run and "$" in run else []
    uses_secrets = bool(secrets or (run and visible and "$" in run and re.search(
        r"\$\{?(?:%s)\b" % "|".join(map(re.escape, sorted(visible))), run)))
    checkout = bool(_CHECKOUT.match(str(uses or "")))
    checkout_ref = " ".join(str(with_.get(k, "")) for k in ("ref", "repository")) if checkout else ""
    name = step.get("name")
    row = {
        **job, "index": index, "id": step.get("id"), "name": None if name is None else str(name),
        "label": f"{job.get('job')}/{name or step.get('id') or uses or f'step {index + 1}'}" + (f" (in {via})" if via else ""),
        "kind": "run" if run is not None else "uses" if uses is not None else "empty",
        **{k: v for k, v in parts.items() if k != "kind"}, "uses_kind": parts["kind"],
        "via": via, "with": with_, "env": env, "run": run, "shell": step.get("shell"),
        "if": step.get("if"), "line": getattr(step, "line", 0),
        "expressions": [e["expression"] for e in expressions],
        "contexts": [c for e in expressions for c in e["contexts"]],
        "injections": [c for e in expressions for c in e["untrusted"]],
        "secrets": secrets,
        "secret_leaks": [f"{leak['secret']} {'written to ' + leak['target'] if leak['kind'] == 'file' else 'printed to the log'}"
                         f" (script line {leak['line']})" for leak in leaks],
        "traces_secrets": traces_secrets(run, step.get("shell"), uses_secrets),
        "checkout": checkout,
        "persist_credentials": _flag(with_.get("persist-credentials"), True) if checkout else None,
        "checks_out_untrusted": bool(_UNTRUSTED_REF.search(checkout_ref)) or bool(
            run and _UNTRUSTED_FETCH.search(run)),
        "publishes_model": ml_steps.publishes_model(step),
        "scans_model": ml_steps.scans(step),
        "signs": ml_steps.signs(step),
    }
    secret_files = [leak["target"] for leak in leaks if leak["kind"] == "file"
                    and not leak["target"].upper().lstrip("$\"{").startswith(("GITHUB_ENV", "GITHUB_OUTPUT"))]
    row["pulled_credentials"] = ml_steps.pulled_credentials(step, secret_files, uses_secrets)
    return row


def job_sequence_checks(rows: list[dict]) -> None:
    """Fill ``missing_before_publish`` and ``uncleaned_credentials`` of one job's rows, in order."""
    for position, row in enumerate(rows):
        before = rows[:position]
        missing = []
        if row["publishes_model"]:
            if not any(r["scans_model"] for r in before):
                missing.append("model scan")
            if not any(r["signs"] for r in before):
                missing.append("signature")
        row["missing_before_publish"] = missing
        later = [{"run": row["run"]}] + [{"run": r["run"]} for r in rows[position + 1:]]
        row["uncleaned_credentials"] = [what for what in row["pulled_credentials"]
                                        if not any(ml_steps.cleans(r, what) for r in later)]

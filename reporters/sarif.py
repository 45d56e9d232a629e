"""The ``sarif`` reporter: SARIF 2.1.0, failed controls as results, for GitHub code scanning.

Example::

    inspecpy exec my-profile --reporter sarif:inspecpy.sarif
    # then, in GitHub Actions: github/codeql-action/upload-sarif with sarif_file: inspecpy.sarif

    {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
     "runs": [{"tool": {"driver": {"name": "inspecpy", "rules": [{"id": "sshd-01", …}]}},
               "automationDetails": {"id": "inspecpy/ssh_web1/"},
               "results": [{"ruleId": "sshd-01", "level": "error",
                            "message": {"text": "1 of 3 tests failed on ssh://web1: …"},
                            "locations": [{"physicalLocation": {"artifactLocation":
                                {"uri": "profiles/ssh/controls/sshd.py"}, "region": {"startLine": 12}}}]}]}]}

One SARIF run per target, each with its own ``automationDetails.id`` (GitHub's
category), one rule per failed control (id = control id, level from its
impact: ≥ 0.7 error, ≥ 0.4 warning, else note), and one result per failed
control located at the control's source. A waived control's result carries
a suppression with the waiver's justification.
"""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import Any, Sequence

from inspecpy.hookspecs import hookimpl
from inspecpy.names import target_slug
from inspecpy.reporter import Reporter
from inspecpy.results import ERROR, FAILED, WAIVED, ControlResult, RunResult, shown_status

from inspecpy.reporters._common import impact_name, tag_labels
from inspecpy.reporters.json import dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MESSAGE_LIMIT = 4_000


def level(impact: float) -> str:
    """SARIF's level for an impact: ``error`` (≥ 0.7), ``warning`` (≥ 0.4) or ``note``."""
    return "error" if impact >= 0.7 else "warning" if impact >= 0.4 else "note"


def _rule(control: ControlResult) -> dict[str, Any]:
    urls = [r.get("url") or r.get("uri") for r in control.refs if isinstance(r, dict)]
    urls += [r for r in control.refs if isinstance(r, str) and r.startswith(("http://", "https://"))]
    rule: dict[str, Any] = {
        "id": control.id,
        "shortDescription": {"text": control.title or control.id},
        "fullDescription": {"text": control.desc or control.title or control.id},
        "defaultConfiguration": {"level": level(control.impact)},
        "properties": {"tags": ["compliance", *tag_labels(dict(control.tags))], "impact": control.impact,
                       "severity": impact_name(control.impact),
                       "security-severity": f"{control.impact * 10:.1f}"},
    }
    help_text = "\n".join(filter(None, [control.desc, *(str(r.get("ref", r)) if isinstance(r, dict) else str(r)
                                                       for r in control.refs)]))
    if help_text:
        rule["help"] = {"text": help_text}
    if urls and urls[0]:
        rule["helpUri"] = urls[0]
    return rule


def _message(control: ControlResult, target: str) -> str:
    failed = [r for r in control.results if r.status == FAILED]
    lines = [f"{control.id}: {control.title or ''}".rstrip(": "),
             f"{len(failed)} of {len(control.results)} tests failed on {target}:"]
    for result in failed:
        detail = (result.message or "").strip().replace("\n", " ")
        lines.append(f"- {result.code_desc}" + (f" ({detail})" if detail else ""))
    text = "\n".join(lines)
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " …"


def _location(control: ControlResult) -> list[dict[str, Any]]:
    where = control.source_location
    if where is None or not where.ref:
        return []
    path = PurePath(where.ref)
    artifact = ({"uri": path.as_uri()} if path.is_absolute()
                else {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"})
    return [{"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(1, where.line)}}}]


def _run(run: RunResult, version: str) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for profile in run.profiles:
        for control in profile.controls:
            status = shown_status(control)
            if status not in (FAILED, ERROR, WAIVED):
                continue
            if control.id not in rule_index:
                rule_index[control.id] = len(rules)
                rules.append(_rule(control))
            result: dict[str, Any] = {
                "ruleId": control.id, "ruleIndex": rule_index[control.id], "level": level(control.impact), "kind": "fail",
                "message": {"text": _message(control, run.target)},
                "locations": _location(control),
                "properties": {"target": run.target, "profile": profile.name, "impact": control.impact},
            }
            if status == WAIVED:
                result["suppressions"] = [{"kind": "external", "status": "accepted",
                                           "justification": control.waiver.justification}]
            results.append(result)
    invocation: dict[str, Any] = {"executionSuccessful": run.error is None}
    if run.error:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": run.error}}]
    return {
        "tool": {"driver": {"name": "inspecpy", "version": version, "semanticVersion": version,
                            "informationUri": "https://pypi.org/project/inspecpy/", "rules": rules}},
        "automationDetails": {"id": f"inspecpy/{target_slug(run.target)}/"},
        "invocations": [invocation],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": PurePath(os.getcwd()).as_uri() + "/"}},
        "results": results,
        "properties": {"target": run.target,
                       "platform": f"{run.platform.name} {run.platform.release}" if run.platform else None},
    }


def sarif_log(runs: Sequence[RunResult]) -> dict[str, Any]:
    """The SARIF 2.1.0 log for *runs*."""
    return {"version": "2.1.0", "$schema": SCHEMA,
            "runs": [_run(run, run.version) for run in runs]}


class SarifReporter(Reporter):
    """SARIF 2.1.0 (GitHub code scanning)."""

    name = "sarif"
    description = "SARIF 2.1.0: failed controls for GitHub code scanning"

    def render(self, runs: Sequence[RunResult]) -> bytes:
        return dumps(sarif_log(runs))


@hookimpl
def inspecpy_reporters():
    return [SarifReporter]

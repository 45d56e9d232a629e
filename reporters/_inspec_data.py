"""The run as InSpec's exec-json data: one builder for the json, json-min and yaml reporters.

Example::

    doc = exec_json(runs)          # {"platform": ..., "profiles": [...], "statistics": ..., "version": ...}
    doc["profiles"][0]["controls"][0]["results"][0]["status"]     # 'passed'
    exec_json_min(runs)["controls"][0]["code_desc"]

One run gives exactly InSpec's document. Several runs (``-t`` repeated) in
one file give the same shape — every profile carries its ``target_id``, the
statistics add up, and ``targets[]`` summarises each target — so a reader of
InSpec's format still reads it; write one file per target with
``--reporter json:out-{target}.json``.
"""

from __future__ import annotations

from typing import Any, Sequence

from inspecpy.version import __version__
from inspecpy.results import (
    FAILED, PASSED, SKIPPED, ControlResult, InputValue, Platform, ProfileResult, RunResult, TestResult,
)

from inspecpy.results import jsonable

_OPTIONAL_PROFILE_FIELDS = ("title", "version", "maintainer", "summary", "license", "copyright",
                            "copyright_email", "parent_profile")


def result_data(result: TestResult) -> dict[str, Any]:
    """One ``results[]`` item; absent optional fields are left out (the schema wants strings)."""
    data: dict[str, Any] = {"status": result.status, "code_desc": result.code_desc,
                            "run_time": result.run_time, "start_time": result.start_time}
    if result.message is not None:  # spelled out: this runs once per test, 100,000 times in a big run
        data["message"] = result.message
    if result.skip_message is not None:
        data["skip_message"] = result.skip_message
    if result.exception is not None:
        data["exception"] = result.exception
    if result.resource is not None:
        data["resource"] = result.resource
    if result.resource_id is not None:
        data["resource_id"] = result.resource_id
    if result.backtrace is not None:
        data["backtrace"] = list(result.backtrace)
    return data


def _ref(ref: Any) -> dict[str, Any]:
    if isinstance(ref, dict) and any(k in ref for k in ("ref", "url", "uri")):
        return jsonable(ref)
    return {"ref": str(ref)}


def waiver_data(control: ControlResult) -> dict[str, Any]:
    """InSpec's ``waiver_data``: empty when the control is not waived."""
    waiver = control.waiver
    if waiver is None:
        return {}
    data = {"justification": waiver.justification, "run": waiver.run,
            "skipped_due_to_waiver": waiver.skipped_due_to_waiver, "message": waiver.message}
    if waiver.expiration_date:
        data["expiration_date"] = waiver.expiration_date
    return data


def control_data(control: ControlResult) -> dict[str, Any]:
    """One ``controls[]`` item with every field the schema requires."""
    descriptions = [{"label": label, "data": data} for label, data in control.descriptions]
    if control.desc and not any(d["label"] == "default" for d in descriptions):
        descriptions.insert(0, {"label": "default", "data": control.desc})
    location = control.source_location
    return {
        "id": control.id, "title": control.title, "desc": control.desc, "descriptions": descriptions,
        "impact": control.impact, "refs": [_ref(r) for r in control.refs], "tags": jsonable(dict(control.tags)),
        "code": control.code,
        "source_location": {"ref": location.ref, "line": location.line} if location else {"ref": "", "line": 0},
        "waiver_data": waiver_data(control),
        "results": [result_data(r) for r in control.results],
    }


def _attribute(item: InputValue) -> dict[str, Any]:
    options: dict[str, Any] = {"value": jsonable(item.value), "required": item.required, "sensitive": item.sensitive}
    if item.type:
        options["type"] = item.type
    if item.description:
        options["description"] = item.description
    return {"name": item.name, "options": options}


def profile_data(profile: ProfileResult) -> dict[str, Any]:
    """One ``profiles[]`` item: metadata, redacted inputs, groups and controls."""
    data: dict[str, Any] = {"name": profile.name}
    for key in _OPTIONAL_PROFILE_FIELDS:
        value = getattr(profile, key)
        if value is not None:
            data[key] = value
    data.update({
        "sha256": profile.sha256,
        "supports": [jsonable(dict(s)) for s in profile.supports],
        "depends": [jsonable(dict(d)) for d in profile.depends],
        "attributes": [_attribute(i) for i in profile.inputs],
        "groups": [{"id": g.id, "title": g.title, "controls": list(g.controls)} for g in profile.groups],
        "controls": [control_data(c) for c in profile.controls],
        "status": profile.status,
        "status_message": profile.status_message,
    })
    if profile.status == SKIPPED and profile.status_message:
        data["skip_message"] = profile.status_message
    if profile.errors:
        data["errors"] = list(profile.errors)
    return data


def platform_data(platform: Platform | None, target: str) -> dict[str, Any]:
    """``platform``: name and release (``unknown`` when the target was unreachable)."""
    if platform is None:
        return {"name": "unknown", "release": "unknown", "target_id": target}
    return {"name": platform.name, "release": platform.release, "target_id": platform.target_id or target}


def statistics_data(runs: Sequence[RunResult]) -> dict[str, Any]:
    """``statistics``: the duration and, as InSpec counts them, the test results by status."""
    totals = dict.fromkeys((PASSED, FAILED, SKIPPED), 0)
    for run in runs:
        stats = run.statistics
        totals[PASSED] += stats.passed
        totals[FAILED] += stats.failed
        totals[SKIPPED] += stats.skipped
    duration = max((run.duration for run in runs), default=0.0)  # targets run concurrently
    return {"duration": duration, "controls": {k: {"total": v} for k, v in totals.items()}}


def exec_json(runs: Sequence[RunResult]) -> dict[str, Any]:
    """InSpec's exec-json document for *runs* (one run: exactly InSpec's shape)."""
    if len(runs) == 1:
        run = runs[0]
        doc: dict[str, Any] = {
            "platform": platform_data(run.platform, run.target),
            "profiles": [profile_data(p) for p in run.profiles],
            "statistics": statistics_data(runs),
            "version": run.version or __version__,
        }
        if run.error:
            doc["error"] = run.error
        return doc
    platforms = {(r.platform.name, r.platform.release) for r in runs if r.platform}
    name, release = next(iter(platforms)) if len(platforms) == 1 else ("multiple", "multiple")
    profiles = []
    for run in runs:
        for profile in run.profiles:
            profiles.append({**profile_data(profile), "target_id": run.target})
    return {
        "platform": {"name": name, "release": release, "target_id": ", ".join(r.target for r in runs)},
        "profiles": profiles,
        "statistics": statistics_data(runs),
        "version": runs[0].version if runs else __version__,
        "targets": [{"target_id": r.target, "platform": platform_data(r.platform, r.target) if r.platform else None,
                     "error": r.error, "statistics": statistics_data([r])} for r in runs],
    }


def exec_json_min(runs: Sequence[RunResult]) -> dict[str, Any]:
    """InSpec's json-min: one flat entry per test result, with its control and profile
    (and, for a waived control, exec-json's ``waiver_data``)."""
    several = len(runs) > 1
    controls = []
    for run in runs:
        for profile in run.profiles:
            for control in profile.controls:
                for result in control.results:
                    entry: dict[str, Any] = {"id": control.id, "profile_id": profile.name,
                                             "profile_sha256": profile.sha256, "status": result.status,
                                             "code_desc": result.code_desc}
                    for key in ("skip_message", "resource", "message", "exception"):
                        value = getattr(result, key)
                        if value is not None:
                            entry[key] = value
                    if result.backtrace is not None:
                        entry["backtrace"] = list(result.backtrace)
                    if control.waiver is not None:  # the raw status stays InSpec's; the waiver says it is accepted
                        entry["waiver_data"] = waiver_data(control)
                    if several:
                        entry["target_id"] = run.target
                    controls.append(entry)
    return {"statistics": {"duration": statistics_data(runs)["duration"]}, "controls": controls,
            "version": runs[0].version if runs else __version__}

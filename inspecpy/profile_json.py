"""A loaded profile as InSpec's profile JSON (what ``inspec json`` prints).

Sensitive input values are ``***``; source locations are relative to the
profile, so the output is the same wherever the profile sits::

    data = profile_json(load_profile("profiles/example"))
    data["controls"][0]["source_location"]   # {'ref': 'controls/os_version.py', 'line': 8}
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from . import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .profile import Profile
    from .rule import Control

FIELDS = ("name", "title", "maintainer", "copyright", "copyright_email", "license", "summary", "version")


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def control_json(ctrl: "Control", root: str) -> dict[str, Any]:
    """One control: id, title, desc, descriptions, impact, refs, tags, code, source_location."""
    descriptions = ([{"label": "default", "data": ctrl.desc}] if ctrl.desc else []) + [
        {"label": str(label), "data": data} for label, data in ctrl.descriptions]
    location = None
    if ctrl.source_location:
        ref = ctrl.source_location.ref
        rel = os.path.relpath(ref, root) if os.path.isabs(ref) or ref.startswith(root) else ref
        location = {"ref": ref if rel.startswith("..") else rel, "line": ctrl.source_location.line}
    return {"id": ctrl.id, "title": ctrl.title, "desc": ctrl.desc, "descriptions": descriptions,
            "impact": ctrl.impact, "refs": list(ctrl.refs), "tags": dict(ctrl.tags), "code": ctrl.code,
            "source_location": location}


def inputs_json(profile: "Profile") -> list[dict[str, Any]]:
    """InSpec's ``inputs``: name plus options (value redacted when sensitive)."""
    out = []
    for item in profile.inputs.report():
        options = {"type": item.type, "required": item.required, "sensitive": item.sensitive,
                   "description": item.description}
        if item.value is not None:
            options["value"] = item.value
        out.append({"name": item.name, "options": {k: v for k, v in options.items() if v is not None}})
    return out


def profile_json(profile: "Profile", controls: "list[Control] | None" = None) -> dict[str, Any]:
    """The profile's metadata, inputs, groups and controls (all of them unless *controls* is given)."""
    meta = profile.metadata
    chosen = profile.controls if controls is None else controls
    ids = {c.id for c in chosen}
    data: dict[str, Any] = {key: _text(meta.get(key)) for key in FIELDS}
    data.update({
        "supports": list(meta.get("supports") or []),
        "depends": list(meta.get("depends") or []),
        "inputs": inputs_json(profile),
        "controls": [control_json(c, profile.path) for c in chosen],
        "groups": [{"id": g.id, "title": g.title, "controls": [i for i in g.controls if i in ids]}
                   for g in profile.groups],
        "sha256": profile.sha256,
        "status": "loaded",
        "generator": {"name": "inspecpy", "version": __version__},
    })
    if profile.parent:
        data["parent_profile"] = profile.parent
    return data

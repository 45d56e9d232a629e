"""A loaded profile as InSpec's profile JSON (what ``inspec json`` prints).

Sensitive input values are ``***``; source locations are relative to the
profile, so the output is the same wherever the profile sits::

    data = profile_json(load_profile("profiles/example"))
    data["controls"][0]["source_location"]   # {'ref': 'controls/os_version.py', 'line': 8}

As in InSpec, ``controls`` lists what the profile runs: its own controls, then
the ones it includes from its dependencies (``include_controls`` /
``require_controls``, with their impact overrides), each located in its own
file (``vendor/base/controls/b.py`` in an archive, the absolute path of a
``path:`` dependency outside the profile); ``groups`` has those files too.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from inspecpy.version import __version__
from inspecpy.profile.model import walk_profiles

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.loader import Profile
    from inspecpy.dsl.controls import Control

FIELDS = ("name", "title", "maintainer", "copyright", "copyright_email", "license", "summary", "version")


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _ref(path: str, root: str) -> str:
    """*path* relative to the profile folder *root* when it lies inside it, else as it is."""
    rel = os.path.relpath(path, root) if os.path.isabs(path) or path.startswith(root) else path
    return path if rel.startswith("..") else rel


def included_controls(profile: "Profile") -> "list[Control]":
    """What the profile runs: its own controls, then those included from its dependencies."""
    return [ctrl for member in walk_profiles([profile]) for ctrl in member.controls]


def groups_json(profile: "Profile", ids: set[str]) -> list[dict[str, Any]]:
    """The profile's control files (each listing the chosen *ids*), then its dependencies' files that
    contribute any of them."""
    out = [{"id": g.id, "title": g.title, "controls": [i for i in g.controls if i in ids]} for g in profile.groups]
    for dep in walk_profiles([profile])[1:]:
        for group in dep.groups:
            kept = [i for i in group.controls if i in ids]
            if kept:
                out.append({"id": _ref(os.path.join(dep.path, group.id), profile.path), "title": group.title,
                            "controls": kept})
    return out


def control_json(ctrl: "Control", root: str) -> dict[str, Any]:
    """One control: id, title, desc, descriptions, impact, refs, tags, code, source_location."""
    descriptions = ([{"label": "default", "data": ctrl.desc}] if ctrl.desc else []) + [
        {"label": str(label), "data": data} for label, data in ctrl.descriptions]
    location = None
    if ctrl.source_location:
        location = {"ref": _ref(ctrl.source_location.ref, root), "line": ctrl.source_location.line}
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
    """The profile's metadata, inputs, groups and controls (all it runs unless *controls* is given)."""
    meta = profile.metadata
    chosen = included_controls(profile) if controls is None else controls
    ids = {c.id for c in chosen}
    data: dict[str, Any] = {key: _text(meta.raw.get(key)) for key in FIELDS}
    data.update({
        "supports": list(meta.supports),
        "depends": list(meta.depends),
        "inputs": inputs_json(profile),
        "controls": [control_json(c, profile.path) for c in chosen],
        "groups": groups_json(profile, ids),
        "sha256": profile.sha256,
        "status": "loaded",
        "generator": {"name": "inspecpy", "version": __version__},
    })
    if profile.parent:
        data["parent_profile"] = profile.parent
    return data

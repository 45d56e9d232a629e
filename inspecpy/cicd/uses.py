"""A ``uses:`` reference split into its parts, and whether it is pinned.

>>> split_uses("actions/checkout@v4")["ref_kind"]
'tag'
>>> split_uses("pypa/gh-action-pypi-publish/sub@8a08d616893759ef8e1aa1f2785787c0b97e20d6")["pinned"]
True
>>> split_uses("./.github/actions/setup")["kind"]
'local'

``ref_kind`` is ``sha`` (a full 40-hex commit, the only immutable git
ref), ``tag`` (looks like a version: ``v4``, ``1.2.3``), ``branch``
(``main``, ``master``, ``release/x``…), ``unknown`` (anything else,
including a short SHA, no ref or an expression such as
``${{ matrix.action }}``), ``local`` (``./path``: the same commit as the
workflow) or ``digest`` (``docker://image@sha256:…``). Whether a name is a
tag or a branch cannot be known offline; the guess is only a label, the
verdict is ``pinned``.
"""

from __future__ import annotations

import re

_SHA = re.compile(r"^[0-9a-f]{40}$")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*(?:[-+.][0-9A-Za-z.-]+)?$")
_BRANCHES = {"main", "master", "develop", "development", "dev", "trunk", "stable", "next", "nightly",
             "latest", "head", "canary", "edge", "beta", "alpha", "release", "releases/latest"}


def ref_kind(ref: str | None) -> str:
    """``sha``, ``tag``, ``branch`` or ``unknown`` for a git ref."""
    if not ref or "${{" in ref:
        return "unknown"
    if _SHA.match(ref):
        return "sha"
    if _VERSION.match(ref):
        return "tag"
    lowered = ref.lower()
    if lowered in _BRANCHES or lowered.startswith(("release/", "releases/", "feature/", "hotfix/", "refs/heads/")):
        return "branch"
    if lowered.startswith("refs/tags/"):
        return "tag"
    return "unknown"


def _empty(kind: str | None, uses: str | None) -> dict:
    return {"uses": uses, "kind": kind, "owner": None, "repo": None, "action_path": None,
            "ref": None, "ref_kind": None, "pinned": None}


def split_uses(uses: object) -> dict:
    """``uses``, ``kind`` (repository/local/docker/expression), ``owner``, ``repo``,
    ``action_path``, ``ref``, ``ref_kind``, ``pinned`` of one reference."""
    if uses is None:
        return _empty(None, None)
    text = str(uses).strip()
    if "${{" in text:
        return {**_empty("expression", text), "ref_kind": "unknown", "pinned": False}
    if text.startswith("./") or text.startswith("../"):
        return {**_empty("local", text), "action_path": text, "ref_kind": "local", "pinned": True}
    if text.startswith("docker://"):
        image = text[len("docker://"):]
        name, _, digest = image.partition("@")
        if digest:
            return {**_empty("docker", text), "repo": name, "ref": digest,
                    "ref_kind": "digest", "pinned": digest.startswith("sha256:")}
        last = name.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else None
        return {**_empty("docker", text), "repo": name.rsplit(":", 1)[0] if tag else name, "ref": tag,
                "ref_kind": "tag" if tag else "unknown", "pinned": False}
    target, at, after = text.partition("@")
    parts = target.split("/")
    ref = after if at else None
    kind = ref_kind(ref)
    return {"uses": text, "kind": "repository", "owner": parts[0] or None,
            "repo": parts[1] if len(parts) > 1 else None,
            "action_path": "/".join(parts[2:]) or None, "ref": ref, "ref_kind": kind, "pinned": kind == "sha"}


def is_reusable_workflow(uses: str | None) -> bool:
    """True for ``owner/repo/.github/workflows/x.yml@ref`` and ``./.github/workflows/x.yml``."""
    return bool(uses) and re.search(r"\.github/workflows/[^/@]+\.ya?ml(?:@|$)", str(uses)) is not None

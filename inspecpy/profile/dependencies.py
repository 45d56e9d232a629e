"""Profile dependencies: ``depends:`` in inspec.yml, ``include_controls`` and ``require_controls``.

``inspec.yml`` of a wrapper profile::

    depends:
      - name: base
        path: ../base-profile                  # a folder, relative to this profile
      - name: ssh
        url: file:///srv/ssh-baseline-1.0.0.tar.gz   # an archive (or a relative path)
        sha256: 9f86d0...                      # optional: the archive's digest
    inputs:
      - name: port
        profile: ssh                           # sets the dependency's input
        value: 2222

``controls/wrapper.py``::

    include_controls("base", skip=["base-03"], impact={"base-01": 0.3})
    require_controls("ssh", ["ssh-01", "ssh-04"])

``controls/wrapper.yml`` (the same, as data)::

    - include_controls: base
      skip: [base-03]
      impact: {base-01: 0.3}
    - require_controls: ssh
      controls: [ssh-01, ssh-04]

A dependency whose controls are neither included nor required runs nothing
(its resources are still in scope). Included controls run in their own
profile (with its inputs) and are reported under it, with ``parent_profile``
naming the wrapper, as InSpec does. An archive made by ``inspecpy archive``
carries its dependencies in ``vendor/<name>/``, which wins over ``path:``
and ``url:``, so the archive runs anywhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import unquote, urlparse

from inspecpy.digests import file_sha256
from inspecpy.context import current_load
from inspecpy.dsl.controls import Control
from inspecpy.dsl.loading import Inclusion, add_inclusion, impacts
from inspecpy.errors import ProfileError, SignatureError, Where
from inspecpy.names import did_you_mean
from inspecpy.profile.model import METADATA_FILE, Profile, walk_profiles
from inspecpy.results import Group

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.archive import Trust

VENDOR = "vendor"
_SOURCE_KEYS = ("path", "url")
_UNSUPPORTED = ("git", "supermarket", "compliance", "github")


@dataclass(frozen=True)
class DependencyChain:
    """Where a profile is loaded from: the chain of profiles above it, its wrapper, the archive trust."""

    chain: tuple[tuple[str, str], ...] = ()  # (source key, profile name), outermost first
    parent: str | None = None
    wrapper_inputs: tuple[dict, ...] = ()
    trust: "Trust | None" = None


def vendor_dir_name(name: str) -> str:
    """The folder under ``vendor/`` that holds dependency *name* (safe as one path part)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip(".")
    return safe or "_"


# ------------------------------------------------------------- resolving


def _source(profile_path: str, where: Where, name: str, entry: dict) -> str:
    """The folder or archive a ``depends:`` entry points at."""
    vendored = os.path.join(profile_path, VENDOR, vendor_dir_name(name))
    if os.path.isdir(vendored):
        return vendored
    if "path" in entry:
        path = os.path.normpath(os.path.join(profile_path, os.path.expanduser(str(entry["path"]))))
        if not os.path.exists(path):
            raise ProfileError(where, f"dependency {name!r}: path {entry['path']} not found ({path})")
        return path
    url = str(entry["url"])
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https", "ftp"):
        raise ProfileError(where, f"dependency {name!r}: only local archives are supported "
                           f"(download {url} and use url: file:///path/to/it.tar.gz)")
    if parsed.scheme not in ("", "file"):
        raise ProfileError(where, f"dependency {name!r}: unsupported url scheme {parsed.scheme!r}")
    path = unquote(parsed.path) if parsed.scheme == "file" else url
    path = os.path.normpath(os.path.join(profile_path, os.path.expanduser(path)))
    if not os.path.isfile(path):
        raise ProfileError(where, f"dependency {name!r}: archive {url} not found ({path})")
    return path


def _check_digest(where: Where, name: str, path: str, expected: Any) -> None:
    actual = file_sha256(path)
    if actual != str(expected).strip().lower():
        raise SignatureError(where, f"dependency {name!r}: archive {path} has sha256 {actual}, "
                             f"inspec.yml expects {expected}")


def _entries(where: Where, depends: Iterable[Any]) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for entry in depends:
        if not isinstance(entry, dict):
            raise ProfileError(where, f"each dependency must be a mapping with name and path or url, got {entry!r}")
        label = entry.get("name") or entry.get("path") or entry.get("url")
        if not entry.get("name"):
            raise ProfileError(where, f"dependency {label!r} needs a 'name' (include_controls refers to it)")
        unsupported = [k for k in _UNSUPPORTED if k in entry]
        if unsupported and not any(k in entry for k in _SOURCE_KEYS):
            raise ProfileError(where, f"dependency {label!r}: '{unsupported[0]}' sources are not supported "
                               f"(use path: to a folder or url: to a local .tar.gz)")
        if not any(k in entry for k in _SOURCE_KEYS):
            raise ProfileError(where, f"dependency {label!r} needs 'path' (a folder) or 'url' (a local archive)")
        out.append((str(entry["name"]), entry))
    return out


@dataclass(frozen=True)
class Dependency:
    """One ``depends:`` entry, resolved: its name, the folder or archive to load, and how."""

    name: str
    source: str
    chain: DependencyChain


def resolve_dependencies(profile: Profile, chain: DependencyChain) -> list[Dependency]:
    """Every ``depends:`` entry of *profile*, resolved and checked (digests, cycles); not loaded."""
    where = Where(os.path.join(profile.path, METADATA_FILE))
    inputs = profile.metadata.inputs
    links = chain.chain + ((_key(profile.source or profile.path), profile.name),)
    entries = _entries(where, profile.metadata.depends)
    names = [name for name, _ in entries]
    for name in names:
        if names.count(name) > 1:
            raise ProfileError(where, f"two dependencies are named {name!r} (give each a unique name)")
        if name == profile.name:
            raise ProfileError(where, f"dependency {name!r} has the same name as the profile that depends on it")
    resolved = []
    for name, entry in entries:
        source = _source(profile.path, where, name, entry)
        if entry.get("sha256") is not None and os.path.isfile(source):
            _check_digest(where, name, source, entry["sha256"])
        for index, (key, _) in enumerate(links):
            if key == _key(source):
                cycle = [n for _, n in links[index:]] + [links[index][1]]
                raise ProfileError(f"dependency cycle: {' -> '.join(cycle)} (in {where.file})")
        wrapper = tuple(i for i in inputs if isinstance(i, dict) and i.get("profile") == name)
        resolved.append(Dependency(name, source, DependencyChain(links, profile.name, wrapper, chain.trust)))
    return resolved


def _key(path: str) -> str:
    return os.path.realpath(path)


# ---------------------------------------------------- include / require


def _available(dep: Profile) -> dict[str, Control]:
    return {c.id: c for p in walk_profiles([dep]) for c in p.controls}


def check_inclusions(profile: str, dependencies: dict[str, Profile], inclusions: list[Inclusion]) -> None:
    """Each inclusion names a declared dependency and only controls it has (else one ProfileError)."""
    for inclusion in inclusions:
        name = inclusion.profile
        dep = dependencies.get(name)
        if dep is None:
            known = ", ".join(sorted(dependencies)) or "none"
            raise ProfileError(inclusion.where, f"{inclusion.verb}({name!r}): profile {profile!r} has no "
                               f"dependency named {name!r}{did_you_mean(name, dependencies)} "
                               f"(declared: {known})")
        available = _available(dep)
        for control_id in sorted(inclusion.named_ids() - set(available)):
            raise ProfileError(inclusion.where, f"{inclusion.verb}({name!r}): no control {control_id!r} in "
                               f"{name!r}{did_you_mean(control_id, available)}")


def yaml_inclusion(where: Where, item: dict) -> None:
    """The YAML form: ``{include_controls: NAME, skip: [...], impact: {...}}`` or
    ``{require_controls: NAME, controls: [...]}``."""
    verb = "include_controls" if "include_controls" in item else "require_controls"
    allowed = {verb, "skip", "impact"} if verb == "include_controls" else {verb, "controls", "impact"}
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ProfileError(where, f"{verb}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")
    for key in ("skip", "controls"):
        if key in item and not isinstance(item[key], (list, str)):
            raise ProfileError(where, f"{verb}: '{key}' must be a list of control ids")
    if "impact" in item and not isinstance(item["impact"], dict):
        raise ProfileError(where, f"{verb}: 'impact' must map control ids to impacts")
    listed = lambda key: [item[key]] if isinstance(item.get(key), str) else list(item.get(key) or [])  # noqa: E731
    impact = impacts(where, item.get("impact"))
    if verb == "include_controls":
        inclusion = Inclusion(str(item[verb]), verb, where, skip=frozenset(map(str, listed("skip"))), impact=impact)
    else:
        if not listed("controls"):
            raise ProfileError(where, "require_controls: 'controls' lists the ids to run")
        inclusion = Inclusion(str(item[verb]), verb, where, only=frozenset(map(str, listed("controls"))),
                              impact=impact)
    load = current_load()
    if load is not None:
        check_inclusions(load.profile, load.dependencies, [inclusion])
    add_inclusion(inclusion)


def apply_inclusions(profile: Profile, inclusions: list[Inclusion]) -> None:
    """Keep in each dependency (and its own dependencies) only what *profile* included."""
    for name, dep in profile.dependencies.items():
        chosen = [i for i in inclusions if i.profile == name]
        for member in walk_profiles([dep]):
            kept = []
            for ctrl in member.controls:
                keeping = [i for i in chosen if i.keeps(ctrl.id)]
                if not keeping:
                    continue
                impact = next((i.impact[ctrl.id] for i in reversed(keeping) if ctrl.id in i.impact), None)
                kept.append(ctrl if impact is None else ctrl.with_changes(impact=impact))
            member.controls[:] = kept
            ids = {c.id for c in kept}
            member.groups[:] = [Group(g.id, g.title, tuple(i for i in g.controls if i in ids)) for g in member.groups]

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

import hashlib
import os
import re
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import ContextManager, TYPE_CHECKING, Any, Iterable
from urllib.parse import unquote, urlparse

from inspecpy.context import bound
from inspecpy.errors import ProfileError, SignatureError
from inspecpy.names import did_you_mean
from inspecpy.results import Group
from inspecpy.dsl.controls import Control, impact_value

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.archive import Trust
    from inspecpy.profile.loader import Profile

VENDOR = "vendor"
_SOURCE_KEYS = ("path", "url")
_UNSUPPORTED = ("git", "supermarket", "compliance", "github")


@dataclass(frozen=True)
class LoadContext:
    """How a profile is being loaded: the chain of profiles above it, its wrapper, the archive trust."""

    chain: tuple[tuple[str, str], ...] = ()  # (source key, profile name), outermost first
    parent: str | None = None
    wrapper_inputs: tuple[dict, ...] = ()
    trust: "Trust | None" = None


@dataclass
class Inclusion:
    """One ``include_controls`` / ``require_controls`` call."""

    only: frozenset[str] | None = None  # require_controls: exactly these ids
    skip: frozenset[str] = frozenset()
    impact: dict[str, float] = field(default_factory=dict)

    def keeps(self, control_id: str) -> bool:
        return control_id not in self.skip and (self.only is None or control_id in self.only)


@dataclass
class _Loading:
    """The profile whose control files are being read, and what they included."""

    name: str
    dependencies: dict[str, "Profile"]
    inclusions: dict[str, list[Inclusion]] = field(default_factory=dict)


_loading: ContextVar[_Loading | None] = ContextVar("inspecpy_loading", default=None)


def loading(profile: "Profile") -> ContextManager[_Loading]:
    """Collect the inclusions made while *profile*'s control files are read."""
    return bound(_loading, _Loading(profile.name, profile.dependencies))


def vendor_dir_name(name: str) -> str:
    """The folder under ``vendor/`` that holds dependency *name* (safe as one path part)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip(".")
    return safe or "_"


# ------------------------------------------------------------- resolving


def _source(profile_path: str, where: str, name: str, entry: dict) -> str:
    """The folder or archive a ``depends:`` entry points at."""
    vendored = os.path.join(profile_path, VENDOR, vendor_dir_name(name))
    if os.path.isdir(vendored):
        return vendored
    if "path" in entry:
        path = os.path.normpath(os.path.join(profile_path, os.path.expanduser(str(entry["path"]))))
        if not os.path.exists(path):
            raise ProfileError(f"{where}: dependency {name!r}: path {entry['path']} not found ({path})")
        return path
    url = str(entry["url"])
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https", "ftp"):
        raise ProfileError(f"{where}: dependency {name!r}: only local archives are supported "
                           f"(download {url} and use url: file:///path/to/it.tar.gz)")
    if parsed.scheme not in ("", "file"):
        raise ProfileError(f"{where}: dependency {name!r}: unsupported url scheme {parsed.scheme!r}")
    path = unquote(parsed.path) if parsed.scheme == "file" else url
    path = os.path.normpath(os.path.join(profile_path, os.path.expanduser(path)))
    if not os.path.isfile(path):
        raise ProfileError(f"{where}: dependency {name!r}: archive {url} not found ({path})")
    return path


def _check_digest(where: str, name: str, path: str, expected: Any) -> None:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != str(expected).strip().lower():
        raise SignatureError(f"{where}: dependency {name!r}: archive {path} has sha256 {digest.hexdigest()}, "
                             f"inspec.yml expects {expected}")


def _entries(where: str, depends: Iterable[Any]) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for entry in depends:
        if not isinstance(entry, dict):
            raise ProfileError(f"{where}: each dependency must be a mapping with name and path or url, got {entry!r}")
        label = entry.get("name") or entry.get("path") or entry.get("url")
        if not entry.get("name"):
            raise ProfileError(f"{where}: dependency {label!r} needs a 'name' (include_controls refers to it)")
        unsupported = [k for k in _UNSUPPORTED if k in entry]
        if unsupported and not any(k in entry for k in _SOURCE_KEYS):
            raise ProfileError(f"{where}: dependency {label!r}: '{unsupported[0]}' sources are not supported "
                               f"(use path: to a folder or url: to a local .tar.gz)")
        if not any(k in entry for k in _SOURCE_KEYS):
            raise ProfileError(f"{where}: dependency {label!r} needs 'path' (a folder) or 'url' (a local archive)")
        out.append((str(entry["name"]), entry))
    return out


def load_dependencies(profile: "Profile", overrides: dict[str, Any] | None,
                      context: LoadContext) -> dict[str, "Profile"]:
    """Load every ``depends:`` entry of *profile* (recursively); key = the entry's name."""
    from inspecpy.profile.loader import METADATA_FILE, load_profile

    where = os.path.join(profile.path, METADATA_FILE)
    inputs = profile.metadata.get("inputs") or profile.metadata.get("attributes") or []
    chain = context.chain + ((_key(profile.source or profile.path), profile.name),)
    loaded: dict[str, Profile] = {}
    entries = _entries(where, profile.metadata.get("depends") or [])
    names = [name for name, _ in entries]
    for name in names:
        if names.count(name) > 1:
            raise ProfileError(f"{where}: two dependencies are named {name!r} (give each a unique name)")
        if name == profile.name:
            raise ProfileError(f"{where}: dependency {name!r} has the same name as the profile that depends on it")
    for name, entry in entries:
        source = _source(profile.path, where, name, entry)
        if entry.get("sha256") is not None and os.path.isfile(source):
            _check_digest(where, name, source, entry["sha256"])
        for index, (key, _) in enumerate(chain):
            if key == _key(source):
                cycle = [n for _, n in chain[index:]] + [chain[index][1]]
                raise ProfileError(f"dependency cycle: {' -> '.join(cycle)} (in {where})")
        wrapper = tuple(i for i in inputs if isinstance(i, dict) and i.get("profile") == name)
        loaded[name] = load_profile(source, overrides, context=LoadContext(chain, profile.name, wrapper, context.trust))
    return loaded


def _key(path: str) -> str:
    return os.path.realpath(path)


# ---------------------------------------------------- include / require


def _caller() -> str:
    frame = sys._getframe(2)  # the control file that called include_controls / require_controls
    return f"{frame.f_code.co_filename}:{frame.f_lineno}: "


def _available(dep: "Profile") -> dict[str, Control]:
    from inspecpy.profile.loader import walk_profiles

    return {c.id: c for p in walk_profiles([dep]) for c in p.controls}


def _include(where: str, name: str, inclusion: Inclusion, verb: str) -> None:
    state = _loading.get()
    if state is None:
        raise ProfileError(f"{where}{verb}() works only in a profile's control files")
    dep = state.dependencies.get(name)
    if dep is None:
        known = ", ".join(sorted(state.dependencies)) or "none"
        raise ProfileError(f"{where}{verb}({name!r}): profile {state.name!r} has no dependency named {name!r}"
                           f"{did_you_mean(name, state.dependencies)} (declared: {known})")
    available = _available(dep)
    wanted = set(inclusion.skip) | set(inclusion.impact) | set(inclusion.only or ())
    for control_id in sorted(wanted - set(available)):
        raise ProfileError(f"{where}{verb}({name!r}): no control {control_id!r} in {name!r}"
                           f"{did_you_mean(control_id, available)}")
    state.inclusions.setdefault(name, []).append(inclusion)


def _impacts(where: str, impact: dict[str, Any] | None) -> dict[str, float]:
    return {str(k): impact_value(v, f"{where}control {k!r}: ") for k, v in (impact or {}).items()}


def include_controls(profile: str, skip: Iterable[str] = (), impact: dict[str, Any] | None = None) -> None:
    """Run every control of dependency *profile*, except *skip*, with *impact* overrides.

    >>> include_controls("base", skip=["base-03"], impact={"base-01": 0.3})  # doctest: +SKIP
    """
    where = _caller()
    _include(where, str(profile), Inclusion(skip=frozenset(map(str, skip)), impact=_impacts(where, impact)),
             "include_controls")


def require_controls(profile: str, controls: Iterable[str], impact: dict[str, Any] | None = None) -> None:
    """Run only *controls* (ids) of dependency *profile*.

    >>> require_controls("ssh", ["ssh-01", "ssh-04"])  # doctest: +SKIP
    """
    where = _caller()
    if isinstance(controls, str):
        controls = [controls]
    _include(where, str(profile), Inclusion(only=frozenset(map(str, controls)), impact=_impacts(where, impact)),
             "require_controls")


def yaml_inclusion(where: str, item: dict) -> None:
    """The YAML form: ``{include_controls: NAME, skip: [...], impact: {...}}`` or
    ``{require_controls: NAME, controls: [...]}``."""
    verb = "include_controls" if "include_controls" in item else "require_controls"
    allowed = {verb, "skip", "impact"} if verb == "include_controls" else {verb, "controls", "impact"}
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise ProfileError(f"{where}{verb}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")
    for key in ("skip", "controls"):
        if key in item and not isinstance(item[key], (list, str)):
            raise ProfileError(f"{where}{verb}: '{key}' must be a list of control ids")
    if "impact" in item and not isinstance(item["impact"], dict):
        raise ProfileError(f"{where}{verb}: 'impact' must map control ids to impacts")
    listed = lambda key: [item[key]] if isinstance(item.get(key), str) else list(item.get(key) or [])  # noqa: E731
    impact = _impacts(where, item.get("impact"))
    if verb == "include_controls":
        inclusion = Inclusion(skip=frozenset(map(str, listed("skip"))), impact=impact)
    else:
        if not listed("controls"):
            raise ProfileError(f"{where}require_controls: 'controls' lists the ids to run")
        inclusion = Inclusion(only=frozenset(map(str, listed("controls"))), impact=impact)
    _include(where, str(item[verb]), inclusion, verb)


def apply_inclusions(profile: "Profile", inclusions: dict[str, list[Inclusion]]) -> None:
    """Keep in each dependency (and its own dependencies) only what *profile* included."""
    from inspecpy.profile.loader import walk_profiles

    for name, dep in profile.dependencies.items():
        chosen = inclusions.get(name, [])
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

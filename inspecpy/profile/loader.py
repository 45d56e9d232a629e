"""Loading a profile: ``inspec.yml``, ``libraries/*.py``, ``controls/*.py`` and ``*.yml``.

Loading only registers controls; nothing touches a target::

    profile = load_profile("profiles/example", overrides={"os_version": "6.1"})
    [c.id for c in profile.controls]   # ['check_os_version', 'check_secure_password_policy']
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
import types
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from inspecpy.profile.yaml_errors import yaml_problem
from inspecpy.dsl.controls import Control
from inspecpy.dsl.loading import collecting, Collector
from inspecpy.errors import ProfileError
from inspecpy.profile.inputs import InputSet, using_inputs
from inspecpy.results import Group
from inspecpy.resources.base import Resource

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.archive import Trust
    from inspecpy.profile.dependencies import LoadContext

METADATA_FILE = "inspec.yml"
_STRING_FIELDS = ("name", "title", "maintainer", "copyright", "copyright_email", "license", "summary", "version")


@dataclass
class Profile:
    """A loaded profile: metadata, inputs, resources in scope and controls."""

    path: str
    metadata: dict[str, Any]
    inputs: InputSet
    resources: dict[str, type]
    controls: list[Control] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    library_names: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""
    parent: str | None = None
    dependencies: dict[str, "Profile"] = field(default_factory=dict)
    source: str = ""
    archive: Any = None  # the archive's Verification when loaded from one

    @property
    def name(self) -> str:
        return str(self.metadata["name"])


def walk_profiles(profiles: "list[Profile] | tuple[Profile, ...]") -> "list[Profile]":
    """Each profile followed by its dependency profiles, depth first (the report's order)."""
    out: list[Profile] = []
    for profile in profiles:
        out.append(profile)
        out += walk_profiles(list(profile.dependencies.values()))
    return out


def read_metadata(path: str) -> dict[str, Any]:
    """Read and check ``inspec.yml``; every problem is a one-line ProfileError."""
    if not os.path.exists(path):
        raise ProfileError(f"profile not found: {path}")
    if not os.path.isdir(path):
        raise ProfileError(f"not a profile directory: {path}")
    meta_path = os.path.join(path, METADATA_FILE)
    if not os.path.isfile(meta_path):
        raise ProfileError(f"{meta_path}: missing (every profile needs an inspec.yml with a name)")
    try:
        with open(meta_path, encoding="utf-8") as handle:
            metadata = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        where, _, problem = yaml_problem(meta_path, error).partition(": ")
        raise ProfileError(f"{where}: not valid YAML: {problem}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{meta_path}: not UTF-8 text") from None
    if not isinstance(metadata, dict):
        raise ProfileError(f"{meta_path}: must be a YAML mapping with at least 'name'")
    if not metadata.get("name"):
        raise ProfileError(f"{meta_path}: 'name' is required")
    for key in _STRING_FIELDS:
        if key in metadata and metadata[key] is not None and not isinstance(metadata[key], (str, int, float)):
            raise ProfileError(f"{meta_path}: '{key}' must be a string")
    for key in ("supports", "depends", "inputs", "attributes"):
        if metadata.get(key) is not None and not isinstance(metadata[key], list):
            raise ProfileError(f"{meta_path}: '{key}' must be a list")
    return metadata


def profile_sha256(path: str) -> str:
    """A digest of every file of the profile (names and bytes), order-independent."""
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            full = os.path.join(root, name)
            digest.update(os.path.relpath(full, path).encode() + b"\0")
            with open(full, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def _listing(path: str, suffixes: tuple[str, ...]) -> list[str]:
    if not os.path.isdir(path):
        return []
    return sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(suffixes) and not n.startswith("."))


def dsl_namespace() -> dict[str, Any]:
    """What every control and library file has in scope without importing."""
    import inspecpy

    return {name: getattr(inspecpy, name) for name in inspecpy.__all__}


def _error_location(error: BaseException, path: str) -> str:
    if isinstance(error, SyntaxError):
        return f"{path}:{error.lineno}: SyntaxError: {error.msg}"
    line = next((f.lineno for f in reversed(traceback.extract_tb(error.__traceback__)) if f.filename == path), 0)
    return f"{path}:{line}: {type(error).__name__}: {error}"


def _exec_file(path: str, module_name: str, namespace: dict[str, Any]) -> types.ModuleType:
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    module = types.ModuleType(module_name)
    module.__file__ = path
    module.__dict__.update(namespace)
    sys.modules[module_name] = module
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - profiles are code by design
    return module


def load_profile(path: str, overrides: dict[str, Any] | None = None, *, strict: bool = True,
                 trust: "Trust | None" = None, context: "LoadContext | None" = None) -> Profile:
    """Load the profile at *path* (a folder or an archive) with its dependencies.

    Control-file errors are collected in ``errors``; others raise. With
    ``strict=False`` duplicate control ids are collected too, and every
    malformed control of a YAML file rather than its first (``check`` wants
    every problem at once). *trust* says which archive signatures to accept;
    *context* is set when loading a dependency.
    """
    from inspecpy.profile.archive import is_archive, open_archive
    from inspecpy.profile.dependencies import LoadContext, apply_inclusions, load_dependencies, loading
    from inspecpy.plugins import registry

    context = context or LoadContext(trust=trust)
    source, verification = path, None
    if is_archive(path):
        path, verification = open_archive(path, context.trust)
    path = os.path.normpath(path)
    metadata = read_metadata(path)
    inputs = InputSet.build(metadata.get("inputs") or metadata.get("attributes"), overrides,
                            where=os.path.join(path, METADATA_FILE), profile=str(metadata["name"]),
                            wrapper=list(context.wrapper_inputs))
    profile = Profile(path=path, metadata=metadata, inputs=inputs, resources=dict(registry().resources),
                      sha256=profile_sha256(path), parent=context.parent, source=source, archive=verification)
    profile.dependencies = load_dependencies(profile, overrides, context)
    for dep in profile.dependencies.values():  # a dependency's custom resources are in scope too
        profile.resources.update(dep.resources)
    key = hashlib.sha1(os.path.abspath(path).encode()).hexdigest()[:10]
    namespace = {**dsl_namespace(), **profile.resources}
    with using_inputs(inputs), loading(profile) as state:
        for lib in _listing(os.path.join(path, "libraries"), (".py",)):
            stem = os.path.splitext(os.path.basename(lib))[0]
            try:
                module = _exec_file(lib, f"inspecpy_profile_{key}.libraries.{stem}", namespace)
            except Exception as error:
                raise ProfileError(_error_location(error, lib)) from None
            for name, value in vars(module).items():
                if isinstance(value, type) and issubclass(value, Resource) and value.name and value is not Resource:
                    profile.resources[value.name] = value
                    namespace[value.name] = value
                if not name.startswith("_") and name not in namespace:
                    profile.library_names[name] = value
            namespace.update(profile.library_names)
        _load_controls(profile, namespace, key, strict)
    apply_inclusions(profile, state.inclusions)
    _check_unique(profile, strict)
    return profile


def _load_controls(profile: Profile, namespace: dict[str, Any], key: str, strict: bool = True) -> None:
    """Each control file's controls and group; a file that fails is an error and adds none (with
    ``strict=False`` a YAML file's good controls load and each bad one is an error)."""
    from inspecpy.profile.yaml_controls import load_yaml_controls

    for file_path in _listing(os.path.join(profile.path, "controls"), (".py", ".yml", ".yaml")):
        rel = os.path.relpath(file_path, profile.path)
        collector = Collector(group=rel, profile=profile.name)
        title = None
        try:
            with collecting(collector):
                if file_path.endswith(".py"):
                    stem = os.path.splitext(os.path.basename(file_path))[0]
                    module = _exec_file(file_path, f"inspecpy_profile_{key}.controls.{stem}", namespace)
                    title = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else None
                else:
                    with open(file_path, encoding="utf-8") as handle:
                        text = handle.read()
                    collector.controls.extend(load_yaml_controls(file_path, text, profile.resources, rel,
                                                                 None if strict else profile.errors))
        except ProfileError as error:
            profile.errors.append(str(error))
            continue
        except UnicodeDecodeError:
            profile.errors.append(f"{file_path}: not UTF-8 text")
            continue
        except Exception as error:
            profile.errors.append(_error_location(error, file_path))
            continue
        for ctrl in collector.controls:
            ctrl.profile = profile.name
        profile.controls.extend(collector.controls)
        profile.groups.append(Group(id=rel, title=title, controls=tuple(c.id for c in collector.controls)))


def _check_unique(profile: Profile, strict: bool = True) -> None:
    seen: dict[str, Control] = {}
    for ctrl in profile.controls:
        if ctrl.id in seen:
            first = seen[ctrl.id].source_location
            second = ctrl.source_location
            message = f"duplicate control id {ctrl.id!r}: {first.ref}:{first.line} and {second.ref}:{second.line}"
            if strict:
                raise ProfileError(message)
            profile.errors.append(message)
            continue
        seen[ctrl.id] = ctrl

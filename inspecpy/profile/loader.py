"""Loading a profile: ``inspec.yml``, ``libraries/*.py``, ``controls/*.py`` and ``*.yml``.

Loading only registers controls; nothing touches a target::

    profile = load_profile("profiles/example", overrides={"os_version": "6.1"})
    [c.id for c in profile.controls]   # ['check_os_version', 'check_secure_password_policy']
"""

from __future__ import annotations

import os
import traceback
import types
from typing import TYPE_CHECKING, Any

import inspecpy
from inspecpy.context import LoadContext, loading
from inspecpy.dsl.controls import Control
from inspecpy.errors import Problem, ProfileError
from inspecpy.plugins import registry
from inspecpy.profile.archive import is_archive, open_archive
from inspecpy.profile.dependencies import DependencyChain, apply_inclusions, check_inclusions, resolve_dependencies
from inspecpy.profile.inputs import InputSet
from inspecpy.profile.metadata import ProfileMetadata
from inspecpy.profile.model import Profile, profile_sha256, walk_profiles
from inspecpy.profile.yaml_controls import load_yaml_controls
from inspecpy.resources.base import Resource
from inspecpy.ruby import load_ruby
from inspecpy.results import Group

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.archive import Trust

__all__ = ["load_profile", "dsl_namespace", "Profile", "walk_profiles"]


def _listing(path: str, suffixes: tuple[str, ...]) -> list[str]:
    if not os.path.isdir(path):
        return []
    return sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(suffixes) and not n.startswith("."))


def dsl_namespace() -> dict[str, Any]:
    """What every control and library file has in scope without importing."""
    return {name: getattr(inspecpy, name) for name in inspecpy.__all__}


def error_problem(error: BaseException, path: str) -> Problem:
    """Where in *path* loading failed, and why (the line of the file's own frame)."""
    if isinstance(error, ProfileError):
        return error.problem
    if isinstance(error, SyntaxError):
        return Problem(f"SyntaxError: {error.msg}", path, error.lineno)
    line = next((f.lineno for f in reversed(traceback.extract_tb(error.__traceback__)) if f.filename == path), None)
    return Problem(f"{type(error).__name__}: {error}", path, line)


def _exec_file(path: str, module_name: str, namespace: dict[str, Any]) -> types.ModuleType:
    """Run a control or library file in a fresh module (not entered in ``sys.modules``)."""
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    module = types.ModuleType(module_name)
    module.__file__ = path
    module.__dict__.update(namespace)
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - profiles are code by design
    return module


def load_profile(path: str, overrides: dict[str, Any] | None = None, *, strict: bool = True,
                 trust: "Trust | None" = None, chain: DependencyChain | None = None) -> Profile:
    """Load the profile at *path* (a folder or an archive) with its dependencies.

    Control-file errors are collected in ``errors``; others raise. With
    ``strict=False`` duplicate control ids are collected too, and every
    malformed control of a YAML file rather than its first (``check`` wants
    every problem at once). *trust* says which archive signatures to accept;
    *chain* is set when loading a dependency.
    """
    chain = chain or DependencyChain(trust=trust)
    source, verification = path, None
    if is_archive(path):
        path, verification = open_archive(path, chain.trust)
    path = os.path.normpath(path)
    metadata = ProfileMetadata.read(path)
    inputs = InputSet.build(metadata.inputs, overrides, where=metadata.path, profile=metadata.name,
                            wrapper=list(chain.wrapper_inputs))
    profile = Profile(path=path, metadata=metadata, inputs=inputs, resources=dict(registry().resources),
                      sha256=profile_sha256(path), parent=chain.parent, source=source, archive=verification)
    for dep in resolve_dependencies(profile, chain):
        profile.dependencies[dep.name] = load_profile(dep.source, overrides, chain=dep.chain)
    for loaded in profile.dependencies.values():  # a dependency's custom resources are in scope too
        profile.resources.update(loaded.resources)
    namespace = {**dsl_namespace(), **profile.resources}
    with loading(LoadContext(profile=profile.name, path=path, inputs=inputs,
                             dependencies=profile.dependencies)) as load:
        _load_libraries(profile, namespace)
        load_ruby(profile, namespace)  # controls/*.rb and libraries/*.rb (InSpec's Ruby profiles)
        _load_controls(profile, namespace, load, strict)
    apply_inclusions(profile, load.inclusions)
    _check_unique(profile, strict)
    return profile


def _load_libraries(profile: Profile, namespace: dict[str, Any]) -> None:
    """Run ``libraries/*.py``: their resources and helpers join *namespace* for the control files."""
    for lib in _listing(os.path.join(profile.path, "libraries"), (".py",)):
        stem = os.path.splitext(os.path.basename(lib))[0]
        try:
            module = _exec_file(lib, f"inspecpy_profile.{profile.name}.libraries.{stem}", namespace)
        except Exception as error:
            raise ProfileError(error_problem(error, lib)) from None
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Resource) and value.name and value is not Resource:
                profile.resources[value.name] = value
                namespace[value.name] = value
            if not name.startswith("_") and name not in namespace:
                profile.library_names[name] = value
        namespace.update(profile.library_names)


def _load_controls(profile: Profile, namespace: dict[str, Any], load: LoadContext, strict: bool = True) -> None:
    """Each control file's controls and group; a file that fails is an error and adds none (with
    ``strict=False`` a YAML file's good controls load and each bad one is an error)."""
    for file_path in _listing(os.path.join(profile.path, "controls"), (".py", ".yml", ".yaml")):
        rel = os.path.relpath(file_path, profile.path)
        before, included, title = len(load.controls), len(load.inclusions), None
        try:
            if file_path.endswith(".py"):
                stem = os.path.splitext(os.path.basename(file_path))[0]
                module = _exec_file(file_path, f"inspecpy_profile.{profile.name}.controls.{stem}", namespace)
                title = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else None
            else:
                with open(file_path, encoding="utf-8") as handle:
                    text = handle.read()
                load.controls.extend(load_yaml_controls(file_path, text, profile.resources, rel,
                                                        None if strict else profile.errors))
            check_inclusions(profile.name, profile.dependencies, load.inclusions[included:])
        except Exception as error:  # the file adds nothing; the others load
            profile.errors.append(Problem("not UTF-8 text", file_path) if isinstance(error, UnicodeDecodeError)
                                  else error_problem(error, file_path))
            del load.controls[before:], load.inclusions[included:]
            continue
        added = load.controls[before:]
        for ctrl in added:
            ctrl.profile, ctrl.group = profile.name, rel
        profile.controls.extend(added)
        profile.groups.append(Group(id=rel, title=title, controls=tuple(c.id for c in added)))


def _where(ctrl: Control) -> str:
    loc = ctrl.source_location  # both loaders set it; a control built by hand may lack it
    return f"{loc.ref}:{loc.line}" if loc else "(unknown location)"


def _check_unique(profile: Profile, strict: bool = True) -> None:
    seen: dict[str, Control] = {}
    for ctrl in profile.controls:
        if ctrl.id in seen:
            first, second = _where(seen[ctrl.id]), _where(ctrl)
            message = f"duplicate control id {ctrl.id!r}: {first} and {second}"
            if strict:
                raise ProfileError(message)
            profile.errors.append(Problem(message))
            continue
        seen[ctrl.id] = ctrl

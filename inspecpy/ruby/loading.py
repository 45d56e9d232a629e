"""Loading a profile's Ruby files into a :class:`~inspecpy.profile.loader.Profile`.

Libraries first (their resource classes join ``profile.resources``, so
Ruby, Python and YAML controls all reach them), then each control file's
controls and group. A file that cannot be parsed is a profile error naming
file and line; the other files still load.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from inspecpy.errors import InspecpyError, LocatedError, Problem, ProfileError, UnboundTarget
from inspecpy.results import Group
from inspecpy.ruby.host import Host
from inspecpy.ruby.program import ControlFile
from inspecpy.ruby.runtime import CONTROL_FLOW, Frame, NeedsTarget, Scope, as_python_error
from inspecpy.ruby.syntax import parse_file

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.loader import Profile


def load_files(profile: "Profile", namespace: dict[str, Any], libraries: list[str], controls: list[str]) -> None:
    host = Host(profile.resources)
    before = set(profile.resources)
    for path in libraries:
        _load_library(profile, host, path)
    for name in set(profile.resources) - before:
        namespace[name] = profile.resources[name]
    for path in controls:
        rel = os.path.relpath(path, profile.path)
        try:
            source = parse_file(path, rel)
            control_file = ControlFile(host, source, rel, profile.name, path)
            found = control_file.declare()
        except InspecpyError as error:
            profile.errors.append(_problem(error, rel))
            continue
        profile.controls.extend(found)
        profile.groups.append(Group(id=rel, title=control_file.title, controls=tuple(c.id for c in found)))


def _load_library(profile: "Profile", host: Host, path: str) -> None:
    """Run a library's top level: class and method definitions (nothing there may probe the target)."""
    rel = os.path.relpath(path, profile.path)
    try:
        source = parse_file(path, rel)
    except ProfileError as error:
        profile.errors.append(_problem(error, rel))
        return
    frame = Frame(None, Scope(), source)
    for statement in source.tree.kids:
        try:
            host.evaluator.eval(statement, frame)
        except CONTROL_FLOW:
            continue
        except (NeedsTarget, UnboundTarget):
            profile.errors.append(Problem("library code outside a method probes the target (move it into a method)",
                                          rel, statement.line))
        except Exception as error:
            where = getattr(error, "ruby_where", f"{rel}:{statement.line}")
            message = str(as_python_error(error)).replace(f" ({where})", "")
            file, _, line = where.rpartition(":")
            profile.errors.append(Problem(message, file or rel, int(line) if line.isdigit() else statement.line))


def _problem(error: InspecpyError, rel: str) -> Problem:
    """The located problem of a load error (a Ruby file's path is relative to the profile)."""
    if isinstance(error, LocatedError):
        return error.problem
    return Problem(str(error), rel)

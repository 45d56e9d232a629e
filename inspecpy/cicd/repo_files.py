"""Finding and reading a repository's YAML files through a target (local, SSH, docker…).

>>> yaml_files(target, ".github/workflows")              # top level only, as GitHub reads it
['.github/workflows/ci.yml', '.github/workflows/release.yaml']
>>> yaml_files(target, "deploy", recursive=True)         # dot-folders and vendored trees skipped
['deploy/base/app.yaml', 'deploy/prod/isvc.yml']
"""

from __future__ import annotations

import posixpath

from inspecpy.errors import ResourceFailed

YAML_SUFFIXES = (".yml", ".yaml")
_SKIP_DIRS = {"node_modules", "venv", "__pycache__", "vendor"}


def yaml_files(target, path: str, recursive: bool = False) -> list[str]:
    """*path* itself when it is a file, else the YAML files in it (sorted); ResourceFailed when missing."""
    stat = target.stat(path)
    if not stat.exists:
        raise ResourceFailed(f"no such file or directory: {path}")
    kind = stat.target_type if stat.type == "symlink" else stat.type
    if kind != "directory":
        return [path]
    found: list[str] = []
    for name in target.listdir(path):
        full = posixpath.join(path, name)
        if name.endswith(YAML_SUFFIXES) and not name.startswith("."):
            entry = target.stat(full)
            if (entry.target_type if entry.type == "symlink" else entry.type) == "file":
                found.append(full)
        elif recursive and not name.startswith(".") and name not in _SKIP_DIRS:
            entry = target.stat(full)
            if entry.type == "directory":
                found.extend(yaml_files(target, full, recursive=True))
    return sorted(found)


def read_limited(target, path: str, limit: int) -> str:
    """The text of *path*; ResourceFailed when it is missing or larger than *limit* bytes."""
    stat = target.stat(path)
    if not stat.exists:
        raise ResourceFailed(f"no such file: {path}")
    if stat.size is not None and stat.size > limit:
        raise ResourceFailed(f"{path}: {stat.size / 2**20:.1f} MiB is larger than the {limit / 2**20:.0f} MiB "
                             "this resource reads")
    return target.read_text(path)


def repository_root(workflows_path: str) -> str:
    """The checkout a workflow folder belongs to: ``x/.github/workflows`` → ``x``; ``x/workflows`` → ``x``."""
    trimmed = workflows_path.rstrip("/") or "/"
    if trimmed.endswith((".yml", ".yaml")):
        trimmed = posixpath.dirname(trimmed)
    parent = posixpath.dirname(trimmed)
    if posixpath.basename(trimmed) == "workflows" and posixpath.basename(parent) == ".github":
        parent = posixpath.dirname(parent)
    return parent or "."

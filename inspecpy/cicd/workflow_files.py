"""Reading a workflow file and the local composite actions it uses, through a target.

>>> wf = read_workflow(target, ".github/workflows/ci.yml")   # a Workflow (see workflow.py)
>>> read_workflow(target, "broken.yml")                       # ResourceFailed('broken.yml:3: not valid YAML (...)')
"""

from __future__ import annotations

import posixpath

from inspecpy.cicd.repo_files import read_limited, repository_root
from inspecpy.cicd.workflow import Workflow, parse_workflow
from inspecpy.cicd.yaml_source import YamlProblem
from inspecpy.errors import ResourceFailed

# GitHub refuses workflow files much smaller than this; beyond it the file is not a workflow.
MAX_WORKFLOW_BYTES = 4 * 2**20


def read_workflow(target, file: str, root: str | None = None) -> Workflow:
    """The parsed workflow at *file*; local actions resolve under *root* (default: its checkout).

    Parsed once per run and target: every control of a profile asks for the same file, and the
    target's probe cache (which also remembers a failure) keeps the one parse.
    """
    root = root or repository_root(file)
    return target._cached(("github_workflow", file, root), lambda: _parse(target, file, root))


def _parse(target, file: str, root: str) -> Workflow:
    text = read_limited(target, file, MAX_WORKFLOW_BYTES)

    def read_action(path: str) -> str | None:
        folder = posixpath.normpath(posixpath.join(root, path))
        for name in ("action.yml", "action.yaml"):
            candidate = posixpath.join(folder, name)
            if target.stat(candidate).exists:
                return read_limited(target, candidate, MAX_WORKFLOW_BYTES)
        return None

    try:
        return parse_workflow(text, file, read_action)
    except YamlProblem as problem:
        raise ResourceFailed(str(problem)) from None

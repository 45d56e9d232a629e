"""YAML that does not parse, as a :class:`~inspecpy.errors.Problem` naming the file and the line.

>>> import yaml
>>> try:
...     yaml.safe_load("a: [1,\\n")
... except yaml.YAMLError as error:
...     print(yaml_problem("c.yml", error))
c.yml:2: expected the node content, but found '<stream end>'
"""

from __future__ import annotations

from inspecpy.errors import Problem, Where


def yaml_problem(path: str, error: Exception) -> Problem:
    """The file, line and message of a PyYAML error (no line when PyYAML gives none)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return Problem(str(problem), path, mark.line + 1 if mark else None)


def yaml_where(problem: Problem) -> Where:
    """Where *problem* is (for raising a located error about it)."""
    return Where(problem.file or "?", problem.line)

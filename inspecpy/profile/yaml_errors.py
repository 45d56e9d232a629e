"""One-line messages for YAML that does not parse, naming the file and the line.

>>> import yaml
>>> try:
...     yaml.safe_load("a: [1,\\n")
... except yaml.YAMLError as error:
...     print(yaml_problem("c.yml", error))
c.yml:2: expected the node content, but found '<stream end>'
"""

from __future__ import annotations


def yaml_problem(path: str, error: Exception) -> str:
    """``PATH:LINE: problem`` for a PyYAML error (``PATH: problem`` when it has no line)."""
    mark = getattr(error, "problem_mark", None)
    line = f":{mark.line + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"{path}{line}: {problem}"

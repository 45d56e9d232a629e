"""YAML that does not parse, as a :class:`~inspecpy.errors.Problem` naming the file and the line.

One wording for every YAML file inspecpy reads: a profile's ``inspec.yml``,
YAML controls, input and waiver files, and CI/Kubernetes YAML
(:mod:`inspecpy.cicd.yaml_source`). A base module: it imports no layer.

>>> import yaml
>>> try:
...     yaml.safe_load("a: [1,\\n")
... except yaml.YAMLError as error:
...     print(yaml_problem("c.yml", error))
c.yml:2: expected the node content, but found '<stream end>'

PyYAML's words for the usual mistakes (a key indented one level off, a tab)
say little to a person, so the message adds what is probably wrong::

    c.yml:5: a key is indented at the wrong level (line 5 does not line up with the keys above it) — PyYAML: expected <block end>, but found '<block mapping start>'
"""

from __future__ import annotations

from inspecpy.errors import Problem


#: PyYAML's problem text → what a person probably got wrong (``{line}``: the line PyYAML stopped at).
HINTS = (
    ("expected <block end>, but found '?'",
     "a key is indented at the wrong level, or a list item lost its '- ' (line {line})"),
    ("expected <block end>", "a key is indented at the wrong level (line {line} does not line up with the "
                             "keys above it)"),
    ("mapping values are not allowed here", "a ':' where a plain value was expected on line {line}: a key "
                                            "indented too far, or a value with ': ' in it that needs quotes"),
    ("found character '\\t'", "a tab on line {line}: YAML indents with spaces only"),
    ("did not find expected '-' indicator", "a list item at the wrong indentation on line {line}"),
    ("did not find expected key", "a key at the wrong indentation on line {line}"),
)


def yaml_problem(path: str, error: Exception) -> Problem:
    """The file, line and message of a PyYAML error, with a hint for the usual mistakes.

    The line is where PyYAML stopped (its ``problem_mark``, else its ``context_mark``).
    """
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or str(error).splitlines()[0])
    line = mark.line + 1 if mark else None
    for words, hint in HINTS:
        if problem.startswith(words):
            problem = f"{hint.format(line=line)} — PyYAML: {problem}"
            break
    return Problem(problem, path, line)

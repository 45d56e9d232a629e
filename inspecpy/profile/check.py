"""``inspecpy check``: validate a profile without touching a target.

Loading a profile only registers controls, so checking loads it and then
looks at what loading cannot see: metadata fields, names used in Python
controls that nothing defines (a misspelt resource), inputs used but never
declared. Every finding names its file and line::

    report = check_profile("profiles/example")
    report.valid                       # True
    [f.text() for f in report.errors]  # ['controls/a.py:3: SyntaxError: invalid syntax']
"""

from __future__ import annotations

import ast
import builtins
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from inspecpy.errors import InputError, Problem, ProfileError
from inspecpy.names import did_you_mean
from inspecpy.profile.check_python import python_mistakes
from inspecpy.profile.loader import dsl_namespace, load_profile
from inspecpy.profile.model import Profile, walk_profiles
from inspecpy.results import now_iso
from inspecpy.ruby import ruby_findings

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.profile.archive import Trust

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """One error or warning, located when a file and line are known."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    control_id: str | None = None

    def text(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        return where + self.message

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": 0, "control_id": self.control_id, "msg": self.message}


@dataclass
class CheckReport:
    """Everything ``check`` found about one profile."""

    location: str
    profile: str | None = None
    controls: int = 0
    timestamp: str = ""
    archive: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        """InSpec's ``check --format json`` shape."""
        summary = {"valid": self.valid, "timestamp": self.timestamp, "location": self.location,
                   "profile": self.profile, "controls": self.controls}
        if self.archive:
            summary["archive"] = self.archive
        return {"summary": summary, "errors": [f.as_json() for f in self.errors],
                "warnings": [f.as_json() for f in self.warnings]}


def _relative(path: str, root: str) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def finding(level: str, problem: Problem, root: str, prefix: str = "") -> Finding:
    """A finding from a loader :class:`~inspecpy.errors.Problem` (its file made relative to *root*)."""
    file = _relative(problem.file, root) if problem.file else None
    return Finding(level, prefix + problem.message, file, problem.line)


# --------------------------------------------------------- python source


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name a module binds anywhere (scopes flattened: it can only miss errors, never invent them)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
    return names


def unknown_names(tree: ast.AST, known: set[str]) -> Iterator[tuple[str, int]]:
    """Names read but bound nowhere: ``fiel("/etc")`` → ``("fiel", line)``."""
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return
    bound = _bound_names(tree) | known | set(dir(builtins)) | {"__file__", "__name__", "__doc__"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
            yield node.id, node.lineno


def python_inputs(tree: ast.AST) -> Iterator[tuple[str | None, int, bool]]:
    """``input("name")`` calls: (name, line, has a default in code); ``(None, line, False)`` for a
    call whose name is not a literal (then which inputs are unused cannot be told)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        first = node.args[0]
        if called != "input":
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, node.lineno, len(node.args) > 1 or any(k.arg == "value" for k in node.keywords)
        else:
            yield None, node.lineno, False


def yaml_inputs(text: str) -> Iterator[tuple[str, int]]:
    """``{input: NAME}`` references in a YAML control file: (name, line)."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            if len(node.value) == 1 and getattr(node.value[0][0], "value", None) == "input":
                yield str(node.value[0][1].value), node.start_mark.line + 1
            stack += [v for pair in node.value for v in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value


def source_findings(profile: Profile) -> Iterator[Finding]:
    """Unknown names and undeclared inputs in the profile's own control files."""
    declared = set(profile.inputs.specs)
    known = set(dsl_namespace()) | set(profile.resources) | set(profile.library_names)
    seen: set[str | None] = set()
    paths = []
    for sub in ("controls", "libraries"):
        folder = os.path.join(profile.path, sub)
        paths += [os.path.join(folder, n) for n in sorted(os.listdir(folder))] if os.path.isdir(folder) else []
    for path in paths:
        name, library = os.path.basename(path), os.path.basename(os.path.dirname(path)) == "libraries"
        rel = _relative(path, profile.path)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            continue  # the loader already reported it
        used: list[tuple[str | None, int, bool]] = []
        if name.endswith(".py"):
            try:
                tree = ast.parse(text, path)
            except SyntaxError:
                continue
            if not library:
                for unknown, line in unknown_names(tree, known):
                    yield Finding(ERROR, f"unknown name {unknown!r}{did_you_mean(unknown, known)}", rel, line)
                for mistake in python_mistakes(tree, profile.resources):
                    yield Finding(ERROR, mistake.message, rel, mistake.line)
            used = list(python_inputs(tree))
        elif name.endswith((".yml", ".yaml")) and not library:
            used = [(n, line, False) for n, line in yaml_inputs(text)]
        elif name.endswith(".rb"):
            seen.update(ruby_inputs(text))  # InSpec's own checks judge a Ruby file's inputs; here: used or not
            continue
        for input_name, line, has_default in used:
            seen.add(input_name)
            if input_name is None or input_name in declared:
                continue
            if not has_default:
                yield Finding(ERROR, f"input {input_name!r} is used but not declared in inspec.yml "
                                     f"(declare it under inputs:, or give a default: input({input_name!r}, value=...))",
                              rel, line)
            else:
                yield Finding(WARNING, f"input {input_name!r} is used but not declared in inspec.yml: users "
                                       "cannot find it in the profile's documented inputs (declare it under inputs:)",
                              rel, line)
    yield from unused_inputs(profile, seen)


_RUBY_INPUT = re.compile(r"""\b(?:input|attribute)\b\s*\(?\s*(?:(['"])(?P<name>[^'"]+)\1|(?P<other>[^\s)'"]))""")


def ruby_inputs(text: str) -> set[str | None]:
    """Input names a Ruby control or library reads (``input('name')``); None for a computed name.

    >>> sorted(ruby_inputs("describe input('a') do; x = attribute 'b'; input(name); y.input_of('z')"), key=str)
    [None, 'a', 'b']
    """
    found: set[str | None] = set()
    for match in _RUBY_INPUT.finditer(text):
        found.add(match["name"] if match["name"] is not None else None)
    return found


def unused_inputs(profile: Profile, used: set[str | None]) -> Iterator[Finding]:
    """Inputs inspec.yml declares that no control or library reads (a setting that silently does nothing).

    Entries aimed at a dependency (``profile: NAME``) are that profile's
    business; a computed ``input(name)`` anywhere makes the answer unknowable,
    so nothing is reported then.
    """
    if None in used:
        return
    for entry in profile.metadata.inputs:
        if not isinstance(entry, dict) or entry.get("profile") not in (None, profile.name):
            continue
        name = str(entry.get("name"))
        if name not in used:
            yield Finding(WARNING, f"input {name!r} is declared in inspec.yml but no control uses it: setting "
                                   "it changes nothing (use it with input(...) / {input: ...}, or remove it)",
                          "inspec.yml")


# ------------------------------------------------------------- the check


def control_findings(profile: Profile) -> Iterator[Finding]:
    if not profile.controls and not profile.errors and not profile.dependencies:
        yield Finding(WARNING, "no controls defined (add controls/*.py or controls/*.yml)")
    for ctrl in profile.controls:
        loc = ctrl.source_location
        file = _relative(loc.ref, profile.path) if loc else None
        line = loc.line if loc else None
        if not ctrl.title:
            yield Finding(WARNING, f"control {ctrl.id!r} has no title", file, line, ctrl.id)
        if not ctrl.desc and not ctrl.descriptions:
            yield Finding(WARNING, f"control {ctrl.id!r} has no desc", file, line, ctrl.id)


def check_profile(path: str, trust: "Trust | None" = None) -> tuple[CheckReport, Profile | None]:
    """Check the profile (folder or archive) at *path*; the loaded profile too when it loads.

    A bad archive signature raises (exit 5): it is not a finding to read past.
    """
    report = CheckReport(location=path, timestamp=now_iso())
    try:
        profile = load_profile(path, strict=False, trust=trust)
    except (ProfileError, InputError) as error:
        report.findings.append(finding(ERROR, error.problem, path))
        return report, None
    root = profile.path
    report.profile, report.controls = profile.name, len(profile.controls)
    if profile.archive is not None:
        report.archive = profile.archive.describe()
    report.findings += [Finding(level, p.message, p.file, p.line) for level, p in profile.metadata.findings()]
    report.findings += [finding(ERROR, e, root) for e in profile.errors]
    report.findings += list(source_findings(profile))
    report.findings += [finding(ERROR, p, root) for p in ruby_findings(profile)]  # Ruby that will not run
    report.findings += list(control_findings(profile))
    for dep in walk_profiles([profile])[1:]:  # a dependency's load errors break the run too
        report.findings += [finding(ERROR, e, root, f"dependency {dep.name!r}: ") for e in dep.errors]
    return report, profile

"""Evaluating shell input: run the code on the target, show each test at once, show values.

::

    shell = Shell(target)
    outcome = shell.run('describe(file("/etc/passwd")).should.exist()')
    #   ✔  File /etc/passwd is expected to exist
    outcome.exit_code     # 0 (100 when a test failed, 101 when all skipped, 1 on an error)

The last statement, when it is an expression, gives the value shown: a
resource prints its attributes, a test result was already printed, anything
else prints as Python would. A control defined in the shell runs at once. An
exception prints one line (with the nearest name for a misspelt one) and
the session goes on.
"""

from __future__ import annotations

import ast
import builtins
import pprint
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from inspecpy.context import LoadContext, RunContext, loading, running
from inspecpy.display import control_head, result_lines
from inspecpy.dsl.expect import Describe, Expectation
from inspecpy.dsl.recording import Recorder
from inspecpy.names import did_you_mean
from inspecpy.plugins import registry
from inspecpy.profile.inputs import InputSet
from inspecpy.profile.loader import dsl_namespace
from inspecpy.redaction import redact
from inspecpy.resources.base import Resource
from inspecpy.results import ControlResult, TestResult, jsonable, status_exit_code
from inspecpy.run.runner import run_control
from inspecpy.shell.helptext import help_text
from inspecpy.shell.members import values

_NOTHING = object()
_LONG = 100


@dataclass
class Outcome:
    """What one evaluation did: its test results, its value, or its error."""

    results: list[TestResult] = field(default_factory=list)
    value: Any = _NOTHING
    error: str | None = None
    controls: list[ControlResult] = field(default_factory=list)

    @property
    def has_value(self) -> bool:
        return self.value is not _NOTHING

    @property
    def exit_code(self) -> int:
        """As ``exec``: 1 error, 100 a test failed, 101 a test skipped, 0 otherwise."""
        statuses = {r.status for r in self.results} | {r.status for c in self.controls for r in c.results}
        return status_exit_code(statuses, bool(self.error))

    def as_json(self, target: str) -> dict[str, Any]:
        """What ``-c CODE --format json`` prints: results, controls, the value (a resource's attributes)."""
        value = self.value if self.has_value else None
        if isinstance(value, Resource):
            value = {"resource": str(value), "attributes": values(value)}
        return {"target": target, "exit_code": self.exit_code, "error": self.error,
                "results": [_result_json(r) for r in self.results],
                "controls": [{"id": c.id, "status": c.status, "results": [_result_json(r) for r in c.results]}
                             for c in self.controls],
                "value": jsonable(value)}


def _result_json(result: TestResult) -> dict[str, Any]:
    keys = ("status", "code_desc", "message", "skip_message", "exception", "resource", "resource_id")
    return {k: getattr(result, k) for k in keys if getattr(result, k) is not None}


def short(value: Any, limit: int = _LONG) -> str:
    """*value*'s repr on one line, cut at *limit* characters."""
    text = repr(value).replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(name: str, value: Any) -> str:
    """An attribute for people: permission bits in octal, the rest by :func:`short`."""
    if name == "mode" and isinstance(value, int) and not isinstance(value, bool):
        return f"{value:04o}"
    return short(value)


class Shell:
    """One shell: a namespace bound to *target* (and a profile's resources, libraries and inputs)."""

    def __init__(self, target: Any, profile: Any = None, inputs: InputSet | None = None,
                 write: Callable[[str], Any] | None = None, color: bool = False, live: bool = True):
        self.target, self.profile, self.color, self.live = target, profile, color, live
        self.write = write or (lambda text: (sys.stdout.write(text), sys.stdout.flush()))
        self.resources: dict[str, type[Resource]] = dict(profile.resources) if profile else dict(registry().resources)
        self.inputs: InputSet = inputs or (profile.inputs if profile else InputSet())
        self.namespace: dict[str, Any] = {**dsl_namespace(), **self.resources,
                                          **(profile.library_names if profile else {})}
        self.namespace["help"] = self.help
        self.load = LoadContext(profile="(shell)" if profile is None else profile.name, inputs=self.inputs)

    # ----------------------------------------------------------- display
    def result_text(self, result: TestResult, indent: str = "  ") -> str:
        """One test as the cli reporter shows it (failure message below, indented)."""
        return "".join(line.rstrip() + "\n" for line in result_lines(result, indent, self.color) if line)

    def value_text(self, value: Any) -> str:
        """How a value is shown: a resource's attributes, hints for half-written tests, else repr."""
        if value is None or isinstance(value, TestResult):
            return ""
        if isinstance(value, type) and issubclass(value, Resource) and value.name:
            return help_text(value, self.resources) + "\n"
        if isinstance(value, Resource):
            shown = values(value)
            width = max((len(k) for k in shown), default=0) + 1
            return f"{value}\n" + "".join(f"  {k + ':':<{width}} {_shown(k, v)}\n" for k, v in shown.items())
        if isinstance(value, Describe):
            return f"{value.text()}: add .should.MATCHER(...) or .should_not.MATCHER(...) (help() lists matchers)\n"
        if isinstance(value, Expectation):
            return "an expectation: call a matcher, e.g. .exist() or .cmp(...) (help() lists matchers)\n"
        return pprint.pformat(value, width=100) + "\n"

    def emit(self, text: str) -> None:
        """Write *text* with every sensitive input value replaced by ``***`` (results come redacted)."""
        self.write(redact(text, self.inputs.sensitive_values()) or "")

    def help(self, topic: Any = None) -> None:
        """Resources, matchers and keys; ``help(file)`` for one resource."""
        self.write(help_text(topic, self.resources) + "\n")

    def error_text(self, error: BaseException) -> str:
        if isinstance(error, SyntaxError):
            where = f" (line {error.lineno})" if error.lineno else ""
            return f"Error: SyntaxError: {error.msg}{where}\n"
        message = f"{type(error).__name__}: {error}"
        name = getattr(error, "name", None) if isinstance(error, NameError) else None
        if name:
            hint = did_you_mean(name, [n for n in self.namespace if not n.startswith("_")] + dir(builtins))
            message = f"unknown name {name!r}{hint}" if hint else message
        return f"Error: {message}\n"

    # ----------------------------------------------------------- running
    def run(self, source: str) -> Outcome:
        """Evaluate *source* (one line, a block, or several statements)."""
        outcome = Outcome()

        def show(result: TestResult) -> None:
            outcome.results.append(result)
            if self.live:
                self.write(self.result_text(result))

        before = len(self.load.controls)
        secrets = self.inputs.sensitive_values()
        recorder = Recorder(secrets=secrets, on_result=show)
        try:
            tree = ast.parse(source, "<shell>", "exec")
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            with loading(self.load), running(RunContext(self.target, self.inputs, recorder)):
                exec(compile(tree, "<shell>", "exec"), self.namespace)  # noqa: S102 - the shell runs code
                if isinstance(last, ast.Expr):
                    outcome.value = eval(compile(ast.Expression(last.value), "<shell>", "eval"), self.namespace)
                    self.namespace["_"] = outcome.value
                if isinstance(outcome.value, (Describe, Expectation)):
                    recorder.open_expectations.clear()  # half-written on purpose: value_text says what to add
                recorder.close_open()
            self._run_new_controls(before, secrets, outcome)
        except Exception as error:  # noqa: BLE001 - any error prints and the session goes on
            outcome.error = redact(self.error_text(error).strip(), secrets)
            if self.live:
                self.emit(self.error_text(error))
            return outcome
        if self.live and outcome.has_value:
            self.emit(self.value_text(outcome.value))
        return outcome

    def _run_new_controls(self, before: int, secrets: list[str], outcome: Outcome) -> None:
        for ctrl in self.load.controls[before:]:
            result = run_control(ctrl, self.target, self.inputs, secrets)
            outcome.controls.append(result)
            if self.live:
                self.emit(control_head(result, color=self.color) + "\n")
                self.write("".join(self.result_text(r, indent="     ") for r in result.results))

"""The two contexts inspecpy keeps current: loading a profile, and running controls.

Loading reads control files and registers controls; it never touches a
target. Running executes controls against one target and records their
results. Each context is one object, bound for a block by one function, and
these two context variables are the only "current" state there is::

    with loading(LoadContext(profile="p", inputs=inputs)) as load:
        exec(control_file_code)          # @control appends to load.controls
    with running(RunContext(target=target, inputs=inputs, recorder=recorder)):
        ctrl.body()                      # resources probe `target`; results go to `recorder`

Outside both (a script, a notebook) resources use this machine; while any
run is in progress in the process, a thread that has no run context of its
own gets an error instead (see :func:`inspecpy.targets.current_target`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Protocol

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.results import TestResult
    from inspecpy.targets.base import Target


class Inputs(Protocol):
    """What the contexts need of a profile's inputs (``InputSet`` has it)."""

    def get(self, name: str, default: Any = ...) -> Any: ...

    def sensitive_values(self) -> list[str]: ...


class ResultSink(Protocol):
    """Where test results go while a control runs (``Recorder`` is one)."""

    def add(self, result: "TestResult") -> "TestResult": ...


@dataclass
class LoadContext:
    """A profile being loaded: the controls and inclusions its files register.

    ``dependencies`` maps a dependency's name to its loaded profile, so an
    inclusion (``include_controls("base")``) can be checked against it.
    """

    profile: str = ""
    path: str = ""
    inputs: Inputs | None = None
    dependencies: dict[str, Any] = field(default_factory=dict)
    controls: list[Any] = field(default_factory=list)
    inclusions: list[Any] = field(default_factory=list)


@dataclass
class RunContext:
    """A control running on *target*: its inputs, where its results go, and its profile's *folder*
    (a relative ``model()``/``dataset()`` path is a file of that folder)."""

    target: "Target"
    inputs: Inputs | None = None
    recorder: ResultSink | None = None
    folder: str = ""


_load: ContextVar[LoadContext | None] = ContextVar("inspecpy_load", default=None)
_run: ContextVar[RunContext | None] = ContextVar("inspecpy_run", default=None)
_runs_lock = threading.Lock()
_runs_active = 0


@contextmanager
def loading(context: LoadContext) -> Iterator[LoadContext]:
    """Make *context* the profile being loaded for the block."""
    token = _load.set(context)
    try:
        yield context
    finally:
        _load.reset(token)


@contextmanager
def running(context: RunContext) -> Iterator[RunContext]:
    """Make *context* the run for the block (resources probe its target)."""
    global _runs_active
    with _runs_lock:
        _runs_active += 1
    token = _run.set(context)
    try:
        yield context
    finally:
        _run.reset(token)
        with _runs_lock:
            _runs_active -= 1


def current_load() -> LoadContext | None:
    """The profile being loaded in this context, if any."""
    return _load.get()


def current_run() -> RunContext | None:
    """The run of this context, if any."""
    return _run.get()


def runs_in_progress() -> bool:
    """True while any thread of this process is inside :func:`running`."""
    return _runs_active > 0


def current_inputs() -> Inputs | None:
    """The inputs in scope: the run's, else the loading profile's, else None."""
    run, load = _run.get(), _load.get()
    if run is not None and run.inputs is not None:
        return run.inputs
    return load.inputs if load is not None else None


def current_secrets() -> list[str]:
    """The sensitive input values in scope (to redact from results and logs)."""
    inputs = current_inputs()
    return inputs.sensitive_values() if inputs is not None else []

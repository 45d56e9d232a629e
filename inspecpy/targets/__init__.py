"""Targets: where checks run. Resources ask :func:`current_target` when they probe.

During a run it is the running control's target (a context variable set by
the runner); outside any run (a script, a notebook) it is this machine::

    from inspecpy.targets import current_target
    current_target().platform.family   # 'debian'

It is never silently this machine while a profile loads or while a run is in
progress elsewhere in the process: that is an error that says why.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from inspecpy import context
from inspecpy.errors import UnboundTarget, UsageError
from inspecpy.plugins import registry
from inspecpy.redaction import redact_uri  # noqa: F401 (the targets' name for it)
from inspecpy.targets.base import Target, TargetOptions

_standalone: ContextVar[Target | None] = ContextVar("inspecpy_standalone_target", default=None)


def current_target() -> Target:
    """The running control's target; this machine only outside any run or profile loading."""
    run = context.current_run()
    if run is not None:
        return run.target
    if context.current_load() is not None:
        raise UnboundTarget("a resource was probed while the profile loads: create and probe resources "
                            "inside a control (or its only_if), so it runs on each target")
    if context.runs_in_progress():
        raise UnboundTarget("a resource was probed in a thread that has no run context: start threads with "
                            "contextvars.copy_context().run so the check runs on the control's target")
    target = _standalone.get()
    if target is None:
        from inspecpy.targets.local import LocalTarget

        target = LocalTarget("local://")
        _standalone.set(target)
    return target


@contextmanager
def on_target(target: Target) -> Iterator[Target]:
    """Probe *target* in the block, as a control's checks do (scripts and tests)::

        with on_target(SshTarget("ssh://me@db1")):
            file("/etc/passwd").mode
    """
    with context.running(context.RunContext(target)):
        yield target


def scheme_of(uri: str) -> str:
    """``ssh`` for ``ssh://user@host``; ``local`` for ``local://`` or ``''``."""
    if not uri or uri in ("local", "local://"):
        return "local"
    scheme, sep, _ = uri.partition("://")
    return scheme if sep else "local"


def open_target(uri: str, options: TargetOptions | None = None) -> Target:
    """Create the registered target class for *uri*'s scheme."""
    try:
        cls = registry().target(scheme_of(uri))
    except UsageError as error:
        raise UsageError(f"{error} in {redact_uri(uri)!r}") from None
    return cls(uri or "local://", options or TargetOptions())

"""Running the same profiles against many targets at once (``-t`` repeated, ``--jobs``).

Each target runs in its own thread with its own context, so resources find
their target through the context variable; an unreachable target gives a
RunResult with ``error`` and the others go on::

    runs = run_fleet(profiles, ["local://", "ssh://me@db1"], TargetOptions(), Selection())
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from inspecpy import __version__
from inspecpy.errors import InspecpyError
from inspecpy.profile.loader import Profile
from inspecpy.results import ControlResult, RunResult
from inspecpy.run.runner import RunListener, Selection, run_target
from inspecpy.targets import open_target, redact_uri
from inspecpy.targets.base import TargetOptions


class _Broadcast:
    """One run listener that tells each of *listeners* (the reporters) in turn."""

    def __init__(self, listeners: Sequence[RunListener]):
        self.listeners = listeners

    def on_run_start(self, target: str, total_controls: int) -> None:
        for listener in self.listeners:
            listener.on_run_start(target, total_controls)

    def on_control_done(self, target: str, control: ControlResult) -> None:
        for listener in self.listeners:
            listener.on_control_done(target, control)


def _run_one(uri: str, profiles: Sequence[Profile], options: TargetOptions, selection: Selection,
             listeners: Sequence[RunListener]) -> RunResult:
    started = time.perf_counter()
    try:
        target = open_target(uri, options)
    except InspecpyError as error:
        return RunResult(target=redact_uri(uri), platform=None, profiles=(), duration=time.perf_counter() - started,
                         version=__version__, error=str(error))
    try:
        return run_target(profiles, target, selection, _Broadcast(listeners))
    finally:
        target.close()


def unlock_cached_properties() -> None:
    """Let threads probe different targets at once on Python < 3.12.

    There ``functools.cached_property`` holds ONE lock per class attribute, shared by every
    instance (cpython#87634), so a ``file`` resource probing one host waits for every other
    thread's ``file`` probe: a fleet ran serially. Each resource and target instance lives in
    one thread, so the lock only serialises; this drops it from inspecpy's classes and the
    resources profiles define (3.12's behaviour). Idempotent.
    """
    if sys.version_info >= (3, 12):
        return
    from inspecpy.resources.base import Resource
    from inspecpy.targets.base import Target

    classes: set[type] = set()
    for name, module in list(sys.modules.items()):
        if name == "inspecpy" or name.startswith("inspecpy."):
            classes.update(v for v in vars(module).values() if isinstance(v, type))
    stack: list[type] = [Resource, Target]
    while stack:
        cls = stack.pop()
        classes.add(cls)
        stack += cls.__subclasses__()
    for cls in classes:
        for attr in list(vars(cls).values()):
            if isinstance(attr, functools.cached_property):
                attr.lock = contextlib.nullcontext()


def run_fleet(profiles: Sequence[Profile], uris: Sequence[str], options: TargetOptions, selection: Selection,
              jobs: int | None = None, listeners: Sequence[RunListener] = ()) -> list[RunResult]:
    """Run *profiles* against every URI, *jobs* at a time, results in the URIs' order.

    *listeners* (the reporters) hear each target's control total and each control as it finishes.
    """
    if len(uris) == 1:
        return [_run_one(uris[0], profiles, options, selection, listeners)]
    workers = max(1, jobs or min(16, len(uris)))
    if workers > 1:
        unlock_cached_properties()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inspecpy-target") as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, _run_one, uri, profiles, options, selection, listeners)
            for uri in uris
        ]
        return [f.result() for f in futures]

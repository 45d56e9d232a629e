"""Running the same profiles against many targets at once (``-t`` repeated, ``--jobs``).

Each target runs in its own thread with its own run context, so resources
find their target when they probe; an unreachable target gives a RunResult
with ``error`` and the others go on::

    runs = run_fleet(profiles, ["local://", "ssh://me@db1"], TargetOptions(), Selection())

With a *cluster* (``--cluster``, :class:`~inspecpy.run.dask_fleet.DaskCluster`)
the targets run on Dask workers instead, and come back the same way.
"""

from __future__ import annotations

import contextvars
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Sequence

from inspecpy.errors import InspecpyError
from inspecpy.profile.model import Profile
from inspecpy.results import RunResult
from inspecpy.run.events import run_events
from inspecpy.run.runner import Selection, run_target
from inspecpy.targets import open_target, redact_uri
from inspecpy.targets.base import TargetOptions


def run_one(uri: str, profiles: Sequence[Profile], options: TargetOptions, selection: Selection,
            events: Any = None) -> RunResult:
    """Open *uri*, run *profiles* on it and close it; a target that cannot be opened gives ``error``."""
    started = time.perf_counter()
    try:
        target = open_target(uri, options)
    except InspecpyError as error:
        return RunResult.failed(redact_uri(uri), str(error), time.perf_counter() - started)
    try:
        return run_target(profiles, target, selection, events)
    finally:
        target.close()


def run_fleet(profiles: Sequence[Profile], uris: Sequence[str], options: TargetOptions, selection: Selection,
              jobs: int | None = None, listeners: Sequence[Any] = (), cluster: Any = None) -> list[RunResult]:
    """Run *profiles* against every URI, *jobs* at a time (or on *cluster*), results in the URIs' order.

    *listeners* (the reporters) hear each target's control total and each
    control as it finishes, through the run hooks of :mod:`inspecpy.run.events`.
    """
    events = run_events(listeners)
    if cluster is not None:
        return cluster.run(profiles, uris, options, selection, events)
    if len(uris) == 1:
        return [run_one(uris[0], profiles, options, selection, events)]
    workers = max(1, jobs or min(16, len(uris)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inspecpy-target") as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, run_one, uri, profiles, options, selection, events)
            for uri in uris
        ]
        return [f.result() for f in futures]

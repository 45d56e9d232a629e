"""The hooks a plugin implements: the only extension mechanism of inspecpy.

Built-in resources, targets and reporters implement these hooks exactly like
a third-party package does. A third-party package declares an entry point in
the group ``inspecpy``::

    [options.entry_points]
    inspecpy =
        mine = inspecpy_mine.plugin

and its module implements one or more hooks (the first three declare what
the plugin adds; the last two follow a run live, as each reporter does)::

    from inspecpy.hookspecs import hookimpl

    @hookimpl
    def inspecpy_reporters():
        return [MineReporter]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.reporter import Reporter
    from inspecpy.results import ControlResult
    from inspecpy.resources.base import Resource
    from inspecpy.targets.base import Target

PROJECT = "inspecpy"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def inspecpy_resources() -> "list[type[Resource]]":
    """Return resource classes; each is used in controls by its ``name``."""


@hookspec
def inspecpy_targets() -> "list[type[Target]]":
    """Return target classes; each answers to URIs of its ``scheme``."""


@hookspec
def inspecpy_reporters() -> "list[type[Reporter]]":
    """Return reporter classes; each is chosen with ``--reporter NAME[:PATH]``."""


@hookspec
def inspecpy_run_start(target: str, total_controls: int) -> None:
    """A target's run starts; *total_controls* will run (all profiles, dependencies included)."""


@hookspec
def inspecpy_control_done(target: str, control: "ControlResult") -> None:
    """A control finished on *target* (called as it happens, from the target's thread)."""

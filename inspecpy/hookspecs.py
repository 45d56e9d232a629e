"""The hooks a plugin implements: the only extension mechanism of inspecpy.

Built-in resources, targets and reporters implement these hooks exactly like
a third-party package does. A third-party package declares an entry point in
the group ``inspecpy``::

    [options.entry_points]
    inspecpy =
        mine = inspecpy_mine.plugin

and its module implements one or more hooks::

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

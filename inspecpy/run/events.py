"""A run's live events (a target starts, a control is done) through pluggy hooks.

The reporters of one ``exec`` and every plugin module that implements
``inspecpy_run_start`` / ``inspecpy_control_done`` hear them, through the
same hook mechanism as everything else (pytest's ``pytest_runtest_logreport``
is the model)::

    events = run_events([progress_reporter])
    events.inspecpy_control_done(target="local://", control=result)
"""

from __future__ import annotations

from typing import Any, Sequence

import pluggy

from inspecpy import hookspecs
from inspecpy.plugins import registry

RUN_HOOKS = ("inspecpy_run_start", "inspecpy_control_done")


def run_events(listeners: Sequence[Any] = ()) -> Any:
    """The hook relay for one run: registered plugins that follow runs, plus *listeners* (reporters)."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name, plugin in registry().plugin_manager.list_name_plugin():
        if plugin is not None and any(hasattr(plugin, hook) for hook in RUN_HOOKS):
            pm.register(plugin, name=name)
    for listener in listeners:
        if pm.is_registered(listener):
            continue
        pm.register(listener)
    return pm.hook

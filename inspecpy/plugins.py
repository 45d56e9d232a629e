"""The plugin manager: built-in and third-party plugins through one ``register()``.

Built-ins are listed by module name in :data:`BUILTIN_PLUGINS`; third-party
packages arrive through entry points in the group ``inspecpy``. Any plugin can
be blocked by name with the environment variable ``INSPECPY_DISABLE_PLUGINS``
(comma-separated)::

    INSPECPY_DISABLE_PLUGINS=inspecpy.reporters.html inspecpy plugins
"""

from __future__ import annotations

import importlib
import os
import threading
from dataclasses import dataclass, field

import pluggy

from inspecpy import hookspecs
from inspecpy.errors import InspecpyError

BUILTIN_PLUGINS: tuple[str, ...] = (
    "inspecpy.resources.builtin",
    "inspecpy.targets.builtin",
    "inspecpy.reporters.cli",
    "inspecpy.reporters.json",
    "inspecpy.reporters.json_min",
    "inspecpy.reporters.yaml",
    "inspecpy.reporters.junit",
    "inspecpy.reporters.html",
    "inspecpy.reporters.markdown",
    "inspecpy.reporters.sarif",
    "inspecpy.reporters.prometheus",
    "inspecpy.reporters.progress",
)


@dataclass
class Registry:
    """Everything the plugins registered, by the name users type."""

    resources: dict[str, type] = field(default_factory=dict)
    targets: dict[str, type] = field(default_factory=dict)
    reporters: dict[str, type] = field(default_factory=dict)
    origins: dict[type, str] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)


_lock = threading.Lock()
_registry: Registry | None = None


def blocked_plugins() -> set[str]:
    return {n.strip() for n in os.environ.get("INSPECPY_DISABLE_PLUGINS", "").split(",") if n.strip()}


def plugin_manager() -> pluggy.PluginManager:
    """A fresh manager with built-ins and entry-point plugins registered."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in blocked_plugins():
        pm.set_blocked(name)
    for module_name in BUILTIN_PLUGINS:
        if pm.is_blocked(module_name):
            continue
        pm.register(importlib.import_module(module_name), name=module_name)
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    except Exception as error:  # a broken third-party plugin must say who it is
        raise InspecpyError(f"cannot load a plugin of the group 'inspecpy': {error}") from error
    pm.check_pending()
    return pm


def _collect(pm: pluggy.PluginManager) -> Registry:
    reg = Registry(plugins=[name for name, _ in pm.list_name_plugin()])
    for hook, table, key in (
        (pm.hook.inspecpy_resources, reg.resources, "name"),
        (pm.hook.inspecpy_targets, reg.targets, "scheme"),
        (pm.hook.inspecpy_reporters, reg.reporters, "name"),
    ):
        for impl in reversed(hook.get_hookimpls()):  # built-ins first, later ones override
            for cls in impl.function() or ():
                table[getattr(cls, key)] = cls
                reg.origins[cls] = impl.plugin_name
    return reg


def registry() -> Registry:
    """The process-wide registry, built once on first use."""
    global _registry
    with _lock:
        if _registry is None:
            _registry = _collect(plugin_manager())
        return _registry

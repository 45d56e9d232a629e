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
from typing import TYPE_CHECKING, Iterable, Mapping, cast

import pluggy

from inspecpy import hookspecs
from inspecpy.errors import InspecpyError, UsageError
from inspecpy.names import did_you_mean, nearest

if TYPE_CHECKING:  # pragma: no cover
    from inspecpy.resources.base import Resource

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

    plugin_manager: pluggy.PluginManager
    resources: dict[str, type[Resource]] = field(default_factory=dict)
    targets: dict[str, type] = field(default_factory=dict)
    reporters: dict[str, type] = field(default_factory=dict)
    origins: dict[type, str] = field(default_factory=dict)
    plugins: list[str] = field(default_factory=list)

    def resource(self, name: str, scope: Mapping[str, type] | None = None) -> type:
        """The resource class called *name* (a profile's own resources in *scope* first).

        Every way a control names a resource goes through here: Python's
        ``from inspecpy.resources import file``, ``inspecpy.resource("file")``,
        the names a control file has in scope, YAML's ``- file: /etc/passwd``.
        """
        table = {**self.resources, **(scope or {})}
        if name not in table:
            raise UsageError(f"unknown resource {name!r}{did_you_mean(name, table)}")
        return table[name]

    def target(self, scheme: str) -> type:
        """The target class for URIs of *scheme* (``ssh`` for ``ssh://…``)."""
        if scheme not in self.targets:
            raise UsageError(f"unknown target scheme '{scheme}://'{did_you_mean(scheme, self.targets)} "
                             f"(known: {', '.join(sorted(self.targets))})")
        return self.targets[scheme]

    def reporter(self, name: str) -> type:
        """The reporter class chosen by ``--reporter NAME``."""
        if name not in self.reporters:
            near = nearest(name, self.reporters)
            hint = f"did you mean {near!r}? " if near else ""
            raise UsageError(f"unknown reporter {name!r} ({hint}available: {', '.join(sorted(self.reporters))})")
        return self.reporters[name]


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
        pm.register(_import_builtin(module_name), name=module_name)
    try:
        pm.load_setuptools_entrypoints(hookspecs.PROJECT)
    except Exception as error:  # a broken third-party plugin must say who it is
        raise InspecpyError(f"cannot load a plugin of the group 'inspecpy': {error}") from error
    pm.check_pending()
    return pm


def _import_builtin(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == "inspecpy.reporters":  # reporters/ is mapped into the package at install time
            raise InspecpyError("the built-in reporters are not importable: inspecpy is run from a plain "
                                "checkout; install it first (python3 -m venv .venv && .venv/bin/pip install -e .)"
                                ) from None
        raise


def _collect(pm: pluggy.PluginManager) -> Registry:
    reg = Registry(plugin_manager=pm, plugins=[name for name, _ in pm.list_name_plugin()])
    for hook, table, key in (
        (pm.hook.inspecpy_resources, reg.resources, "name"),
        (pm.hook.inspecpy_targets, reg.targets, "scheme"),
        (pm.hook.inspecpy_reporters, reg.reporters, "name"),
    ):
        for impl in reversed(hook.get_hookimpls()):  # built-ins first, later ones override
            # pluggy types every hook implementation as returning object; the hookspec says list[type]
            for cls in cast("Iterable[type]", impl.function() or ()):
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

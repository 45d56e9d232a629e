"""The built-in resources, one class per module in this package, registered as a plugin.

They live in this subpackage (not beside ``base.py``) so that the module
``file.py`` never shadows the resource ``file`` in ``inspecpy.resources``.
"""

from __future__ import annotations

import importlib
import pkgutil

from inspecpy.hookspecs import hookimpl
from inspecpy.resources.base import Resource



def builtin_resources() -> list[type[Resource]]:
    """Resource classes defined in the modules beside this one."""
    import inspecpy.resources.builtin as package

    found: list[type[Resource]] = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, Resource) and value.name
                    and value.__module__ == module.__name__):
                found.append(value)
    return found


@hookimpl
def inspecpy_resources():
    return builtin_resources()

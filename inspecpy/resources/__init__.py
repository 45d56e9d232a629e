"""Resources: what controls ask the target about.

Every registered resource (built-in, from a plugin, or from a profile's
``libraries/``) is importable by its name::

    from inspecpy.resources import command, file, platform
    file("/etc/passwd").mode          # 420 (0o644)
    command("uname -s").stdout        # 'Linux\\n'

Names resolve through the plugin registry, so a blocked plugin's resources
are not importable and a third-party resource is, exactly like a built-in.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    from inspecpy.errors import UsageError
    from inspecpy.plugins import registry

    try:
        return registry().resource(name)
    except UsageError as error:
        raise AttributeError(str(error)) from None


def __dir__() -> list[str]:
    from inspecpy.plugins import registry

    return sorted(registry().resources)

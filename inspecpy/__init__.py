"""inspecpy: compliance as code in Python.

The DSL is importable from the package::

    from inspecpy import control, describe, input, skip
"""

from __future__ import annotations

from inspecpy.version import __version__  # noqa: F401 - inspecpy.__version__

__all__ = ["control", "describe", "input", "skip", "include_controls", "require_controls", "profile_file",
           "resource", "Verdict"]


def __getattr__(name: str):
    # The DSL is imported on first use so that `inspecpy --version` stays instant.
    if name in ("control", "describe", "input", "skip", "include_controls", "require_controls", "profile_file"):
        from inspecpy import dsl

        return getattr(dsl, name)
    if name == "Verdict":
        from inspecpy.verdict import Verdict

        return Verdict
    if name == "resource":
        return resource
    raise AttributeError(f"module 'inspecpy' has no attribute {name!r}")


def resource(name: str, *args, **kwargs):
    """A registered resource by name: ``resource("model", "m.npz").sha256``."""
    from inspecpy.plugins import registry

    return registry().resource(name)(*args, **kwargs)

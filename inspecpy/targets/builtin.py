"""Registers the built-in targets."""

from ..hookspecs import hookimpl


@hookimpl
def inspecpy_targets():
    from .local import LocalTarget
    from .ssh import SshTarget

    return [LocalTarget, SshTarget]

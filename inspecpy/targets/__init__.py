"""Targets: where checks run. The current one lives in a context variable.

Resources call :func:`current_target` at construction, so the same control
runs on any target, concurrently. Outside a run it is this machine::

    from inspecpy.targets import current_target
    current_target().platform.family   # 'debian'
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import ContextManager

from inspecpy.context import bound
from inspecpy.targets.base import Target, TargetOptions

_current: ContextVar[Target | None] = ContextVar("inspecpy_target", default=None)


def current_target() -> Target:
    """The target of the running control, or the local machine outside a run."""
    target = _current.get()
    if target is None:
        from inspecpy.targets.local import LocalTarget

        target = LocalTarget("local://")
        _current.set(target)
    return target


def using_target(target: Target) -> ContextManager[Target]:
    """Make *target* current for the block (resources created inside use it)."""
    return bound(_current, target)


def scheme_of(uri: str) -> str:
    """``ssh`` for ``ssh://user@host``; ``local`` for ``local://`` or ``''``."""
    if not uri or uri in ("local", "local://"):
        return "local"
    scheme, sep, _ = uri.partition("://")
    return scheme if sep else "local"


def redact_uri(uri: str) -> str:
    """*uri* without a ``:password@`` part, safe for messages and reports.

    >>> redact_uri("ssh://admin:s3cret@db1:22")
    'ssh://admin@db1:22'
    """
    scheme, sep, rest = uri.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    if not sep or not at:
        return uri
    return f"{scheme}://{userinfo.split(':', 1)[0]}@{hostpart}"


def open_target(uri: str, options: TargetOptions | None = None) -> Target:
    """Create the registered target class for *uri*'s scheme."""
    from inspecpy.errors import UsageError
    from inspecpy.plugins import registry

    scheme = scheme_of(uri)
    targets = registry().targets
    if scheme not in targets:
        raise UsageError(
            f"unknown target scheme '{scheme}://' in {redact_uri(uri)!r} (known: {', '.join(sorted(targets))})"
        )
    return targets[scheme](uri or "local://", options or TargetOptions())

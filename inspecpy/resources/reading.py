"""Reading the file a resource is about: a missing file is a plain failure that names it.

>>> read_required(target, "/etc/hosts")      # the text
>>> read_required(target, "/nope")           # raises ResourceFailed("no such file: /nope")

A file that exists but cannot be read (permission denied) stays an error.
"""

from __future__ import annotations

from inspecpy.errors import ResourceFailed


def read_required(target, path: str) -> str:
    """The text of *path* on *target*; ResourceFailed when it does not exist."""
    if not target.stat(path).exists:
        raise ResourceFailed(f"no such file: {path}")
    return target.read_text(path)


def read_required_bytes(target, path: str) -> bytes:
    """The bytes of *path*; ResourceFailed when it does not exist."""
    if not target.stat(path).exists:
        raise ResourceFailed(f"no such file: {path}")
    return target.read(path)

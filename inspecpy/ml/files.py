"""A model as a list of files: ``(relative_path, opener)`` pairs.

The ML engines never touch a host themselves; callers hand them files as
pairs of a POSIX relative path and a zero-argument callable that opens the
file as a binary stream.  The model resource builds these pairs from its
target; :func:`local_entries` builds them for a local path (tests, scripts).

Example::

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "w.bin").write_bytes(b"x")
    1
    >>> [(rel, op().read()) for rel, op in local_entries(d)]
    [('w.bin', b'x')]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

Opener = Callable[[], BinaryIO]
Entry = tuple[str, Opener]


def _opener(path: Path) -> Opener:
    return lambda: open(path, "rb")


def local_entries(path: str | os.PathLike) -> list[Entry]:
    """Files of a local model: ``[(".", opener)]`` for a file, all files (sorted) for a folder."""
    root = Path(path)
    if root.is_file():
        return [(".", _opener(root))]
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such file or directory")
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath, name)
            out.append((full.relative_to(root).as_posix(), _opener(full)))
    return out


def local_links_outside(path: str | os.PathLike) -> dict[str, str]:
    """Files of a local folder model that are symlinks resolving outside it: ``{rel: target}``."""
    root = Path(path)
    if not root.is_dir():
        return {}
    real_root = os.path.realpath(root)
    out = {}
    for rel, _ in local_entries(root):
        full = root / rel
        real = os.path.realpath(full)
        if real != real_root and not real.startswith(real_root + os.sep):
            out[rel] = real
    return out

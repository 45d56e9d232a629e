"""SHA-256 of a stream or a local file, read in 1 MiB blocks: the one hashing loop.

>>> import io
>>> stream_sha256(io.BytesIO(b"abc"))[:16]
'ba7816bf8f01cfea'
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

BLOCK = 1 << 20


def feed(digest: "hashlib._Hash", stream: BinaryIO, block: int = BLOCK) -> None:
    """Add everything left in *stream* to *digest* (a ``hashlib`` object), one block at a time."""
    for chunk in iter(lambda: stream.read(block), b""):
        digest.update(chunk)


def stream_sha256(stream: BinaryIO, block: int = BLOCK) -> str:
    """The hex SHA-256 of everything left in *stream*."""
    digest = hashlib.sha256()
    feed(digest, stream, block)
    return digest.hexdigest()


def file_sha256(path: str) -> str:
    """The hex SHA-256 of the local file at *path*."""
    with open(path, "rb") as handle:
        return stream_sha256(handle)

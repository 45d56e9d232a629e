"""Bounded reading of untrusted binary streams.

Every scanner reads through a :class:`BoundedReader`: it reads small
fields, *skips* payloads with ``seek`` (never copies them), knows where the
stream ends, and stops with :class:`ScanLimitError` once the configured
budget of bytes or opcodes is spent, so a hostile file cannot exhaust
memory or time.

Example::

    >>> import io
    >>> r = BoundedReader(io.BytesIO(b"abcdef"), Limits())
    >>> r.read(2), r.skip(3), r.read(1), r.read_byte_or_eof()
    (b'ab', None, b'f', b'')
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Limits:
    """Work bounds for one scan (per file).

    ``max_bytes`` bounds the bytes a scan may read or decompress (skipped
    payloads of a plain file cost nothing and do not count; skipped bytes
    of a compressed stream or zip member do), ``max_opcodes`` the pickle
    opcodes walked, ``max_members`` the entries of an archive,
    ``max_depth`` nested pickles (joblib object arrays, npy in npz).
    ``allow`` lists extra globals the user trusts (exact ``module.name`` or
    a package prefix ending in ``.``).
    """

    max_bytes: int = 2 << 30
    max_opcodes: int = 5_000_000
    max_members: int = 100_000
    max_depth: int = 4
    max_line: int = 1 << 16
    allow: tuple[str, ...] = ()


class ScanError(Exception):
    """The content cannot be parsed; the message says where and why."""


class ScanLimitError(ScanError):
    """A work bound of :class:`Limits` was reached."""


class ByteStream(Protocol):
    """What a :class:`BoundedReader` reads: a binary file, a decompressing stream, a zip member."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def tell(self) -> int: ...

    def seekable(self) -> bool: ...


def stream_size(f: ByteStream) -> int | None:
    """Remaining size of a seekable stream (from its current position), else None."""
    try:
        if not f.seekable():
            return None
        here = f.tell()
        end = f.seek(0, io.SEEK_END)
        f.seek(here)
        return end - here
    except (OSError, AttributeError, ValueError):
        return None


class BoundedReader:
    """Reads ``f`` from its current position with size and budget checks.

    ``size`` is the number of bytes available (None when unknown, e.g. a
    decompressing stream); ``costly_skip`` says that skipping costs work
    (decompression) and so counts against ``limits.max_bytes``.
    """

    def __init__(self, f: ByteStream, limits: Limits, size: int | None = -1,
                 costly_skip: bool = False):
        self.f = f
        self.limits = limits
        self.size = stream_size(f) if size == -1 else size
        self.pos = 0
        self.budget = limits.max_bytes
        self.costly_skip = costly_skip
        self._seekable = seekable(f)
        self._origin = f.tell() if self._seekable else 0

    def _spend(self, n: int) -> None:
        self.budget -= n
        if self.budget < 0:
            raise ScanLimitError(f"more than {self.limits.max_bytes} bytes to read at offset {self.pos}"
                                 " (limit reached)")

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes, or ScanError('truncated')."""
        if self.size is not None and self.pos + n > self.size:
            raise ScanError(f"truncated: {n} bytes needed at offset {self.pos}, "
                            f"only {self.size - self.pos} left")
        self._spend(n)
        data = self.f.read(n)
        if len(data) != n:
            raise ScanError(f"truncated: {n} bytes needed at offset {self.pos}, got {len(data)}")
        self.pos += n
        return data

    def readline(self) -> bytes:
        """One ``\\n``-terminated line without its newline (bounded by ``max_line``)."""
        line = self.f.readline(self.limits.max_line + 1)
        self._spend(len(line))
        if not line.endswith(b"\n"):
            if len(line) > self.limits.max_line:
                raise ScanError(f"line longer than {self.limits.max_line} bytes at offset {self.pos}")
            raise ScanError(f"truncated: unterminated line at offset {self.pos}")
        self.pos += len(line)
        return line[:-1]

    def skip(self, n: int) -> None:
        """Move past ``n`` payload bytes without copying them."""
        if n < 0:
            raise ScanError(f"negative length {n} at offset {self.pos}")
        if self.size is not None and self.pos + n > self.size:
            raise ScanError(f"truncated: payload of {n} bytes at offset {self.pos}, "
                            f"only {self.size - self.pos} left")
        if self.costly_skip or not self._seekable:
            self._spend(n)
        if self._seekable:
            before = self.pos
            self.f.seek(n, io.SEEK_CUR)
            if self.size is None and self.f.tell() != self._origin + before + n:
                raise ScanError(f"truncated: payload of {n} bytes at offset {before}")
        else:
            left = n
            while left:
                chunk = self.f.read(min(left, 1 << 20))
                if not chunk:
                    raise ScanError(f"truncated: payload of {n} bytes at offset {self.pos}")
                left -= len(chunk)
        self.pos += n

    def read_byte_or_eof(self) -> bytes:
        """One byte, or ``b""`` at the end of the stream."""
        if self.size is not None and self.pos >= self.size:
            return b""
        self._spend(1)
        b = self.f.read(1)
        self.pos += len(b)
        return b

    def mark(self):
        """A position to come back to with :meth:`reset`; None when going back is not cheap."""
        if not self._seekable or self.costly_skip:
            return None
        return self.pos, self.f.tell()

    def reset(self, mark) -> None:
        """Go back to a position returned by :meth:`mark`; the budget is not refunded (bytes read
        twice cost twice, so going back cannot make a scan unbounded)."""
        self.pos, offset = mark
        self.f.seek(offset)

    def at_end(self) -> bool:
        """True when no byte is left (only for streams of known size)."""
        return self.size is not None and self.pos >= self.size


def seekable(f: ByteStream) -> bool:
    """The stream can seek (False when it cannot say)."""
    try:
        return bool(f.seekable())
    except (AttributeError, ValueError):
        return False

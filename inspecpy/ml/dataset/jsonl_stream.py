"""Stream a JSON Lines file (one JSON object per line) in bounded chunks.

The first object fixes the columns (its keys, in order); a later object may
leave a key out (a missing value) but may not add one. ``null`` and ``""``
are missing. Nested values (lists, objects) are refused with the row. Example::

    >>> import io
    >>> data = b'{"a": 1, "y": "cat"}\\n{"a": 2.5, "y": "dog"}\\n'
    >>> chunk = next(iter_jsonl(io.BytesIO(data), "d.jsonl", label="y"))
    >>> chunk.columns["a"].values.tolist(), chunk.columns["y"].values.tolist()
    ([1.0, 2.5], ['cat', 'dog'])
"""

from __future__ import annotations

import json
from typing import BinaryIO
from collections.abc import Iterator

import numpy as np

from inspecpy.ml.dataset.columns import from_python_values
from inspecpy.ml.dataset.chunks import Chunk, DatasetError

DEFAULT_CHUNK_BYTES = 2 << 20
MAX_RECORD_BYTES = 64 << 20


def _blocks(stream: BinaryIO, name: str, chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines (a JSON line never holds a raw newline)."""
    carry, line = b"", 1
    while True:
        data = stream.read(chunk_bytes)
        if line == 1 and not carry and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if not data:
            if carry:
                yield carry, line
            return
        buf = carry + data
        cut = buf.rfind(b"\n") + 1
        if not cut:
            if len(buf) > MAX_RECORD_BYTES:
                raise DatasetError(name, f"a line longer than {MAX_RECORD_BYTES >> 20} MiB", line=line)
            carry = buf
            continue
        yield buf[:cut], line
        line += buf.count(b"\n", 0, cut)
        carry = buf[cut:]


def _decode(buf: bytes, name: str, line: int, row0: int) -> str:
    try:
        return buf.decode("utf-8")
    except UnicodeDecodeError as error:
        start = buf.rfind(b"\n", 0, error.start) + 1
        rows = sum(1 for part in buf[:start].split(b"\n") if part.strip())
        bad_line = line + buf.count(b"\n", 0, start)
        raise DatasetError(name, f"invalid UTF-8 byte 0x{buf[error.start]:02x} (not a UTF-8 text file?)",
                           row=row0 + rows + 1, line=bad_line) from None


def _parse_lines(text: str, name: str, line0: int, row0: int) -> tuple[list, list[int]]:
    """The JSON values of a block's non-blank lines (one C-level parse) and their line numbers."""
    raws, lines = [], []
    for offset, raw in enumerate(text.split("\n")):
        if raw.strip():
            raws.append(raw)
            lines.append(line0 + offset)
    try:
        values = json.loads("[" + ",".join(raws) + "]")
        if len(values) == len(raws):  # else a line held two values: '{...},{...}'
            return values, lines
    except ValueError:
        pass
    for i, raw in enumerate(raws):  # find the bad line and say where
        try:
            json.loads(raw)
        except ValueError as error:
            where = f" at column {error.colno}" if hasattr(error, "colno") else ""
            raise DatasetError(name, f"invalid JSON{where}: {getattr(error, 'msg', error)}",
                               row=row0 + i + 1, line=lines[i]) from None
    raise DatasetError(name, "invalid JSON (two values on one line?)", line=line0)


def iter_jsonl(stream: BinaryIO, name: str, label: str | None = None, na_values=("",),
               chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[Chunk]:
    """Chunks of a JSON Lines file; ``label`` must be a key of the first object."""
    na_text = frozenset(na_values)
    columns: list[str] | None = None
    row0 = 0
    for buf, line0 in _blocks(stream, name, chunk_bytes):
        records, lines = _parse_lines(_decode(buf, name, line0, row0), name, line0, row0)
        if not records:
            continue
        chunk = Chunk(name=name, row0=row0, columns={}, lines=np.array(lines, dtype=np.int64))
        for i, record in enumerate(records):
            if not isinstance(record, dict):
                raise chunk.error(i, f"expected a JSON object, got {type(record).__name__}")
            if columns is None:
                columns, known = list(record), record.keys()
                if not columns:
                    raise chunk.error(i, "the first object has no keys")
                if label is not None and label not in record:
                    raise chunk.error(i, f"label key {label!r} not in the first object "
                                         f"(keys: {', '.join(columns)})")
            elif not record.keys() <= known:
                extra = next(k for k in record if k not in known)
                raise chunk.error(i, f"unexpected key {extra!r} (the first object has: {', '.join(columns)})")
        assert columns is not None  # set by the first record (records is not empty)
        for key in columns:
            column = from_python_values([r.get(key) for r in records], na_text)
            if isinstance(column, int):
                raise chunk.error(column, f"column {key!r} holds a nested value (list or object)")
            chunk.columns[key] = column
        yield chunk
        row0 += len(records)

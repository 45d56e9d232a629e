"""Stream a CSV file from a binary stream in bounded chunks.

The stream is read in blocks of ``chunk_bytes`` cut at a record boundary (a
newline outside quotes). A block without quotes is tokenised with numpy
alone (delimiter and newline positions, one gather per column, one C-level
float parse); a block with quotes goes through the :mod:`csv` module. Both
give the same cells, so the statistics do not depend on the chunk size.
Memory is bounded by the block size, never by the file. Example::

    >>> import io
    >>> chunks = list(iter_csv(io.BytesIO(b"a,y\\n1,0\\n2,1\\n"), "d.csv", label="y"))
    >>> chunks[0].columns["a"].values.tolist(), chunks[0].lines.tolist()
    ([1.0, 2.0], [2, 3])
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO
from collections.abc import Iterator

import numpy as np

from inspecpy.ml.dataset.columns import from_bytes_tokens, from_strings
from inspecpy.ml.dataset.chunks import Chunk, ColumnChunk, DatasetError

DEFAULT_CHUNK_BYTES = 2 << 20
MAX_RECORD_BYTES = 64 << 20
#: a token longer than this is never parsed as a number on the fast path
MAX_NUMBER_WIDTH = 40
_NL, _CR, _QUOTE = 10, 13, 34


def _record_ends(buf: bytes) -> np.ndarray:
    """Offsets of the newlines that end a record (not inside quotes)."""
    b = np.frombuffer(buf, dtype=np.uint8)
    nl = np.flatnonzero(b == _NL)
    if b'"' not in buf:
        return nl
    quotes = np.flatnonzero(b == _QUOTE)
    return nl[np.searchsorted(quotes, nl) % 2 == 0]


def _blocks(stream: BinaryIO, name: str, chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole records, each with the line number of its first line."""
    carry, line, first = b"", 1, True
    while True:
        data = stream.read(chunk_bytes)
        if first and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        first = False
        if not data:
            if not carry:
                return
            if not carry.endswith(b"\n"):
                carry += b"\n"
            ends = _record_ends(carry)
            if not ends.size or ends[-1] != len(carry) - 1:
                start = int(ends[-1]) + 1 if ends.size else 0
                raise DatasetError(name, "unterminated quoted field",
                                   line=line + carry.count(b"\n", 0, start))
            yield carry, line
            return
        buf = carry + data
        ends = _record_ends(buf)
        if not ends.size:
            if len(buf) > MAX_RECORD_BYTES:
                raise DatasetError(name, f"a record longer than {MAX_RECORD_BYTES >> 20} MiB", line=line)
            carry = buf
            continue
        cut = int(ends[-1]) + 1
        yield buf[:cut], line
        line += buf.count(b"\n", 0, cut)
        carry = buf[cut:]


def _header(record: bytes, name: str, delimiter: str) -> list[str]:
    try:
        text = record.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(name, f"invalid UTF-8 byte 0x{record[error.start]:02x} in the header",
                           line=1) from None
    fields = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    if not fields or fields == [""]:
        raise DatasetError(name, "empty header: a CSV dataset needs a header row", line=1)
    names = [f.strip() or f"unnamed_{i}" for i, f in enumerate(fields)]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise DatasetError(name, f"duplicate column name {n!r} in the header", line=1)
        seen.add(n)
    return names


class _Block:
    """One block of records: field offsets (fast path) or parsed rows (csv path)."""

    def __init__(self, buf: bytes, line0: int, row0: int, ncols: int, name: str, delimiter: str):
        self.buf, self.line0, self.row0, self.ncols, self.name = buf, line0, row0, ncols, name
        self.delimiter = delimiter
        self.b = np.frombuffer(buf, dtype=np.uint8)
        self.ascii = not self.b.size or int(self.b.max()) < 128
        self.text: str | None = None  # the block decoded, when ASCII (so byte offsets are char offsets)
        if b'"' in buf:
            self._parse_quoted()
        else:
            self._split()

    def _ragged(self, index: int, line: int, got: int) -> DatasetError:
        return DatasetError(self.name, f"expected {self.ncols} fields, got {got}",
                            row=self.row0 + index + 1, line=line)

    def _split(self) -> None:
        b, ncols = self.b, self.ncols
        nl = np.flatnonzero(b == _NL)
        first = np.concatenate(([0], nl[:-1] + 1))
        last = nl.copy()
        cr = (last > first) & (b[last - 1] == _CR)
        last[cr] -= 1
        nonblank = last > first
        delims = np.flatnonzero(b == ord(self.delimiter))
        per_line = np.diff(np.searchsorted(delims, nl), prepend=0)
        bad = np.flatnonzero(nonblank & (per_line != ncols - 1))
        rows = np.flatnonzero(nonblank)
        self.lines = self.line0 + rows
        if bad.size:
            i = int(bad[0])
            raise self._ragged(int(np.searchsorted(rows, i)), self.line0 + i, int(per_line[i]) + 1)
        d = delims.reshape(len(rows), ncols - 1)
        self.starts = np.empty((len(rows), ncols), dtype=np.int64)
        self.ends = np.empty_like(self.starts)
        self.starts[:, 0], self.starts[:, 1:] = first[rows], d + 1
        self.ends[:, :-1], self.ends[:, -1] = d, last[rows]
        self.rows: list[list[str]] | None = None  # fields per row, only after a quoted parse
        self._check_utf8()

    def _parse_quoted(self) -> None:
        text = self.buf.decode("utf-8", "surrogateescape")
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        rows: list[list[str]] = []
        lines: list[int] = []
        previous = 0
        try:
            for record in reader:
                start, previous = previous + 1, reader.line_num
                if not record:
                    continue
                if len(record) != self.ncols:
                    raise self._ragged(len(rows), self.line0 + start - 1, len(record))
                rows.append(record)
                lines.append(self.line0 + start - 1)
        except csv.Error as error:
            raise DatasetError(self.name, f"malformed CSV: {error}", row=self.row0 + len(rows) + 1,
                               line=self.line0 + reader.line_num - 1) from None
        self.lines = np.array(lines, dtype=np.int64)
        self.rows = rows
        self._check_utf8()

    def _check_utf8(self) -> None:
        if self.ascii:
            return
        try:
            self.buf.decode("utf-8")
        except UnicodeDecodeError as error:
            line = self.line0 + self.buf.count(b"\n", 0, error.start)
            index = max(int(np.searchsorted(self.lines, line, side="right")) - 1, 0)
            raise DatasetError(self.name, f"invalid UTF-8 byte 0x{self.buf[error.start]:02x} (not a UTF-8 text file?)",
                               row=self.row0 + index + 1, line=line) from None

    @property
    def count(self) -> int:
        return len(self.lines)

    def column(self, c: int, na_bytes: frozenset[bytes], na_text: frozenset[str]) -> ColumnChunk:
        if self.rows is not None:
            cells = np.empty(len(self.rows), dtype=object)
            cells[:] = [r[c] for r in self.rows]
            return from_strings(cells, na_text)
        s, e = self.starts[:, c], self.ends[:, c]
        width = int((e - s).max()) if len(s) else 0
        if width <= MAX_NUMBER_WIDTH:
            width = max(width, 1)
            positions = np.arange(width)[:, None]
            cells = self.b.take(s + positions, mode="clip")  # position-major: cells[j, i]
            cells *= positions < (e - s)
            parsed = from_bytes_tokens(cells, na_bytes)
            if parsed is not None:
                return parsed
        strings = np.empty(len(s), dtype=object)
        if self.ascii:
            self.text = self.text or self.buf.decode("ascii")
            strings[:] = [self.text[i:j] for i, j in zip(s.tolist(), e.tolist())]
        else:
            strings[:] = [self.buf[i:j].decode("utf-8") for i, j in zip(s.tolist(), e.tolist())]
        return from_strings(strings, na_text)


def iter_csv(stream: BinaryIO, name: str, label: str | None = None, delimiter: str = ",",
             na_values=("",), chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> Iterator[Chunk]:
    """Chunks of a CSV file with a header row; ``label`` must name one of its columns."""
    if len(delimiter.encode("utf-8")) != 1 or delimiter in '"\r\n':
        raise DatasetError(name, f"unusable delimiter {delimiter!r}")
    na_text = frozenset(na_values)
    na_bytes = frozenset(v.encode("utf-8") for v in na_text)
    header: list[str] | None = None
    row0 = 0
    for buf, line in _blocks(stream, name, chunk_bytes):
        if header is None:
            cut = int(_record_ends(buf)[0]) + 1
            header = _header(buf[:cut], name, delimiter)
            if label is not None and label not in header:
                raise DatasetError(name, f"label column {label!r} not in the header "
                                         f"(columns: {', '.join(header)})", line=1)
            line += buf.count(b"\n", 0, cut)
            buf = buf[cut:]
        block = _Block(buf, line, row0, len(header), name, delimiter)
        if not block.count:
            continue
        columns = {h: block.column(c, na_bytes, na_text) for c, h in enumerate(header)}
        yield Chunk(name=name, row0=row0, columns=columns, lines=block.lines)
        row0 += block.count
    if header is None:
        raise DatasetError(name, "empty file: a CSV dataset needs a header row", line=1)

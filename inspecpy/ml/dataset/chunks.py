"""What every dataset reader yields: chunks of typed columns, and the one error class.

A reader turns a file into :class:`Chunk` objects of a bounded number of
rows; each holds one :class:`ColumnChunk` per column, in file order. The
statistics never see the file format, only these arrays. Example::

    >>> import numpy as np
    >>> col = ColumnChunk.numeric(np.array([1.0, np.nan]), np.array([False, True]))
    >>> chunk = Chunk(name="d.csv", row0=0, columns={"x": col})
    >>> chunk.rows, chunk.where(1)
    (2, 'row 2')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import SupportsFloat

import numpy as np

from inspecpy.errors import InspecpyError

NUM = "num"
STR = "str"


class DatasetError(InspecpyError, ValueError):
    """A dataset file cannot be read or checked; the message names the file and the row.

    >>> str(DatasetError("d.csv", "expected 3 fields, got 2", row=4, line=5))
    'd.csv: row 4 (line 5): expected 3 fields, got 2'
    """

    def __init__(self, name: str, problem: str, row: int | None = None, line: int | None = None):
        self.name, self.problem, self.row, self.line = name, problem, row, line
        where = ""
        if row is not None:
            where = f"row {row}" + (f" (line {line})" if line is not None else "")
        elif line is not None:
            where = f"line {line}"
        super().__init__(f"{name}: {where + ': ' if where else ''}{problem}")


_EMPTY_IDX = np.zeros(0, dtype=np.int64)


def number_text(value: SupportsFloat) -> str:
    """A number as a label or category reads: ``"1"`` for 1.0, else its repr.

    >>> number_text(1.0), number_text(0.5), number_text(float("inf"))
    ('1', '0.5', 'inf')
    """
    value = float(value)
    if value.is_integer() and abs(value) < 2 ** 63:
        return str(int(value))
    return repr(value)


@dataclass
class ColumnChunk:
    """One column of one chunk.

    ``kind`` is ``"num"`` (``values`` float64, NaN where missing) or ``"str"``
    (``values`` an object array of ``str``; ``numbers`` holds the float of
    each value that parses as a number, NaN elsewhere, so a value hashes the
    same whichever kind its chunk had). ``dtype`` is the chunk's own type
    name (``int64``, ``float64``, ``bool``, ``str``…; None when every value is
    missing). ``nonfinite`` is the first NaN/inf *literal* as (index, text).
    ``pii_index``/``pii_text`` are the values worth scanning for PII: every
    present value of a text column, only long integers of a numeric one.
    ``not_number`` is the index of the first present value that is not a number.
    """

    values: np.ndarray
    missing: np.ndarray
    kind: str
    dtype: str | None = None
    numbers: np.ndarray | None = None
    nonfinite: tuple[int, str] | None = None
    not_number: int | None = None
    pii_index: np.ndarray = field(default_factory=lambda: _EMPTY_IDX)
    pii_text: list[str] = field(default_factory=list)

    @classmethod
    def numeric(cls, values: np.ndarray, missing: np.ndarray, dtype: str | None = "float64",
                **extra) -> ColumnChunk:
        """A numeric column chunk (``values`` float64, NaN at ``missing``)."""
        return cls(values=values, missing=missing, kind=NUM, dtype=dtype, **extra)

    def as_numbers(self) -> np.ndarray:
        """float64 per row: the value, or NaN where missing or not a number."""
        if self.kind == NUM:
            return self.values
        if self.numbers is None:
            raise ValueError("a text column chunk needs its numbers (NaN where a value is not one)")
        return self.numbers


@dataclass
class Chunk:
    """Consecutive data rows of one file.

    ``row0`` counts the data rows before this chunk; ``lines`` gives each
    row's 1-based line number in a text file (None for array formats).
    """

    name: str
    row0: int
    columns: dict[str, ColumnChunk]
    lines: np.ndarray | None = None

    @property
    def rows(self) -> int:
        for col in self.columns.values():
            return len(col.values)
        return 0

    def row(self, i: int) -> int:
        """The 1-based data-row number of chunk index *i*."""
        return self.row0 + int(i) + 1

    def line(self, i: int) -> int | None:
        return None if self.lines is None else int(self.lines[i])

    def where(self, i: int) -> str:
        """``row N (line M)`` for chunk index *i*, as error messages say it."""
        line = self.line(i)
        return f"row {self.row(i)}" + (f" (line {line})" if line is not None else "")

    def error(self, i: int, problem: str) -> DatasetError:
        """A :class:`DatasetError` located at chunk index *i*."""
        return DatasetError(self.name, problem, row=self.row(i), line=self.line(i))

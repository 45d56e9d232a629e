"""One-pass, mergeable dataset statistics: the integrity checks of the dataset resource.

:class:`StatsAccumulator` takes chunks (from any reader) and keeps only
bounded state per column — missing count, moments (Chan/Welford, so
chunks and partial results merge exactly), min/max, type, PII tallies —
plus a digest table for duplicates and conflicting labels. ``result()``
validates (NaN/inf in a numeric column is an error naming its row) and
freezes everything into :class:`DatasetStats`. Example::

    >>> import io
    >>> from inspecpy.ml.dataset.readers import iter_chunks
    >>> data = b"a,b,y\\n1,2,0\\n1,2,0\\n1,2,1\\n3,,1\\n"
    >>> acc = StatsAccumulator("d.csv", label="y")
    >>> for chunk in iter_chunks(io.BytesIO(data), "d.csv", label="y"):
    ...     acc.add(chunk)
    >>> s = acc.result()
    >>> s.rows, s.missing, s.duplicate_rows, s.conflicting_labels, s.class_balance
    (4, 1, 1, 3, {'0': 0.5, '1': 0.5})
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from inspecpy.ml.dataset.digests import MAX_CLASSES, DigestTable
from inspecpy.ml.dataset.row_hash import cell_digests, row_digests
from inspecpy.ml.dataset.pii import PiiCounter, PiiFinding
from inspecpy.ml.dataset.chunks import NUM, Chunk, ColumnChunk, DatasetError, number_text


def label_text(col: ColumnChunk, i: int) -> str | None:
    """A label cell as text: ``"1"`` for 1.0, ``"0.5"``, or the string itself; None if missing."""
    if col.missing[i]:
        return None
    value = col.as_numbers()[i]
    return str(col.values[i]) if math.isnan(value) else number_text(value)


@dataclass
class ColumnAccumulator:
    """Running statistics of one column (numbers only while every value is one)."""

    missing: int = 0
    text: bool = False
    dtypes: set = field(default_factory=set)
    count: int = 0
    mean: float = 0.0
    m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    nonfinite: tuple | None = None  # (row, line, text) of the first NaN/inf literal
    not_number: tuple | None = None  # (row, line) of the first value that is not a number

    def add(self, col: ColumnChunk, chunk: Chunk) -> None:
        self.missing += int(col.missing.sum())
        if col.dtype:
            self.dtypes.add(col.dtype)
        if col.kind != NUM:
            self.text = True
            if col.not_number is not None and self.not_number is None:
                self.not_number = (chunk.row(col.not_number), chunk.line(col.not_number))
            return
        if col.nonfinite is not None and self.nonfinite is None:
            i, token = col.nonfinite
            self.nonfinite = (chunk.row(i), chunk.line(i), token)
        x = col.values[np.isfinite(col.values)]
        if x.size:
            mean = float(x.mean())
            self._combine(x.size, mean, float(np.square(x - mean).sum()), float(x.min()), float(x.max()))

    def _combine(self, n: int, mean: float, m2: float, low: float, high: float) -> None:
        total = self.count + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.count * n / total
        self.count = total
        self.low, self.high = min(self.low, low), max(self.high, high)

    def merge(self, other: ColumnAccumulator) -> None:
        self.missing += other.missing
        self.text |= other.text
        self.dtypes |= other.dtypes
        if other.count:
            self._combine(other.count, other.mean, other.m2, other.low, other.high)
        for attr in ("nonfinite", "not_number"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            if theirs is not None and (mine is None or theirs[0] < mine[0]):
                setattr(self, attr, theirs)

    @property
    def dtype(self) -> str:
        if self.text:
            return "str"
        if len(self.dtypes) == 1:
            return next(iter(self.dtypes))
        if self.dtypes and all(d.startswith(("int", "uint", "bool")) for d in self.dtypes):
            return "int64"
        return "float64"


@dataclass(frozen=True)
class DatasetStats:
    """The integrity statistics of one dataset file (numbers per column are dicts).

    ``minimum``/``maximum``/``mean``/``std`` hold the numeric columns only
    (``std`` is the population standard deviation, as ``outliers`` uses).
    ``class_counts`` is None without a label, or for a label with more
    than 65536 distinct values; ``conflicting_labels`` is None without a label.
    """

    name: str
    rows: int
    columns: list[str]
    label: str | None
    dtypes: dict[str, str]
    missing_by_column: dict[str, int]
    duplicate_rows: int
    conflicting_labels: int | None
    class_counts: dict[str, int] | None
    minimum: dict[str, float]
    maximum: dict[str, float]
    mean: dict[str, float]
    std: dict[str, float]
    pii: list[PiiFinding]
    first_text: dict[str, tuple] = field(default_factory=dict)

    @property
    def missing(self) -> int:
        """Missing cells over all columns."""
        return sum(self.missing_by_column.values())

    @property
    def features(self) -> list[str]:
        return [c for c in self.columns if c != self.label]

    @property
    def class_balance(self) -> dict[str, float] | None:
        """Each label's share of the labelled rows."""
        if self.class_counts is None:
            return None
        total = sum(self.class_counts.values())
        return {k: v / total for k, v in self.class_counts.items()}


class StatsAccumulator:
    """Feed chunks with :meth:`add`, combine partial results with :meth:`merge`, then :meth:`result`."""

    def __init__(self, name: str, label: str | None = None, max_classes: int = MAX_CLASSES):
        self.name, self.label = name, label
        self.rows = 0
        self.columns: dict[str, ColumnAccumulator] = {}
        self.pii = PiiCounter()
        self.table = DigestTable(labelled=label is not None, max_classes=max_classes)

    def add(self, chunk: Chunk) -> None:
        if not self.columns:
            self.columns = {c: ColumnAccumulator() for c in chunk.columns}
        self.rows += chunk.rows
        features = []
        for name, col in chunk.columns.items():
            self.columns[name].add(col, chunk)
            if len(col.pii_index):
                self.pii.scan(name, col.pii_text, chunk.row0 + col.pii_index + 1)
            if name != self.label:
                features.append(col)
        if self.label is None:
            self.table.add(row_digests(features))
        else:
            label = chunk.columns[self.label]
            self.table.add(row_digests(features), cell_digests(label), lambda i: label_text(label, i))

    def merge(self, other: StatsAccumulator) -> None:
        """Add the rows of *other* (read from the rows after this one's)."""
        if not self.columns:
            self.columns = {c: ColumnAccumulator() for c in other.columns}
        for name, acc in other.columns.items():
            self.columns[name].merge(acc)
        self.rows += other.rows
        self.pii.merge(other.pii)
        self.table.merge(other.table)

    def _validate(self) -> None:
        for name, acc in self.columns.items():
            if acc.nonfinite is not None and not acc.text:
                row, line, token = acc.nonfinite
                raise DatasetError(self.name, f"column {name!r} holds the non-finite value {token!r} "
                                              "(NaN/inf are not data; leave a missing cell empty)", row, line)

    def result(self) -> DatasetStats:
        """The frozen statistics; raises :class:`DatasetError` on NaN/inf in a numeric column."""
        self._validate()
        class_counts = self.table.class_counts()
        duplicates, conflicts = self.table.finish()
        numeric = {n: a for n, a in self.columns.items() if not a.text and a.count}
        return DatasetStats(
            name=self.name, rows=self.rows, columns=list(self.columns), label=self.label,
            dtypes={n: a.dtype for n, a in self.columns.items()},
            missing_by_column={n: a.missing for n, a in self.columns.items()},
            duplicate_rows=duplicates, conflicting_labels=conflicts, class_counts=class_counts,
            minimum={n: a.low for n, a in numeric.items()},
            maximum={n: a.high for n, a in numeric.items()},
            mean={n: a.mean for n, a in numeric.items()},
            std={n: math.sqrt(a.m2 / a.count) for n, a in numeric.items()},
            pii=self.pii.findings(list(self.columns)),
            first_text={n: a.not_number for n, a in self.columns.items() if a.text and a.not_number},
        )

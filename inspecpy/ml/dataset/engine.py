"""A dataset file and every check on it, each computed in bounded passes over a re-openable stream.

:class:`DatasetFile` knows nothing about targets: it gets an *opener* (a
callable returning a fresh binary stream) and a name for messages. The
first pass (``stats``) computes the integrity statistics and the file's
SHA-256 together and validates the data; ``outliers``, ``drift`` samples,
``overlap`` and ``features``/``labels`` are further passes made only when
asked. Example::

    >>> import io
    >>> data = b"a,b,y\\n1,2,0\\n3,4,1\\n1,2,0\\n"
    >>> ds = DatasetFile(lambda: io.BytesIO(data), "train.csv", label="y")
    >>> ds.stats.rows, ds.stats.duplicate_rows, ds.features().shape, ds.labels().tolist()
    (3, 1, (3, 2), [0, 1, 0])
    >>> ds.overlap(DatasetFile(lambda: io.BytesIO(b"a,b,y\\n3,4,1\\n"), "test.csv", label="y"))
    1
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cached_property
from typing import Any, BinaryIO
from collections.abc import Callable, Iterator

import numpy as np

from inspecpy.digests import stream_sha256
from inspecpy.ml.dataset.digests import MAX_CLASSES
from inspecpy.ml.dataset.drift import MAX_SAMPLES, DriftReport, Reservoir, drift
from inspecpy.ml.dataset.row_hash import row_digests
from inspecpy.ml.dataset.readers import CHUNK_ROWS, detect_format, iter_chunks
from inspecpy.ml.dataset.stats import DatasetStats, StatsAccumulator
from inspecpy.ml.dataset.chunks import Chunk, DatasetError

_STREAMED = ("csv", "tsv", "jsonl")
_HASH_BLOCK = 1 << 20


class _HashingReader(io.BufferedIOBase, BinaryIO):
    """A read-only, forward-only stream wrapper that hashes every byte read through it."""

    def __init__(self, stream: BinaryIO):
        self.stream, self.digest = stream, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.stream.read(-1 if size is None else size)
        self.digest.update(data)
        return data

    def finish(self) -> str:
        while self.read(_HASH_BLOCK):
            pass
        return self.digest.hexdigest()


@dataclass(frozen=True)
class OutlierReport:
    """Values farther than ``z`` population standard deviations from their column's mean."""

    z: float
    counts: dict[str, int]
    rows: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def columns(self) -> list[str]:
        return [c for c, n in self.counts.items() if n]

    def __str__(self) -> str:
        return f"{self.total} outliers (|z| > {self.z:g}) in {self.rows} rows"


class DatasetFile:
    """One dataset file: statistics, outliers, drift, overlap and its arrays.

    *opener* returns a new binary stream of the file each time it is called.
    Options: ``format`` (else the extension), ``x`` (features array of an
    .npz), ``delimiter``, ``na_values`` (cells that count as missing; ``""``
    always does), ``chunk_bytes``/``chunk_rows`` (the streaming unit),
    ``max_classes``.
    """

    def __init__(self, opener: Callable[[], BinaryIO], name: str, label: str | None = None, *,
                 format: str | None = None, x: str = "X", delimiter: str | None = None,
                 na_values=("",), chunk_bytes: int | None = None, chunk_rows: int = CHUNK_ROWS,
                 max_classes: int = MAX_CLASSES):
        self.opener, self.name, self.label = opener, name, label
        self.format = detect_format(name, format)
        self.max_classes = max_classes
        if isinstance(na_values, str):
            na_values = (na_values,)
        self._options: dict[str, Any] = dict(format=self.format, x=x, delimiter=delimiter,
                             na_values=tuple(dict.fromkeys(("", *na_values))),
                             chunk_bytes=chunk_bytes, chunk_rows=chunk_rows)
        self._samples: dict[tuple, dict[str, np.ndarray]] = {}

    @classmethod
    def from_path(cls, path, label: str | None = None, **options) -> DatasetFile:
        """A local file (no target involved): ``DatasetFile.from_path("train.csv", label="y")``."""
        path = str(path)
        return cls(lambda: open(path, "rb"), path, label, **options)

    def chunks(self, stream: BinaryIO | None = None) -> Iterator[Chunk]:
        """Read the file once more, chunk by chunk (the label resolved as in ``stats``)."""
        if stream is None:
            with self.opener() as own:
                yield from self.chunks(own)
            return
        yield from iter_chunks(stream, self.name, label=self.label, **self._options)

    @cached_property
    def stats(self) -> DatasetStats:
        """The integrity statistics (one pass, which also validates the data)."""
        hashing = self.format in _STREAMED
        with self.opener() as raw:
            stream = _HashingReader(raw) if hashing else raw
            accumulator = None
            for chunk in self.chunks(stream):
                if accumulator is None:
                    if self.label is None and self.format == "npz" and "y" in chunk.columns:
                        self.label = "y"  # the reader's default label array
                    accumulator = StatsAccumulator(self.name, self.label, self.max_classes)
                accumulator.add(chunk)
            if isinstance(stream, _HashingReader):
                self.__dict__["sha256"] = stream.finish()
        assert accumulator is not None  # iter_chunks raises DatasetError for a file without rows
        return accumulator.result()

    @cached_property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes (computed with ``stats`` for streamed formats)."""
        with self.opener() as stream:
            return stream_sha256(stream, _HASH_BLOCK)

    def outliers(self, z: float = 3.0) -> OutlierReport:
        """Per numeric feature, the values with ``|x - mean| > z * std`` (a second pass)."""
        stats = self.stats
        cols = [c for c in stats.features if c in stats.std and stats.std[c] > 0]
        mean = np.array([stats.mean[c] for c in cols])
        limit = z * np.array([stats.std[c] for c in cols])
        counts, rows = np.zeros(len(cols), dtype=np.int64), 0
        for chunk in self.chunks():
            if not cols:
                break
            values = np.column_stack([chunk.columns[c].as_numbers() for c in cols])
            with np.errstate(invalid="ignore"):
                far = np.abs(values - mean) > limit  # NaN (missing) compares False
            counts += far.sum(axis=0)
            rows += int(far.any(axis=1).sum())
        return OutlierReport(float(z), {c: int(n) for c, n in zip(cols, counts)}, rows)

    def samples(self, max_samples: int | None = MAX_SAMPLES, seed: int = 0) -> dict[str, np.ndarray]:
        """A seeded uniform sample of each column's present values (cached per arguments)."""
        key = (max_samples, seed)
        if key not in self._samples:
            self.stats  # validate first
            reservoir = Reservoir(max_samples, seed)
            for chunk in self.chunks():
                reservoir.add(chunk)
            self._samples[key] = reservoir.samples()
        return self._samples[key]

    def drift(self, reference: DatasetFile, method: str = "psi", threshold: float | None = None,
              max_samples: int | None = MAX_SAMPLES, seed: int = 0) -> DriftReport:
        """Drift of this (current) dataset against *reference*, per feature column (the label left out)."""
        features = [c for c in self.stats.columns if c not in (self.stats.label, reference.stats.label)]
        missing = [c for c in features if c not in reference.stats.columns]
        if missing:
            raise DatasetError(reference.name, f"no column {missing[0]!r} to compare with {self.name}")
        current, ref = self.samples(max_samples, seed), reference.samples(max_samples, seed)
        try:
            return drift({c: ref[c] for c in features if c in ref}, {c: current[c] for c in features if c in current},
                         method, threshold)
        except ValueError as error:
            raise DatasetError(self.name, str(error)) from None

    def _feature_digests(self, columns: list[str]) -> Iterator[np.ndarray]:
        for chunk in self.chunks():
            yield row_digests([chunk.columns[c] for c in columns])

    def overlap(self, other: DatasetFile) -> int:
        """Rows of this dataset whose features (label left out) also occur in *other*."""
        columns = self.stats.features
        absent = [c for c in columns if c not in other.stats.columns]
        if absent:
            raise DatasetError(other.name, f"no column {absent[0]!r} to compare with {self.name}")
        seen = np.unique(np.concatenate(list(other._feature_digests(columns))))
        found = 0
        for digests in self._feature_digests(columns):
            at = np.minimum(np.searchsorted(seen, digests), len(seen) - 1)
            found += int(np.count_nonzero(seen[at] == digests))
        return found

    def _stacked(self, columns: list[str], what: str, numeric: bool = True) -> np.ndarray:
        """The given columns of every row, as one 2-d array; refuses text and missing cells."""
        stats = self.stats
        for c in columns:
            if numeric and c in stats.first_text:
                row, line = stats.first_text[c]
                raise DatasetError(self.name, f"{what} column {c!r} is not numeric", row, line)
        parts = []
        for chunk in self.chunks():
            for c in columns:
                missing = np.flatnonzero(chunk.columns[c].missing)
                if missing.size:
                    raise chunk.error(missing[0], f"{what} column {c!r} has a missing value")
            parts.append(np.column_stack([chunk.columns[c].values for c in columns]))
        return np.concatenate(parts)

    def features(self) -> np.ndarray:
        """All feature columns as one float64 array of shape (rows, features) (loads the file)."""
        return self._stacked(self.stats.features, "feature")

    def labels(self) -> np.ndarray:
        """The label column: int64 for whole numbers, else float64, or str for text labels."""
        label = self.stats.label
        if label is None:
            raise DatasetError(self.name, "no label column (pass label=...)")
        text = self.stats.dtypes[label] == "str"
        values = self._stacked([label], "label", numeric=not text)[:, 0]
        if text:
            return values.astype(str)
        return values.astype(np.int64) if np.all(values == np.round(values)) else values

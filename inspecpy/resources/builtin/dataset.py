"""The ``dataset`` resource: a training or test data file on the target, and its integrity."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property
from typing import Any

from inspecpy.errors import ResourceFailed, TargetError
from inspecpy.resources.base import PathResource
from inspecpy.results import Figure
from inspecpy.targets import current_target

#: options that describe one file's format, not shared with a reference given as a path
_OWN_FORMAT = ("format", "x")


class Dataset(PathResource):
    """A dataset file (``.csv``, ``.tsv``, ``.jsonl``, ``.npz``, ``.npy``, ``.parquet``).

    The file is read through the target, so the same control checks data on
    a model server over SSH; a profile's own file (``profile_file(...)``,
    ``{profile_file: …}``, or a relative path like ``files/train.csv`` inside
    a profile) is read from the profile, wherever the target is. CSV and JSON Lines are streamed in chunks: a
    file larger than memory is checked in bounded memory. Every statistic is
    computed once per resource, on first use.

    Python::

        train = dataset("files/train.csv", label="y")
        describe(train).its("sha256").should.eq(input("train_sha256"))
        describe(train).its("conflicting_labels").should.eq(0)
        describe(train).its("duplicate_rows").should.eq(0)
        describe(train).its("pii").should.be_empty()
        describe(train).its("class_balance.1").should.be_at_least(0.2)
        test = dataset("files/test.csv", label="y")
        describe(test.overlap(train)).should.eq(0)
        describe(test.drift(train, method="ks")).its("drifted_columns").should.be_empty()
        describe(test.outliers(z=4)).its("rows").should.be_at_most(10)

    YAML::

        - dataset: {path: files/train.csv, label: y}
          should: [exist]
          its:
            conflicting_labels: {eq: 0}
            pii: {be_empty: null}
        - dataset: {path: files/recent.csv, label: y, reference: files/train.csv}
          its:
            overlap: {eq: 0}
            drift.drifted_columns: {be_empty: null}

    ``label`` names the label column (for ``.npz`` the label array, ``y`` by
    default). ``reference`` is the dataset that ``drift()`` and ``overlap()``
    compare with when given none. Other options: ``format`` (instead of the
    extension), ``x`` (the features array of an ``.npz``), ``delimiter``,
    ``na_values`` (cells counted as missing besides empty ones),
    ``chunk_bytes``/``chunk_rows``.

    Attributes: ``rows``, ``columns``, ``shape``, ``dtypes``, ``sha256``,
    ``missing`` (cells, all columns), ``missing_by_column``,
    ``duplicate_rows``, ``conflicting_labels`` (rows whose features also
    appear with another label), ``class_counts``, ``class_balance`` (shares),
    ``min``/``max``/``mean``/``std`` (per numeric column), ``pii`` (findings:
    kind, column, count and first row — never the values).
    """

    name = "dataset"
    relative_to_profile = True  # dataset("files/x.csv") in a profile is the profile's file

    def __init__(self, path: str, label: str | None = None, reference: Any = None, **options: Any):
        super().__init__(path)
        self.label = label
        self.reference = reference
        self.options = options

    # -- the file --------------------------------------------------------------------
    @cached_property
    def engine(self):
        """The :class:`~inspecpy.ml.dataset.engine.DatasetFile` reading this path on the target."""
        return self._file(self.path, self.label, self.options)

    def _file(self, path: str, label: str | None, options: dict):
        from inspecpy.ml.dataset.engine import DatasetFile
        from inspecpy.targets.profile_files import target_of

        where = target_of(path, current_target())
        with _failures():
            return DatasetFile(lambda: where.open(path), str(path), label, **options)

    def _cached(self, key: tuple, compute):
        """Compute once per resource and target (as a probe); a failure is remembered and raised again,
        not recomputed."""
        memo = self.probed_on(self.target).setdefault("_memo", {})
        if key not in memo:
            try:
                with _failures():
                    memo[key] = compute()
            except ResourceFailed as failed:
                memo[key] = failed
        value = memo[key]
        if isinstance(value, ResourceFailed):
            raise ResourceFailed(str(value))
        return value

    @property
    def _stats(self):
        return self._cached(("stats",), lambda: self.engine.stats)

    # -- statistics --------------------------------------------------------------------
    @property
    def rows(self) -> int:
        """Data rows (the header excluded)."""
        return self._stats.rows

    @property
    def columns(self) -> list[str]:
        """Column names in file order (array columns are ``x0, x1, …``; the label included)."""
        return list(self._stats.columns)

    @property
    def shape(self) -> tuple[int, int]:
        return (self._stats.rows, len(self._stats.columns))

    @property
    def dtypes(self) -> dict[str, str]:
        """``int64``, ``float64``, ``bool``, ``str``… per column."""
        return dict(self._stats.dtypes)

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes."""
        return self._cached(("sha256",), lambda: self.engine.sha256)

    @property
    def missing(self) -> int:
        """Missing cells over all columns (empty cells, JSON nulls, ``na_values``)."""
        return self._stats.missing

    @property
    def missing_by_column(self) -> dict[str, int]:
        return dict(self._stats.missing_by_column)

    @property
    def duplicate_rows(self) -> int:
        """Rows equal to an earlier row (features and label)."""
        return self._stats.duplicate_rows

    @property
    def conflicting_labels(self) -> int:
        """Rows whose features also occur with a different label (a sign of poisoning)."""
        return self._labelled(self._stats.conflicting_labels)

    @property
    def class_counts(self) -> dict[str, int]:
        """Rows per label value (missing labels left out)."""
        return dict(self._labelled(self._stats.class_counts))

    @property
    def class_balance(self) -> dict[str, float]:
        """Each label value's share of the labelled rows."""
        return self._labelled(self._stats.class_balance)

    def _labelled(self, value):
        if self._stats.label is None:
            raise ResourceFailed(f"{self.path}: no label column (pass label=...)")
        if value is None:
            raise ResourceFailed(f"{self.path}: label {self._stats.label!r} has too many distinct values "
                                 "to be a class label")
        return value

    @property
    def min(self) -> dict[str, float]:
        """Smallest value per numeric column."""
        return dict(self._stats.minimum)

    @property
    def max(self) -> dict[str, float]:
        """Largest value per numeric column."""
        return dict(self._stats.maximum)

    @property
    def mean(self) -> dict[str, float]:
        return dict(self._stats.mean)

    @property
    def std(self) -> dict[str, float]:
        """Population standard deviation per numeric column."""
        return dict(self._stats.std)

    @property
    def pii(self) -> list:
        """Personal data found: ``PiiFinding(kind, column, count, first_row)``; never the values."""
        return list(self._stats.pii)

    # -- comparisons and second passes ------------------------------------------------------
    def outliers(self, z: float = 3.0):
        """Values more than *z* standard deviations from their column's mean: ``counts``, ``rows``."""
        return self._cached(("outliers", float(z)), lambda: self.engine.outliers(z))

    def drift(self, reference: Any = None, method: str = "psi", threshold: float | None = None,
              max_samples: int | None = 10_000, seed: int = 0):
        """Drift of this dataset against *reference* (a path on the target or a ``dataset``).

        PSI (drift at ≥ 0.1) or KS (drift at p < 0.05) per column, as Evidently
        computes them; files larger than *max_samples* rows are compared
        through a seeded uniform sample. Returns a report with ``columns``
        and ``drifted_columns``.
        """
        other = self._other(reference)
        key = ("drift", other.name, method, threshold, max_samples, seed)
        return self._cached(key, lambda: replace(self.engine.drift(other, method, threshold, max_samples, seed),
                                                 dataset=self.path, reference=str(other.name)))

    def overlap(self, other: Any = None) -> int:
        """Rows of this dataset whose features also occur in *other* (train/test leakage)."""
        other = self._other(other)
        return self._cached(("overlap", other.name), lambda: self.engine.overlap(other))

    def _other(self, other: Any):
        other = self.reference if other is None else other
        if other is None:
            raise ResourceFailed(f"{self.path}: no dataset to compare with (pass one, or reference=...)")
        if isinstance(other, Dataset):
            return other.engine
        if isinstance(other, (str, os.PathLike)):
            from inspecpy.targets.profile_files import profile_path

            shared = {k: v for k, v in self.options.items() if k not in _OWN_FORMAT}
            other = profile_path(other)
            return self._file(other if isinstance(other, str) else os.fspath(other), self.label, shared)
        if callable(getattr(other, "drift", None)) and callable(getattr(other, "chunks", None)):
            return other  # already a DatasetFile
        raise ResourceFailed(f"{other!r} is not a dataset: pass a path or dataset(...)")

    def figures(self, read: str = "") -> tuple[Figure, ...]:
        """What a check measured: PII counts for ``its("pii")``, the drift statistics for ``its("drift…")``."""
        if read == "drift":
            return self.drift().figures()
        if read != "pii":
            return ()
        findings = self.pii
        total = Figure.of("dataset_pii_findings_all", sum(f.count for f in findings),
                          "Personal data found in the dataset, all kinds and columns", dataset=self.path)
        return (total, *(Figure.of("dataset_pii_findings", f.count, "Personal data found, by kind and column",
                                   dataset=self.path, kind=f.kind, column=f.column) for f in findings))

    # -- arrays for the model resource ------------------------------------------------------
    def features(self):
        """The feature columns as a float64 array (rows, features); loads the file."""
        return self._cached(("features",), self.engine.features)

    def labels(self):
        """The label column as an array (int64, float64 or str); loads the column."""
        return self._cached(("labels",), self.engine.labels)


@contextmanager
def _failures():
    """A bad or missing data file is the target's state: a failed result that says why."""
    from inspecpy.ml.dataset.chunks import DatasetError

    try:
        yield
    except ResourceFailed:
        raise
    except (DatasetError, TargetError) as error:
        raise ResourceFailed(str(error)) from None

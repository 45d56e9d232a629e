"""Data drift per column: PSI and Kolmogorov–Smirnov, as Evidently computes them.

PSI bins a numeric column with more than 20 distinct reference values into
30 equal-width bins over both samples, counts any other column by value,
replaces empty bins by 0.0001 and sums ``(ref - cur) * ln(ref / cur)``;
drift when PSI ≥ 0.1. KS (numeric columns only) drifts when p < 0.05.
Missing values are left out. Large files are compared through a seeded
uniform sample of at most ``max_samples`` values per column
(:class:`Reservoir`, one pass, bounded memory). Example::

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ref = {"x": rng.normal(size=2000)}
    >>> report = drift(ref, {"x": rng.normal(size=2000) + 1.0}, method="psi")
    >>> report.drifted_columns, report.columns["x"].value > 0.1
    (['x'], True)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inspecpy.ml.dataset.ks import ks_2samp
from inspecpy.ml.dataset.chunks import NUM, Chunk, number_text
from inspecpy.results import Figure

METHODS = {"psi": 0.1, "ks": 0.05}
PSI_BINS = 30
MAX_SAMPLES = 10_000


def _percents(sample: np.ndarray, keys) -> np.ndarray:
    counts = dict(zip(*np.unique(sample, return_counts=True)))
    return np.array([counts.get(k, 0) for k in keys], dtype=np.float64) / len(sample)


def _categories(values: np.ndarray) -> np.ndarray:
    """Values as category text (``1.0`` -> ``"1"``), so numbers and strings compare."""
    return np.array([number_text(v) if isinstance(v, (float, np.floating)) else str(v) for v in values],
                    dtype=str)


def psi(reference: np.ndarray, current: np.ndarray, bins: int = PSI_BINS) -> float:
    """Population stability index of two samples (Evidently's binning).

    >>> # shares 0.5/0.5 vs 0.25/0.75: 0.25*ln(2) + (-0.25)*ln(2/3)
    >>> round(psi(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1])), 4)
    0.2747
    """
    numeric = reference.dtype.kind in "fiub" and current.dtype.kind in "fiub"
    if numeric and len(np.unique(reference)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins=bins)
        ref = np.histogram(reference, edges)[0] / len(reference)
        cur = np.histogram(current, edges)[0] / len(current)
    else:
        if not numeric:
            reference, current = _categories(reference), _categories(current)
        keys = np.unique(np.concatenate([reference, current]))
        ref, cur = _percents(reference, keys), _percents(current, keys)
    ref[ref == 0] = 0.0001
    cur[cur == 0] = 0.0001
    return float(np.sum((ref - cur) * np.log(ref / cur)))


@dataclass(frozen=True)
class ColumnDrift:
    """One column's test: ``value`` (PSI, or the KS p-value) is what meets the threshold."""

    column: str
    method: str
    statistic: float
    value: float
    threshold: float
    drifted: bool

    def __str__(self) -> str:
        name = "PSI" if self.method == "psi" else "p"
        return f"{self.column}: {name}={self.value:.4g} ({'drift' if self.drifted else 'no drift'})"


@dataclass(frozen=True)
class DriftReport:
    """Per-column drift of a current dataset against a reference."""

    method: str
    threshold: float
    columns: dict[str, ColumnDrift]
    skipped: dict[str, str]
    dataset: str = ""
    reference: str = ""

    def figures(self, read: str = "") -> tuple[Figure, ...]:
        """Each column's drift statistic (PSI, or KS's D) and whether it drifted."""
        found: list[Figure] = []
        for name, col in self.columns.items():
            labels = dict(dataset=self.dataset, reference=self.reference, column=name, method=self.method)
            found.append(Figure.of("dataset_drift_statistic", col.statistic,
                                   "Drift statistic of a column against the reference (PSI, or KS's D)", **labels))
            found.append(Figure.of("dataset_column_drifted", float(col.drifted),
                                   "1 when the column drifted (PSI >= threshold, or KS p < threshold)", **labels))
        return tuple(found)

    @property
    def drifted_columns(self) -> list[str]:
        return [c for c, d in self.columns.items() if d.drifted]

    @property
    def drift_share(self) -> float:
        return len(self.drifted_columns) / len(self.columns) if self.columns else 0.0

    @property
    def drifted(self) -> bool:
        return bool(self.drifted_columns)

    def __str__(self) -> str:
        drifted = ", ".join(self.drifted_columns) or "none"
        return f"{self.method} drift in {len(self.drifted_columns)}/{len(self.columns)} columns: {drifted}"


def drift(reference: dict[str, np.ndarray], current: dict[str, np.ndarray], method: str = "psi",
          threshold: float | None = None, bins: int = PSI_BINS) -> DriftReport:
    """Test each column of *current* against the same column of *reference*."""
    if method not in METHODS:
        raise ValueError(f"unknown drift method {method!r} (known: {', '.join(METHODS)})")
    threshold = METHODS[method] if threshold is None else float(threshold)
    columns, skipped = {}, {}
    for name, cur in current.items():
        ref = reference.get(name)
        if ref is None:
            skipped[name] = "not in the reference"
        elif not len(ref) or not len(cur):
            skipped[name] = "no values in " + ("the reference" if not len(ref) else "the current data")
        elif method == "ks":
            if ref.dtype.kind not in "fiub" or cur.dtype.kind not in "fiub":
                skipped[name] = "not numeric (KS needs numbers; use method='psi')"
                continue
            statistic, p = ks_2samp(ref, cur)
            columns[name] = ColumnDrift(name, method, statistic, p, threshold, p < threshold)
        else:
            value = psi(ref, cur, bins)
            columns[name] = ColumnDrift(name, method, value, value, threshold, value >= threshold)
    return DriftReport(method, threshold, columns, skipped)


class Reservoir:
    """A seeded uniform sample of each column's present values, kept in one pass.

    Every row draws one random key (so the sample does not depend on the
    chunk size); each column keeps the values with the ``size`` smallest keys.
    Text columns keep their text, numeric ones float64.
    """

    def __init__(self, size: int | None = MAX_SAMPLES, seed: int = 0):
        self.size = size
        self.rng = np.random.default_rng(seed)
        self.keys: dict[str, np.ndarray] = {}
        self.values: dict[str, np.ndarray] = {}

    def add(self, chunk: Chunk) -> None:
        keys = self.rng.random(chunk.rows)
        for name, col in chunk.columns.items():
            present = ~col.missing
            values = col.values[present] if col.kind == NUM else np.array(
                [t if np.isnan(v) else float(v) for t, v in zip(col.values[present], col.as_numbers()[present])],
                dtype=object)
            self._keep(name, keys[present], values)

    def _keep(self, name: str, keys: np.ndarray, values: np.ndarray) -> None:
        if name in self.keys:
            old = self.values[name]
            if (old.dtype == object) != (values.dtype == object):
                old, values = old.astype(object), values.astype(object)
            keys, values = np.concatenate([self.keys[name], keys]), np.concatenate([old, values])
        if self.size is not None and len(keys) > self.size:
            keep = np.argpartition(keys, self.size - 1)[:self.size]
            keys, values = keys[keep], values[keep]
        self.keys[name], self.values[name] = keys, values

    def samples(self) -> dict[str, np.ndarray]:
        """Each column's sample (object arrays for text columns), in key order."""
        out = {}
        for name, keys in self.keys.items():
            values = self.values[name][np.argsort(keys)]
            if values.dtype == object and all(isinstance(v, float) for v in values):
                values = values.astype(np.float64)
            out[name] = values
        return out

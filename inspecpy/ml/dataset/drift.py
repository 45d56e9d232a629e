"""Data drift per column: PSI (bins from the reference, small-sample corrected) and Kolmogorov–Smirnov.

PSI here is built to hold on same-distribution samples of realistic size
(a plain 30-bin PSI with a 0.0001 floor, Evidently's, flags a held-out
slice of 250 rows as drifted in a dozen columns of 64):

- **bins from the reference**: a numeric column is cut at reference
  quantiles into at most 10 bins, each holding at least 5 % of the
  reference (and when that leaves one bin, a second for values above the
  reference's range, so a constant column still detects change); a text
  column keeps each category with at least 5 % of the reference and puts
  the rest, and categories the reference never had, in one "other" bin;
- counts are smoothed by half a count per bin (no infinite logs, no
  arbitrary floor);
- **small-sample correction**: sampling alone makes PSI about
  ``(k - 1)(1/n_ref + 1/n_cur)`` on ``k`` bins (it is a χ² statistic in
  disguise), which is subtracted; drift when the corrected PSI ≥ 0.1;
- **minimum sample size**: a column is judged only when even the 99.9th
  percentile of that sampling noise stays below the threshold, so a
  sample too small to tell is refused (an error that says how many rows
  are needed), never passed or failed by chance.

KS (numeric columns only) drifts when p < 0.05 (exact p-values for small
samples, as scipy's). Missing values and the label column are left out.
Large files are compared through a seeded uniform sample of at most
``max_samples`` values per column (:class:`Reservoir`, one pass, bounded
memory). Example::

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> ref = {"x": rng.normal(size=2000)}
    >>> drift(ref, {"x": rng.normal(size=300)}).drifted_columns
    []
    >>> report = drift(ref, {"x": rng.normal(size=300) + 1.0}, method="psi")
    >>> report.drifted_columns, report.columns["x"].value > 0.1
    (['x'], True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from inspecpy.ml.dataset.ks import ks_2samp
from inspecpy.ml.dataset.chunks import NUM, Chunk, number_text
from inspecpy.results import Figure
from inspecpy.ml.annotated import Annotated

METHODS = {"psi": 0.1, "ks": 0.05}
PSI_BINS = 10
MIN_BIN_SHARE = 0.05
#: the share of same-distribution columns allowed over the threshold by chance, at the minimum sample size
PSI_FALSE_ALARM = 1e-3
_Z_FALSE_ALARM = 3.0902  # the standard normal's 1 - PSI_FALSE_ALARM quantile
MAX_SAMPLES = 10_000
SHOWN_COLUMNS = 10


class SampleTooSmall(ValueError):
    """A column has too few values to tell drift from sampling noise."""


def _categories(values: np.ndarray) -> np.ndarray:
    """Values as category text (``1.0`` -> ``"1"``), so numbers and strings compare."""
    return np.array([number_text(v) if isinstance(v, (float, np.floating)) else str(v) for v in values],
                    dtype=str)


def reference_bins(reference: np.ndarray, bins: int = PSI_BINS, min_share: float = MIN_BIN_SHARE):
    """A function mapping values to bin numbers, with bins chosen from *reference* alone.

    >>> to_bin = reference_bins(np.arange(100.0))
    >>> to_bin(np.array([-5.0, 0.0, 9.0, 10.0, 99.0, 500.0])).tolist()
    [0, 0, 0, 1, 9, 9]
    """
    if reference.dtype.kind in "fiub":
        values, counts = np.unique(reference, return_counts=True)
        uppers, filled = [], 0
        for value, count in zip(values, counts):
            filled += count
            if filled >= len(reference) / bins:
                uppers.append(value)
                filled = 0
        if uppers and uppers[-1] == values[-1]:
            uppers.pop()  # the top bin is open-ended
        while uppers and np.count_nonzero(reference > uppers[-1]) < min_share * len(reference):
            uppers.pop()
        edges = np.array(uppers or [values[-1]])  # one bin: the reference's range, and "above it"
        return lambda x: np.searchsorted(edges, x, side="left")
    names, counts = np.unique(_categories(reference), return_counts=True)
    kept = {name: i for i, name in enumerate(names[counts >= min_share * len(reference)])}
    return lambda x: np.array([kept.get(v, len(kept)) for v in _categories(x)], dtype=np.intp)


def psi_noise(bins: int, n_reference: int, n_current: int) -> float:
    """The PSI that sampling alone gives, on average, on *bins* bins: ``(k - 1)(1/n_ref + 1/n_cur)``."""
    return (bins - 1) * (1 / n_reference + 1 / n_current)


def min_rows(bins: int, n_reference: int, threshold: float = METHODS["psi"]) -> float:
    """Fewest current rows for which chance alone stays under *threshold* (all but ``PSI_FALSE_ALARM``).

    The corrected PSI of two same-distribution samples is ``(χ²_{k-1} - (k - 1))``
    times ``1/n_ref + 1/n_cur``; its upper quantile (Wilson–Hilferty) must fit
    under the threshold. ``inf`` when even an endless current sample would not do.

    >>> min_rows(10, 1437), min_rows(2, 1437), min_rows(10, 150)
    (220, 110, inf)
    """
    nu = bins - 1
    if nu < 1:
        return 0
    quantile = nu * (1 - 2 / (9 * nu) + _Z_FALSE_ALARM * math.sqrt(2 / (9 * nu))) ** 3
    room = threshold / (quantile - nu) - 1 / n_reference
    return math.ceil(1 / room) if room > 0 else math.inf


def psi(reference: np.ndarray, current: np.ndarray, bins: int = PSI_BINS) -> tuple[float, float, int]:
    """``(psi, corrected_psi, bins)`` of two samples, on bins chosen from *reference*.

    >>> # two bins, shares (3.5/7, 3.5/7) vs (1.5/5, 3.5/5) after half-count smoothing
    >>> raw, corrected, k = psi(np.array([0, 0, 0, 1, 1, 1]), np.array([0, 1, 1, 1]))
    >>> round(raw, 4), round(corrected, 4), k
    (0.1695, 0.0, 2)
    """
    to_bin = reference_bins(reference, bins)
    ref_bins, cur_bins = to_bin(reference), to_bin(current)
    k = int(max(ref_bins.max(initial=0), cur_bins.max(initial=0))) + 1
    k = max(k, 2)
    ref = (np.bincount(ref_bins, minlength=k) + 0.5) / (len(reference) + 0.5 * k)
    cur = (np.bincount(cur_bins, minlength=k) + 0.5) / (len(current) + 0.5 * k)
    raw = float(np.sum((ref - cur) * np.log(ref / cur)))
    return raw, max(raw - psi_noise(k, len(reference), len(current)), 0.0), k


@dataclass(frozen=True)
class ColumnDrift:
    """One column's test: ``value`` (the corrected PSI, or the KS p-value) is what meets the threshold;
    ``statistic`` is the raw PSI, or the KS distance."""

    column: str
    method: str
    statistic: float
    value: float
    threshold: float
    drifted: bool

    def __str__(self) -> str:
        name = "PSI" if self.method == "psi" else "p"
        return f"{self.column}: {name}={self.value:.4g} ({'drift' if self.drifted else 'no drift'})"

    @property
    def brief(self) -> str:
        """``x3 PSI 0.31`` or ``x3 KS p=0.001`` (for failure messages)."""
        return f"{self.column} PSI {self.value:.3g}" if self.method == "psi" else \
            f"{self.column} KS p={self.value:.2g}"


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
    def drift_share(self) -> Annotated:
        """Drifted columns over compared ones; a failure message names them, most drifted first::

            0.9846 (64 of 65 columns drifted: x21 PSI 14.3, x13 PSI 9.12, … and 54 more)
        """
        worst = sorted((d for d in self.columns.values() if d.drifted),
                       key=lambda d: -d.value if d.method == "psi" else d.value)
        share = len(worst) / len(self.columns) if self.columns else 0.0
        shown = ", ".join(d.brief for d in worst[:SHOWN_COLUMNS])
        more = f", … and {len(worst) - SHOWN_COLUMNS} more" if len(worst) > SHOWN_COLUMNS else ""
        return Annotated(share, f"{len(worst)} of {len(self.columns)} columns drifted"
                         + (f": {shown}{more}" if shown else ""))

    @property
    def drifted(self) -> bool:
        return bool(self.drifted_columns)

    def __str__(self) -> str:  # how a control's code_desc names it
        return f"{self.method.upper()} drift over {len(self.columns)} columns"


def drift(reference: dict[str, np.ndarray], current: dict[str, np.ndarray], method: str = "psi",
          threshold: float | None = None, bins: int = PSI_BINS) -> DriftReport:
    """Test each column of *current* against the same column of *reference*.

    Raises :class:`SampleTooSmall` when a PSI column has too few values to judge (see :func:`min_rows`).
    """
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
            raw, value, k = psi(ref, cur, bins)
            needed = min_rows(k, len(ref), threshold)
            if len(cur) < needed:
                raise SampleTooSmall(_too_small(name, len(ref), len(cur), k, needed, threshold))
            columns[name] = ColumnDrift(name, method, raw, value, threshold, value >= threshold)
    return DriftReport(method, threshold, columns, skipped)


def _too_small(column: str, n_reference: int, n_current: int, bins: int, needed: float, threshold: float) -> str:
    if math.isinf(needed):
        need = f"the reference's {n_reference} values are too few for any sample size"
    else:
        need = f"at least {needed} values are needed"
    return (f"column {column!r}: {n_current} values against {n_reference} cannot tell PSI drift "
            f"≥ {threshold:g} over {bins} bins from sampling noise ({need}); use a larger sample, "
            "or method='ks' (exact p-values for small samples)")


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

"""Duplicate rows and conflicting labels from 64-bit digests, in bounded memory.

Per row the table keeps the digest of its features (8 bytes) and a small
label code (1–2 bytes); rows themselves are never kept. At the end the two
are packed into one uint64 per row (the label code in the low bits, so
equal features sort next to each other), sorted in place and scanned in
blocks: about 10 bytes a row at peak, 130 MB for 13 million rows.

Feature digests must be well-mixed 64-bit hashes (:mod:`.dataset_hash`):
packing drops their lowest bits. A label with more than ``max_classes``
distinct values (a regression target) switches to 64-bit label digests and
a lexicographic sort, which needs several times the memory. Example::

    >>> import numpy as np
    >>> from inspecpy.ml.dataset.row_hash import mix64
    >>> table = DigestTable()
    >>> features = mix64(np.array([1, 1, 1, 2], dtype=np.uint64))  # rows 0-2 have equal features
    >>> labels = np.array([7, 7, 8, 7], dtype=np.uint64)     # ...but row 2 another label
    >>> table.add(features, labels, text=str)
    >>> table.finish()                                      # (duplicate rows, conflicting rows)
    (1, 3)
"""

from __future__ import annotations

import mmap

import numpy as np

MAX_CLASSES = 1 << 16
BLOCK_ROWS = 1 << 20  # rows per consolidated block (8 MiB of feature digests)
_BLOCK = 1 << 20


def _mapped(count: int, dtype) -> np.ndarray:
    """An array in its own anonymous memory map: deleting it gives the memory back to the
    OS at once, whatever the allocator's thresholds (so packing can free as it fills)."""
    dtype = np.dtype(dtype)
    if not count:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(mmap.mmap(-1, count * dtype.itemsize), dtype=dtype)


def _label_order(text: str) -> tuple:
    """Numbers first in numeric order, then text labels alphabetically."""
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


class LabelCodes:
    """Dense codes for label digests, with each label's text and row count.

    ``encode(digests, text)`` maps a chunk's label digests to codes;
    ``text(i)`` gives the label text of chunk row *i* the first time a label
    is seen (None for a missing label). Beyond ``max_classes`` labels the
    codes stop (``digest_mode``) and class counts are no longer kept.
    """

    def __init__(self, max_classes: int = MAX_CLASSES):
        self.max_classes = max_classes
        self.index: dict[int, int] = {}
        self.names: list[str | None] = []
        self.digests: list[int] = []
        self.counts = np.zeros(0, dtype=np.int64)
        self.digest_mode = False

    def encode(self, digests: np.ndarray, text) -> np.ndarray:
        if self.digest_mode:
            return digests
        uniq, first, inverse = np.unique(digests, return_index=True, return_inverse=True)
        codes = np.empty(len(uniq), dtype=np.int64)
        for k, (d, i) in enumerate(zip(uniq.tolist(), first.tolist())):
            code = self.index.get(d)
            if code is None:
                code = self.index[d] = len(self.names)
                self.names.append(text(i))
                self.digests.append(d)
            codes[k] = code
        if len(self.names) > self.max_classes:
            self.digest_mode = True
            self.counts = np.zeros(0, dtype=np.int64)  # free them: digest mode counts no classes
            return digests
        per_row = codes[inverse.ravel()]
        self.counts = np.bincount(per_row, minlength=len(self.names)) + np.pad(
            self.counts, (0, len(self.names) - len(self.counts)))
        return per_row.astype(np.min_scalar_type(len(self.names)))

    def class_counts(self) -> dict[str, int] | None:
        """Rows per label text (missing labels left out), or None in digest mode."""
        if self.digest_mode:
            return None
        pairs = [(name, int(c)) for name, c in zip(self.names, self.counts) if name is not None and c]
        return dict(sorted(pairs, key=lambda p: _label_order(p[0])))

    def to_digests(self, codes: np.ndarray) -> np.ndarray:
        return np.array(self.digests, dtype=np.uint64)[codes]


class DigestTable:
    """Feature digests and label codes of every row seen, chunk by chunk.

    ``labelled=False`` keeps features only (duplicates, no conflicts).
    """

    def __init__(self, labelled: bool = True, max_classes: int = MAX_CLASSES) -> None:
        self.features: list[np.ndarray] = []
        self.labels: list[np.ndarray] = []
        self.codes = LabelCodes(max_classes) if labelled else None
        self._blocks = 0  # features[:_blocks] are consolidated blocks, the rest chunk arrays
        self._pending = 0  # rows in those chunk arrays

    def add(self, features: np.ndarray, label_digests: np.ndarray | None = None, text=None) -> None:
        """Add a chunk's feature digests and (if labelled) label digests; *text(i)* names label *i*."""
        self.features.append(features)
        if self.codes is not None:
            if label_digests is None:
                raise ValueError("a labelled DigestTable needs each chunk's label digests")
            before = self.codes.digest_mode
            codes = self.codes.encode(label_digests, text)
            if self.codes.digest_mode and not before:
                self.labels = [self.codes.to_digests(part) for part in self.labels]
            self.labels.append(codes)
        self._pending += len(features)
        if self._pending >= BLOCK_ROWS:
            self._consolidate()

    def _consolidate(self) -> None:
        """Join the chunk arrays added since the last block into one memory-mapped block."""
        start = self._blocks
        for parts in (self.features, self.labels):
            if len(parts) > start:
                tail = parts[start:]
                block = _mapped(sum(len(p) for p in tail), np.result_type(*tail))
                parts[start:] = [np.concatenate(tail, out=block)]
        self._blocks, self._pending = len(self.features), 0

    def merge(self, other: DigestTable) -> None:
        """Append the rows of *other* (their labels re-coded into this table)."""
        if self.codes is None:
            for features in other.features:
                self.add(features)
            return
        codes = other.codes
        if codes is None:
            raise ValueError("cannot merge an unlabelled DigestTable into a labelled one")
        names = dict(zip(codes.digests, codes.names))
        for features, labels in zip(other.features, other.labels):
            digests = labels if codes.digest_mode else codes.to_digests(labels)
            self.add(features, digests, lambda i, d=digests: names.get(int(d[i])))

    def class_counts(self) -> dict[str, int] | None:
        return None if self.codes is None else self.codes.class_counts()

    def finish(self) -> tuple[int, int | None]:
        """(duplicate rows, rows whose features also appear with another label); empties the table."""
        n = sum(len(f) for f in self.features)
        if self.codes is None:
            keys = self._take(self.features) if self.features else np.zeros(0, np.uint64)
            keys.sort()
            return n - _distinct(keys), None
        if self.codes.digest_mode:
            return _pairs(self._take(self.features), self._take(self.labels))
        bits = max(1, (len(self.codes.names) - 1).bit_length())
        self._consolidate()  # the last chunk arrays too: every part is now a block of ours
        keys = _mapped(n, np.uint64)
        shift, at = np.uint64(bits), 0
        while self.features:  # pack block by block, in place, freeing each as it goes
            f, code = self.features.pop(0), self.labels.pop(0)  # our own blocks: safe to reuse
            np.right_shift(f, shift, out=f)
            np.left_shift(f, shift, out=f)
            np.bitwise_or(f, code, out=f, casting="unsafe")
            keys[at:at + len(f)] = f
            at += len(f)
            del f, code
        keys.sort()
        return n - _distinct(keys), _conflicts(keys, bits)

    @staticmethod
    def _take(parts: list[np.ndarray]) -> np.ndarray:
        out = np.concatenate(parts)
        parts.clear()
        return out


def _steps(keys: np.ndarray):
    """(current, previous) block pairs over a sorted array, so no n-sized temporaries."""
    for s in range(1, len(keys), _BLOCK):
        cur = keys[s:s + _BLOCK]
        yield cur, keys[s - 1:s - 1 + len(cur)]


def _distinct(keys: np.ndarray) -> int:
    """Distinct values of a sorted array."""
    return (1 if len(keys) else 0) + sum(int(np.count_nonzero(c != p)) for c, p in _steps(keys))


def _conflicts(keys: np.ndarray, bits: int) -> int:
    """Rows in feature groups (high bits) holding more than one label (low bits) of sorted *keys*."""
    shift = np.uint64(bits)
    groups = []
    for cur, prev in _steps(keys):
        hits = np.flatnonzero((cur != prev) & ((cur >> shift) == (prev >> shift)))
        if hits.size:
            groups.append(cur[hits] >> shift)
    if not groups:
        return 0
    lows = np.unique(np.concatenate(groups)) << shift
    highs = lows | np.uint64((1 << bits) - 1)
    return int((np.searchsorted(keys, highs, side="right") - np.searchsorted(keys, lows)).sum())


def _pairs(features: np.ndarray, labels: np.ndarray) -> tuple[int, int]:
    """Duplicates and conflicts for 64-bit label digests (a lexicographic sort)."""
    order = np.lexsort((labels, features))
    f, lab = features[order], labels[order]
    del order
    new_f = np.concatenate(([True], f[1:] != f[:-1]))
    new_row = new_f | np.concatenate(([True], lab[1:] != lab[:-1]))
    group = np.cumsum(new_f) - 1
    mixed = np.zeros(int(group[-1]) + 1, dtype=bool)
    mixed[group[new_row & ~new_f]] = True
    return len(f) - int(new_row.sum()), int(mixed[group].sum())

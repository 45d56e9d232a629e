"""64-bit digests of cells and rows, so duplicates, conflicts and overlap never keep rows.

A number hashes by its float64 value (``1``, ``1.0`` and ``1e0`` are the same
cell; ``-0.0`` is ``0.0``), a text cell by Python's string hash (stable within
one process, which is all a check needs), a missing cell by a constant. A row
digest chains the cell digests through the splitmix64 finaliser, so column
order matters. Example::

    >>> import numpy as np
    >>> from inspecpy.ml.dataset.chunks import ColumnChunk
    >>> a = ColumnChunk.numeric(np.array([1.0, 1.0, 2.0]), np.zeros(3, bool))
    >>> d = row_digests([a])
    >>> bool(d[0] == d[1]), bool(d[0] == d[2])
    (True, False)
"""

from __future__ import annotations

import numpy as np

from inspecpy.ml.dataset.chunks import NUM, ColumnChunk

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TEXT_SALT = np.uint64(0x5DEECE66D1234567)
_MISSING = np.uint64(0x1F2E3D4C5B6A7988)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of a uint64 array (a bijection with good avalanche)."""
    z = x + _GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


def number_digests(values: np.ndarray) -> np.ndarray:
    """Digest of each float64 value (NaN values all hash alike)."""
    canonical = values + 0.0  # -0.0 -> 0.0
    canonical[np.isnan(canonical)] = np.nan
    return mix64(canonical.view(np.uint64))


def cell_digests(col: ColumnChunk) -> np.ndarray:
    """One uint64 per row of *col*: the same for equal cells whatever the chunk's kind."""
    if col.kind == NUM:
        out = number_digests(col.values)
    else:
        numbers = col.as_numbers()
        out = number_digests(numbers)
        text = np.isnan(numbers)
        if text.any():
            hashed = np.fromiter((hash(s) for s in col.values[text]), dtype=np.int64, count=int(text.sum()))
            out[text] = mix64(hashed.view(np.uint64) ^ _TEXT_SALT)
    out[col.missing] = _MISSING
    return out


def row_digests(columns: list[ColumnChunk], seed: int = 0) -> np.ndarray:
    """One uint64 per row combining *columns* in order (all-zero rows when there are none)."""
    n = len(columns[0].values) if columns else 0
    h = np.full(n, np.uint64(seed), dtype=np.uint64)
    for col in columns:
        h = mix64(h + cell_digests(col))
    return h

"""Turn raw cells (bytes tokens, strings, JSON values, arrays) into :class:`ColumnChunk`.

Every reader ends here, so a value means the same thing whatever the file
format: an empty cell (or one listed in ``na_values``) is missing, a cell
that parses as a float is a number, anything else makes the column text.
Example::

    >>> import numpy as np
    >>> col = from_strings(np.array(["1", "", "2.5"], dtype=object), frozenset({""}))
    >>> col.kind, col.values.tolist(), col.missing.tolist(), col.dtype
    ('num', [1.0, nan, 2.5], [False, True, False], 'float64')
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from inspecpy.ml.dataset.decimal_parse import parse_decimal
from inspecpy.ml.dataset.chunks import STR, ColumnChunk

#: a numeric token with at least this many digits is also scanned for PII
#: (phone numbers in E.164 form, card numbers); shorter ones cannot match.
PII_MIN_DIGITS = 8
_PII_MIN_INT = 10 ** (PII_MIN_DIGITS - 1)
_NOT_INTEGRAL = np.frombuffer(b".eE", dtype=np.uint8)


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _nonfinite(values: np.ndarray, missing: np.ndarray, text: Callable[[int], str]) -> tuple[int, str] | None:
    i = _first(~np.isfinite(values) & ~missing)
    return None if i is None else (i, text(i))


def from_bytes_tokens(cells: np.ndarray, na_values: frozenset[bytes]) -> ColumnChunk | None:
    """Parse CSV tokens as numbers; None if one is not a number.

    ``cells`` is position-major and zero-padded: ``cells[j, i]`` is byte *j*
    of token *i* (see :func:`~.dataset_decimal.parse_decimal`).
    """
    width = cells.shape[0]
    tokens = None

    def tok() -> np.ndarray:  # the tokens as an S array, built only when needed
        nonlocal tokens
        if tokens is None:
            tokens = np.ascontiguousarray(cells.T).view(f"S{width}").ravel()
        return tokens

    missing = cells[0] == 0
    for na in na_values:
        if na:
            missing |= tok() == na
    values, ok, digits, point = parse_decimal(cells)
    rest = np.flatnonzero(~ok & ~missing)
    fractional = point
    if rest.size:
        try:
            values[rest] = tok()[rest].astype(np.float64)
        except ValueError:
            return None
        fractional = point.copy()
        fractional[rest] = np.isin(cells[:, rest], _NOT_INTEGRAL).any(axis=0)
    values[missing] = np.nan
    present = ~missing
    dtype = None
    if present.any():
        finite = np.isfinite(values[present])
        dtype = "float64" if fractional[present].any() or not finite.all() else "int64"
    index = np.flatnonzero(present & ~fractional & (digits >= PII_MIN_DIGITS))
    return ColumnChunk.numeric(
        values, missing, dtype=dtype,
        nonfinite=_nonfinite(values, missing, lambda i: tok()[i].decode("utf-8", "replace")),
        pii_index=index, pii_text=[tok()[i].decode("ascii", "replace") for i in index],
    )


def _long_integer(text: str) -> bool:
    return (len(text) >= PII_MIN_DIGITS and sum(c.isdigit() for c in text) >= PII_MIN_DIGITS
            and not any(c in text for c in ".eE"))


def _parse_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def from_strings(values: np.ndarray, na_values: frozenset[str]) -> ColumnChunk:
    """Classify an object array of ``str`` cells: a numeric column if every present one parses."""
    missing = values == ""
    extra = [na for na in na_values if na]
    if extra:
        missing |= np.isin(values, extra)
    present = ~missing
    try:
        numbers = np.where(missing, "nan", values).astype(np.float64)
    except ValueError:
        numbers = None
    if numbers is not None:
        numbers[missing] = np.nan
        pres = values[present]
        fractional = (any(("." in s or "e" in s or "E" in s) for s in pres)
                      or not np.isfinite(numbers[present]).all())
        dtype = (("float64" if fractional else "int64") if pres.size else None)
        index = np.array([i for i in np.flatnonzero(present) if _long_integer(values[i])], dtype=np.int64)
        return ColumnChunk.numeric(
            numbers, missing, dtype=dtype,
            nonfinite=_nonfinite(numbers, missing, lambda i: values[i]),
            pii_index=index, pii_text=[values[i] for i in index],
        )
    numbers = np.fromiter((math.nan if m else _parse_float(s) for s, m in zip(values, missing)),
                          dtype=np.float64, count=len(values))
    index = np.flatnonzero(present)
    return ColumnChunk(
        values=values, missing=missing, kind=STR, dtype="str", numbers=numbers,
        not_number=_first(present & np.isnan(numbers)),
        pii_index=index, pii_text=values[index].tolist(),
    )


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return str(value)


def from_python_values(values: list, na_values: frozenset[str]) -> ColumnChunk | int:
    """JSON values (None, bool, int, float, str) to a column; the index of a nested one instead."""
    types = set(map(type, values))
    if types & {list, dict}:
        return next(i for i, v in enumerate(values) if isinstance(v, (list, dict)))
    if types <= {int, float, bool, type(None)}:
        try:
            numbers = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
        except OverflowError:
            numbers = None
        if numbers is not None:
            missing = np.zeros(len(values), dtype=bool)
            if type(None) in types:
                missing[[i for i in np.flatnonzero(np.isnan(numbers)) if values[i] is None]] = True
            dtype = None
            if not missing.all():
                dtype = ("float64" if float in types else "int64" if int in types else "bool")
            index = np.array([i for i in np.flatnonzero(np.abs(numbers) >= _PII_MIN_INT)
                              if type(values[i]) is int], dtype=np.int64)
            return ColumnChunk.numeric(
                numbers, missing, dtype=dtype,
                nonfinite=_nonfinite(numbers, missing, lambda i: repr(values[i])),
                pii_index=index, pii_text=[str(values[i]) for i in index],
            )
    text = np.empty(len(values), dtype=object)
    text[:] = [_json_text(v) for v in values]
    return from_strings(text, na_values)


def from_array(array: np.ndarray, missing: np.ndarray | None = None,
               na_values: frozenset[str] = frozenset({""})) -> ColumnChunk:
    """A 1-d numpy column (from .npz/.npy/.parquet) to a chunk; TypeError if not tabular."""
    kind = array.dtype.kind
    if missing is None:
        missing = np.zeros(len(array), dtype=bool)
    if kind in "biuf":
        values = array.astype(np.float64)
        values[missing] = np.nan
        index = np.zeros(0, dtype=np.int64)
        if kind in "iu":
            index = np.flatnonzero(~missing & (np.abs(values) >= _PII_MIN_INT))
        dtype = None if missing.all() else array.dtype.name
        return ColumnChunk.numeric(
            values, missing, dtype=dtype,
            nonfinite=_nonfinite(values, missing, lambda i: repr(float(values[i]))),
            pii_index=index, pii_text=[str(int(array[i])) for i in index],
        )
    if kind in "USO":
        text = np.empty(len(array), dtype=object)
        text[:] = [("" if m or v is None else v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
                   for v, m in zip(array.tolist(), missing)]
        return from_strings(text, na_values)
    raise TypeError(f"unsupported column type {array.dtype}")

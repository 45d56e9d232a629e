"""Vectorised parsing of plain decimal tokens, bit-identical to Python's ``float()``.

A token ``[+-]digits[.digits]`` whose digits form an integer ``M < 2**53``
with at most 22 digits after the point is exactly ``±M / 10**k``: both
operands are exact doubles, so the one IEEE division is correctly rounded,
as ``float()`` is (Clinger's fast path). Everything else (exponents,
``inf``, long mantissas, text) is left to the caller. Example::

    >>> import numpy as np
    >>> cells = np.array([b"-1.25", b"007", b"1e5", b".5"]).view(np.uint8).reshape(4, -1)
    >>> values, ok, digits, point = parse_decimal(cells.T)
    >>> values[ok].tolist(), ok.tolist(), digits.tolist()
    ([-1.25, 7.0, 0.5], [True, True, False, True], [3, 3, 2, 1])
"""

from __future__ import annotations

import numpy as np

_EXACT = 2 ** 53
_MAX_DIGITS = 18  # int64 Horner cannot overflow
_MAX_FRACTION = 22  # 10**22 is the largest exact power of ten


def parse_decimal(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse zero-padded tokens stored position-major: ``cells[j, i]`` is byte *j* of token *i*.

    Returns ``(values, ok, digits, point)``: the float64 value (valid where
    ``ok``), whether the token took the exact fast path, its count of
    digits, and whether it has a decimal point. One vector step per byte
    position, so the cost is ``width`` passes over the tokens.
    """
    width, n = cells.shape
    mantissa = np.zeros(n, dtype=np.int64)
    digits = np.zeros(n, dtype=np.int64)
    fraction = np.zeros(n, dtype=np.int64)
    points = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    ended = np.zeros(n, dtype=bool)
    negative = cells[0] == 45 if width else np.zeros(n, dtype=bool)
    for j in range(width):
        c = cells[j]
        value = c - np.uint8(48)
        digit = value < 10
        point = c == 46
        end = c == 0
        allowed = digit | point | end
        if j == 0:
            allowed |= negative | (c == 43)
        bad |= ~allowed | (ended & ~end)
        ended |= end
        mantissa = np.where(digit, mantissa * 10 + value, mantissa)
        digits += digit
        fraction += digit & (points > 0)
        points += point
    ok = (~bad & (points <= 1) & (digits >= 1) & (digits <= _MAX_DIGITS)
          & (fraction <= _MAX_FRACTION) & (mantissa < _EXACT))
    values = mantissa / np.power(10.0, np.minimum(fraction, _MAX_FRACTION))
    np.negative(values, out=values, where=negative)
    return values, ok, digits, points > 0

"""The two-sample Kolmogorov–Smirnov test in numpy, agreeing with ``scipy.stats.ks_2samp``.

Like scipy's default (``method="auto"``, two-sided): the exact p-value when
both samples have at most 10 000 values, otherwise the asymptotic one from
the distribution of the one-sample statistic with ``n = round(n1·n2/(n1+n2))``
(Simard & L'Ecuyer's choice of formulas: exact Smirnov sum for large
``n·d²``, Pelz–Good otherwise). The exact p-value is the share of monotone
lattice paths from (0, 0) to (n1, n2) that leave the band
``|i/n1 - j/n2| < d``, computed on anti-diagonals so each step is one numpy
operation over the band. When the one-sample ``n`` is ≤ 140 (one tiny sample
against a huge one) this module stays exact where scipy approximates. Example::

    >>> import numpy as np
    >>> d, p = ks_2samp(np.arange(10.0), np.arange(10.0) + 5)
    >>> round(d, 3), round(p, 6)
    (0.5, 0.167821)
"""

from __future__ import annotations

import math

import numpy as np

EXACT_MAX_N = 10_000


def ks_statistic(a: np.ndarray, b: np.ndarray) -> float:
    """max |F_a - F_b| over the pooled values (inputs need not be sorted)."""
    a, b = np.sort(a), np.sort(b)
    pooled = np.concatenate([a, b])
    diff = np.searchsorted(a, pooled, side="right") / len(a) - np.searchsorted(b, pooled, side="right") / len(b)
    return float(np.abs(diff).max())


def exact_pvalue(n1: int, n2: int, d: float) -> float:
    """P(D >= d) for sample sizes n1, n2 under the null (exact lattice-path count)."""
    g = math.gcd(n1, n2)
    m1, m2 = n1 // g, n2 // g  # a path point (x, y) is outside when |x*m2 - y*m1| >= h
    h = int(round(d * m1 * n2))
    if h == 0:
        return 1.0
    slope = m1 + m2
    prev, prev_lo = np.zeros(1), 0  # diagonal 0: the origin, inside the band
    for k in range(1, n1 + n2 + 1):
        # inside on diagonal k: |x*m2 - (k-x)*m1| < h  <=>  k*m1 - h < x*slope < k*m1 + h
        lo = max(0, k - n2, (k * m1 - h) // slope + 1)
        hi = min(k, n1, -(-(k * m1 + h) // slope) - 1)
        if lo > hi:
            return 1.0
        xs = np.arange(lo, hi + 1, dtype=np.float64)
        ext = np.concatenate(([1.0], prev, [1.0]))  # outside neighbours count as "already left"
        start = lo - prev_lo
        from_left = ext[start:start + len(xs)]       # (x-1, y) lies at ext index x-1-prev_lo+1
        from_below = ext[start + 1:start + 1 + len(xs)]  # (x, y-1)
        prev = (xs * from_left + (k - xs) * from_below) / k
        prev_lo = lo
    return float(min(max(prev[0], 0.0), 1.0))


def _log_binomials(n: int, upto: int) -> np.ndarray:
    j = np.arange(1, upto + 1, dtype=np.float64)
    return np.concatenate(([0.0], np.cumsum(np.log((n - j + 1) / j))))


def smirnov_sf(n: int, x: float) -> float:
    """One-sided P(D+_n >= x), by the exact Birnbaum–Tingey sum (in logs)."""
    if x <= 0:
        return 1.0
    if x >= 1:
        return 0.0
    top = int(math.floor(n * (1 - x)))
    j = np.arange(top + 1, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logs = (_log_binomials(n, top) + (n - j) * np.log(np.maximum(1 - x - j / n, 0.0))
                + (j - 1) * np.log(x + j / n))
    peak = logs.max()
    return float(min(1.0, x * math.exp(peak) * np.exp(logs - peak).sum()))


def _pelz_good_cdf(n: int, x: float) -> float:
    """Pelz–Good asymptotic P(D_n <= x) (as scipy's ``_kolmogn_PelzGood``)."""
    z = math.sqrt(n) * x
    z2, z3, z4, z6 = z * z, z ** 3, z ** 4, z ** 6
    pi2, pi4, pi6 = math.pi ** 2, math.pi ** 4, math.pi ** 6
    qlog = -pi2 / 8 / z2
    if qlog < -708:
        return 0.0
    q = math.exp(qlog)
    kmax = int(math.ceil(16 * z / math.pi))
    k = np.arange(kmax, 0, -1, dtype=np.float64)
    m = 2 * k - 1
    coeffs = np.stack([
        np.ones_like(m), -z2 + pi2 / 4 * m ** 2,
        6 * z6 + 2 * z4 + (2 * z4 - 5 * z2) * pi2 / 4 * m ** 2 + pi4 * (1 - 2 * z2) / 16 * m ** 4,
        (-30 * z6 - 90 * z ** 8 + pi2 * (135 * z4 - 96 * z6) / 4 * m ** 2
         + pi4 * (-60 * z2 + 212 * z4) / 16 * m ** 4 + pi6 * (5 - 30 * z2) / 64 * m ** 6),
    ])
    total = np.zeros(4)
    for i in range(kmax):  # Horner in q^(8k), highest k first
        total = total * q ** (8 * k[i]) + coeffs[:, i]
    total *= q * math.sqrt(2 * math.pi) / np.array([z, 6 * z4, 72 * z ** 7, 6480 * z ** 10])
    q2 = math.exp(-pi2 / 2 / z2)
    powers = q2 ** (k * k)
    total[2] += np.sum(k * k * powers) * pi2 * math.sqrt(2 * math.pi) / (-36 * z3)
    total[3] += (np.sum((math.sqrt(3) * z + math.pi * k) * (math.sqrt(3) * z - math.pi * k) * k * k * powers)
                 * pi2 * math.sqrt(2 * math.pi) / (216 * z6))
    return float(np.sum(total / np.power(float(n), np.arange(4) / 2.0)))


def kolmogorov_sf(n: int, x: float) -> float:
    """Two-sided one-sample P(D_n >= x) for large *n* (scipy's ``kstwo.sf``)."""
    if x >= 1:
        return 0.0
    t = n * x
    if t <= 1:
        if t <= 0.5:
            return 1.0
        log_cdf = math.lgamma(n + 1) - n * math.log(n) + n * math.log(2 * t - 1)
        return 1.0 - math.exp(log_cdf)
    if t >= n - 1:
        return 2 * (1 - x) ** n
    if x >= 0.5:
        return min(1.0, 2 * smirnov_sf(n, x))
    nx2 = t * x
    if nx2 >= 370:
        return 0.0
    if nx2 >= 2.2:
        return min(1.0, 2 * smirnov_sf(n, x))
    return float(min(max(1.0 - _pelz_good_cdf(n, x), 0.0), 1.0))


def ks_2samp(a, b) -> tuple[float, float]:
    """(statistic, two-sided p-value) of two samples, as ``scipy.stats.ks_2samp``."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if not len(a) or not len(b):
        raise ValueError("ks_2samp needs two non-empty samples")
    d = ks_statistic(a, b)
    n1, n2 = len(a), len(b)
    big, small = max(n1, n2), min(n1, n2)
    n = round(big * small / (big + small))
    if big <= EXACT_MAX_N or n <= 140:
        lcm = n1 // math.gcd(n1, n2) * n2
        return round(d * lcm) / lcm, exact_pvalue(n1, n2, d)
    return d, kolmogorov_sf(n, d)

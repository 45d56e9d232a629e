"""Drift: PSI by hand, our KS against scipy's, and drift between real dataset files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from inspecpy.ml.dataset.drift import drift, psi
from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.ks import ks_2samp


def test_psi_categorical_by_hand():
    ref, cur = np.array(["a", "a", "b", "b"]), np.array(["a", "b", "b", "b", "c"])
    # shares a: .5/.2, b: .5/.6, c: 0 -> 0.0001 / .2
    expected = ((0.5 - 0.2) * math.log(0.5 / 0.2) + (0.5 - 0.6) * math.log(0.5 / 0.6)
                + (0.0001 - 0.2) * math.log(0.0001 / 0.2))
    assert psi(ref, cur) == pytest.approx(expected)


def test_psi_numeric_uses_30_equal_bins_over_both_samples():
    ref = np.arange(30.0)  # > 20 distinct values: binned; one value per bin
    assert psi(ref, ref.copy()) == 0.0
    cur = np.arange(30.0)[:15]  # half the bins empty: 15 bins 1/30 vs 1/15, 15 bins 1/30 vs 0.0001
    expected = 15 * (1 / 30 - 1 / 15) * math.log((1 / 30) / (1 / 15)) + 15 * (
        (1 / 30 - 0.0001) * math.log((1 / 30) / 0.0001))
    # the combined range is still [0, 29], so the edges are those of the reference
    assert psi(ref, cur) == pytest.approx(expected)


CASES = [(10, 10, 2.0), (40, 25, 0.5), (300, 300, 0.1), (1000, 700, 0.1), (60, 3000, 0.3),
         (5000, 5000, 0.03), (9000, 10000, 0.0), (20000, 15000, 0.02), (30000, 12000, 0.05),
         (20000, 20000, 0.1), (15000, 300, 0.1)]


@pytest.mark.parametrize("n1, n2, shift", CASES)
def test_ks_agrees_with_scipy(n1, n2, shift):
    import scipy.stats as stats
    rng = np.random.default_rng(n1 + n2)
    a, b = rng.normal(size=n1), rng.normal(size=n2) + shift
    d, p = ks_2samp(a, b)
    expected = stats.ks_2samp(a, b)
    assert d == pytest.approx(expected.statistic, abs=1e-12)
    assert p == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-14)


def test_ks_with_ties_agrees_with_scipy():
    import scipy.stats as stats
    a, b = np.array([1, 1, 2, 2, 3, 3, 3.0]), np.array([2, 3, 3, 4, 4.0])
    assert ks_2samp(a, b) == pytest.approx(tuple(stats.ks_2samp(a, b))[:2])


def test_ks_known_value_without_scipy():
    # P(D >= 1/2) for n = m = 10 is 1 - P(max |walk| < 5) = 0.167821 (Smirnov's table)
    assert ks_2samp(np.arange(10.0), np.arange(10.0) + 5) == pytest.approx((0.5, 0.16782134), rel=1e-6)


def test_drift_report_thresholds():
    rng = np.random.default_rng(0)
    ref = {"same": rng.normal(size=3000), "moved": rng.normal(size=3000), "text": np.array(["a", "b"] * 50)}
    cur = {"same": rng.permutation(ref["same"]), "moved": rng.normal(size=3000) + 0.5,
           "text": np.array(["a", "b"] * 50)}
    by_psi = drift(ref, cur, "psi")
    assert by_psi.drifted_columns == ["moved"] and by_psi.threshold == 0.1
    assert by_psi.columns["moved"].value >= 0.1 > by_psi.columns["same"].value
    by_ks = drift(ref, cur, "ks")
    assert by_ks.drifted_columns == ["moved"] and by_ks.columns["same"].value >= 0.05
    assert "text" in by_ks.skipped and by_ks.drift_share == 0.5
    assert drift(ref, cur, "psi", threshold=10).drifted_columns == []
    with pytest.raises(ValueError, match="unknown drift method 'chi2'"):
        drift(ref, cur, "chi2")


def _write(path, rng, shift=0.0, rows=2000):
    x = rng.normal(size=rows) + shift
    z = rng.uniform(size=rows)
    path.write_text("x,z,y\n" + "".join(f"{a:.5f},{b:.5f},{int(b > 0.5)}\n" for a, b in zip(x, z)))
    return DatasetFile.from_path(path, label="y")


@pytest.mark.parametrize("method", ["psi", "ks"])
def test_files_same_distribution_no_drift_shifted_drift(tmp_path, method):
    rng = np.random.default_rng(5)
    train = _write(tmp_path / "train.csv", rng)
    same = _write(tmp_path / "same.jsonl.csv", rng)
    shifted = _write(tmp_path / "shifted.csv", rng, shift=1.0)
    assert same.drift(train, method).drifted_columns == []
    report = shifted.drift(train, method)
    assert report.drifted_columns == ["x"] and set(report.columns) == {"x", "z", "y"}


def test_sampled_drift_is_seeded_and_does_not_depend_on_chunks(tmp_path):
    rng = np.random.default_rng(9)
    path = tmp_path / "big.csv"
    _write(path, rng, rows=3000)
    small = DatasetFile.from_path(path, label="y", chunk_bytes=997).samples(max_samples=500, seed=3)
    whole = DatasetFile.from_path(path, label="y").samples(max_samples=500, seed=3)
    assert all(np.array_equal(small[c], whole[c]) for c in whole) and len(whole["x"]) == 500
    other = DatasetFile.from_path(path, label="y").samples(max_samples=500, seed=4)
    assert not np.array_equal(other["x"], whole["x"])

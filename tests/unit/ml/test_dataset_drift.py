"""Drift: PSI by hand, our KS against scipy's, and drift between real dataset files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from inspecpy.ml.dataset.drift import SampleTooSmall, drift, min_rows, psi, reference_bins
from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.ks import ks_2samp


def test_psi_by_hand_on_reference_bins():
    ref, cur = np.array(["a"] * 60 + ["b"] * 40 + ["c"] * 2), np.array(["a"] * 20 + ["b"] * 70 + ["z"] * 10)
    # bins from the reference: a, b, and "other" (c is under 5 %, z unseen); half a count per bin
    r = (np.array([60, 40, 2]) + 0.5) / 103.5
    c = (np.array([20, 70, 10]) + 0.5) / 101.5
    raw = float(np.sum((r - c) * np.log(r / c)))
    assert psi(ref, cur) == pytest.approx((raw, raw - 2 * (1 / 102 + 1 / 100), 3))


def test_reference_bins_are_quantiles_of_the_reference_only():
    to_bin = reference_bins(np.arange(1000.0))
    assert to_bin(np.array([0.0, 99.0, 100.0, 998.0, 1e9, -1e9])).tolist() == [0, 0, 1, 9, 9, 0]
    constant = reference_bins(np.zeros(500))
    assert constant(np.array([0.0, 0.5])).tolist() == [0, 1]       # "above the constant" is a bin of its own
    skewed = reference_bins(np.array([0.0] * 970 + list(range(1, 31))))
    assert skewed(np.array([0.0, 30.0, 31.0])).tolist() == [0, 0, 1]  # a top bin under 5 % merges down


def test_min_rows_refuses_samples_too_small_to_tell():
    assert min_rows(10, 1437) == 220 and min_rows(10, 100) == math.inf
    rng = np.random.default_rng(3)
    with pytest.raises(SampleTooSmall, match=r"column 'x': 50 values against 2000 .*\(at least \d+ values are needed"):
        drift({"x": rng.normal(size=2000)}, {"x": rng.normal(size=50)})
    assert drift({"x": rng.normal(size=2000)}, {"x": rng.normal(size=50)}, "ks").drifted_columns == []


@pytest.mark.parametrize("kind", ["normal", "digits-like", "text"])
def test_same_distribution_samples_of_250_rows_do_not_drift(kind):
    """200 draws of 250 rows from the reference's own distribution: no false alarm at all."""
    rng = np.random.default_rng(len(kind))
    draw = {"normal": lambda n: rng.normal(size=n),
            "digits-like": lambda n: rng.choice(17, size=n, p=np.r_[0.6, np.full(16, 0.025)]) / 16,
            "text": lambda n: rng.choice(["a", "b", "c", "d", "rare"], size=n, p=[0.4, 0.3, 0.2, 0.08, 0.02])}[kind]
    reference = {f"c{i}": draw(1500) for i in range(5)}
    alarms = sum(len(drift(reference, {c: draw(250) for c in reference}).drifted_columns) for _ in range(40))
    assert alarms == 0


def test_drift_share_names_the_drifted_columns_with_their_statistic():
    rng = np.random.default_rng(1)
    ref = {f"x{i}": rng.normal(size=2000) for i in range(12)}
    cur = {c: rng.normal(size=500) + (1.0 + i / 10 if i < 11 else 0) for i, c in enumerate(ref)}
    share = drift(ref, cur).drift_share
    assert share == pytest.approx(11 / 12) and share > 0.1
    assert str(share).startswith("0.9167 (11 of 12 columns drifted: x10 PSI ")   # most drifted first
    assert str(share).endswith(", … and 1 more)") and "x11" not in str(share)
    assert str(drift(ref, cur, "ks").drift_share).startswith("0.9167 (11 of 12 columns drifted: x")


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
    ref = {"same": rng.normal(size=3000), "moved": rng.normal(size=3000), "text": np.array(["a", "b"] * 150)}
    cur = {"same": rng.permutation(ref["same"]), "moved": rng.normal(size=3000) + 0.5,
           "text": np.array(["a", "b"] * 150)}
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
    assert report.drifted_columns == ["x"] and set(report.columns) == {"x", "z"}  # the label y left out


def test_sampled_drift_is_seeded_and_does_not_depend_on_chunks(tmp_path):
    rng = np.random.default_rng(9)
    path = tmp_path / "big.csv"
    _write(path, rng, rows=3000)
    small = DatasetFile.from_path(path, label="y", chunk_bytes=997).samples(max_samples=500, seed=3)
    whole = DatasetFile.from_path(path, label="y").samples(max_samples=500, seed=3)
    assert all(np.array_equal(small[c], whole[c]) for c in whole) and len(whole["x"]) == 500
    other = DatasetFile.from_path(path, label="y").samples(max_samples=500, seed=4)
    assert not np.array_equal(other["x"], whole["x"])

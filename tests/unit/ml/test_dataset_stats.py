"""Dataset statistics against hand-computed values, on real files."""

from __future__ import annotations

import hashlib
import itertools
import math

import numpy as np
import pytest

from inspecpy.ml.dataset.digests import DigestTable
from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.row_hash import mix64
from inspecpy.ml.dataset.readers import iter_chunks
from inspecpy.ml.dataset.stats import StatsAccumulator

# rows 1 and 2 are duplicates; rows 1, 2 and 3 share features, row 3 has another label;
# row 5 has a missing cell
TRAIN = (
    "a,b,y\n"
    "1,10,cat\n"
    "1,10,cat\n"
    "1,10,dog\n"
    "2,20,dog\n"
    "4,,cat\n"
    "1.0,1e1,cat\n"  # the same numbers written differently: a duplicate of row 1
)


@pytest.fixture
def train(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text(TRAIN)
    return DatasetFile.from_path(path, label="y")


def test_counts_and_sha256(train, tmp_path):
    s = train.stats
    assert (s.rows, len(s.columns)) == (6, 3)
    assert train.sha256 == hashlib.sha256(TRAIN.encode()).hexdigest()


def test_missing_per_column_and_overall(train):
    assert train.stats.missing_by_column == {"a": 0, "b": 1, "y": 0}
    assert train.stats.missing == 1


def test_duplicates_and_conflicting_labels(train):
    # (1,10,cat) x3 -> 2 duplicates; features (1,10) appear with cat and dog -> 4 rows conflict
    assert train.stats.duplicate_rows == 2
    assert train.stats.conflicting_labels == 4


def test_class_balance(train):
    assert train.stats.class_counts == {"cat": 4, "dog": 2}
    assert train.stats.class_balance == {"cat": 4 / 6, "dog": 2 / 6}


def test_min_max_mean_std(train):
    s = train.stats
    assert s.minimum == {"a": 1.0, "b": 10.0} and s.maximum == {"a": 4.0, "b": 20.0}
    assert s.mean["a"] == pytest.approx(10 / 6) and s.mean["b"] == pytest.approx(60 / 5)
    a = np.array([1, 1, 1, 2, 4, 1.0])
    assert s.std["a"] == pytest.approx(a.std())


def test_outliers_hand_computed(tmp_path):
    path = tmp_path / "o.csv"
    values = [0.0] * 9 + [10.0]  # mean 1, std 3: only 10 is beyond z=2, nothing beyond z=3
    path.write_text("x,w,y\n" + "".join(f"{v},{5},0\n" for v in values))
    ds = DatasetFile.from_path(path, label="y")
    report = ds.outliers(z=2.0)
    assert (report.counts, report.rows, report.columns) == ({"x": 1}, 1, ["x"])  # w has std 0
    assert ds.outliers().total == 0 and ds.outliers(z=0.2).counts == {"x": 10}


def test_no_label_means_duplicates_only(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("a,b\n1,2\n1,2\n3,4\n")
    s = DatasetFile.from_path(path).stats
    assert (s.duplicate_rows, s.conflicting_labels, s.class_counts, s.class_balance) == (1, None, None, None)


def test_numeric_labels_read_as_text_keys(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("a,y\n1,1\n2,0\n3,1.0\n4,2.5\n")
    assert DatasetFile.from_path(path, label="y").stats.class_counts == {"0": 1, "1": 2, "2.5": 1}


def _brute_force(features, labels):
    rows = list(zip(features, labels))
    duplicates = len(rows) - len(set(rows))
    by_feature: dict = {}
    for f, lab in rows:
        by_feature.setdefault(f, set()).add(lab)
    return duplicates, sum(1 for f, _ in rows if len(by_feature[f]) > 1)


@pytest.mark.parametrize("max_classes", [65536, 4])  # packed keys, and the many-labels fallback
def test_digest_table_against_brute_force(max_classes):
    rng = np.random.default_rng(7)
    features = mix64(rng.integers(0, 40, 3000).astype(np.uint64))  # the table takes 64-bit digests
    labels = rng.integers(0, 6, 3000).astype(np.uint64)
    table = DigestTable(max_classes=max_classes)
    for start in range(0, 3000, 256):
        part = labels[start:start + 256]
        table.add(features[start:start + 256], part, text=lambda i, p=part: str(int(p[i])))
    assert table.finish() == _brute_force(features.tolist(), labels.tolist())
    assert (table.codes.digest_mode) == (max_classes == 4)


def test_merge_of_partial_results_equals_one_pass(tmp_path):
    path = tmp_path / "m.csv"
    rng = np.random.default_rng(1)
    path.write_text("a,t,y\n" + "".join(
        f"{int(rng.integers(0, 5))},{rng.choice(['p', 'q', 'a@b.example'])},{int(rng.integers(0, 3))}\n"
        for _ in range(400)))
    with open(path, "rb") as stream:
        chunks = list(iter_chunks(stream, "m.csv", label="y", chunk_bytes=200))
    whole, first, second = (StatsAccumulator("m.csv", "y") for _ in range(3))
    for i, chunk in enumerate(chunks):
        whole.add(chunk)
        (first if i < len(chunks) // 2 else second).add(chunk)
    first.merge(second)
    merged, expected = first.result(), whole.result()
    for field in ("rows", "missing_by_column", "duplicate_rows", "conflicting_labels", "class_counts",
                  "minimum", "maximum", "pii", "dtypes"):
        assert getattr(merged, field) == getattr(expected, field), field
    for column, mean in expected.mean.items():
        assert math.isclose(merged.mean[column], mean) and math.isclose(merged.std[column], expected.std[column])


def test_features_and_labels_arrays(train, tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("a,b,y\n1,2,0\n3,4.5,1\n")
    ds = DatasetFile.from_path(path, label="y")
    assert ds.features().dtype == np.float64 and ds.features().tolist() == [[1, 2], [3, 4.5]]
    assert ds.labels().dtype == np.int64 and ds.labels().tolist() == [0, 1]
    assert train.labels().tolist() == ["cat", "cat", "dog", "dog", "cat", "cat"]


def test_overlap_counts_rows_present_in_both(tmp_path, train):
    test = tmp_path / "test.csv"
    # (1,10) is in train (any label), (2,20) too, (9,9) is not; the label does not matter
    test.write_text("a,b,y\n1,10,dog\n9,9,cat\n2.0,20,cat\n1,10,cat\n")
    other = DatasetFile.from_path(test, label="y")
    assert other.overlap(train) == 3
    assert train.overlap(other) == 5  # rows 1,2,3,6 (1,10) and row 4 (2,20)
    disjoint = tmp_path / "d.jsonl"
    disjoint.write_text('{"b": 7, "a": 7, "y": "cat"}\n')
    assert train.overlap(DatasetFile.from_path(disjoint, label="y")) == 0


def test_overlap_across_formats(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("x0,x1,y\n1,2,0\n3,4,1\n")
    npz = tmp_path / "b.npz"
    np.savez(npz, X=np.array([[3.0, 4.0], [5.0, 6.0]]), y=np.array([1, 0]))
    assert DatasetFile.from_path(csv, label="y").overlap(DatasetFile.from_path(npz)) == 1


def test_statistics_scale_with_many_identical_feature_groups(tmp_path):
    # every combination twice, half of the copies relabelled: exact counts by construction
    lines = ["a,b,y"]
    for a, b in itertools.product(range(20), range(20)):
        lines += [f"{a},{b},0", f"{a},{b},{(a + b) % 2}"]
    path = tmp_path / "g.csv"
    path.write_text("\n".join(lines) + "\n")
    s = DatasetFile.from_path(path, label="y", chunk_bytes=512).stats
    assert s.rows == 800 and s.duplicate_rows == 200 and s.conflicting_labels == 400

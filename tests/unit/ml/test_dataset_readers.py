"""Dataset readers on real files: every format, and chunked reading equal to whole-file reading."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.readers import iter_chunks

CSV = (
    "age,income,city,label\n"
    "34,52000.5,Paris,yes\n"
    "41,,Lyon,no\n"
    "29,38000,\"Nice, FR\",yes\n"
    "34,52000.5,Paris,yes\n"
)


def _read_all(path, **options) -> dict[str, list]:
    """Every column's cells (None where missing) over all chunks."""
    out: dict[str, list] = {}
    with open(path, "rb") as stream:
        for chunk in iter_chunks(stream, str(path), **options):
            for name, col in chunk.columns.items():
                values = col.values.tolist()
                out.setdefault(name, []).extend(None if m else v for v, m in zip(values, col.missing))
    return out


def test_csv_columns_types_and_missing(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV)
    ds = DatasetFile.from_path(path, label="label")
    s = ds.stats
    assert s.rows == 4
    assert s.columns == ["age", "income", "city", "label"]
    assert s.dtypes == {"age": "int64", "income": "float64", "city": "str", "label": "str"}
    assert s.missing == 1 and s.missing_by_column["income"] == 1
    assert _read_all(path, label="label")["city"] == ["Paris", "Lyon", "Nice, FR", "Paris"]


def test_csv_crlf_bom_blank_lines_and_tsv(tmp_path):
    crlf = tmp_path / "win.csv"
    crlf.write_bytes(b"\xef\xbb\xbfa,b\r\n1,2\r\n\r\n3,4\r\n")
    assert _read_all(crlf) == {"a": [1.0, 3.0], "b": [2.0, 4.0]}
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1\t2\n")
    assert _read_all(tsv) == {"a": [1.0], "b": [2.0]}


def test_csv_non_ascii_text(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("name,city,n\nJos\u00e9,Z\u00fcrich,1\n\u00c5sa,\u6771\u4eac,2\n", encoding="utf-8")
    assert _read_all(path) == {"name": ["Jos\u00e9", "\u00c5sa"], "city": ["Z\u00fcrich", "\u6771\u4eac"],
                               "n": [1.0, 2.0]}


def test_csv_na_values_option(tmp_path):
    path = tmp_path / "na.csv"
    path.write_text("x,y\n1,0\nNA,1\n3,0\n")
    assert DatasetFile.from_path(path).stats.dtypes["x"] == "str"  # "NA" is text by default
    s = DatasetFile.from_path(path, label="y", na_values=["NA"]).stats
    assert s.dtypes["x"] == "int64" and s.missing == 1 and s.mean["x"] == 2.0


def test_jsonl_reader(tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [{"x": 1, "t": "a", "y": 0}, {"x": 2.5, "y": 1}, {"x": None, "t": "b", "y": 1}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    s = DatasetFile.from_path(path, label="y").stats
    assert (s.rows, s.columns) == (3, ["x", "t", "y"])
    assert s.missing_by_column == {"x": 1, "t": 1, "y": 0}
    assert s.dtypes == {"x": "float64", "t": "str", "y": "int64"}


def test_npz_reader_with_default_and_named_arrays(tmp_path):
    path = tmp_path / "d.npz"
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    np.savez(path, X=X, y=np.array([0, 1, 1, 0]), target=np.array(["a", "b", "a", "b"]))
    ds = DatasetFile.from_path(path)
    assert ds.stats.label == "y" and ds.stats.columns == ["x0", "x1", "x2", "y"]
    assert ds.stats.dtypes["x0"] == "float32"
    np.testing.assert_array_equal(ds.features(), X)
    assert ds.labels().tolist() == [0, 1, 1, 0]
    named = DatasetFile.from_path(path, label="target")
    assert named.labels().tolist() == ["a", "b", "a", "b"]
    assert named.stats.class_counts == {"a": 2, "b": 2}


def test_npz_custom_features_array(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, inputs=np.ones((2, 2)), y=np.array([1, 2]))
    assert DatasetFile.from_path(path, x="inputs").stats.rows == 2


def test_npy_reader_and_label_column(tmp_path):
    path = tmp_path / "d.npy"
    np.save(path, np.array([[1.0, 2.0, 0.0], [3.0, 4.0, 1.0]]))
    assert DatasetFile.from_path(path).stats.columns == ["x0", "x1", "x2"]
    ds = DatasetFile.from_path(path, label="x2")
    assert ds.features().tolist() == [[1.0, 2.0], [3.0, 4.0]] and ds.labels().tolist() == [0, 1]


def test_parquet_reader(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = tmp_path / "d.parquet"
    table = pa.table({"x": [1, None, 3], "f": [0.5, 1.5, None], "t": ["a", None, "c"], "y": [0, 1, 1]})
    pq.write_table(table, path)
    s = DatasetFile.from_path(path, label="y", chunk_rows=2).stats
    assert s.rows == 3 and s.missing_by_column == {"x": 1, "f": 1, "t": 1, "y": 0}
    assert s.dtypes == {"x": "int64", "f": "float64", "t": "str", "y": "int64"}
    assert s.mean["x"] == 2.0


def _summary(ds: DatasetFile) -> dict:
    """Everything the checks report; sums of floats compared to 12 digits (order of additions)."""
    out = dict(vars(ds.stats)) | {"sha256": ds.sha256, "outliers": ds.outliers(1.0).counts}
    for key in ("mean", "std"):
        out[key] = {c: float(f"{v:.12g}") for c, v in out[key].items()}
    return out


def test_chunked_csv_equals_whole_file(tmp_path):
    rng = np.random.default_rng(3)
    lines = ["a,b,note,y"]
    for i in range(150):
        note = rng.choice(["plain", '"quoted, with comma"', "", "mail x@y.example", "1.5"])
        a = "" if i % 37 == 0 else f"{rng.normal():.4f}"
        lines.append(f"{a},{int(rng.integers(0, 3))},{note},{int(rng.integers(0, 2))}")
    lines += lines[1:20]  # duplicates
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    whole = _summary(DatasetFile.from_path(path, label="y"))
    for size in (7, 64, 1000):
        assert _summary(DatasetFile.from_path(path, label="y", chunk_bytes=size)) == whole
    assert whole["duplicate_rows"] >= 19 and whole["pii"]


def test_chunked_jsonl_and_arrays_equal_whole_file(tmp_path):
    jsonl = tmp_path / "d.jsonl"
    jsonl.write_text("".join(json.dumps({"x": i % 7, "y": i % 2}) + "\n" for i in range(100)))
    assert _summary(DatasetFile.from_path(jsonl, label="y", chunk_bytes=10)) == _summary(
        DatasetFile.from_path(jsonl, label="y"))
    npz = tmp_path / "d.npz"
    np.savez(npz, X=np.arange(200.0).reshape(100, 2) % 9, y=np.arange(100) % 3)
    assert _summary(DatasetFile.from_path(npz, chunk_rows=7)) == _summary(DatasetFile.from_path(npz))


def test_column_kind_switching_mid_file_does_not_depend_on_chunks(tmp_path):
    # the column is numeric in the first chunks and text later: same stats either way
    path = tmp_path / "mixed.csv"
    path.write_text("v,y\n" + "1,0\n" * 5 + "abc,1\n1,0\n")
    small = _summary(DatasetFile.from_path(path, label="y", chunk_bytes=4))
    whole = _summary(DatasetFile.from_path(path, label="y"))
    assert small == whole
    whole = DatasetFile.from_path(path, label="y").stats
    assert whole.dtypes["v"] == "str" and whole.duplicate_rows == 5 and "v" not in whole.mean

"""Bad dataset files: each gives one clear line naming the file and the row, and nothing else breaks."""

from __future__ import annotations

import json
import pickle
import sys

import numpy as np
import pytest

from inspecpy.errors import InspecpyError
from inspecpy.ml.dataset.engine import DatasetFile
from inspecpy.ml.dataset.chunks import DatasetError


def _error(path, label=None, call=lambda ds: ds.stats, **options) -> str:
    with pytest.raises(DatasetError) as info:
        call(DatasetFile.from_path(path, label, **options))
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(path))
    return message[len(str(path)):]


def _write(tmp_path, name, content):
    path = tmp_path / name
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


@pytest.mark.parametrize("content, message", [
    ("a,b,y\n1,2,0\n3,4\n", ": row 2 (line 3): expected 3 fields, got 2"),
    ("a,b,y\n1,2,0\n\n3,4,5,6\n", ": row 2 (line 4): expected 3 fields, got 4"),
    ('a,b,y\n1,2,0\n3,"4,5",6,7\n', ": row 2 (line 3): expected 3 fields, got 4"),
    ('a,b,y\n1,2,0\n3,"unclosed,1\n', ": line 3: unterminated quoted field"),
    ("", ": line 1: empty file: a CSV dataset needs a header row"),
    ("a,b,y\n", ": empty dataset: no data rows"),
    ("a,b,y\n\n\n", ": empty dataset: no data rows"),
    ("a,a,y\n1,2,3\n", ": line 1: duplicate column name 'a' in the header"),
    ("a,b,y\n1,2,0\n3,nan,1\n", ": row 2 (line 3): column 'b' holds the non-finite value 'nan' "
                                "(NaN/inf are not data; leave a missing cell empty)"),
    ("a,b,y\n1,-inf,0\n", ": row 1 (line 2): column 'b' holds the non-finite value '-inf' "
                          "(NaN/inf are not data; leave a missing cell empty)"),
])
def test_bad_csv(tmp_path, content, message):
    assert _error(_write(tmp_path, "d.csv", content), "y") == message


def test_missing_label_column(tmp_path):
    path = _write(tmp_path, "d.csv", "a,b,y\n1,2,0\n")
    assert _error(path, "target") == ": line 1: label column 'target' not in the header (columns: a, b, y)"
    jsonl = _write(tmp_path, "d.jsonl", '{"a": 1}\n')
    assert _error(jsonl, "y") == ": row 1 (line 1): label key 'y' not in the first object (keys: a)"


def test_non_utf8_bytes_name_the_row(tmp_path):
    latin1 = "a,name,y\n1,ok,0\n2,Jos\u00e9,1\n".encode("latin-1")
    assert _error(_write(tmp_path, "d.csv", latin1), "y") == \
        ": row 2 (line 3): invalid UTF-8 byte 0xe9 (not a UTF-8 text file?)"
    quoted = b'a,name,y\n1,"ok",0\n2,"Jos\xe9",1\n'
    assert _error(_write(tmp_path, "q.csv", quoted), "y") == \
        ": row 2 (line 3): invalid UTF-8 byte 0xe9 (not a UTF-8 text file?)"
    assert _error(_write(tmp_path, "d.jsonl", b'{"a": 1}\n\n{"a": "\xff"}\n')) == \
        ": row 2 (line 3): invalid UTF-8 byte 0xff (not a UTF-8 text file?)"
    header = b"a,\xffb\n1,2\n"
    assert _error(_write(tmp_path, "h.csv", header)) == ": line 1: invalid UTF-8 byte 0xff in the header"


@pytest.mark.parametrize("lines, message", [
    (['{"a": 1}', '{"a": 2,'], ": row 2 (line 2): invalid JSON at column 9: Expecting property name "
                                "enclosed in double quotes"),
    (['{"a": 1}', '[1, 2]'], ": row 2 (line 2): expected a JSON object, got list"),
    (['{"a": 1}', '{"a": 2, "b": 3}'], ": row 2 (line 2): unexpected key 'b' (the first object has: a)"),
    (['{"a": 1}', '{"a": [1, 2]}'], ": row 2 (line 2): column 'a' holds a nested value (list or object)"),
    (['{"a": 1}', '{"a": NaN}'], ": row 2 (line 2): column 'a' holds the non-finite value 'nan' "
                                  "(NaN/inf are not data; leave a missing cell empty)"),
    (['{}'], ": row 1 (line 1): the first object has no keys"),
    (['{"a": 1}', '{"a": 2}, {"a": 3}'], ": row 2 (line 2): invalid JSON at column 9: Extra data"),
    ([], ": empty dataset: no data rows"),
])
def test_bad_jsonl(tmp_path, lines, message):
    assert _error(_write(tmp_path, "d.jsonl", "\n".join(lines))) == message


def test_bad_npz_shapes_and_values(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.zeros((3, 2)), y=np.zeros(4))
    assert _error(path) == ": row 4: 'X' has 3 rows but 'y' has 4"
    np.savez(path, X=np.zeros((3, 2)), y=np.zeros((3, 1)))
    assert _error(path) == ": label array 'y' must be 1-dimensional, got shape (3, 1)"
    np.savez(path, features=np.zeros((3, 2)))
    assert _error(path) == ": no features array 'X' (arrays: features)"
    np.savez(path, X=np.zeros((3, 2)))
    assert _error(path, "target") == ": no label array 'target' (arrays: X)"
    X = np.zeros((4, 2))
    X[2, 1] = np.inf
    np.savez(path, X=X, y=np.zeros(4))
    assert _error(path) == (": row 3: column 'x1' holds the non-finite value 'inf' "
                            "(NaN/inf are not data; leave a missing cell empty)")
    np.savez(path, X=np.zeros((0, 2)), y=np.zeros(0))
    assert _error(path) == ": empty dataset: no data rows"
    garbage = _write(tmp_path, "g.npz", b"PK\x03\x04 this is not a zip")
    assert _error(garbage).startswith(": not a readable .npz archive: ")


class _Canary:
    """Pickles to a call that creates a file: proof, if it ever appears, that data was unpickled."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_object_arrays_are_refused_without_unpickling(tmp_path):
    canary = tmp_path / "canary"
    payload = np.empty(2, dtype=object)
    payload[:] = [_Canary(canary), _Canary(canary)]
    path = tmp_path / "evil.npz"
    np.savez(path, X=payload, y=np.zeros(2))
    assert not canary.exists()
    assert _error(path) == ": array 'X' holds Python objects; refused (loading it would unpickle untrusted code)"
    npy = tmp_path / "evil.npy"
    np.save(npy, payload)
    assert _error(npy) == ": array 'array' holds Python objects; refused (loading it would unpickle untrusted code)"
    assert not canary.exists()
    pickle.loads(pickle.dumps(1))  # the test machinery itself is fine


def test_unknown_format_and_missing_pyarrow(tmp_path, monkeypatch):
    path = _write(tmp_path, "d.xlsx", b"")
    message = _error(path)
    assert message.startswith(": unknown dataset format '.xlsx' (known extensions: .csv, .jsonl")
    csv = _write(tmp_path, "d.csv", "a;b\n1;2\n")
    assert _error(csv, delimiter="\u00a7") == ": unusable delimiter '\u00a7'"
    assert _error(csv, delimiter='"') == ": unusable delimiter '\"'"
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    parquet = _write(tmp_path, "d.parquet", b"PAR1")
    assert _error(parquet) == ": reading .parquet needs pyarrow: pip install 'inspecpy[parquet]'"


def test_garbage_parquet(tmp_path):
    import pyarrow  # noqa: F401 - a test extra: missing is an error, not a skip
    assert _error(_write(tmp_path, "d.parquet", b"not parquet at all")).startswith(
        ": not a readable Parquet file: ")


def test_arrays_for_a_model_refuse_text_and_missing_cells(tmp_path):
    path = _write(tmp_path, "d.csv", "a,b,y\n1,2,0\nx,3,1\n4,,1\n")
    assert _error(path, "y", call=lambda ds: ds.features()) == ": row 2 (line 3): feature column 'a' is not numeric"
    path = _write(tmp_path, "m.csv", "a,b,y\n1,2,0\n4,,1\n")
    assert _error(path, "y", call=lambda ds: ds.features()) == \
        ": row 2 (line 3): feature column 'b' has a missing value"
    path = _write(tmp_path, "l.csv", "a,b,y\n1,2,0\n4,5,\n")
    assert _error(path, "y", call=lambda ds: ds.labels()) == ": row 2 (line 3): label column 'y' has a missing value"
    assert _error(path, call=lambda ds: ds.labels()) == ": no label column (pass label=...)"


def test_comparisons_need_the_same_columns(tmp_path):
    train = DatasetFile.from_path(_write(tmp_path, "train.csv", "a,b,y\n1,2,0\n"), "y")
    other = _write(tmp_path, "other.csv", "a,y\n1,0\n")
    assert _error(other, "y", call=lambda ds: train.overlap(ds)) == ": no column 'b' to compare with " + str(
        tmp_path / "train.csv")
    assert _error(other, "y", call=lambda ds: train.drift(ds)) == ": no column 'b' to compare with " + str(
        tmp_path / "train.csv")


def test_one_bad_file_does_not_affect_another(tmp_path):
    bad = DatasetFile.from_path(_write(tmp_path, "bad.csv", "a,y\n1\n"), "y")
    good = DatasetFile.from_path(_write(tmp_path, "good.csv", "a,y\n1,0\n2,1\n"), "y")
    with pytest.raises(InspecpyError):
        bad.stats
    with pytest.raises(DatasetError):  # the error is raised again, not half a result
        bad.stats
    assert good.stats.rows == 2 and good.stats.class_counts == {"0": 1, "1": 1}
    assert json.dumps(good.stats.class_balance) == '{"0": 0.5, "1": 0.5}'

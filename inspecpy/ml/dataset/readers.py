"""Dataset readers by file format, all yielding :class:`~.dataset_types.Chunk` objects.

``.csv``/``.tsv`` and ``.jsonl`` are streamed (:mod:`.dataset_csv`,
:mod:`.dataset_jsonl`); ``.parquet`` is read batch by batch with the
optional pyarrow; ``.npz`` (arrays ``X`` and ``y``, loaded with
``allow_pickle=False``) and ``.npy`` (a 1-d or 2-d array) are loaded whole
and cut into chunks. Array columns are named ``x0, x1, …``. Example::

    >>> import io, numpy as np
    >>> buf = io.BytesIO(); np.savez(buf, X=np.eye(2), y=np.array([0, 1])); _ = buf.seek(0)
    >>> chunk = next(iter_chunks(buf, "d.npz"))
    >>> list(chunk.columns), chunk.columns["y"].values.tolist()
    (['x0', 'x1', 'y'], [0.0, 1.0])
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import BinaryIO
from collections.abc import Iterator

import numpy as np

from inspecpy.ml.dataset.columns import from_array
from inspecpy.ml.dataset.csv_stream import iter_csv
from inspecpy.ml.dataset.jsonl_stream import iter_jsonl
from inspecpy.ml.dataset.chunks import Chunk, DatasetError

FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".npz": "npz", ".npy": "npy", ".parquet": "parquet", ".pq": "parquet"}
CHUNK_ROWS = 65_536


def detect_format(name: str, format: str | None = None) -> str:
    """The format of *name* from ``format`` or its extension.

    >>> detect_format("/data/train.CSV"), detect_format("x.bin", "npz")
    ('csv', 'npz')
    """
    fmt = format or FORMATS.get(os.path.splitext(name)[1].lower())
    if fmt not in set(FORMATS.values()):
        known = ", ".join(sorted(set(FORMATS)))
        raise DatasetError(name, f"unknown dataset format {format or os.path.splitext(name)[1]!r} "
                                 f"(known extensions: {known}; or pass format=...)")
    return fmt


def _seekable(stream: BinaryIO) -> BinaryIO:
    seekable = getattr(stream, "seekable", None)
    return stream if seekable and seekable() else io.BytesIO(stream.read())


def _array_chunks(name: str, X: np.ndarray, y: np.ndarray | None, label: str | None,
                  chunk_rows: int, na_values) -> Iterator[Chunk]:
    if X.ndim == 0:
        raise DatasetError(name, f"features are a scalar, not a table (shape {X.shape})")
    X = X.reshape(len(X), int(np.prod(X.shape[1:])))
    names = [f"x{j}" for j in range(X.shape[1])]
    for start in range(0, len(X), chunk_rows):
        part = X[start:start + chunk_rows]
        chunk = Chunk(name=name, row0=start, columns={})
        for j, column in enumerate(names):
            chunk.columns[column] = _column(name, column, part[:, j], na_values)
        if y is not None:
            assert label is not None  # labels are only read under their name
            chunk.columns[label] = _column(name, label, y[start:start + chunk_rows], na_values)
        yield chunk


def _column(name: str, column: str, values: np.ndarray, na_values, missing=None):
    try:
        return from_array(values, missing, frozenset(na_values))
    except TypeError as error:
        raise DatasetError(name, f"column {column!r}: {error}") from None


def _load_array(name: str, loader, key: str) -> np.ndarray:
    try:
        return loader()
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise DatasetError(name, f"array {key!r} holds Python objects; refused "
                                     "(loading it would unpickle untrusted code)") from None
        raise DatasetError(name, f"array {key!r} cannot be read: {error}") from None
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise DatasetError(name, f"array {key!r} cannot be read: {error}") from None


def iter_npz(stream: BinaryIO, name: str, label: str | None = None, x: str = "X",
             chunk_rows: int = CHUNK_ROWS, na_values=("",)) -> Iterator[Chunk]:
    """Chunks of an ``.npz``: features array *x*, labels array *label* (default ``y`` if present)."""
    try:
        archive = np.load(_seekable(stream), allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
        raise DatasetError(name, f"not a readable .npz archive: {error}") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise DatasetError(name, "not an .npz archive (a single .npy array?)")
    with archive:
        arrays = ", ".join(archive.files) or "none"
        if x not in archive.files:
            raise DatasetError(name, f"no features array {x!r} (arrays: {arrays})")
        if label is None and "y" in archive.files:
            label = "y"
        if label is not None and label not in archive.files:
            raise DatasetError(name, f"no label array {label!r} (arrays: {arrays})")
        X = _load_array(name, lambda: archive[x], x)
        y = None if label is None else _load_array(name, lambda: archive[label], label)
    if y is not None:
        if y.ndim != 1:
            raise DatasetError(name, f"label array {label!r} must be 1-dimensional, got shape {y.shape}")
        if X.ndim == 0 or len(y) != len(X):
            rows = 1 if X.ndim == 0 else len(X)
            raise DatasetError(name, f"{x!r} has {rows} rows but {label!r} has {len(y)}",
                               row=min(rows, len(y)) + 1)
    yield from _array_chunks(name, X, y, label, chunk_rows, na_values)


def iter_npy(stream: BinaryIO, name: str, label: str | None = None,
             chunk_rows: int = CHUNK_ROWS, na_values=("",)) -> Iterator[Chunk]:
    """Chunks of an ``.npy`` array; *label* may name one of its columns (``x3``)."""
    X = _load_array(name, lambda: np.load(_seekable(stream), allow_pickle=False), "array")
    if not isinstance(X, np.ndarray):
        raise DatasetError(name, "not a .npy array")
    for chunk in _array_chunks(name, X, None, None, chunk_rows, na_values):
        if label is not None:
            if label not in chunk.columns:
                raise DatasetError(name, f"label column {label!r} not in the array "
                                         f"(columns x0..x{len(chunk.columns) - 1})")
            chunk.columns[label] = chunk.columns.pop(label)
        yield chunk


def iter_parquet(stream: BinaryIO, name: str, label: str | None = None,
                 chunk_rows: int = CHUNK_ROWS, na_values=("",)) -> Iterator[Chunk]:
    """Chunks of a Parquet file, one record batch at a time (needs pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError(name, "reading .parquet needs pyarrow: pip install 'inspecpy[parquet]'") from None
    try:
        parquet = pq.ParquetFile(_seekable(stream))
    except (pa.ArrowException, OSError) as error:
        raise DatasetError(name, f"not a readable Parquet file: {error}") from None
    names = parquet.schema_arrow.names
    if label is not None and label not in names:
        raise DatasetError(name, f"label column {label!r} not in the file (columns: {', '.join(names)})")
    row0 = 0
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        chunk = Chunk(name=name, row0=row0, columns={})
        for column, array in zip(batch.schema.names, batch.columns):
            if pa.types.is_dictionary(array.type):
                array = array.dictionary_decode()
            kind = array.type
            missing = array.is_null().to_numpy(zero_copy_only=False)
            if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
                values = array.fill_null(False if pa.types.is_boolean(kind) else 0).to_numpy(zero_copy_only=False)
            elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
                values = array.to_numpy(zero_copy_only=False)
            else:
                raise DatasetError(name, f"column {column!r} has unsupported type {kind}")
            chunk.columns[column] = _column(name, column, values, na_values, missing)
        yield chunk
        row0 += batch.num_rows


def iter_chunks(stream: BinaryIO, name: str, *, format: str | None = None, label: str | None = None,
                x: str = "X", delimiter: str | None = None, na_values=("",),
                chunk_bytes: int | None = None, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Chunks of any supported dataset file; a file without data rows is an error."""
    fmt = detect_format(name, format)
    text = {} if chunk_bytes is None else {"chunk_bytes": chunk_bytes}
    if fmt in ("csv", "tsv"):
        sep = delimiter or ("\t" if fmt == "tsv" else ",")
        inner = iter_csv(stream, name, label, sep, na_values, **text)
    elif fmt == "jsonl":
        inner = iter_jsonl(stream, name, label, na_values, **text)
    elif fmt == "npz":
        inner = iter_npz(stream, name, label, x, chunk_rows, na_values)
    elif fmt == "npy":
        inner = iter_npy(stream, name, label, chunk_rows, na_values)
    else:
        inner = iter_parquet(stream, name, label, chunk_rows, na_values)
    rows = 0
    for chunk in inner:
        if chunk.rows:
            rows += chunk.rows
            yield chunk
    if not rows:
        raise DatasetError(name, "empty dataset: no data rows")

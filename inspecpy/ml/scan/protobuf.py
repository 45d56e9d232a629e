"""The protobuf wire format, walked without generated classes (ONNX, TensorFlow, sentencepiece).

Example::

    >>> import io
    >>> from inspecpy.ml.reader import BoundedReader, Limits
    >>> r = BoundedReader(io.BytesIO(b"\\x08\\x01\\x12\\x02hi"), Limits())
    >>> walk(r, 6, {2: lambda end: print(text(r, end))})
    hi
"""

from __future__ import annotations

from inspecpy.ml.reader import BoundedReader, ScanError


def varint(reader: BoundedReader) -> int:
    shift = value = 0
    while True:
        b = reader.read(1)[0]
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value
        shift += 7
        if shift > 63:
            raise ScanError(f"malformed varint at offset {reader.pos}")


def fields(reader: BoundedReader, end: int):
    """Yield (field number, wire type, length) up to ``end``; the caller reads or skips
    length-delimited fields (wire type 2), the others are consumed here."""
    while reader.pos < end:
        key = varint(reader)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise ScanError(f"protobuf field number 0 at offset {reader.pos}")
        if wire == 0:
            varint(reader)
            yield number, wire, 0
        elif wire == 1:
            reader.skip(8)
        elif wire == 5:
            reader.skip(4)
        elif wire == 2:
            length = varint(reader)
            if reader.pos + length > end:
                raise ScanError(f"protobuf field {number} overruns its message at offset {reader.pos}")
            yield number, wire, length
        else:
            raise ScanError(f"invalid protobuf wire type {wire} at offset {reader.pos}")
    if reader.pos != end:
        raise ScanError(f"protobuf message overruns at offset {reader.pos}")


def walk(reader: BoundedReader, end: int, handlers: dict, default=None) -> None:
    """Walk a message: ``handlers[number](end)`` enters a length-delimited field, others are skipped."""
    for number, wire, length in fields(reader, end):
        if wire != 2:
            continue
        inner = handlers.get(number, default)
        if inner is None:
            reader.skip(length)
        else:
            inner(reader.pos + length)


def text(reader: BoundedReader, end: int, limit: int = 1 << 16) -> str | None:
    """A length-delimited field as UTF-8 text (None when too long: skipped)."""
    n = end - reader.pos
    if n > limit:
        reader.skip(n)
        return None
    return reader.read(n).decode("utf-8", "replace")

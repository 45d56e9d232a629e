"""Model file format detection: what each loader would take the file for.

A loader that goes by the file name (safetensors, ONNX, GGUF, Keras,
HDF5) reads a file of that name as that format and nothing else, so
those extensions decide.  Otherwise the loaders sniff the content
(``torch.load``: zip, tar, else pickle; ``joblib.load``: compression
magic, else pickle; ``np.load``: zip, npy, else pickle), so *every* format whose magic matches is a candidate
and the file is scanned as each of them: a file that is valid safetensors
and valid zlib at once is judged both ways, never by whichever magic
happens to be tested first.

Example::

    >>> candidates(b"\\x80\\x04\\x95", "model.bin")
    ['pickle']
    >>> candidates(b"PK\\x03\\x04", "weights.pt")
    ['zip']
    >>> candidates(b"\\x78\\x9c" + bytes(6) + b"{", "model.safetensors")
    ['safetensors']
"""

from __future__ import annotations

import struct
from pathlib import PurePosixPath

HEAD_SIZE = 512  # bytes needed by candidates() (tar's magic is at offset 257)

COMPRESSIONS = {  # magic -> compression name (joblib's compressors)
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x5d\x00\x00": "lzma",
    b"\x04\x22\x4d\x18": "lz4",
    b"ZF": "zfile",
}

# Loaders that pick the format by name: the extension decides.
BY_NAME = {
    ".safetensors": "safetensors", ".onnx": "onnx", ".gguf": "gguf", ".keras": "zip", ".h5": "h5", ".hdf5": "h5", ".py": "python",
    ".pb": "protobuf", ".tflite": "tflite",
}


def candidates(head: bytes, name: str = "") -> list[str]:
    """Formats a loader could take the file for, most specific first.

    One of ``zip``, ``tar``, ``npy``, ``h5``, ``gguf``, ``pickle``,
    ``compressed:<kind>``, ``safetensors``, ``onnx``, ``python``,
    ``protobuf``, ``tflite``; an empty list when no magic matches (the
    caller then tries a pickle walk, then text).
    """
    by_name = BY_NAME.get(PurePosixPath(name).suffix.lower())
    if by_name:
        return [by_name]
    found = []
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        found.append("zip")
    if head[257:262] == b"ustar":
        found.append("tar")
    if head[:6] == b"\x93NUMPY":
        found.append("npy")
    if head[:8] == b"\x89HDF\r\n\x1a\n":
        found.append("h5")
    if head[:4] == b"GGUF":
        found.append("gguf")
    if looks_like_pickle(head):
        found.append("pickle")
    for magic, kind in COMPRESSIONS.items():
        if head.startswith(magic):
            found.append(f"compressed:{kind}")
    if len(head) >= 2 and head[0] == 0x78 and (head[0] << 8 | head[1]) % 31 == 0:
        found.append("compressed:zlib")
    if looks_like_safetensors(head):
        found.append("safetensors")
    return found


def looks_like_pickle(head: bytes) -> bool:
    """True for the start of a protocol 2-5 pickle."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def looks_like_safetensors(head: bytes) -> bool:
    """An 8-byte little-endian header length followed by a JSON object."""
    return len(head) >= 9 and head[8:9] == b"{" and struct.unpack("<Q", head[:8])[0] < 1 << 27

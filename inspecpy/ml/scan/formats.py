"""Model file format detection: magic bytes first, file extension second.

Example::

    >>> detect_format(b"\\x80\\x04\\x95", "model.bin")
    'pickle'
    >>> detect_format(b"PK\\x03\\x04", "weights.pt")
    'zip'
    >>> detect_format(b"", "model.onnx")
    'onnx'
"""

from __future__ import annotations

import struct
from pathlib import PurePosixPath

HEAD_SIZE = 16  # bytes needed by detect_format

COMPRESSIONS = {  # magic -> compression name (joblib's compressors)
    b"\x1f\x8b": "gzip",
    b"BZh": "bz2",
    b"\xfd7zXZ\x00": "xz",
    b"\x5d\x00\x00": "lzma",
    b"\x04\x22\x4d\x18": "lz4",
    b"ZF": "zfile",
}

_EXTENSIONS = {
    ".pkl": "pickle", ".pickle": "pickle", ".joblib": "pickle", ".pt": "pickle",
    ".pth": "pickle", ".bin": "pickle", ".sav": "pickle", ".ckpt": "pickle",
    ".npy": "npy", ".npz": "npz", ".h5": "h5", ".hdf5": "h5", ".keras": "keras",
    ".safetensors": "safetensors", ".onnx": "onnx", ".py": "python",
    ".gguf": "gguf",
}


def detect_format(head: bytes, name: str = "") -> str:
    """Format of a file from its first bytes (``HEAD_SIZE`` suffice) and its name.

    Returns one of ``zip`` (refined later into pytorch/npz/keras), ``npy``,
    ``h5``, ``pickle``, ``compressed:<gzip|bz2|xz|lzma|lz4|zlib|zfile>``,
    ``safetensors``, ``gguf``, ``onnx``, ``python`` or ``unknown``.
    """
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if head[:6] == b"\x93NUMPY":
        return "npy"
    if head[:8] == b"\x89HDF\r\n\x1a\n":
        return "h5"
    if head[:4] == b"GGUF":
        return "gguf"
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        return "pickle"
    for magic, kind in COMPRESSIONS.items():
        if head.startswith(magic):
            return f"compressed:{kind}"
    if len(head) >= 2 and head[0] == 0x78 and (head[0] << 8 | head[1]) % 31 == 0:
        return "compressed:zlib"
    if len(head) >= 9 and head[8:9] == b"{" and struct.unpack("<Q", head[:8])[0] < 1 << 27:
        return "safetensors"
    return _EXTENSIONS.get(PurePosixPath(name).suffix.lower(), "unknown")


def looks_like_pickle(head: bytes) -> bool:
    """True for the start of a protocol 2-5 pickle."""
    return len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5

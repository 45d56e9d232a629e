"""Hand-built model files for the scanner tests.

Building a malicious pickle is harmless (``__reduce__`` only *describes* a
call); these files are only ever scanned, never loaded.  Every payload
would run ``touch CANARY``, so a test can prove that nothing ran.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zipfile

import numpy as np


class Reduce:
    """Pickles as the call ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return (self.func, self.args)


def touch(canary) -> Reduce:
    return Reduce(os.system, f"touch {canary}")


def uni(text: str) -> bytes:
    """SHORT_BINUNICODE"""
    data = text.encode()
    return b"\x8c" + bytes([len(data)]) + data


PROTO2, PROTO4 = b"\x80\x02", b"\x80\x04"
MEMOIZE, STACK_GLOBAL, TUPLE1, REDUCE, STOP = b"\x94", b"\x93", b"\x85", b"R", b"."


def memo_indirection(cmd: str) -> bytes:
    """'os' and 'system' memoized, popped, then fetched back with BINGET for STACK_GLOBAL."""
    return (PROTO4 + uni("os") + MEMOIZE + b"0" + uni("system") + MEMOIZE + b"0"
            + b"h\x00" + b"h\x01" + STACK_GLOBAL + uni(cmd) + TUPLE1 + REDUCE + STOP)


def long_memo_indirection(cmd: str) -> bytes:
    """Same through PUT/GET (text memo keys) and LONG_BINPUT/LONG_BINGET."""
    return (PROTO2 + b"X\x02\x00\x00\x00os" + b"p7\n" + b"0" + b"X\x06\x00\x00\x00system"
            + b"r\x08\x00\x00\x00" + b"0" + b"g7\n" + b"j\x08\x00\x00\x00" + STACK_GLOBAL
            + uni(cmd) + TUPLE1 + REDUCE + STOP)


def getattr_import_chain(cmd: str) -> bytes:
    """getattr(__import__('os'), 'system')(cmd), protocol 0, no 'os' global anywhere."""
    return (b"cbuiltins\ngetattr\n(cbuiltins\n__import__\n(Vos\ntRVsystem\ntR(V"
            + cmd.encode() + b"\ntR.")


def inst_payload(cmd: str) -> bytes:
    return b"(V" + cmd.encode() + b"\nios\nsystem\n."


def obj_payload(cmd: str) -> bytes:
    return b"(cos\nsystem\nV" + cmd.encode() + b"\no."


def newobj_payload(cmd: str) -> bytes:
    return PROTO2 + b"csubprocess\nPopen\n" + b"]" + uni("sh") + b"a" + TUPLE1 + b"\x81" + STOP


def newobj_ex_payload() -> bytes:
    return PROTO4 + uni("subprocess") + uni("Popen") + STACK_GLOBAL + b")" + b"}" + b"\x92" + STOP


def ext_payload() -> bytes:
    return PROTO2 + b"\x82\x2a" + b")" + REDUCE + STOP


def py2_string_global(cmd: str) -> bytes:
    """STACK_GLOBAL operands given as py2 SHORT_BINSTRINGs (they load as str)."""
    return PROTO4 + b"U\x02os" + b"U\x06system" + STACK_GLOBAL + uni(cmd) + TUPLE1 + REDUCE + STOP


def ufunc_reconstruct_abuse(cmd: str) -> bytes:
    """numpy's _ufunc_reconstruct(module, name) used as an import primitive."""
    return (PROTO2 + b"cnumpy.core\n_ufunc_reconstruct\n" + uni("os") + uni("system")
            + b"\x86" + REDUCE + uni(cmd) + TUPLE1 + REDUCE + STOP)


def legit_ufunc_reconstruct() -> bytes:
    return PROTO2 + b"cnumpy.core\n_ufunc_reconstruct\n" + uni("numpy") + uni("log1p") + b"\x86" + REDUCE + STOP


def torch_zip(data_pkl: bytes, extra: dict | None = None, compress=zipfile.ZIP_STORED) -> bytes:
    """A PyTorch-style zip archive (what torch.save writes) around a data.pkl."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as z:
        z.writestr("archive/data.pkl", data_pkl)
        z.writestr("archive/version", "3\n")
        z.writestr("archive/data/0", bytes(64))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def torch_state_dict_pickle() -> bytes:
    """What torch.save({'w': tensor}) writes into data.pkl (protocol 2, persistent ids)."""
    return (PROTO2 + b"}q\x00X\x01\x00\x00\x00wq\x01ctorch._utils\n_rebuild_tensor_v2\nq\x02("
            b"(X\x07\x00\x00\x00storageq\x03ctorch\nFloatStorage\nq\x04X\x01\x00\x00\x000q\x05"
            b"X\x03\x00\x00\x00cpuq\x06K\x04tq\x07QK\x00K\x04\x85q\x08K\x01\x85q\t\x89"
            b"ccollections\nOrderedDict\nq\n)Rq\x0btq\x0cRq\rs.")


def legacy_torch(payload: bytes | None = None) -> bytes:
    """torch.save(..., _use_new_zipfile_serialization=False): 5 pickles then raw storage bytes."""
    magic = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)
    return (magic + pickle.dumps(1001, protocol=2) + pickle.dumps({"little_endian": True}, protocol=2)
            + (payload or pickle.dumps({"w": 1}, protocol=2)) + pickle.dumps(["0"], protocol=2)
            + struct.pack("<q", 4) + bytes(16))


def object_npy(obj) -> bytes:
    buf = io.BytesIO()
    np.save(buf, np.array([obj, 1], dtype=object), allow_pickle=True)
    return buf.getvalue()


def safetensors(header: dict, data: bytes) -> bytes:
    import json

    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data

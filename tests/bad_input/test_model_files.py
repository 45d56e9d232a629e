"""Hostile and broken model files: each is reported not safe with a reason, and nothing runs.

Every payload here would run ``touch CANARY`` if loaded; the scanner only
reads opcodes, and ``test_no_payload_ran`` proves the canary never appears.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
import zlib

import numpy as np
import pytest

from inspecpy.ml.models.network import Network, NetworkError
from inspecpy.ml.reader import Limits
from inspecpy.ml.scan.scanner import scan_file, scan_path
from tests.conftest import run_cli, write_profile
from tests.unit.ml import model_payloads as P


@pytest.fixture
def canary(tmp_path):
    return tmp_path / "CANARY"


def system_flagged(report) -> bool:
    return any(g in ("os.system", "posix.system", "nt.system") for g in report.unsafe_globals)


def hostile_files(canary) -> dict[str, bytes]:
    cmd = f"touch {canary}"
    payload = pickle.dumps(P.touch(canary))
    return {
        "reduce.pkl": payload,
        "reduce_p0.pkl": pickle.dumps(P.touch(canary), protocol=0),
        "memo.pkl": P.memo_indirection(cmd),
        "long_memo.pkl": P.long_memo_indirection(cmd),
        "py2str.pkl": P.py2_string_global(cmd),
        "inst.pkl": P.inst_payload(cmd),
        "obj.pkl": P.obj_payload(cmd),
        "second.pkl": pickle.dumps({"benign": [1, 2]}) + payload,
        "object.npy": P.object_npy(P.touch(canary)),
        "model.pt": P.torch_zip(payload),
        "legacy.pt": P.legacy_torch(pickle.dumps(P.touch(canary), protocol=2)),
        "ufunc.pkl": P.ufunc_reconstruct_abuse(cmd),
    }


@pytest.mark.parametrize("name", ["reduce.pkl", "reduce_p0.pkl", "memo.pkl", "long_memo.pkl", "py2str.pkl",
                                  "inst.pkl", "obj.pkl", "second.pkl", "object.npy", "model.pt", "legacy.pt"])
def test_os_system_found_whatever_the_disguise(tmp_path, canary, name):
    path = tmp_path / name
    path.write_bytes(hostile_files(canary)[name])
    r = scan_path(path)
    assert not r.safe
    assert system_flagged(r), r
    assert "unsafe globals:" in r.reason


def test_getattr_import_chain_is_flagged(tmp_path):
    r = scan_file(io.BytesIO(P.getattr_import_chain("id")), "m.pkl")
    assert not r.safe
    assert {"builtins.getattr", "builtins.__import__"} <= set(r.unsafe_globals)


def test_numpy_ufunc_reconstruct_used_as_import_primitive(tmp_path, canary):
    r = scan_file(io.BytesIO(P.ufunc_reconstruct_abuse("id")), "m.pkl")
    assert not r.safe
    assert "numpy.core._ufunc_reconstruct(os.system)" in r.unsafe_globals


def test_newobj_newobj_ex_and_extension_registry_are_flagged():
    for data, name in ((P.newobj_payload("id"), "subprocess.Popen"), (P.newobj_ex_payload(), "subprocess.Popen"),
                       (P.ext_payload(), "copyreg extension code 42")):
        r = scan_file(io.BytesIO(data), "m.pkl")
        assert not r.safe and name in r.unsafe_globals, r


def test_joblib_object_array_payload(tmp_path, canary):
    import joblib
    path = tmp_path / "m.joblib"
    joblib.dump({"w": np.ones(4), "o": np.array([P.touch(canary)], dtype=object)}, path)
    r = scan_path(path)
    assert not r.safe and system_flagged(r)


def test_npz_with_object_array_payload(tmp_path, canary):
    path = tmp_path / "m.npz"
    np.savez(path, W0=np.ones((2, 2)), x=np.array([P.touch(canary), 1], dtype=object))
    r = scan_path(path)
    assert not r.safe and system_flagged(r)


def test_keras_lambda_layers(tmp_path):
    import h5py
    with h5py.File(tmp_path / "k.h5", "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"layers": [
            {"class_name": "Lambda", "config": {"function": ["4wEAAAAA", None, None]}}]}})
    r = scan_path(tmp_path / "k.h5")
    assert not r.safe and r.unsafe_globals == ("keras.layers.Lambda",)
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("config.json", json.dumps({"class_name": "Functional", "config": {"layers": [
            {"class_name": "Custom", "module": "os", "config": {}},
            {"class_name": "Lambda", "module": "keras.layers", "config": {"function": {
                "class_name": "__lambda__", "config": {"code": "4wEA"}}}}]}}))
        z.writestr("metadata.json", "{}")
    r = scan_path(path)
    assert not r.safe
    assert {"os.Custom", "keras.layers.Lambda", "keras lambda function"} <= set(r.unsafe_globals)


def test_h5_without_h5py_says_it_was_not_checked(tmp_path, monkeypatch):
    import builtins

    (tmp_path / "k.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(64))
    real_import = builtins.__import__

    def no_h5py(name, *args, **kwargs):
        if name == "h5py":
            raise ImportError("no h5py")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_h5py)
    r = scan_path(tmp_path / "k.h5")
    assert not r.safe
    assert "Keras Lambda layers not checked: h5py is not installed" in r.reason


def test_no_payload_ran(tmp_path, canary):
    for name, data in hostile_files(canary).items():
        (tmp_path / name).write_bytes(data)
        scan_path(tmp_path / name)
    scan_path(tmp_path)
    assert not canary.exists()
    # the canary mechanism itself works (without unpickling anything):
    import subprocess
    subprocess.run(P.touch(canary).args[0], shell=True, check=True)
    assert canary.exists()


def test_zip_bomb_in_a_pt_is_refused_by_declared_size(tmp_path):
    bomb = b"\x80\x04\x8e" + (64 << 20).to_bytes(8, "little") + bytes(64 << 20) + b"."
    path = tmp_path / "bomb.pt"
    path.write_bytes(P.torch_zip(bomb, compress=zipfile.ZIP_DEFLATED))
    assert path.stat().st_size < 1 << 20
    r = scan_path(path, Limits(max_bytes=8 << 20))
    assert not r.safe
    assert r.format == "pytorch"
    assert "archive/data.pkl: 67108876), more than 8388608 (limit reached; zip bomb?)" in r.reason


def test_zip_member_lying_about_its_size_is_cut_at_the_declared_size(tmp_path):
    data = P.torch_zip(b"\x80\x02}q\x00.", compress=zipfile.ZIP_DEFLATED)
    # rewrite data.pkl's declared size (local header and central directory) to 3 bytes
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo("archive/data.pkl")
    raw = bytearray(data)
    raw[info.header_offset + 22:info.header_offset + 26] = (3).to_bytes(4, "little")
    cd = raw.find(b"PK\x01\x02")
    raw[cd + 24:cd + 28] = (3).to_bytes(4, "little")
    (tmp_path / "lie.pt").write_bytes(bytes(raw))
    r = scan_path(tmp_path / "lie.pt")
    assert not r.safe
    assert "archive/data.pkl" in r.reason


def test_opcode_bound():
    data = pickle.dumps(list(range(10000)), protocol=0)
    r = scan_file(io.BytesIO(data), "m.pkl", Limits(max_opcodes=1000))
    assert not r.safe
    assert "more than 1000 pickle opcodes (limit reached)" in r.reason


@pytest.mark.parametrize("data, message", [
    (b"", "empty file: no pickle stream"),
    (b"garbage!", "cannot be fully scanned"),
    (pickle.dumps({"a": np.ones(3)})[:-7], "truncated"),
    (b"\x80\x04K\x01K\x02Z", "invalid pickle opcode b'Z' at offset 6"),
    (b"\x80\x04N\x94h\x05.", "memo key 5 read before it was written"),
    (b"\x80\x04\x94.", "stack underflow at offset 2"),
    (b"\x80\x04t.", "MARK expected"),
    (b"\x80\x04K\x01\x93.", "stack underflow"),
    (b"\x80\x04K\x01K\x02\x93.", "STACK_GLOBAL operands are not strings"),
    (pickle.dumps([1]) + b"\x00\x01", "invalid pickle opcode"),
    (b"\x80\x09.", "unsupported pickle protocol 9"),
])
def test_garbage_and_truncated_pickles(data, message):
    r = scan_file(io.BytesIO(data), "model.pkl")
    assert not r.safe
    assert message in r.reason, r.reason


def _npy(array) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def test_broken_containers(tmp_path):
    cases = {
        "t.npy": _npy(np.arange(10.0))[:-8],
        "h.npy": b"\x93NUMPY\x01\x00\x05\x00garb!",
        "x.npz": b"PK\x03\x04 not really a zip",
        "m.safetensors": P.safetensors({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}, bytes(8)),
        "o.safetensors": P.safetensors({"a": {"dtype": "U8", "shape": [8], "data_offsets": [0, 8]},
                                        "b": {"dtype": "U8", "shape": [8], "data_offsets": [4, 12]}}, bytes(12)),
        "g.onnx": b"\xff\xff\xff",
        "z.joblib": b"\x78\x9c" + zlib.compress(pickle.dumps([1]))[2:-6],
    }
    expected = {"t.npy": "truncated", "h.npy": "malformed .npy header", "x.npz": "not a readable zip",
                "m.safetensors": "past the data", "o.safetensors": "overlap", "g.onnx": "protobuf",
                "z.joblib": "zlib stream does not decompress"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        r = scan_path(tmp_path / name)
        assert not r.safe, name
        assert expected[name] in r.reason, (name, r.reason)


def test_onnx_external_data_leaving_the_folder(tmp_path):
    import onnx  # noqa: F401 - a test extra: missing is an error, not a skip
    from onnx import TensorProto, helper

    t = helper.make_tensor("w", TensorProto.FLOAT, [1], [0.0])
    t.data_location = TensorProto.EXTERNAL
    del t.float_data[:]
    entry = t.external_data.add()
    entry.key, entry.value = "location", "../../etc/passwd"
    graph = helper.make_graph([helper.make_node("Identity", ["w"], ["y"])], "g", [],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])], [t])
    (tmp_path / "m.onnx").write_bytes(helper.make_model(graph).SerializeToString())
    r = scan_path(tmp_path / "m.onnx")
    assert not r.safe
    assert "external data path '../../etc/passwd' leaves the model folder" in r.reason


def test_unknown_single_file_and_python_source_are_not_safe(tmp_path):
    (tmp_path / "weights.xyz").write_bytes(b"\x00\x01\x02")
    (tmp_path / "modeling.py").write_text("import os\n")
    assert "unrecognised format" in scan_path(tmp_path / "weights.xyz").reason
    r = scan_path(tmp_path / "modeling.py")
    assert not r.safe and "Python source" in r.reason


def test_npz_whose_shapes_do_not_chain(tmp_path):
    np.savez(tmp_path / "n.npz", W0=np.ones((4, 3)), b0=np.zeros(3), W1=np.ones((5, 2)), b1=np.zeros(2))
    with pytest.raises(NetworkError, match=r"shapes do not chain: W1 takes 5 inputs but layer 0 has 3 outputs"):
        Network.load(tmp_path / "n.npz")
    np.savez(tmp_path / "b.npz", W0=np.ones((4, 3)), b0=np.zeros(2))
    with pytest.raises(NetworkError, match=r"b0 has shape \(2,\), expected \(3,\)"):
        Network.load(tmp_path / "b.npz")
    np.savez(tmp_path / "o.npz", W0=np.array([[1, None]], dtype=object), b0=np.zeros(2))
    with pytest.raises(NetworkError, match="not a network .npz"):
        Network.load(tmp_path / "o.npz")


def test_hostile_and_broken_models_in_a_profile_fail_without_stopping_others(tmp_path, canary):
    (tmp_path / "evil.pkl").write_bytes(pickle.dumps(P.touch(canary)))
    (tmp_path / "broken.pkl").write_bytes(b"\x80\x04K")
    np.savez(tmp_path / "bad.npz", W0=np.ones((4, 3)), b0=np.zeros(3), W1=np.ones((5, 2)), b1=np.zeros(2))
    (tmp_path / "model.sig").write_text("this is not json")
    (tmp_path / "key.pub").write_text("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n")
    d = str(tmp_path)
    controls = f"""
        from inspecpy import control, describe
        from inspecpy.resources import model

        @control("evil")
        def _():
            describe(model({d + '/evil.pkl'!r})).should.be_safe()

        @control("broken")
        def _():
            describe(model({d + '/broken.pkl'!r})).should.be_safe()

        @control("missing")
        def _():
            describe(model({d + '/nope.pkl'!r})).should.be_safe()

        @control("bad-network")
        def _():
            describe(model({d + '/bad.npz'!r}).evaluate(([[0.0] * 4], [0]))).its("accuracy").should.eq(1.0)

        @control("bad-signature")
        def _():
            describe(model({d + '/bad.npz'!r})).should.be_signed_by({d + '/key.pub'!r}, {d + '/model.sig'!r})

        @control("good")
        def _():
            describe(1).should.eq(1)
    """
    profile = write_profile(tmp_path, controls={"m.py": controls})
    run = run_cli("exec", profile, "--reporter", "json", "--no-color")
    assert run.code == 100, run.err
    results = {c["id"]: c["results"][0] for c in json.loads(run.out)["profiles"][0]["controls"]}
    assert results["good"]["status"] == "passed"
    assert "unsafe globals: posix.system" in results["evil"]["message"] or \
        "unsafe globals: os.system" in results["evil"]["message"]
    assert "truncated" in results["broken"]["message"]
    assert "no such file or directory" in (results["missing"].get("message") or "")
    assert "shapes do not chain" in results["bad-network"]["message"]
    assert "signature is not JSON" in results["bad-signature"]["message"]
    assert all(r["status"] == "failed" for k, r in results.items() if k != "good")
    assert not canary.exists()

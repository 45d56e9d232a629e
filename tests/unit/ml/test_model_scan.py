"""The static scanner on benign model files of every supported format (written for real)."""

from __future__ import annotations

import collections
import io
import warnings
import json
import pickle
import pickletools
import zipfile

import numpy as np
import pytest

from inspecpy.ml.scan.allowlist import is_allowed, normalize
from inspecpy.ml.scan.formats import candidates
from inspecpy.ml.scan.pickle_scan import OPCODE_BYTES
from inspecpy.ml.reader import Limits
from inspecpy.ml.scan.scanner import scan_file, scan_path
from tests.unit.ml import model_payloads as P

import joblib


@pytest.fixture(scope="module")
def fitted():
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler
    from sklearn.ensemble import RandomForestClassifier

    X, y = load_digits(return_X_y=True)
    warnings.simplefilter("ignore")
    return [
        LogisticRegression(max_iter=300).fit(X, y),
        MLPClassifier((8,), max_iter=30).fit(X, y),
        RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y),
        make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), LogisticRegression(max_iter=50)).fit(X, y),
    ]


def test_every_pickle_opcode_is_handled():
    assert OPCODE_BYTES == {op.code.encode("latin-1")[0] for op in pickletools.opcodes}


@pytest.mark.parametrize("protocol", range(6))
def test_plain_data_is_safe_in_every_protocol(protocol):
    obj = {"a": np.arange(5.0), "b": {1, 2}, "c": frozenset({3}), "d": 1.5, "e": 2**100,
           "f": b"bytes", "g": "text", "h": collections.OrderedDict(x=1), "i": complex(1, 2),
           "j": bytearray(b"x"), "k": (None, True, False), "l": slice(1, 2)}
    r = scan_file(io.BytesIO(pickle.dumps(obj, protocol=protocol)), "m.pkl")
    assert r.safe, r.reason
    assert r.format == "pickle"
    assert "numpy.dtype" in r.globals and not r.unsafe_globals


def test_sklearn_models_pickled_and_joblib_dumped_are_safe(tmp_path, fitted):
    for i, est in enumerate(fitted):
        for kind, compress in (("joblib", 0), ("gz", 3), ("zlib", ("zlib", 3)), ("bz2", ("bz2", 3)),
                               ("xz", ("xz", 3))):
            path = tmp_path / f"m{i}.{kind}.joblib"
            joblib.dump(est, path, compress=compress)
            r = scan_path(path)
            assert r.safe, (type(est).__name__, kind, r.reason)
            assert r.format == "joblib"
        path = tmp_path / f"m{i}.pkl"
        path.write_bytes(pickle.dumps(est))
        r = scan_path(path)
        assert r.safe and r.format == "pickle", r.reason
        assert any(g.startswith("sklearn.") for g in r.globals)


def test_joblib_inline_arrays_are_skipped_including_object_arrays(tmp_path):
    path = tmp_path / "a.joblib"
    joblib.dump({"f": np.ones((3, 4)), "o": np.array([1, "a", None], dtype=object),
                 "s": np.zeros(3, dtype=[("a", "<i4"), ("b", "<U3")])}, path)
    r = scan_path(path)
    assert r.safe, r.reason
    assert r.format == "joblib"


def test_numpy_ufunc_and_random_state_are_data():
    r = scan_file(io.BytesIO(pickle.dumps([np.log1p, np.random.RandomState(0), np.random.default_rng(1)])))
    assert r.safe, r.reason
    r = scan_file(io.BytesIO(P.legit_ufunc_reconstruct()))
    assert r.safe, r.reason
    assert "numpy.log1p" in r.globals


def test_pytorch_zip_state_dict_is_safe(tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(P.torch_zip(P.torch_state_dict_pickle()))
    r = scan_path(path)
    assert r.safe, r.reason
    assert r.format == "pytorch"
    assert "torch._utils._rebuild_tensor_v2" in r.globals and "torch.FloatStorage" in r.globals


def test_pytorch_zip_compressed_members_and_any_pickle_member_scanned(tmp_path):
    path = tmp_path / "model.pth"
    path.write_bytes(P.torch_zip(P.torch_state_dict_pickle(), {"archive/extra": pickle.dumps([1], protocol=2)},
                                 compress=zipfile.ZIP_DEFLATED))
    r = scan_path(path)
    assert r.safe, r.reason


def test_tensor_storages_that_happen_to_start_like_a_pickle_are_data(tmp_path):
    path = tmp_path / "model.pt"
    path.write_bytes(P.torch_zip(P.torch_state_dict_pickle(), {"archive/data/1": b"\x80\x03garbage-floats"}))
    r = scan_path(path)
    assert r.safe, r.reason


def test_legacy_pytorch_file(tmp_path):
    path = tmp_path / "old.pt"
    path.write_bytes(P.legacy_torch())
    r = scan_path(path)
    assert r.safe, r.reason
    assert r.format == "pytorch-legacy"


def test_npy_npz_and_network_npz_are_safe(tmp_path):
    np.save(tmp_path / "a.npy", np.arange(12).reshape(3, 4))
    np.savez(tmp_path / "n.npz", W0=np.ones((4, 3)), b0=np.zeros(3), activation=np.array("relu"))
    np.savez_compressed(tmp_path / "c.npz", x=np.ones(100))
    for name, fmt in (("a.npy", "npy"), ("n.npz", "npz"), ("c.npz", "npz")):
        r = scan_path(tmp_path / name)
        assert r.safe and r.format == fmt, r.reason


def test_object_npy_with_plain_objects_is_scanned_and_safe(tmp_path):
    (tmp_path / "o.npy").write_bytes(P.object_npy({"a": 1}))
    r = scan_path(tmp_path / "o.npy")
    assert r.safe, r.reason
    assert any("object array" in n for n in r.notes)


def test_safetensors_header(tmp_path):
    path = tmp_path / "m.safetensors"
    path.write_bytes(P.safetensors({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                                    "__metadata__": {"format": "pt"}}, bytes(16)))
    r = scan_path(path)
    assert r.safe and r.format == "safetensors", r.reason


def test_keras_h5_without_lambda_and_plain_hdf5(tmp_path):
    import h5py
    with h5py.File(tmp_path / "k.h5", "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {"layers": [
            {"class_name": "Dense", "module": "keras.layers", "config": {"units": 2}}]}})
    with h5py.File(tmp_path / "w.h5", "w") as f:
        f["x"] = np.ones(3)
    for name in ("k.h5", "w.h5"):
        r = scan_path(tmp_path / name)
        assert r.safe and r.format == "h5", r.reason


def test_keras_v3_zip(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("config.json", json.dumps({"class_name": "Sequential", "module": "keras",
                                              "config": {"layers": []}}))
        z.writestr("metadata.json", "{}")
        z.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")
    r = scan_path(path)
    assert r.safe and r.format == "keras", r.reason


def test_onnx_model_from_skl2onnx(tmp_path, fitted):
    import skl2onnx
    onx = skl2onnx.to_onnx(fitted[0], np.zeros((1, 64), dtype=np.float32))
    (tmp_path / "m.onnx").write_bytes(onx.SerializeToString())
    r = scan_path(tmp_path / "m.onnx")
    assert r.safe and r.format == "onnx", r.reason


def test_folder_model_scans_every_file(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text("{}")
    np.save(tmp_path / "m" / "w.npy", np.ones(3))
    (tmp_path / "m" / "sub").mkdir()
    (tmp_path / "m" / "sub" / "head.pkl").write_bytes(pickle.dumps({"a": 1}))
    r = scan_path(tmp_path / "m")
    assert r.safe and r.format == "directory", r.reason
    assert "config.json: JSON data" in r.notes


def test_format_candidates_by_magic_or_by_a_loaders_file_name():
    assert candidates(b"\x80\x05\x95", "x.bin") == ["pickle"]
    assert candidates(b"PK\x03\x04", "x.pkl") == ["zip"]
    assert candidates(b"\x93NUMPY\x01\x00", "x") == ["npy"]
    assert candidates(b"\x89HDF\r\n\x1a\n", "x.bin") == ["h5"]
    assert candidates(b"\x1f\x8b\x08", "m.joblib") == ["compressed:gzip"]
    assert candidates(b"(dp0\n", "m.pkl") == []  # no magic: walked as a pickle, then as text
    assert candidates(b"\x08\x07\x12", "m.onnx") == ["onnx"]
    assert candidates(b"\x80\x05\x95", "x.onnx") == ["onnx"]  # onnxruntime goes by the name
    assert candidates(b"hello", "README") == []


def test_allowlist_is_exact_module_and_name_pairs():
    for name in ("collections.OrderedDict", "numpy._core.multiarray._reconstruct", "numpy.dtype",
                 "torch._utils._rebuild_tensor_v2", "torch.float16", "torch.BFloat16Storage",
                 "sklearn.linear_model._logistic.LogisticRegression", "builtins.set",
                 "scipy.sparse._csr.csr_matrix", "numpy.log1p", "numpy.float64", "numpy.int64",
                 "argparse.Namespace"):
        assert is_allowed(*name.rsplit(".", 1)), name
    for name in ("os.system", "posix.system", "builtins.eval", "builtins.getattr", "builtins.__import__",
                 "subprocess.Popen", "sklearn.utils._testing.TempMemmap", "numpy.load",
                 "sklearn.datasets.fetch_openml", "torch.load", "runpy._run_code", "numpy.fromfile",
                 "sklearn.linear_model._base.LinearRegressionX", "importlib.import_module",
                 "pkgutil.resolve_name", "marshal.loads"):
        assert not is_allowed(*name.rsplit(".", 1)), name
    # protocol-4 dotted names resolve through the module's own imports: never allowed by look
    for module, name in (("sklearn.linear_model._base", "np.f2py.subprocess.Popen"),
                         ("torch.nn.modules.module", "threading.Thread"),
                         ("scipy.sparse._base", "np.ctypeslib.ctypes.CDLL"),
                         ("builtins", "print.__class__.__base__.__subclasses__"),
                         ("numpy", "prod.a"), ("collections", "OrderedDict.fromkeys")):
        assert not is_allowed(module, name), (module, name)
    assert is_allowed("mypkg", "Model", extra=("mypkg.Model",))
    assert is_allowed("mypkg.sub", "Model", extra=("mypkg.",))
    assert not is_allowed("mypkg.sub", "os.system", extra=("mypkg.",))
    assert normalize("__builtin__", "set", protocol=2) == ("builtins", "set")
    assert normalize("copy_reg", "_reconstructor", protocol=0) == ("copyreg", "_reconstructor")


def test_extra_allowed_globals_make_a_custom_class_safe():
    data = b"\x80\x04" + P.uni("mypkg.models") + P.uni("Net") + b"\x93)\x81."
    assert not scan_file(io.BytesIO(data)).safe
    r = scan_file(io.BytesIO(data), limits=Limits(allow=("mypkg.",)))
    assert r.safe, r.reason


def test_large_numpy_pickle_payload_is_skipped_not_read(tmp_path):
    path = tmp_path / "big.pkl"
    path.write_bytes(pickle.dumps({f"w{i}": np.zeros(1 << 18) for i in range(8)}, protocol=4))  # 16 MB
    r = scan_path(path, Limits(max_bytes=1 << 16))  # 64 KiB budget: payloads must be skipped
    assert r.safe, r.reason

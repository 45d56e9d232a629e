"""An adversarial corpus for the model scanner, built from public advisories — as generated files.

:func:`build` writes every sample into a folder and returns a list of
:class:`Sample` (name, path, expected verdict, source).  Nothing here is
ever loaded by the scanner tests; every code-running payload would run
``touch CANARY`` so a test can prove that nothing ran.  Sources are the
public advisories and issue threads of picklescan (GHSA-vvpj-8cmc-gx39,
GHSA-769v-p64c-89pr, GHSA-7q5r-7gvp-wc82, GHSA-w8jq-xcqf-f792, issues
#13/#14), modelscan (#85 BUILD slot state, #338 introspection chains),
fickling, Keras (CVE-2025-1550, CVE-2025-9905, CVE-2025-9906,
GHSA-36fq-jgmw-4r9c), ONNX (external data path traversal, CVE-2024-27318/
CVE-2024-5187), llama-cpp-python (CVE-2024-34359 chat-template SSTI), and
this scanner's own loader differentials (joblib arrays).

    python -m tests.unit.ml.scan_corpus.corpus OUT_DIR   # writes the files, prints the list
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import struct
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.unit.ml import model_payloads as P


@dataclass(frozen=True)
class Sample:
    name: str
    path: Path
    malicious: bool  # True: must be refused; False: must be accepted
    source: str
    runs_canary: bool = False  # loading it would create the canary (proved in the differential test)


def uni(s: str) -> bytes:
    return P.uni(s)


def pb(number: int, value) -> bytes:
    """One protobuf field: bytes/str/message (wire 2) or int (wire 0)."""
    def varint(n: int) -> bytes:
        out = b""
        while True:
            b, n = n & 0x7F, n >> 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data


def call(module: str, name: str, *args: str) -> bytes:
    """Protocol-4 opcodes calling module.name(*str args) via STACK_GLOBAL."""
    body = b"".join(uni(a) for a in args)
    return uni(module) + uni(name) + b"\x93(" + body + b"tR"


def touch_cmd(canary: Path) -> str:
    return f"touch {canary}"


# --- pickles -------------------------------------------------------------------

def pickles(c: Path) -> dict[str, tuple[bytes, str]]:
    cmd = touch_cmd(c)
    popen = "]" .encode() + uni("sh") + b"a" + uni("-c") + b"a" + uni(cmd) + b"a"
    return {
        "reduce.pkl": (pickle.dumps(P.touch(c)), "baseline __reduce__ os.system"),
        "reduce_p0.pkl": (pickle.dumps(P.touch(c), protocol=0), "protocol 0, no magic"),
        "memo_confusion.pkl": (P.long_memo_indirection(cmd), "picklescan #14: PUT/MEMOIZE confusion"),
        "memoize_popped.pkl": (P.memo_indirection(cmd), "popped-decoy STACK_GLOBAL operands"),
        "inst.pkl": (P.inst_payload(cmd), "picklescan #13: INST opcode"),
        "obj.pkl": (P.obj_payload(cmd), "OBJ opcode"),
        "newobj_ex.pkl": (P.newobj_ex_payload(), "NEWOBJ_EX with subprocess.Popen"),
        "ext_registry.pkl": (P.ext_payload(), "copyreg extension registry (EXT1)"),
        "py2_strings.pkl": (P.py2_string_global(cmd), "STACK_GLOBAL operands as py2 strings"),
        "getattr_import.pkl": (P.getattr_import_chain(cmd), "builtins.getattr + __import__ chain"),
        "ufunc_reconstruct.pkl": (P.ufunc_reconstruct_abuse(cmd), "numpy _ufunc_reconstruct as import"),
        "dotted_f2py.pkl": (b"\x80\x04" + uni("sklearn.linear_model._base") + uni("np.f2py.subprocess.Popen")
                            + b"\x93" + popen + b"\x85R.", "protocol-4 dotted name through a module's imports"),
        "dotted_scipy.pkl": (b"\x80\x04" + uni("scipy.sparse._base") + uni("np.f2py.subprocess.Popen")
                             + b"\x93" + popen + b"\x85R.", "dotted name in scipy.sparse"),
        "dotted_builtins.pkl": (b"\x80\x04" + uni("builtins") + uni("print.__class__.__base__.__subclasses__")
                                + b"\x93)R.", "modelscan #338: introspection chain on builtins"),
        "build_slotstate.pkl": (b"cnumpy\nprod\nN(Va\nVos\ndN(Vb\nVsystem\nd\x86b0cnumpy\nprod.a\np0\n"
                                b"cnumpy\nprod.b\np1\n00g0\ng1\n\x93V" + cmd.encode() + b"\n\x85R.",
                                "modelscan #85: BUILD slot state on an imported function"),
        "importlib.pkl": (b"\x80\x04" + call("importlib", "import_module", "os") + b".",
                          "picklescan GHSA-vvpj-8cmc-gx39: import by name (importlib)"),
        "pkgutil_resolve.pkl": (b"\x80\x04" + uni("pkgutil") + uni("resolve_name") + b"\x93"
                                + uni("os:system") + b"\x85R" + uni(cmd) + b"\x85R.",
                                "picklescan GHSA-vvpj-8cmc-gx39: pkgutil.resolve_name"),
        "marshal.pkl": (b"\x80\x04" + uni("marshal") + uni("loads") + b"\x93C\x01\x00\x85R.",
                        "picklescan #74: marshal.loads code objects"),
        "second_stream.pkl": (pickle.dumps({"benign": [1, 2]}) + pickle.dumps(P.touch(c)),
                              "malicious second pickle after a benign one"),
        "gensim.model": (pickle.dumps(P.touch(c), protocol=1), "protocol-1 pickle, no magic, .model name"),
        "weights.npy": (pickle.dumps(P.touch(c), protocol=2), ".npy that np.load(allow_pickle) unpickles"),
    }


# --- joblib differentials --------------------------------------------------------

def _wrapper(state: bytes) -> bytes:
    return uni("joblib.numpy_pickle") + uni("NumpyArrayWrapper") + b"\x93)\x81" + state + b"b"


def _dtype(descr: str, state: bytes | None = None) -> bytes:
    out = uni("numpy") + uni("dtype") + b"\x93" + uni(descr) + b"\x89\x88\x87R"
    return out + (state + b"b" if state else b"")


def _state(shape: tuple, dtype: bytes, extra: bytes = b"") -> bytes:
    dims = b"".join(b"K" + bytes([n]) for n in shape)
    return (b"}(" + uni("subclass") + uni("numpy") + uni("ndarray") + b"\x93" + uni("shape") + b"(" + dims
            + b"t" + uni("order") + uni("C") + uni("dtype") + dtype + extra + b"u")


def _payload(c: Path, size: int) -> bytes:
    """Opcodes that drop the array, run ``touch CANARY`` and pad to ``size`` bytes."""
    body = b"0" + b"cos\nsystem\n" + uni(touch_cmd(c)) + b"\x85R0"
    assert len(body) <= size, (len(body), size)
    return body + b"N0" * ((size - len(body)) // 2) + b"N" * ((size - len(body)) % 2)


def joblib_differentials(c: Path) -> dict[str, tuple[bytes, str]]:
    pad = 256
    # 1. dtype elsize in the state: numpy ignores it for f8, a naive scanner skips 16 * 32 bytes
    lie = _dtype("f8", b"(K\x03\x8c\x01<NNNK\x10J\xff\xff\xff\xffK\x00t")
    elsize = (b"\x80\x04(" + _wrapper(_state((32,), lie)) + bytes(256) + _payload(c, pad) + b"t.")
    # 2. alignment attribute 0: joblib still reads one padding byte
    align0 = (b"\x80\x04(" + _wrapper(_state((1,), _dtype("f8"), uni("numpy_array_alignment_bytes") + b"K\x00"))
              + b"\x00" + bytes(8) + _payload(c, pad) + b"t.")
    # 3. a wrapper in a plain pickle: pickle.load reads the "array" as opcodes
    plain = (b"\x80\x04(" + _wrapper(_state((pad // 8,), _dtype("f8"))) + _payload(c, pad) + b"t.")
    # 4. a wrapper inside an object array's nested pickle: joblib reads that one with a plain Unpickler
    nested_inner = b"\x80\x04(" + _wrapper(_state((pad // 8,), _dtype("f8"))) + _payload(c, pad) + b"t."
    nested = (b"\x80\x04(" + _wrapper(_state((1,), _dtype("O"))) + nested_inner + b"t.")
    return {
        "joblib_elsize_lie.joblib": (elsize, "loader differential: dtype elsize vs numpy's dtype"),
        "joblib_align_zero.joblib": (align0, "loader differential: alignment attribute 0"),
        "joblib_wrapper_in_plain.pkl": (plain, "loader differential: wrapper read by pickle.load"),
        "joblib_nested_wrapper.joblib": (nested, "loader differential: wrapper in an object-array pickle"),
    }


# --- archives ---------------------------------------------------------------------

def _zip(members: dict[str, bytes], compress=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _torch_tar(pickle_member: bytes) -> bytes:
    storages = (pickle.dumps(1, protocol=2) + P.PROTO2 + b"(X\x01\x00\x00\x000X\x03\x00\x00\x00cpu"
                b"ctorch\nFloatStorage\nt." + struct.pack("<q", 2) + bytes(8) + pickle.dumps([], protocol=2))
    tensors = (pickle.dumps(1, protocol=2) + pickle.dumps(("t0", "0", None), protocol=2)
               + struct.pack("<i", 1) + bytes(4) + struct.pack("<qq", 2, 1) + struct.pack("<q", 0))
    return _tar({"sys_info": pickle.dumps({"protocol_version": 1001}, protocol=2), "pickle": pickle_member,
                 "storages": storages, "tensors": tensors})


def archives(c: Path) -> dict[str, tuple[bytes, str]]:
    payload = pickle.dumps(P.touch(c), protocol=2)
    crc = bytearray(P.torch_zip(payload))
    i = crc.find(b"PK\x01\x02")  # break data.pkl's CRC in the central directory
    crc[i + 16:i + 20] = b"\x00\x00\x00\x00"
    flag = bytearray(P.torch_zip(payload))
    flag[6] |= 1  # "encrypted" flag bit in the local header
    j = flag.find(b"PK\x01\x02")
    flag[j + 8] |= 1
    keras_config = {"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Lambda", "config": {"function": {"class_name": "__lambda__", "config": {"code": "4wEA"}}}}]}}
    return {
        "torch_zip.pt": (P.torch_zip(payload), "torch.save zip with a payload in data.pkl"),
        "torch_zip_other_name.bin": (P.torch_zip(pickle.dumps({"w": 1}), {"archive/extra.pickle": payload}),
                                     "picklescan GHSA-769v: pickle member with another extension"),
        "torch_zip_bad_crc.pt": (bytes(crc), "picklescan GHSA-7q5r: zip that crashes zipfile but not torch"),
        "torch_zip_flag_bits.pt": (bytes(flag), "picklescan GHSA-w8jq: zip flag bits"),
        "legacy.pt": (P.legacy_torch(payload), "legacy torch.save (5 pickles)"),
        "torch_tar.pt": (_torch_tar(payload), "tar checkpoint (magic at offset 257)"),
        "torchscript.pt": (_zip({"m/data.pkl": pickle.dumps({}), "m/constants.pkl": pickle.dumps(()),
                                 "m/code/__torch__/m.py": b"def forward(self):\n  return torch.ops.aten.x\n"}),
                           "TorchScript archive: code inside is code"),
        "keras_with_data_pkl.keras": (_zip({"config.json": json.dumps(keras_config).encode(),
                                            "metadata.json": b"{}", "data.pkl": pickle.dumps([1])}),
                                      "an extra data.pkl does not make a .keras a PyTorch archive"),
        "model.joblib.gz": (__import__("gzip").compress(pickle.dumps(P.touch(c))), "gzip-compressed joblib"),
        "npz_object.npz": (_zip({"W0.npy": P.object_npy(P.touch(c))}), "npz with an object array"),
        "object.npy": (P.object_npy(P.touch(c)), "object .npy"),
    }


# --- Keras, ONNX, GGUF, TensorFlow ------------------------------------------------------

def _keras(config: dict) -> bytes:
    return _zip({"config.json": json.dumps(config).encode(), "metadata.json": b"{}",
                 "model.weights.h5": b"\x89HDF\r\n\x1a\n"})


def _seq(*layers) -> dict:
    return {"class_name": "Sequential", "module": "keras", "config": {"layers": list(layers)}}


def keras_samples(c: Path) -> dict[str, tuple[bytes, str]]:
    torch_module = base64.b64encode(P.torch_zip(pickle.dumps(P.touch(c), protocol=2))).decode()
    return {
        "lambda.keras": (_keras(_seq({"class_name": "Lambda", "module": "keras.layers",
                                      "config": {"function": {"class_name": "__lambda__", "config": {}}}})),
                         "Keras Lambda layer"),
        "module_os.keras": (_keras(_seq({"class_name": "system", "module": "os", "config": {}})),
                            "CVE-2025-1550: object from a module outside Keras"),
        "unsafe_deserialization.keras": (_keras(_seq({"module": "keras.config", "class_name": "function",
                                                      "config": "enable_unsafe_deserialization"})),
                                         "GHSA-36fq-jgmw-4r9c: keras.config function"),
        "load_model_function.keras": (_keras(_seq({"class_name": "Lambda", "module": "keras.layers",
                                                   "config": {"function": {"module": "keras.models",
                                                                           "class_name": "function",
                                                                           "config": "load_model"}}})),
                                      "CVE-2025-9906: keras.models.load_model through a function"),
        "torch_module_wrapper.keras": (_keras(_seq({"class_name": "TorchModuleWrapper", "module": "keras.layers",
                                                    "config": {"module": torch_module}})),
                                       "TorchModuleWrapper: base64 torch.save handed to torch.load"),
        "tfsm_layer.keras": (_keras(_seq({"class_name": "TFSMLayer", "module": "keras.layers",
                                          "config": {"filepath": "/tmp/evil_savedmodel"}})),
                             "TFSMLayer loads a SavedModel from a path"),
        "string_lookup.keras": (_keras(_seq({"class_name": "StringLookup", "module": "keras.layers",
                                             "config": {"vocabulary": "/etc/passwd"}})),
                                "StringLookup vocabulary read from a host file"),
    }


def onnx_model(external: list[tuple[str, str]] = (), where: str = "initializer") -> bytes:
    from onnx import TensorProto, helper

    def tensor(name, location):
        t = helper.make_tensor(name, TensorProto.FLOAT, [1], [0.0])
        if location:
            t.data_location = TensorProto.EXTERNAL
            del t.float_data[:]
            e = t.external_data.add()
            e.key, e.value = "location", location
        return t

    out = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    inits, nodes, functions = [], [], []
    for i, (kind, loc) in enumerate(external or [("plain", "")]):
        t = tensor(f"w{i}", loc)
        if kind in ("initializer", "plain"):
            inits.append(t)
            nodes.append(helper.make_node("Identity", [f"w{i}"], [f"y{i}"]))
        elif kind == "constant":
            nodes.append(helper.make_node("Constant", [], [f"y{i}"], value=t))
        elif kind == "subgraph":
            branch = helper.make_graph([helper.make_node("Constant", [], ["z"], value=t)], "b", [],
                                       [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1])])
            nodes.append(helper.make_node("If", ["cond"], [f"y{i}"], then_branch=branch, else_branch=branch))
            inits.append(helper.make_tensor("cond", TensorProto.BOOL, [], [True]))
        elif kind == "function":
            functions.append(helper.make_function("local", "f", [], ["z"],
                                                  [helper.make_node("Constant", [], ["z"], value=t)],
                                                  [helper.make_opsetid("", 17)]))
            nodes.append(helper.make_node("f", [], [f"y{i}"], domain="local"))
    nodes.append(helper.make_node("Identity", [nodes[-1].output[0]], ["y"]))
    graph = helper.make_graph(nodes, "g", [], [out], inits)
    m = helper.make_model(graph, functions=functions,
                          opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("local", 1)])
    return m.SerializeToString()


def gguf(template: str | None) -> bytes:
    def s(x: str) -> bytes:
        b = x.encode()
        return struct.pack("<Q", len(b)) + b
    kv = [s("general.architecture") + struct.pack("<I", 8) + s("llama")]
    if template is not None:
        kv.append(s("tokenizer.chat_template") + struct.pack("<I", 8) + s(template))
    kv.append(s("tokenizer.ggml.tokens") + struct.pack("<I", 9) + struct.pack("<IQ", 8, 2) + s("a") + s("b"))
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(kv)) + b"".join(kv)


CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content']"
          " + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
          "{% endif %}")
LLAMA2 = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
          "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
          "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
          "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
          "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
          "{% endif %}{% if loop.index0 == 0 and system_message != false %}"
          "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
          "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
          "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
          "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")


def saved_model(ops: list[str]) -> bytes:
    nodes = b"".join(pb(1, pb(1, f"n{i}") + pb(2, op)) for i, op in enumerate(ops))
    return pb(1, 1) + pb(2, pb(2, nodes))


def keras_metadata(layer: dict) -> bytes:
    return pb(1, pb(2, 1) + pb(3, "root.layer") + pb(4, "_tf_keras_layer") + pb(5, json.dumps(layer)))


def ssti(c: Path) -> str:
    return ("{{ self.__init__.__globals__.__builtins__.__import__('os').system('" + touch_cmd(c) + "') }}")


# --- folders --------------------------------------------------------------------------

def _folder(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


def build(out: Path, canary: Path) -> list[Sample]:
    """Write the whole corpus into ``out``; every payload would create ``canary``."""
    out.mkdir(parents=True, exist_ok=True)
    samples: list[Sample] = []

    def add(name: str, data: bytes, malicious: bool, source: str, runs: bool = False):
        path = out / name
        path.write_bytes(data)
        samples.append(Sample(name, path, malicious, source, runs))

    for group in (pickles(canary), joblib_differentials(canary), archives(canary), keras_samples(canary)):
        for name, (data, source) in group.items():
            add(name, data, True, source, runs=name in joblib_differentials(canary))
    add("chat_template_ssti.gguf", gguf(ssti(canary)), True, "CVE-2024-34359: chat template SSTI")
    add("lambda_in_savedmodel_metadata.pb", b"", True, "")  # replaced below by a folder
    samples.pop()
    (out / "lambda_in_savedmodel_metadata.pb").unlink()
    sm = _folder(out / "savedmodel_lambda", {
        "saved_model.pb": saved_model(["Placeholder", "MatMul"]),
        "keras_metadata.pb": keras_metadata({"class_name": "Lambda", "config": {"function": "4wEA"}}),
        "variables/variables.index": bytes(40) + bytes.fromhex("57fb808b247547db")})
    samples.append(Sample("savedmodel_lambda/", sm, True, "keras_metadata.pb with a Lambda layer"))
    sm = _folder(out / "savedmodel_readfile", {"saved_model.pb": saved_model(["Placeholder", "ReadFile"])})
    samples.append(Sample("savedmodel_readfile/", sm, True, "SavedModel graph with a ReadFile op"))
    for kind in ("initializer", "constant", "subgraph", "function"):
        d = _folder(out / f"onnx_traversal_{kind}", {"model.onnx": onnx_model([(kind, "../../etc/passwd")])})
        samples.append(Sample(f"onnx_traversal_{kind}/", d, True, f"ONNX external data path traversal ({kind})"))
    d = _folder(out / "onnx_absolute", {"model.onnx": onnx_model([("initializer", "/etc/passwd")])})
    samples.append(Sample("onnx_absolute/", d, True, "ONNX external data absolute path"))
    d = _folder(out / "onnx_symlink", {"model.onnx": onnx_model([("initializer", "weights.bin")])})
    os.symlink("/etc/passwd", d / "weights.bin")
    samples.append(Sample("onnx_symlink/", d, True, "ONNX external data symlink leaving the folder"))
    d = _folder(out / "folder_unknown_blob", {"config.json": b"{}", "blob.dat": bytes(range(256)) * 4})
    samples.append(Sample("folder_unknown_blob/", d, True, "folder: unknown binary is not checked"))
    d = _folder(out / "folder_remote_code", {"config.json": b'{"auto_map": {"AutoModel": "modeling.Net"}}',
                                              "modeling.py": f"import os\nos.system({touch_cmd(canary)!r})\n".encode()})
    samples.append(Sample("folder_remote_code/", d, True, "trust_remote_code Python file"))
    samples.extend(benign(out / "benign"))
    return samples


def benign(out: Path) -> list[Sample]:
    """What scikit-learn, joblib, numpy, torch-style writers, ONNX, Keras and GGUF really write."""
    import argparse
    import collections

    import joblib
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, LabelEncoder, OneHotEncoder, StandardScaler

    out.mkdir(parents=True, exist_ok=True)
    X, y = load_iris(return_X_y=True)
    lr = LogisticRegression(max_iter=200).fit(X, y)
    rf = RandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    pipe = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), LogisticRegression(max_iter=200)).fit(X, y)
    ohe = OneHotEncoder(dtype=np.float64).fit([["a"], ["b"]])
    le = LabelEncoder().fit(["cat", "dog"])
    samples = []

    def add(name: str, source: str, data: bytes | None = None, writer=None):
        path = out / name
        if writer:
            writer(path)
        else:
            path.write_bytes(data)
        samples.append(Sample(name, path, False, source))

    add("logreg.pkl", "pickle.dumps(LogisticRegression)", pickle.dumps(lr))
    add("forest.joblib", "joblib.dump(RandomForest)", writer=lambda p: joblib.dump(rf, p))
    for comp in ("gzip", "zlib", "bz2", "xz"):
        add(f"pipeline.{comp}.joblib", f"joblib.dump compress={comp}",
            writer=lambda p, comp=comp: joblib.dump(pipe, p, compress=(comp, 3)))
    add("onehot_float64.pkl", "estimator with dtype=numpy.float64", pickle.dumps(ohe))
    add("label_encoder_objects.joblib", "object array of strings", writer=lambda p: joblib.dump(le, p))
    add("structured.npy", "structured .npy",
        writer=lambda p: np.save(p, np.zeros(3, dtype=[("a", "<i4"), ("b", "<U3")])))
    add("arrays.npz", "np.savez", writer=lambda p: np.savez(p, W0=np.ones((2, 2)), b0=np.zeros(2)))
    add("checkpoint_namespace.pkl", "argparse.Namespace in a checkpoint",
        pickle.dumps({"args": argparse.Namespace(lr=0.1, epochs=3), "state": collections.OrderedDict(w=1)}))
    add("state_dict.pt", "hand-built torch zip", P.torch_zip(P.torch_state_dict_pickle()))
    add("legacy_state.pt", "hand-built legacy torch", P.legacy_torch())
    add("tar_checkpoint.pt", "hand-built torch tar checkpoint", _torch_tar(pickle.dumps({"w": 1}, protocol=2)))
    header = json.dumps({"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}}).encode()
    header += b" " * ((0x9c78 - len(header)) % 65536)  # length bytes 78 9c: a zlib magic
    add("zlib_looking.safetensors", "safetensors whose header length starts like zlib",
        struct.pack("<Q", len(header)) + header + b"\x00")
    add("chatml.gguf", "GGUF with the ChatML template", gguf(CHATML))
    add("llama2.gguf", "GGUF with the Llama-2 template", gguf(LLAMA2))
    add("sequential.keras", "Keras v3 Sequential", _keras(_seq(
        {"class_name": "Dense", "module": "keras.layers", "config": {"units": 2, "activation": {
            "module": "keras.activations", "class_name": "function", "config": "relu"}}})))
    d = out / "onnx_external"
    d.mkdir()
    (d / "model.onnx").write_bytes(onnx_model([("initializer", "weights.bin")]))
    (d / "weights.bin").write_bytes(b"\x80\x02" + bytes(2))  # raw floats that begin like a pickle
    samples.append(Sample("onnx_external/", d, False, "ONNX with in-folder external data"))
    d = _folder(out / "hf_folder", {"config.json": b'{"architectures": ["Bert"]}', "tokenizer.json": b'{"v": 1}',
                                    "vocab.txt": b"[PAD]\n[UNK]\nhello\n", "README.md": b"# A model\n",
                                    "model.safetensors": P.safetensors({"w": {"dtype": "F32", "shape": [1],
                                                                             "data_offsets": [0, 4]}}, bytes(4)),
                                    "tokenizer.model": pb(1, pb(1, "a") + pb(2, b"\x00\x00\x80?"))})
    samples.append(Sample("hf_folder/", d, False, "a Hugging Face folder (configs, tokenizer, safetensors)"))
    d = _folder(out / "savedmodel", {
        "saved_model.pb": saved_model(["Placeholder", "MatMul", "SaveV2", "RestoreV2"]),
        "keras_metadata.pb": keras_metadata({"class_name": "Dense", "config": {"units": 2}}),
        "variables/variables.data-00000-of-00001": bytes(16),
        "variables/variables.index": bytes(40) + bytes.fromhex("57fb808b247547db"),
        "fingerprint.pb": pb(1, 7)})
    samples.append(Sample("savedmodel/", d, False, "TensorFlow SavedModel folder"))
    return samples


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1])
    for s in build(target, target / "CANARY"):
        print(f"{'refuse' if s.malicious else 'accept'}  {s.name:<36} {s.source}")

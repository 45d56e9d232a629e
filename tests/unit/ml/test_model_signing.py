"""Signatures made by the real OpenSSF ``model_signing`` tool, verified by inspecpy (offline)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from inspecpy.ml.files import local_entries
from inspecpy.ml.signing import tree_digest, verify

# a test extra (with pyOpenSSL, which its CLI needs): missing is an error, not a skip
from model_signing import hashing as ms_hashing
from model_signing import signing as ms_signing


def write_key(path, curve=ec.SECP256R1()):
    key = ec.generate_private_key(curve)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    pub = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return pub


def sign_cli(model, key, signature):
    """``model_signing sign key MODEL --private_key KEY --signature SIG``, the documented command."""
    subprocess.run([sys.executable, "-m", "model_signing", "sign", "key", str(model),
                    "--private_key", str(key), "--signature", str(signature)],
                   check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """A folder model and a one-file model, each signed once with the CLI."""
    root = tmp_path_factory.mktemp("signed")
    pub = write_key(root / "key.pem")
    model = root / "model"
    (model / "sub").mkdir(parents=True)
    (model / "weights.bin").write_bytes(bytes(range(256)) * 40)
    (model / "config.json").write_text('{"layers": 2}')
    (model / "sub" / "vocab.txt").write_text("a\nb\n")
    (model / ".git").mkdir()
    (model / ".git" / "HEAD").write_text("ref: main\n")
    sign_cli(model, root / "key.pem", root / "model.sig")
    single = root / "single.npz"
    single.write_bytes(b"PK\x05\x06" + bytes(18))
    sign_cli(single, root / "key.pem", root / "single.npz.sig")
    return root, pub


@pytest.fixture
def copy(signed, tmp_path):
    root, pub = signed
    shutil.copytree(root / "model", tmp_path / "model")
    return tmp_path / "model", (root / "model.sig").read_bytes(), pub


def test_folder_signature_verifies(copy):
    model, sig, pub = copy
    v = verify(sig, local_entries(model), public_key=pub)
    assert v.ok, v.reason
    assert "3 file(s) match the signed digests" in v.reason


def test_single_file_signature_verifies(signed):
    root, pub = signed
    v = verify((root / "single.npz.sig").read_bytes(), local_entries(root / "single.npz"), public_key=pub)
    assert v.ok, v.reason


def test_changed_byte_names_the_file(copy):
    model, sig, pub = copy
    data = bytearray((model / "weights.bin").read_bytes())
    data[1234] ^= 1
    (model / "weights.bin").write_bytes(bytes(data))
    v = verify(sig, local_entries(model), public_key=pub)
    assert not v.ok
    assert v.reason == "digest mismatch (file changed): weights.bin"


def test_added_file(copy):
    model, sig, pub = copy
    (model / "sub" / "extra.pkl").write_bytes(b"\x80\x04N.")
    v = verify(sig, local_entries(model), public_key=pub)
    assert not v.ok
    assert v.reason == "file(s) not covered by the signature (added): sub/extra.pkl"


def test_missing_file(copy):
    model, sig, pub = copy
    (model / "config.json").unlink()
    v = verify(sig, local_entries(model), public_key=pub)
    assert not v.ok
    assert v.reason == "missing file(s) listed in the signature: config.json"


def test_git_files_are_ignored_as_the_tool_does(copy):
    model, sig, pub = copy
    (model / ".git" / "index").write_bytes(b"changed")
    (model / ".gitignore").write_text("*.tmp\n")
    assert verify(sig, local_entries(model), public_key=pub).ok


def test_other_key(copy, tmp_path):
    model, sig, _ = copy
    other = write_key(tmp_path / "other.pem")
    v = verify(sig, local_entries(model), public_key=other)
    assert not v.ok
    assert v.reason.startswith("signed by a different key")


def test_other_key_without_hint_fails_on_the_signature_itself(copy, tmp_path):
    import json

    model, sig, _ = copy
    bundle = json.loads(sig)
    bundle["verificationMaterial"]["publicKey"]["hint"] = ""
    v = verify(json.dumps(bundle).encode(), local_entries(model), public_key=write_key(tmp_path / "o.pem"))
    assert not v.ok
    assert "signature does not verify with the given public key" in v.reason


def test_tampered_statement(copy):
    import base64
    import json

    model, sig, pub = copy
    bundle = json.loads(sig)
    payload = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    payload["predicate"]["resources"][0]["digest"] = "00" * 32
    bundle["dsseEnvelope"]["payload"] = base64.b64encode(json.dumps(payload).encode()).decode()
    v = verify(json.dumps(bundle).encode(), local_entries(model), public_key=pub)
    assert not v.ok and "signature does not verify" in v.reason


@pytest.mark.parametrize("sig, message", [
    (b"not json {", "signature is not JSON"),
    (b"[1, 2]", "not a model-signing bundle"),
    (b'{"dsseEnvelope": {"payloadType": "application/vnd.in-toto+json", "payload": "%%%",'
     b' "signatures": [{"sig": "AA=="}]}}', "payload is not base64"),
])
def test_malformed_signature_files(copy, sig, message):
    model, _, pub = copy
    v = verify(sig, local_entries(model), public_key=pub)
    assert not v.ok and message in v.reason


def test_unreadable_public_key(copy):
    model, sig, _ = copy
    v = verify(sig, local_entries(model), public_key=b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    assert not v.ok and "public key cannot be read" in v.reason


def test_signature_inside_the_folder(tmp_path):
    pub = write_key(tmp_path / "key.pem")
    model = tmp_path / "m"
    model.mkdir()
    (model / "w.bin").write_bytes(b"weights")
    sign_cli(model, tmp_path / "key.pem", model / "model.sig")
    v = verify((model / "model.sig").read_bytes(), local_entries(model), public_key=pub, signature_path="model.sig")
    assert v.ok, v.reason


def test_shards_blake2_and_p384_via_the_library_api(tmp_path):
    pub = write_key(tmp_path / "key.pem", ec.SECP384R1())
    model = tmp_path / "m"
    model.mkdir()
    (model / "a.bin").write_bytes(bytes(1000))
    (model / "empty").write_bytes(b"")
    for name, hashing in (("shards.sig", ms_hashing.Config().use_shard_serialization(shard_size=300)),
                          ("blake2.sig", ms_hashing.Config().use_file_serialization(hashing_algorithm="blake2"))):
        (ms_signing.Config().use_elliptic_key_signer(private_key=tmp_path / "key.pem")
         .set_hashing_config(hashing).sign(model, tmp_path / name))
        assert verify((tmp_path / name).read_bytes(), local_entries(model), public_key=pub).ok
    (model / "a.bin").write_bytes(bytes(999) + b"\x01")
    v = verify((tmp_path / "shards.sig").read_bytes(), local_entries(model), public_key=pub)
    assert v.reason == "digest mismatch (file changed): a.bin"
    (model / "a.bin").write_bytes(bytes(1001))
    v = verify((tmp_path / "shards.sig").read_bytes(), local_entries(model), public_key=pub)
    assert v.reason == "digest mismatch (file changed): a.bin"


def test_tree_digest_equals_the_tools_subject_digest(signed):
    import base64
    import json

    root, _ = signed
    bundle = json.loads((root / "model.sig").read_bytes())
    statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
    assert tree_digest(local_entries(root / "model")) == statement["subject"][0]["digest"]["sha256"]

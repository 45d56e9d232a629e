"""The ``model`` resource on the local target: attributes, matchers, signatures, behaviour."""

from __future__ import annotations

import hashlib
import json
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest

from inspecpy import describe
from inspecpy.resources import model
from tests.conftest import run_cli, write_profile
from tests.unit.ml import model_payloads as P

import sklearn  # noqa: F401 - a test extra: missing is an error, not a skip
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from inspecpy.ml.models.convert import save_npz  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("models")
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = LogisticRegression(max_iter=1000).fit(X[:1400], y[:1400])
    save_npz(est, d / "net.npz", clip_min=0.0, clip_max=1.0)
    np.savez(d / "test.npz", X=X[1400:], y=y[1400:])
    (d / "safe.pkl").write_bytes(pickle.dumps({"w": np.ones(3)}))
    (d / "evil.pkl").write_bytes(pickle.dumps(P.touch(d / "CANARY")))
    (d / "folder").mkdir()
    (d / "folder" / "a.npy").write_bytes(P.object_npy(1))
    (d / "folder" / "b.pkl").write_bytes(pickle.dumps([1, 2]))
    return d, X[1400:], y[1400:]


def test_attributes_of_a_file(files):
    d, _, _ = files
    m = model(str(d / "net.npz"))
    data = (d / "net.npz").read_bytes()
    assert m.exists and m.size == len(data)
    assert m.sha256 == hashlib.sha256(data).hexdigest()
    assert m.format == "npz" and m.unsafe_globals == [] and m.safe
    assert str(m) == f"Model {d / 'net.npz'}"


def test_be_safe_passes_and_fails_with_the_reason(files):
    d, _, _ = files
    assert describe(model(str(d / "safe.pkl"))).should.be_safe().status == "passed"
    result = describe(model(str(d / "evil.pkl"))).should.be_safe()
    assert result.status == "failed"
    assert "unsafe globals: posix.system" in result.message or "unsafe globals: os.system" in result.message
    assert describe(model(str(d / "evil.pkl"))).its("unsafe_globals").should.include(
        model(str(d / "evil.pkl")).unsafe_globals[0]).status == "passed"
    assert not (d / "CANARY").exists()


def test_a_folder_is_one_model(files):
    d, _, _ = files
    m = model(str(d / "folder"))
    assert m.format == "directory" and m.safe
    assert m.size == sum(p.stat().st_size for p in (d / "folder").iterdir())


def test_missing_model_is_a_plain_failure(files):
    d, _, _ = files
    m = model(str(d / "nope.pkl"))
    assert m.exists is False
    result = describe(m).should.be_safe()
    assert result.status == "failed" and result.exception is None
    assert result.message == f"no such file or directory: {d / 'nope.pkl'}"


def test_evaluate_and_robustness_from_arrays_and_from_a_dataset_file(files):
    d, X, y = files
    m = model(str(d / "net.npz"))
    ev = m.evaluate((X, y))
    assert 0.85 < ev.accuracy <= 1.0
    assert m.evaluate(str(d / "test.npz"), label="y").accuracy == pytest.approx(ev.accuracy)
    r = m.robustness((X, y), attack="fgsm", eps=0.1)
    assert r.clean_accuracy == pytest.approx(ev.accuracy) and r.robust_accuracy < ev.accuracy
    assert describe(r).its("robust_accuracy").should.be_less_than(ev.accuracy).status == "passed"
    assert describe(ev).its("per_class.3.recall").should.be_at_least(0.5).status == "passed"


def test_clip_option_overrides_the_file(files):
    d, X, y = files
    narrow = model(str(d / "net.npz"), clip_min=0.0, clip_max=0.5).robustness((X, y), attack="fgsm")
    wide = model(str(d / "net.npz")).robustness((X, y), attack="fgsm")
    assert narrow.robust_accuracy != wide.robust_accuracy
    assert narrow.mean_perturbation <= 0.1 + 1e-12  # still inside the eps-ball (ART projects too)


def test_pickles_are_never_loaded_for_evaluation(files):
    d, X, y = files
    from inspecpy.errors import ResourceFailed

    with pytest.raises(ResourceFailed, match="model format 'pickle' cannot be evaluated"):
        model(str(d / "safe.pkl")).evaluate((X, y))


def test_features_that_do_not_match_the_network(files):
    d, _, _ = files
    from inspecpy.errors import ResourceFailed

    with pytest.raises(ResourceFailed, match=r"input has shape \(2, 3\), the network expects \(n, 64\)"):
        model(str(d / "net.npz")).evaluate((np.ones((2, 3)), [0, 1]))


def test_be_signed_by_with_the_real_tool(tmp_path, files):
    import model_signing  # noqa: F401 - a test extra: missing is an error, not a skip
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    d, _, _ = files
    key = ec.generate_private_key(ec.SECP256R1())
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "key.pub").write_bytes(pub)
    net = tmp_path / "net.npz"
    net.write_bytes((d / "net.npz").read_bytes())
    subprocess.run([sys.executable, "-m", "model_signing", "sign", "key", str(net), "--private_key",
                    str(tmp_path / "key.pem"), "--signature", f"{net}.sig"], check=True, capture_output=True)
    m = model(str(net))
    assert describe(m).should.be_signed_by(str(tmp_path / "key.pub")).status == "passed"
    assert m.signed_by(pub.decode())
    other = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    result = describe(m).should.be_signed_by(other.decode())
    assert result.status == "failed" and "signed by a different key" in result.message
    result = describe(m).should.be_signed_by(str(tmp_path / "key.pub"), str(tmp_path / "none.sig"))
    assert result.status == "failed" and f"signature {tmp_path / 'none.sig'} cannot be read" in result.message


def test_yaml_controls_use_the_model_resource(files, tmp_path):
    d, _, _ = files
    controls = {"m.yml": f"""
        - id: model-safe
          describe:
            - model: {d / 'safe.pkl'}
              should: [exist, be_safe]
              its:
                unsafe_globals: [be_empty]
                format: {{eq: pickle}}
        - id: model-evil
          describe:
            - model: {d / 'evil.pkl'}
              should: [be_safe]
    """}
    run = run_cli("exec", write_profile(tmp_path, controls=controls), "--reporter", "json")
    assert run.code == 100, run.err
    controls = {c["id"]: c["results"] for c in json.loads(run.out)["profiles"][0]["controls"]}
    assert all(r["status"] == "passed" for r in controls["model-safe"])
    assert controls["model-evil"][0]["status"] == "failed"


def test_evaluate_a_dataset_resource_and_features_that_do_not_match(files, tmp_path):
    from inspecpy import resources

    d, X, y = files
    m = model(str(d / "net.npz"))
    ds = resources.dataset(str(d / "test.npz"), label="y")
    assert m.evaluate(ds).accuracy == pytest.approx(m.evaluate((X, y)).accuracy)
    assert m.robustness(ds, attack="fgsm").samples == len(y)
    np.savez(tmp_path / "narrow.npz", X=X[:, :10], y=y)
    from inspecpy.errors import ResourceFailed

    with pytest.raises(ResourceFailed, match=r"input has shape \(397, 10\), the network expects \(n, 64\)"):
        m.evaluate(resources.dataset(str(tmp_path / "narrow.npz"), label="y"))

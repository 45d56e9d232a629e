"""The shipped mlsvs profile: a real mix of verdicts on the demo files, and the right ones when they change."""

import json
import re
import pickle
import shutil

import pytest

from tests.conftest import ROOT, run_cli

PROFILE = ROOT / "profiles" / "mlsvs"


def verdicts(run) -> dict[str, str]:
    report = json.loads(run.out)
    return {c["id"]: ("failed" if any(r["status"] == "failed" for r in c["results"]) else c["results"][0]["status"])
            for p in report["profiles"] for c in p["controls"]}


def exec_json(*args):
    return run_cli("exec", PROFILE, "--reporter", "json", *args, timeout=300)


def test_demo_gives_a_real_mix():
    run = exec_json()
    assert run.code == 100, run.err
    assert verdicts(run) == {
        "mlsvs-monitor-01": "failed",   # recent.csv drifted brighter
        "mlsvs-robust-01": "passed",    # 0.958 clean accuracy
        "mlsvs-robust-02": "failed",    # FGSM eps 0.1 leaves ~0.65 < 0.7
        "mlsvs-robust-03": "failed",    # PGD is stronger still
        "mlsvs-model-01": "passed",
        "mlsvs-model-02": "passed",
        "mlsvs-model-03": "passed",
        "mlsvs-data-01": "passed",
        "mlsvs-data-02": "passed",
        "mlsvs-data-03": "passed",
        "mlsvs-data-04": "failed",      # tickets.jsonl leaks e-mails and phone numbers
    }
    assert "jane.doe@example.com" not in run.out


def test_inputs_move_the_thresholds():
    run = exec_json("--controls", "/robust/", "--input", "attack_eps=0.02", "min_robust_accuracy=0.8")
    assert run.code == 0, run.out
    assert set(verdicts(run).values()) == {"passed"}


@pytest.fixture
def copy(tmp_path):
    shutil.copytree(PROFILE / "files", tmp_path / "files")
    return tmp_path / "files"


def test_tampered_model_fails_signature_and_pin(copy):
    data = bytearray((copy / "model.npz").read_bytes())
    data[-30] ^= 0xFF  # inside the zip's central directory: still a file, different bytes
    (copy / "model.npz").write_bytes(bytes(data))
    run = exec_json("--controls", "mlsvs-model-02", "mlsvs-model-03", "--input", f"model_path={copy / 'model.npz'}",
                    f"model_public_key={copy / 'model_signing.pub'}")
    results = verdicts(run)
    assert results == {"mlsvs-model-02": "failed", "mlsvs-model-03": "failed"}
    assert "model.npz" in run.out and "digest" in run.out.lower()


def test_malicious_legacy_pickle_is_caught_and_never_run(copy, tmp_path):
    canary = tmp_path / "canary"

    class Payload:
        def __reduce__(self):
            import os
            return (os.system, (f"touch {canary}",))

    (copy / "legacy_model.pkl").write_bytes(pickle.dumps({"weights": [1.0], "hook": Payload()}))
    run = exec_json("--controls", "mlsvs-model-01", "--input", f"legacy_model_path={copy / 'legacy_model.pkl'}")
    assert verdicts(run) == {"mlsvs-model-01": "failed"}
    assert "posix.system" in run.out or "os.system" in run.out
    assert not canary.exists()


def _digits_csv(path, rows, label="y", shift=0.0):
    """*rows* held-out digits (the demo's test split) as CSV, features x0..x63 and a label column."""
    import numpy as np

    data = np.load(PROFILE / "files" / "test.npz")
    X, y = np.clip(data["X"][:rows] + shift, 0, 1), data["y"][:rows]
    header = ",".join([f"x{i}" for i in range(X.shape[1])] + [label])
    path.write_text(header + "\n" + "".join(",".join(f"{v:.4f}" for v in x) + f",{t}\n" for x, t in zip(X, y)))
    return path


def test_recent_path_is_used_and_a_same_distribution_sample_does_not_drift(tmp_path):
    """The issue's two bugs: recent_path was ignored, and 250 held-out rows drifted in 9 of 65 columns."""
    same = _digits_csv(tmp_path / "same.csv", 250)
    run = exec_json("--controls", "mlsvs-monitor-01", "--input", f"recent_path={same}")
    assert verdicts(run) == {"mlsvs-monitor-01": "passed"}, run.out
    moved = _digits_csv(tmp_path / "moved.csv", 250, shift=0.1)
    run = exec_json("--controls", "mlsvs-monitor-01", "--input", f"recent_path={moved}")
    assert verdicts(run) == {"mlsvs-monitor-01": "failed"}
    [message] = [r["message"] for c in json.loads(run.out)["profiles"][0]["controls"] for r in c["results"]
                 if r["status"] == "failed"]
    assert re.match(r"expected 0\.\d+ \(\d+ of 64 columns drifted: x\d+ PSI [\d.]+, ", message)  # y left out


def _onnx_model(tmp_path, declare_range: bool):
    skl2onnx = pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    import warnings

    import numpy as np
    import onnx
    from sklearn.linear_model import LogisticRegression

    train = np.load(PROFILE / "files" / "train.npz")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = LogisticRegression(max_iter=500).fit(train["X"], train["y"])
    model = skl2onnx.to_onnx(fitted, train["X"][:1].astype(np.float32), options={"zipmap": False})
    if declare_range:
        onnx.helper.set_model_props(model, {"clip_min": "0", "clip_max": "1"})
    path = tmp_path / ("ranged.onnx" if declare_range else "bare.onnx")
    path.write_bytes(model.SerializeToString())
    return path


def test_an_onnx_model_gets_black_box_attacks_inside_its_declared_range(tmp_path):
    path = _onnx_model(tmp_path, declare_range=True)
    run = exec_json("--controls", "/robust/", "--input", f"model_path={path}", "attack_eps=0.05")
    report = json.loads(run.out)
    results = {c["id"]: c["results"][0] for c in report["profiles"][0]["controls"]}
    assert results["mlsvs-robust-01"]["status"] == "passed"
    assert results["mlsvs-robust-02"]["code_desc"].startswith("SIMBA attack (eps=0.05")
    assert results["mlsvs-robust-03"]["code_desc"].startswith("HOPSKIPJUMP attack (eps=0.05")
    assert not any(r.get("exception") for r in results.values()), results


def test_a_black_box_attack_without_a_range_asks_for_one(tmp_path):
    path = _onnx_model(tmp_path, declare_range=False)
    run = exec_json("--controls", "mlsvs-robust-02", "--input", f"model_path={path}")
    [result] = json.loads(run.out)["profiles"][0]["controls"][0]["results"]
    assert result["status"] == "failed" and "InputRangeMissing" in result["exception"]
    assert "--input clip_min=0 clip_max=1" in result["message"] and "never guesses" in result["message"]
    run = exec_json("--controls", "mlsvs-robust-02", "--input", f"model_path={path}", "clip_min=0", "clip_max=1",
                    "attack=noise")
    [result] = json.loads(run.out)["profiles"][0]["controls"][0]["results"]
    assert result["code_desc"].startswith("NOISE attack") and not result.get("exception")


def test_failure_messages_show_clean_and_robust_figures():
    run = exec_json("--controls", "mlsvs-robust-02")
    [result] = json.loads(run.out)["profiles"][0]["controls"][0]["results"]
    assert re.match(r"expected 0\.\d+ \(clean accuracy 0\.9\d+, FGSM eps=0\.1\) to be at least 0\.7", result["message"])

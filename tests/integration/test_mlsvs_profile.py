"""The shipped mlsvs profile: a real mix of verdicts on the demo files, and the right ones when they change."""

import json
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

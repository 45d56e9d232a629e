#!/usr/bin/env python3
"""Regenerates the demo model, key and datasets of profiles/mlsvs/files/.

Everything comes from scikit-learn's bundled digits data set (no download):

- ``model.npz``: a LogisticRegression on 8x8 digits scaled to [0, 1], in
  inspecpy's safe network format, with ``clip_min``/``clip_max``;
- ``model.npz.sig`` and ``model_signing.pub``: an OpenSSF model-signing
  bundle made with the real ``model_signing`` tool and a fresh P-256 key
  (the private key is thrown away);
- ``train.npz`` / ``test.npz``: the training and held-out splits (X, y);
- ``recent.csv``: a "production" sample whose pixels drifted brighter;
- ``tickets.jsonl``: support tickets, some of which leak e-mail addresses
  and phone numbers (the PII check should find them);
- ``legacy_model.pkl``: a pickle of plain data (dicts, lists, floats) that
  the static scanner can prove harmless.

    python scripts/make_mlsvs_demo.py      # needs scikit-learn and model-signing
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

FILES = Path(__file__).resolve().parent.parent / "profiles" / "mlsvs" / "files"


def splits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    return train_test_split(X, digits.target, test_size=360, random_state=0, stratify=digits.target)


def write_model(X_train, y_train) -> None:
    from sklearn.linear_model import LogisticRegression

    from inspecpy.ml.models.convert import save_npz

    estimator = LogisticRegression(max_iter=3000, C=0.5).fit(X_train, y_train)
    save_npz(estimator, FILES / "model.npz", clip_min=0.0, clip_max=1.0)


def sign_model() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    (FILES / "model_signing.pub").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    with tempfile.TemporaryDirectory() as tmp:
        private = Path(tmp) / "key.pem"
        private.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        subprocess.run([sys.executable, "-m", "model_signing", "sign", "key", str(FILES / "model.npz"),
                        "--private_key", str(private), "--signature", str(FILES / "model.npz.sig")],
                       check=True, capture_output=True)


def write_recent(X_test, y_test) -> None:
    """Production inputs from a brighter scanner: every pixel +0.15, clipped, plus noise."""
    rng = np.random.default_rng(7)
    drifted = np.clip(X_test[:300] + 0.15 + rng.normal(0, 0.03, X_test[:300].shape), 0, 1)
    header = ",".join([f"x{i}" for i in range(64)] + ["y"])
    rows = [",".join([f"{v:.3f}" for v in row] + [str(label)]) for row, label in zip(drifted, y_test[:300])]
    (FILES / "recent.csv").write_text(header + "\n" + "\n".join(rows) + "\n")


def write_tickets() -> None:
    rng = np.random.default_rng(3)
    texts = [
        "Prediction looked wrong for a handwritten 7",
        "Please retrain: accuracy dropped after the scanner upgrade",
        "Contact me at jane.doe@example.com about the misread cheque",
        "Call back on +1 415 555 0199, the digit 4 was read as 9",
        "Batch 118 had blurry scans",
    ]
    lines = [json.dumps({"ticket": i, "text": texts[int(rng.integers(len(texts)))], "digit": int(rng.integers(10))})
             for i in range(60)]
    (FILES / "tickets.jsonl").write_text("\n".join(lines) + "\n")


def write_legacy_pickle() -> None:
    meta = {"name": "digits-v0", "classes": list(range(10)), "thresholds": [0.5, 0.75], "notes": ("kept",)}
    (FILES / "legacy_model.pkl").write_bytes(pickle.dumps(meta, protocol=4))


def main() -> None:
    FILES.mkdir(parents=True, exist_ok=True)
    X_train, X_test, y_train, y_test = splits()
    np.savez_compressed(FILES / "train.npz", X=X_train, y=y_train)
    np.savez_compressed(FILES / "test.npz", X=X_test, y=y_test)
    write_model(X_train, y_train)
    sign_model()
    write_recent(X_test, y_test)
    write_tickets()
    write_legacy_pickle()
    for path in sorted(FILES.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.name}")


if __name__ == "__main__":
    main()

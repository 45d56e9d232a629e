"""docs/ml.md runs as written: every ``python`` and ``sh`` block, in order, in an empty folder.

The table of robust accuracies per ε is recomputed from the demo model, so
the page cannot drift from what inspecpy reports.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DOC = ROOT / "docs" / "ml.md"
BLOCK = re.compile(r"^```(python|sh)\n(.*?)^```$", re.S | re.M)

for module in ("sklearn", "skl2onnx", "onnxruntime", "model_signing"):
    pytest.importorskip(module)


def blocks() -> list[tuple[str, str]]:
    return BLOCK.findall(DOC.read_text())


def test_every_block_runs_in_order(tmp_path):
    (tmp_path / "profiles").symlink_to(ROOT / "profiles")
    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # 2 shared cores
    assert len(blocks()) >= 10
    for number, (kind, code) in enumerate(blocks(), 1):
        argv = [sys.executable, "-c", code] if kind == "python" else ["bash", "-euo", "pipefail", "-c", code]
        run = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"block {number} ({kind}) of docs/ml.md:\n{code}\n{run.stdout}\n{run.stderr}"


def test_the_threshold_table_is_what_the_demo_model_gives():
    from inspecpy.resources import dataset, model

    rows = re.findall(r"^\| (0\.\d+) +\| (0\.\d+) \| (0\.\d+) \| (0\.\d+) \|$", DOC.read_text(), re.M)
    assert len(rows) == 5
    demo, test = model(str(ROOT / "profiles/mlsvs/files/model.npz")), dataset(str(ROOT / "profiles/mlsvs/files/test.npz"))
    for eps, clean, fgsm, pgd in rows:
        f = demo.robustness(test, attack="fgsm", eps=float(eps))
        p = demo.robustness(test, attack="pgd", eps=float(eps), steps=20)
        assert (f"{f.clean_accuracy:.3f}", f"{f.robust_accuracy:.3f}", f"{p.robust_accuracy:.3f}") == (clean, fgsm, pgd)

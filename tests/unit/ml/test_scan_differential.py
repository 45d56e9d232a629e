"""No parser differential with the real loaders: where joblib skips bytes, the scanner follows it.

For every rule the scanner uses to skip joblib array bytes, the corpus holds
a file on which a scanner that skips by a simpler rule and the real loader
disagree: the loader runs opcodes the simple rule would skip as "array
data".  Here the real loader (``joblib.load`` / ``pickle.load``) opens
each of those files — files this test built, whose only payload is
``touch CANARY`` in a temporary folder — in a subprocess, and the canary
appears: the loader really reads those bytes as opcodes.  The scanner
refuses every one of them and names the call.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from inspecpy.ml.scan.scanner import scan_path
from tests.unit.ml.scan_corpus.corpus import joblib_differentials

import joblib

LOADERS = {".joblib": "import joblib, sys; joblib.load(sys.argv[1])",
           ".pkl": "import pickle, sys; pickle.load(open(sys.argv[1], 'rb'))"}


@pytest.mark.parametrize("name", sorted(joblib_differentials(__import__("pathlib").Path("/x"))))
def test_the_loader_runs_what_a_simple_skip_would_hide_and_the_scanner_refuses(tmp_path, name):
    canary = tmp_path / "CANARY"
    data, source = joblib_differentials(canary)[name]
    path = tmp_path / name
    path.write_bytes(data)

    report = scan_path(path)
    assert not report.safe, source
    assert any(g.startswith("os.system") for g in report.unsafe_globals), report.reason
    assert not canary.exists()

    loader = LOADERS[path.suffix]
    subprocess.run([sys.executable, "-c", loader, str(path)], cwd=tmp_path, capture_output=True, timeout=60)
    assert canary.exists(), f"{name}: the real loader did not reach the payload ({source})"


def test_a_wrapper_inside_an_unfinished_frame_is_refused(tmp_path):
    import io

    import numpy as np

    buf = io.BytesIO()
    joblib.dump({"a": np.arange(3.0)}, buf)
    data = bytearray(buf.getvalue())
    assert data[2] == 0x95  # FRAME: make it claim 64 more bytes than joblib wrote into it
    n = int.from_bytes(data[3:11], "little") + 64
    data[3:11] = n.to_bytes(8, "little")
    (tmp_path / "f.joblib").write_bytes(bytes(data) + bytes(64))
    r = scan_path(tmp_path / "f.joblib")
    assert not r.safe
    assert "joblib array inside an unfinished pickle frame" in r.reason

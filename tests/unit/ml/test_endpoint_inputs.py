"""model_endpoint's own inputs, without a server: the pinned model and dataset files, the input range."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

from inspecpy.errors import ResourceFailed
from inspecpy.resources import model_endpoint
from inspecpy.targets import on_target
from inspecpy.targets.base import FileStat, Target
from inspecpy.targets.profile_files import ProfileFile, ProfileTarget

DEMO = Path(__file__).resolve().parents[3] / "profiles" / "mlsvs" / "files"
URL = "http://127.0.0.1:9"  # never reached: the remote side is replaced below


class MemoryTarget(Target):
    """A checked target whose files live in a dict, counting every open."""

    scheme = "memory"

    def __init__(self, files: dict[str, bytes]):
        super().__init__("memory://")
        self.files, self.opened = files, []

    def _open(self, path):
        self.opened.append(path)
        if path not in self.files:
            raise FileNotFoundError(path)
        return io.BytesIO(self.files[path])

    def _stat(self, path):
        known = path in self.files
        return FileStat(path, exists=known, type="file" if known else None,
                        size=len(self.files[path]) if known else None)


class PinnedRemote:
    """Serves what the pinned model predicts: agreement is then 1.0."""

    def __init__(self, predict):
        self.predict = predict


def served_by(ep, predict):
    ep._remote = lambda **clip: contextlib.nullcontext(PinnedRemote(predict))


def demo_arrays():
    data = np.load(DEMO / "test.npz")
    return data["X"], data["y"]


def test_a_pinned_profile_file_is_read_from_the_profile_not_the_target(tmp_path, monkeypatch):
    shutil.copy(DEMO / "model.npz", tmp_path / "m.npz")
    reads = []
    opened = ProfileTarget._open
    monkeypatch.setattr(ProfileTarget, "_open", lambda self, path: reads.append(path) or opened(self, path))
    host = MemoryTarget({})  # the checked host has no model file at all
    ep = model_endpoint(URL, model="digits", pinned_model=ProfileFile(str(tmp_path), "m.npz"),
                        dataset=demo_arrays())
    with on_target(host):
        served_by(ep, ep._pinned_model(None).predict)
        assert ep.agreement().agreement == 1.0
        assert ep._input_range(None, None)[1].max() == 1.0  # the file's declared clip_max
        assert ep.agreement().agreement == 1.0
    assert host.opened == []
    assert reads and set(reads) == {str(tmp_path / "m.npz")}
    assert len(reads) == 2  # scanned once (its format), loaded once: not again per call


def test_the_pinned_model_and_dataset_are_read_once_per_target():
    X, y = demo_arrays()
    buffer = io.BytesIO()
    np.savez(buffer, X=X, y=y)
    files = {"/srv/model.npz": (DEMO / "model.npz").read_bytes(), "/srv/test.npz": buffer.getvalue()}
    ep = model_endpoint(URL, model="digits", pinned_model="/srv/model.npz", dataset="/srv/test.npz")
    first, second = MemoryTarget(dict(files)), MemoryTarget(dict(files))
    with on_target(first):
        served_by(ep, ep._pinned_model(None).predict)
        assert ep.agreement().agreement == 1.0
        once = sorted(first.opened)
        ep.agreement()
        ep.evaluate()
        ep._input_range(None, None)
        assert sorted(first.opened) == once
    with on_target(second):  # another host reads its own files
        served_by(ep, ep._pinned_model(None).predict)
        assert ep.agreement().samples == len(y)
    assert sorted(second.opened) == once


def test_a_missing_pinned_file_on_the_target_is_a_plain_failure():
    ep = model_endpoint(URL, model="digits", pinned_model="/srv/model.npz", dataset=demo_arrays())
    served_by(ep, lambda X: np.zeros(len(X)))
    with on_target(MemoryTarget({})), pytest.raises(ResourceFailed, match="/srv/model.npz"):
        ep.agreement()

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
from inspecpy.targets.profile_files import ProfileFile, ProfileTarget
from tests.unit.ml.memory_target import MemoryTarget

DEMO = Path(__file__).resolve().parents[3] / "profiles" / "mlsvs" / "files"
URL = "http://127.0.0.1:9"  # never reached: the remote side is replaced below


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
        assert np.max(ep._input_range("simba", None, None)[1]) == 1.0  # the file's declared clip_max
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
        ep._input_range("simba", None, None)
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


# -- the input range of a black-box attack ---------------------------------------------------
class Reached(Exception):
    """The attack got as far as the endpoint, with these bounds."""


def attack_range(**options):
    """The bounds ``robustness`` hands the endpoint, or the failure before that."""
    ep = model_endpoint(URL, model="digits", dataset=demo_arrays(), **options.pop("endpoint", {}))

    def remote(**clip):
        raise Reached(clip)

    ep._remote = remote
    with pytest.raises(Reached) as reached:
        ep.robustness(attack="simba", max_queries=200, **options)
    return reached.value.args[0]["clip_min"], reached.value.args[0]["clip_max"]


def test_bounds_given_as_text_are_read_as_numbers_or_per_feature_lists():
    lo, hi = attack_range(clip_min="[0, 0.5]", clip_max="[1, 2]")
    assert lo.tolist() == [0.0, 0.5] and hi.tolist() == [1.0, 2.0]
    assert attack_range(endpoint={"clip_min": "0", "clip_max": "1"}) == (0.0, 1.0)


@pytest.mark.parametrize("lo, hi", [(1, 0), (0.5, 0.5), ("[0, 1]", "[1, 1]")])
def test_a_lower_bound_not_below_the_upper_one_is_refused(lo, hi):
    with pytest.raises(ResourceFailed, match="is not below clip_max"):
        attack_range(clip_min=lo, clip_max=hi)


def test_an_unknown_range_says_how_to_declare_it():
    with pytest.raises(ResourceFailed, match="valid input range is unknown: give clip_min= and clip_max=.*"
                                             "attack 'simba' on http://127.0.0.1:9.*clip_max unknown.*"
                                             "clip_min/clip_max metadata properties"):
        attack_range(clip_min=0)
    with pytest.raises(ResourceFailed, match="is not finite"):
        attack_range(clip_min="NaN", clip_max=1)

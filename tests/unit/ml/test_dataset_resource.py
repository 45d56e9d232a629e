"""The ``dataset`` resource: files read through the target, results in a real profile run."""

from __future__ import annotations

import json

import numpy as np
import pytest

from inspecpy.errors import ResourceFailed
from inspecpy.resources import dataset
from inspecpy.targets import on_target
from tests.unit.ml.memory_target import MemoryTarget

TRAIN = "a,b,y\n1,2,0\n3,4,1\n5,6,0\n3,4,0\n"
TEST = "a,b,y\n3,4,1\n7,8,0\n"


@pytest.fixture
def target():
    files = {"/srv/train.csv": TRAIN.encode(), "/srv/test.csv": TEST.encode(),
             "/srv/bad.csv": b"a,b,y\n1,2\n", "/srv/leak.jsonl": b'{"a": 9, "b": 9, "y": 1}\n'}
    target = MemoryTarget(files)
    with on_target(target):
        yield target


def test_attributes_through_the_target(target):
    train = dataset("/srv/train.csv", label="y")
    assert (train.rows, train.columns, train.shape) == (4, ["a", "b", "y"], (4, 3))
    assert (train.missing, train.duplicate_rows, train.conflicting_labels) == (0, 0, 2)
    assert train.class_counts == {"0": 3, "1": 1} and train.class_balance == {"0": 0.75, "1": 0.25}
    assert train.min == {"a": 1.0, "b": 2.0, "y": 0.0} and train.max["a"] == 5.0 and train.mean["b"] == 4.0
    assert train.pii == [] and train.exists and train.dtypes == {"a": "int64", "b": "int64", "y": "int64"}
    assert len(train.sha256) == 64
    assert target.opened == ["/srv/train.csv"]  # one pass gave all of the above, sha256 included
    assert str(train) == "Dataset /srv/train.csv"


def test_comparisons_with_a_path_or_a_resource(target):
    train = dataset("/srv/train.csv", label="y")
    test = dataset("/srv/test.csv", label="y")
    assert test.overlap(train) == 1 and test.overlap("/srv/train.csv") == 1
    assert test.overlap("/srv/leak.jsonl") == 0
    report = test.drift(train, method="ks")      # two rows: too few for PSI (see test_dataset_drift)
    assert set(report.columns) == {"a", "b"}      # the label left out
    with pytest.raises(ResourceFailed, match="too few for any sample size"):
        test.drift(train, method="psi")
    assert dataset("/srv/test.csv", label="y", reference="/srv/train.csv").overlap() == 1
    assert test.outliers(z=1).counts == {"a": 0, "b": 0}


def test_arrays_for_the_model_resource(target):
    test = dataset("/srv/test.csv", label="y")
    np.testing.assert_array_equal(test.features(), [[3.0, 4.0], [7.0, 8.0]])
    assert test.labels().tolist() == [1, 0]


def test_one_dataset_shared_by_a_fleet_answers_for_each_target():
    ds = dataset("/srv/d.csv", label="y")
    with on_target(MemoryTarget({"/srv/d.csv": TRAIN.encode()})):
        assert ds.rows == 4
    with on_target(MemoryTarget({"/srv/d.csv": TEST.encode()})):
        assert ds.rows == 2 and ds.features().tolist() == [[3.0, 4.0], [7.0, 8.0]]


def test_failures_are_plain_failed_results_and_remembered(target):
    bad = dataset("/srv/bad.csv", label="y")
    with pytest.raises(ResourceFailed, match=r"^/srv/bad.csv: row 1 \(line 2\): expected 3 fields, got 2$"):
        bad.rows
    with pytest.raises(ResourceFailed, match="expected 3 fields"):
        bad.duplicate_rows
    assert target.opened.count("/srv/bad.csv") == 1
    with pytest.raises(ResourceFailed, match="^no such file: /srv/nope.csv$"):
        dataset("/srv/nope.csv").rows
    assert not dataset("/srv/nope.csv").exists
    with pytest.raises(ResourceFailed, match="no label column"):
        dataset("/srv/train.csv").conflicting_labels
    with pytest.raises(ResourceFailed, match="no dataset to compare with"):
        dataset("/srv/train.csv").overlap()


CONTROLS_PY = '''
from inspecpy import control, describe
from inspecpy.resources import dataset

@control("data-integrity", impact=0.7, title="Training data integrity")
def _():
    train = dataset("{train}", label="y")
    describe(train).its("rows").should.eq(4)
    describe(train).its("conflicting_labels").should.eq(0)
    describe(train).its("pii").should.be_empty()

@control("data-leakage", impact=0.5)
def _():
    describe(dataset("{test}", label="y").overlap(dataset("{train}", label="y"))).should.eq(0)

@control("bad-file", impact=0.3)
def _():
    describe(dataset("{bad}", label="y")).its("rows").should.eq(1)
'''

CONTROLS_YML = '''
- id: data-yaml
  impact: 0.5
  describe:
    - dataset: {{path: "{train}", label: y}}
      should: [exist]
      its:
        duplicate_rows: {{eq: 0}}
        class_balance.0: {{eq: 0.75}}
    - dataset: {{path: "{train}", label: y, reference: "{train}"}}
      its:
        drift.drifted_columns: {{be_empty: null}}
    - dataset: {{path: "{test}", label: y, reference: "{train}"}}
      its:
        drift.drifted_columns: {{be_empty: null}}
'''


def test_profile_run_reports_real_mix_of_results(tmp_path, make_profile, cli):
    paths = {"train": tmp_path / "train.csv", "test": tmp_path / "test.csv", "bad": tmp_path / "bad.csv"}
    paths["train"].write_text(TRAIN.replace("3,4,0", "3,4,1") + "9,mail me@corp.example,0\n")
    paths["test"].write_text(TEST)
    paths["bad"].write_bytes(b"a,b,y\n1,2,\xff\n")
    names = {k: str(v) for k, v in paths.items()}
    profile = make_profile(controls={"data.py": CONTROLS_PY.format(**names),
                                     "data.yml": CONTROLS_YML.format(**names)})
    run = cli("exec", profile, "--reporter", f"json:{tmp_path / 'out.json'}", "--no-color")
    assert run.code == 100, run.err
    report = json.loads((tmp_path / "out.json").read_text())
    results = {c["id"]: [(r["status"], r["code_desc"], r.get("message") or "")
                         for r in c["results"]] for c in report["profiles"][0]["controls"]}
    integrity = results["data-integrity"]
    assert [s for s, _, _ in integrity] == ["failed", "passed", "failed"]  # 5 rows; 1 PII finding
    assert "me@corp.example" not in json.dumps(report)
    assert integrity[2][2] == "expected [1 email in column b (first at row 5)] to be empty"
    assert results["data-leakage"][0][0] == "failed"  # (3,4) is in both
    status, _, message = results["bad-file"][0]
    assert status == "failed" and message == f"{paths['bad']}: row 1 (line 2): invalid UTF-8 byte 0xff " \
                                             "(not a UTF-8 text file?)"
    yaml = results["data-yaml"]
    assert [s for s, _, _ in yaml] == ["passed", "failed", "failed", "failed", "failed"]
    assert yaml[1][2].startswith("expected: 0\n     got: 1")  # (3,4,1) twice
    assert yaml[2][2].startswith("expected: 0.75\n     got: 0.6")
    assert yaml[4][1] == f"Dataset {paths['test']} drift drifted_columns is expected to be empty"
    # a handful of rows cannot tell drift from chance: refused, saying so, never passed
    assert all("cannot tell PSI drift" in message for _, _, message in yaml[3:])

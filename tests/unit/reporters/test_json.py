"""json, json-min and yaml: InSpec's exec-json data from a real run, valid against InSpec's schemas."""

import json

import yaml

from tests.conftest import run_cli, write_profile
from tests.unit.reporters.support import (
    EXPECTED_STATUS, EXPECTED_TESTS, all_kinds_profile, assert_exec_json, assert_exec_json_min,
)


def test_json_validates_and_carries_every_result(reports):
    doc = json.loads(reports.bytes("json"))
    assert_exec_json(doc)
    assert doc["platform"]["name"] and doc["platform"]["target_id"] == "local://"
    [profile] = doc["profiles"]
    assert profile["name"] == "rp" and profile["version"] == "1.2.3" and len(profile["sha256"]) == 64
    assert profile["supports"] == [{"platform-family": "linux"}]
    assert profile["groups"] == [{"id": "controls/c.py", "title": "Controls with every kind of result.",
                                  "controls": list(EXPECTED_STATUS)}]
    controls = {c["id"]: c for c in profile["controls"]}
    statuses = {cid: {r["status"] for r in c["results"]} for cid, c in controls.items()}
    assert statuses == {"pass-1": {"passed"}, "fail-1": {"failed", "passed"}, "skip-1": {"skipped"},
                        "error-1": {"failed"}, "secret-1": {"failed"}}
    counts = doc["statistics"]["controls"]
    assert {k: v["total"] for k, v in counts.items()} == EXPECTED_TESTS
    assert doc["statistics"]["duration"] > 0


def test_json_control_fields_as_inspec_writes_them(reports):
    controls = {c["id"]: c for c in json.loads(reports.bytes("json"))["profiles"][0]["controls"]}
    passed = controls["pass-1"]
    assert passed["impact"] == 0.7 and passed["title"] == "Passes" and passed["desc"] == "All good"
    assert passed["descriptions"] == [{"label": "default", "data": "All good"}]
    assert passed["refs"] == [{"ref": "CIS 1.1"}, {"url": "https://example.org/x"}]
    assert passed["tags"] == {"nist": ["AC-1", "AC-2"], "web": None}
    assert passed["source_location"] == {"ref": "rp/controls/c.py", "line": 7}
    assert passed["code"].startswith('@control("pass-1"')
    assert passed["waiver_data"] == {}
    assert controls["skip-1"]["results"][0]["skip_message"] == "not today"
    [error] = controls["error-1"]["results"]
    assert error["exception"] == "RuntimeError" and "boom <b>&amp;</b>" in error["message"]
    assert any("RuntimeError" in line for line in error["backtrace"])
    failed = [r for r in controls["fail-1"]["results"] if r["status"] == "failed"][0]
    assert failed["code_desc"] == "1 is expected to eq 2" and "expected: 2" in failed["message"]
    assert "skip_message" not in failed and "exception" not in failed  # absent, not null


def test_json_inputs_are_reported_with_the_sensitive_one_redacted(reports):
    attributes = {a["name"]: a["options"] for a in json.loads(reports.bytes("json"))["profiles"][0]["attributes"]}
    assert attributes["greeting"]["value"] == "hello"
    assert attributes["api_token"] == {"value": "***", "required": False, "sensitive": True,
                                       "description": "a token that must never appear in a report"}


def test_json_min_validates_with_one_entry_per_test(reports):
    doc = json.loads(reports.bytes("json-min"))
    assert_exec_json_min(doc)
    assert len(doc["controls"]) == sum(EXPECTED_TESTS.values())
    entry = next(c for c in doc["controls"] if c["id"] == "skip-1")
    assert entry["profile_id"] == "rp" and entry["status"] == "skipped" and entry["skip_message"] == "not today"
    assert doc["version"] == json.loads(reports.bytes("json"))["version"]


def test_yaml_holds_the_same_data_as_json(reports):
    assert yaml.safe_load(reports.bytes("yaml")) == json.loads(reports.bytes("json"))


def test_waiver_data_is_rendered(tmp_path):
    profile = all_kinds_profile(tmp_path)
    waivers = tmp_path / "waivers.yml"
    waivers.write_text("fail-1:\n  justification: accepted by the CISO\n  expiration_date: 2999-01-01\n")
    out = tmp_path / "out.json"
    run = run_cli("exec", profile, "--waiver-file", waivers, "--reporter", f"json:{out}")
    assert run.code == 100, run  # the other failures remain
    doc = json.loads(out.read_text())
    assert_exec_json(doc)
    control = next(c for c in doc["profiles"][0]["controls"] if c["id"] == "fail-1")
    assert control["waiver_data"]["justification"] == "accepted by the CISO"
    assert control["waiver_data"]["expiration_date"] == "2999-01-01"
    assert control["waiver_data"]["run"] is True


def test_several_targets_in_one_file_and_one_file_per_target(tmp_path):
    profile = write_profile(tmp_path, controls={"a.py": (
        "from inspecpy import control, describe\n@control('one')\ndef _():\n    describe(1).should.eq(1)\n")})
    both, per = tmp_path / "both.json", tmp_path / "per-{target}.min.json"
    run = run_cli("exec", profile, "-t", "local://", "-t", "local://", "--reporter", f"json:{both}",
                  f"json-min:{per}")
    assert run.code == 0, run
    doc = json.loads(both.read_text())
    assert_exec_json(doc)
    assert [p["target_id"] for p in doc["profiles"]] == ["local://", "local://"]
    assert [t["statistics"]["controls"]["passed"]["total"] for t in doc["targets"]] == [1, 1]
    assert doc["statistics"]["controls"]["passed"]["total"] == 2
    [single] = tmp_path.glob("per-*.min.json")
    assert single.name == "per-local.min.json"
    assert_exec_json_min(json.loads(single.read_text()))

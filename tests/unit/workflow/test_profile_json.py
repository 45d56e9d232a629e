"""``inspecpy json`` / ``export``: InSpec's profile JSON, sensitive values redacted."""

import json

from tests.conftest import write_profile

META = """\
name: p
title: Profile P
version: 1.0.0
supports:
  - platform-family: linux
inputs:
  - name: token
    value: s3cr3t-value
    sensitive: true
  - name: port
    type: Numeric
    value: 22
"""

CONTROL = '''\
"""Group title."""

@control("a", impact="high", title="A", desc="why", tags={"nist": ["AC-1"]}, refs=["CIS 1"],
         descriptions={"rationale": "because"})
def _():
    describe(input("token")).should.eq("x")
'''


def test_profile_json_fields(inproc, tmp_path):
    path = write_profile(tmp_path, controls={"a.py": CONTROL, "b.yml": "- id: b\n  describe: []\n"}, metadata=META)
    run = inproc("json", path)
    assert run.code == 0
    data = json.loads(run.out)
    assert {k: data[k] for k in ("name", "title", "version", "status")} == {
        "name": "p", "title": "Profile P", "version": "1.0.0", "status": "loaded"}
    assert data["supports"] == [{"platform-family": "linux"}]
    assert data["inputs"] == [
        {"name": "token", "options": {"required": False, "sensitive": True, "value": "***"}},
        {"name": "port", "options": {"type": "Numeric", "required": False, "sensitive": False, "value": 22}}]
    a = data["controls"][0]
    assert (a["id"], a["impact"], a["tags"], a["refs"]) == ("a", 0.7, {"nist": ["AC-1"]}, ["CIS 1"])
    assert a["descriptions"] == [{"label": "default", "data": "why"}, {"label": "rationale", "data": "because"}]
    assert a["source_location"] == {"ref": "controls/a.py", "line": 3}
    assert a["code"].startswith('@control("a"')
    assert data["groups"] == [{"id": "controls/a.py", "title": "Group title.", "controls": ["a"]},
                              {"id": "controls/b.yml", "title": None, "controls": ["b"]}]
    assert "s3cr3t-value" not in run.out


def test_export_alias_output_file_and_selection(inproc, tmp_path):
    path = write_profile(tmp_path, controls={"a.py": CONTROL, "b.yml": "- id: b\n  describe: []\n"}, metadata=META)
    run = inproc("export", path, "--controls", "b", "-o", tmp_path / "out.json")
    assert run.code == 0 and run.out == ""
    data = json.loads((tmp_path / "out.json").read_text())
    assert [c["id"] for c in data["controls"]] == ["b"]
    assert data["groups"][0]["controls"] == []

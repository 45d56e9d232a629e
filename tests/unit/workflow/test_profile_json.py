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


def test_a_wrapper_lists_the_controls_it_includes_from_its_dependencies(inproc, tmp_path):
    """As ``inspec json``: the included controls (impact overrides applied) follow the profile's own, each
    located in its own file; a dependency's file is a group too, and a skipped control is nowhere."""
    base = write_profile(tmp_path, "base", metadata="name: base\n", controls={"b.py": (
        '@control("base-01", title="one")\ndef _():\n    pass\n\n'
        '@control("base-02", title="two")\ndef _():\n    pass\n')})
    path = write_profile(tmp_path, "wrap", metadata="name: wrap\ndepends:\n  - name: base\n    path: ../base\n",
                         controls={"w.py": 'include_controls("base", skip=["base-02"], impact={"base-01": 0.2})\n\n'
                                           '@control("own")\ndef _():\n    pass\n'})
    run = inproc("json", path)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert [(c["id"], c["impact"]) for c in data["controls"]] == [("own", 0.5), ("base-01", 0.2)]
    base_file = str(base / "controls" / "b.py")
    assert data["controls"][1]["source_location"] == {"ref": base_file, "line": 1}
    assert data["controls"][1]["code"].startswith('@control("base-01"')
    assert data["groups"] == [{"id": "controls/w.py", "title": None, "controls": ["own"]},
                              {"id": base_file, "title": None, "controls": ["base-01"]}]
    assert data["depends"] == [{"name": "base", "path": "../base"}] and "parent_profile" not in data

    only_base = json.loads(inproc("json", path, "--controls", "/^base/").out)
    assert [c["id"] for c in only_base["controls"]] == ["base-01"]


def test_a_dependencys_load_error_is_reported(inproc, tmp_path):
    write_profile(tmp_path, "base", metadata="name: base\n", controls={"b.py": "def _(:\n"})
    path = write_profile(tmp_path, "wrap", metadata="name: wrap\ndepends:\n  - name: base\n    path: ../base\n")
    run = inproc("json", path)
    assert run.code == 1 and json.loads(run.out)["name"] == "wrap"
    assert "b.py:1: SyntaxError" in run.err

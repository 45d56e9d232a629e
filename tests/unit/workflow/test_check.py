"""``inspecpy check``: every problem with file and line, human and JSON, exit 0/1."""

import json

from inspecpy.profile.check import check_profile, python_inputs, unknown_names, yaml_inputs
from tests.conftest import write_profile

META = """\
name: p
title: P
maintainer: me
copyright: me
license: MIT
summary: s
version: 1.0.0
inputs:
  - name: declared
    value: x
"""


def test_a_good_profile_is_valid_without_warnings(inproc, tmp_path):
    path = write_profile(tmp_path, controls={"a.py": '@control("a", title="t", desc="d")\ndef _():\n'
                                                     '    describe(input("declared")).should.eq("x")\n'},
                         metadata=META)
    run = inproc("check", path)
    assert run.code == 0
    assert "Valid:       true" in run.out and "No errors or warnings" in run.out


def test_every_kind_of_error_with_its_location(inproc, tmp_path):
    controls = {
        "a_syntax.py": "@control('s')\ndef _(:\n",
        "b_import.py": "import no_such_module_here\n",
        "c_unknown.py": '@control("c", title="t", desc="d")\ndef _():\n    describe(fiel("/etc")).should.exist()\n',
        "d_input.py": '@control("d", title="t", desc="d")\ndef _():\n    describe(input("undeclared")).should.eq(1)\n'
                      '    describe(input("defaulted", value=2)).should.eq(2)\n',
        "e_impact.py": '@control("e", impact=1.5)\ndef _():\n    pass\n',
        "f_dup.py": '@control("c", title="t", desc="d")\ndef _():\n    pass\n',
        "g.yml": "- id: g\n  title: t\n  desc: d\n  describe:\n    - fiel: /etc\n",
        "h.yml": "- id: h\n  title: t\n  desc: d\n  describe:\n    - file: /etc\n      should: [exits]\n",
        "i.yml": "- id: i\n  title: t\n  desc: d\n  describe:\n    - value: 1\n      its:\n"
                 "        real: {eq: {input: nowhere}}\n",
    }
    path = write_profile(tmp_path, controls=controls, metadata=META)
    run = inproc("check", path, "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    errors = {(e["file"], e["line"], e["msg"]) for e in report["errors"]}
    assert ("controls/a_syntax.py", 2, "SyntaxError: invalid syntax") in errors
    assert ("controls/b_import.py", 1, "ModuleNotFoundError: No module named 'no_such_module_here'") in errors
    assert ("controls/c_unknown.py", 3, "unknown name 'fiel' (did you mean 'file'?)") in errors
    assert any(f == "controls/d_input.py" and line == 3 and m.startswith("input 'undeclared' is used but not declared")
               for f, line, m in errors)
    assert not any("defaulted" in m for _, _, m in errors)
    warnings = {(w["file"], w["line"], w["msg"]) for w in report["warnings"]}
    assert any(f == "controls/d_input.py" and line == 4 and m.startswith("input 'defaulted' is used but not declared")
               for f, line, m in warnings)
    assert ("controls/e_impact.py", 1, "control 'e': impact 1.5 is outside 0..1") in errors
    assert any("duplicate control id 'c'" in m for _, _, m in errors)
    assert ("controls/g.yml", 5, "unknown resource 'fiel' (did you mean 'file'?)") in errors
    assert ("controls/h.yml", 5, "unknown matcher 'exits' (did you mean 'exist'?)") in errors
    assert any(f == "controls/i.yml" and line == 7 and "input 'nowhere'" in m for f, line, m in errors)
    assert report["summary"]["valid"] is False and report["summary"]["profile"] == "p"


def test_metadata_warnings_and_errors(inproc, tmp_path):
    meta = "name: p\nversion: one\nsupport: []\nsupports:\n  - platform-famly: linux\n"
    path = write_profile(tmp_path, controls={"a.py": '@control("a")\ndef _():\n    pass\n'}, metadata=meta)
    run = inproc("check", path)
    assert run.code == 1
    assert "  ×  inspec.yml: unknown 'supports' key 'platform-famly'" in run.out
    assert "  !  inspec.yml: version 'one' is not a semantic version (like 1.2.3)" in run.out
    assert "  !  inspec.yml: unknown field 'support'" in run.out
    assert "  !  inspec.yml: missing profile title" in run.out
    assert "  !  controls/a.py:1: control 'a' has no title" in run.out


def test_unreadable_metadata_is_one_error(inproc, tmp_path):
    path = write_profile(tmp_path, metadata="title: no name\n")
    run = inproc("check", path, "--format", "json")
    assert run.code == 1
    assert json.loads(run.out)["errors"][0]["msg"].endswith("'name' is required")


def test_static_helpers():
    import ast

    tree = ast.parse("import os\nx = 1\nfor i in range(3):\n    print(i, x, os, y)\nf = lambda a: a + b\n")
    assert list(unknown_names(tree, set())) == [("y", 4), ("b", 5)]
    assert list(unknown_names(ast.parse("from m import *\nz\n"), set())) == []
    assert list(python_inputs(ast.parse('input("a")\ninspecpy.input("b", 1)\ninput(name)\n'))) == [
        ("a", 1, False), ("b", 2, True), (None, 3, False)]
    assert list(yaml_inputs("- a:\n    b: {input: x}\n")) == [("x", 2)]


def test_check_profile_returns_the_loaded_profile(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": '@control("a")\ndef _():\n    pass\n'})
    report, profile = check_profile(str(path))
    assert profile.name == "p" and report.controls == 1


def test_errors_in_a_dependency_are_reported(inproc, tmp_path):
    write_profile(tmp_path, "base", controls={"b.py": "oops(\n"}, metadata="name: base\n")
    path = write_profile(tmp_path, "wrap", controls={"w.py": 'include_controls("base")\n'},
                         metadata="name: wrap\ndepends:\n  - name: base\n    path: ../base\n")
    run = inproc("check", path)
    assert run.code == 1
    assert "../base/controls/b.py:1: dependency 'base': SyntaxError: '(' was never closed" in run.out


BAD_YAML_CONTROLS = """\
- id: good
  title: t
  desc: d
- title: no id
- id: bad-resource
  describe:
    - fiel: /etc
- just a string
- id: bad-matcher
  describe:
    - value: 1
      should: [exits]
- include_controls: nowhere
- id: bad-impact
  impact: 7
- id: bad-entry
  describe:
    - 42
"""


def test_every_malformed_control_of_a_yaml_file_with_its_line(inproc, tmp_path):
    base = write_profile(tmp_path, "base", controls={"b.py": '@control("b")\ndef _():\n    pass\n'},
                         metadata="name: base\n")
    path = write_profile(tmp_path, controls={"c.yml": BAD_YAML_CONTROLS, "d.yml": "- id: [unclosed\n- id: x\n"},
                         metadata=META + f"depends:\n  - name: base\n    path: {base}\n")
    run = inproc("check", path, "--format", "json")
    assert run.code == 1
    report = json.loads(run.out)
    errors = [(e["file"], e["line"], e["msg"]) for e in report["errors"]]
    assert [e for e in errors if e[0] == "controls/c.yml"] == [
        ("controls/c.yml", 4, "control has no 'id'"),
        ("controls/c.yml", 7, "unknown resource 'fiel' (did you mean 'file'?)"),
        ("controls/c.yml", 8, "each control must be a mapping, got 'just a string'"),
        ("controls/c.yml", 11, "unknown matcher 'exits' (did you mean 'exist'?)"),
        ("controls/c.yml", 13, "include_controls('nowhere'): profile 'p' has no dependency named 'nowhere' "
                               "(declared: base)"),
        ("controls/c.yml", 14, "impact 7 is outside 0..1"),
        ("controls/c.yml", 18, "a describe entry must be a mapping, got 42")]
    # YAML that does not parse is one error for its file
    assert [e[:2] for e in errors if e[0] == "controls/d.yml"] == [("controls/d.yml", 2)]
    assert report["summary"]["controls"] == 1  # 'good' still loaded


def test_exec_still_stops_a_yaml_file_at_its_first_error(inproc, tmp_path):
    path = write_profile(tmp_path, controls={"c.yml": BAD_YAML_CONTROLS})
    run = inproc("exec", path, "--no-color")
    assert run.code == 1
    assert run.err.count("inspecpy: error:") == 1 and "c.yml:4: control has no 'id'" in run.err


MLSVS_BUG = META.split("inputs:")[0] + """\
inputs:
  - name: recent_path
    description: A recent sample (the old mlsvs bug, declared but the control reads a fixed file)
  - name: max_drifted_share
    value: 0.1
  - name: for_a_dependency
    profile: other
"""


def test_declared_but_unused_and_used_but_undeclared_inputs_are_warned(inproc, tmp_path):
    """The old mlsvs: recent_path declared, recent.csv hard-coded; a YAML control reads the share."""
    controls = {"m.yml": "- id: m\n  title: t\n  desc: d\n  describe:\n"
                         "    - dataset: {path: {profile_file: recent.csv}, label: y}\n"
                         "      its: {rows: {be_at_most: {input: max_drifted_share}}}\n",
                "n.py": '@control("n", title="t", desc="d")\ndef _():\n'
                        '    describe(input("threshold", value=3)).should.eq(3)\n'}
    path = write_profile(tmp_path, controls=controls, metadata=MLSVS_BUG)
    run = inproc("check", path, "--format", "json")
    assert run.code == 0, run.out   # warnings, not errors
    warnings = {(w["file"], w["line"], w["msg"]) for w in json.loads(run.out)["warnings"]}
    assert ("inspec.yml", None, "input 'recent_path' is declared in inspec.yml but no control uses it: setting "
                                "it changes nothing (use it with input(...) / {input: ...}, or remove it)") in warnings
    assert ("controls/n.py", 3, "input 'threshold' is used but not declared in inspec.yml: users cannot find it "
                                "in the profile's documented inputs (declare it under inputs:)") in warnings
    assert not any("max_drifted_share" in m or "for_a_dependency" in m for _, _, m in warnings)


def test_inputs_read_in_libraries_count_and_computed_names_silence_the_unused_check(inproc, tmp_path):
    meta = MLSVS_BUG.replace("  - name: for_a_dependency\n    profile: other\n", "")
    path = write_profile(tmp_path, metadata=meta, controls={"a.py": '@control("a", title="t", desc="d")\n'
                                                                    'def _():\n    helper()\n'},
                         libraries={"h.py": 'from inspecpy import input\ndef helper():\n'
                                            '    return input("recent_path"), input("max_drifted_share")\n'})
    warnings = json.loads(inproc("check", path, "--format", "json").out)["warnings"]
    assert [w for w in warnings if "input" in w["msg"]] == []
    (path / "controls" / "b.py").write_text('NAME = "x"\n@control("b", title="t", desc="d")\n'
                                           'def _():\n    input(NAME, value=1)\n')
    (path / "libraries" / "h.py").write_text("def helper():\n    return 1\n")
    warnings = json.loads(inproc("check", path, "--format", "json").out)["warnings"]
    assert [w for w in warnings if "declared in inspec.yml but no control uses it" in w["msg"]] == []


def test_the_shipped_profiles_use_every_input_they_declare(inproc):
    from tests.conftest import ROOT

    for name in ("mlsvs", "example", "linux-baseline", "ssh-baseline"):
        report = json.loads(inproc("check", ROOT / "profiles" / name, "--format", "json").out)
        assert [w["msg"] for w in report["warnings"] if "input" in w["msg"]] == [], name


def test_inputs_read_by_ruby_controls_count_as_used(inproc, tmp_path):
    meta = MLSVS_BUG.replace("  - name: for_a_dependency\n    profile: other\n", "")
    path = write_profile(tmp_path, metadata=meta, controls={})
    (path / "controls" / "a.rb").write_text("control 'c1' do\n  title 't'\n  desc 'd'\n"
                                            "  describe input('recent_path') do\n    it { should_not be_nil }\n  end\nend\n")
    warnings = [w["msg"] for w in json.loads(inproc("check", path, "--format", "json").out)["warnings"]]
    assert [m for m in warnings if "input" in m] == [
        "input 'max_drifted_share' is declared in inspec.yml but no control uses it: setting it changes nothing "
        "(use it with input(...) / {input: ...}, or remove it)"]

"""Inputs done fully: types, required, sensitive values redacted everywhere, precedence."""

import json
import logging

import pytest

from inspecpy.errors import InputError
from inspecpy.context import LoadContext, loading
from inspecpy.profile.inputs import InputSet
from inspecpy.redaction import RedactingFilter
from tests.conftest import write_profile


@pytest.mark.parametrize("type_name,given,expected", [
    ("String", 5, "5"), ("numeric", "3.5", 3.5), ("Numeric", "7", 7), ("Boolean", "yes", True),
    ("boolean", "false", False), ("Array", "[1, 2]", [1, 2]), ("Hash", "{a: 1}", {"a": 1}),
    ("Regexp", "^a+$", "^a+$"), ("Any", "x", "x"),
])
def test_types_coerce_command_line_strings(type_name, given, expected):
    inputs = InputSet.build([{"name": "v", "type": type_name}], {"v": given})
    assert inputs.get("v") == expected


@pytest.mark.parametrize("type_name,given,message", [
    ("Numeric", "many", "input 'v' must be Numeric, got 'many'"),
    ("Boolean", "maybe", "input 'v' must be Boolean, got 'maybe'"),
    ("Array", "a: 1", "input 'v' must be Array"),
    ("Regexp", "(", "input 'v' is not a valid Regexp"),
])
def test_wrong_types_are_clear_errors(type_name, given, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        InputSet.build([{"name": "v", "type": type_name}], {"v": given})


def test_unknown_type_names_the_known_ones():
    with pytest.raises(InputError, match="input 'v' has unknown type 'Text'"):
        InputSet.build([{"name": "v", "type": "Text"}])


def test_precedence_metadata_wrapper_overrides_and_code_default():
    declared = [{"name": "a", "value": "meta"}, {"name": "b", "value": "meta"}, {"name": "c", "value": "meta"}]
    wrapper = [{"name": "b", "profile": "p", "value": "wrapper"}, {"name": "c", "profile": "p", "value": "wrapper"}]
    inputs = InputSet.build(declared, {"c": "cli"}, profile="p", wrapper=wrapper)
    assert [inputs.get(n) for n in "abc"] == ["meta", "wrapper", "cli"]
    assert inputs.get("undeclared", "code default") == "code default"
    assert InputSet.build(declared).get("a", "code default") == "meta"


def test_entries_for_another_profile_are_not_this_profiles():
    inputs = InputSet.build([{"name": "x", "profile": "dep", "value": 1}], profile="me")
    assert "x" not in inputs.specs


def test_required_input_without_value_stops_exec(inproc, tmp_path):
    path = write_profile(tmp_path, metadata="name: p\ninputs:\n  - name: must\n    required: true\n",
                         controls={"a.py": '@control("a")\ndef _():\n    describe(input("must")).should.eq("v")\n'})
    run = inproc("exec", path)
    assert run.code == 1
    assert "input 'must' is required but has no value (set it with --input must=VALUE)" in run.err
    assert inproc("exec", path, "--input", "must=v").code == 0


SENSITIVE = """\
name: p
inputs:
  - name: token
    value: hunter2-very-secret
    sensitive: true
"""


def test_sensitive_value_never_reaches_any_report(inproc, tmp_path):
    control = ('@control("a", title="t")\ndef _():\n    t = input("token")\n'
               '    describe(command("echo " + t)).its("stdout").should.eq("nope")\n'
               '    describe(t).should.eq("other")\n    raise ValueError("failed with " + t)\n')
    path = write_profile(tmp_path, metadata=SENSITIVE, controls={"a.py": control})
    for reporter in ("json", "cli"):
        run = inproc("exec", path, "--reporter", reporter)
        assert run.code == 100
        assert "hunter2-very-secret" not in run.out + run.err
        assert "***" in run.out
    run = inproc("json", path)
    assert "hunter2-very-secret" not in run.out
    run = inproc("--debug", "exec", path, "--reporter", "json")
    assert "hunter2-very-secret" not in run.err


def test_log_filter_redacts_the_current_profiles_secrets(caplog):
    inputs = InputSet.build([{"name": "t", "value": "topsecret", "sensitive": True}])
    record = logging.LogRecord("inspecpy.target", logging.DEBUG, __file__, 1, "run %r", ("echo topsecret",), None)
    with loading(LoadContext(inputs=inputs)):
        RedactingFilter().filter(record)
    assert record.getMessage() == "run 'echo ***'"


def test_input_files_and_cli_types_reach_controls(inproc, tmp_path):
    meta = "name: p\ninputs:\n  - name: n\n    type: Numeric\n    value: 1\n  - name: items\n    type: Array\n"
    control = '@control("a")\ndef _():\n    describe(input("n")).should.be_greater_than(5)\n' \
              '    describe(input("items")).should.include("b")\n'
    path = write_profile(tmp_path, metadata=meta, controls={"a.py": control})
    (tmp_path / "in.yml").write_text("n: 3\nitems: [a, b]\n")
    assert inproc("exec", path, "--input-file", tmp_path / "in.yml").code == 100
    run = inproc("exec", path, "--input-file", tmp_path / "in.yml", "--input", "n=10", "--reporter", "json")
    assert run.code == 0
    inputs = {i["name"]: i["options"]["value"] for i in json.loads(run.out)["profiles"][0]["attributes"]}
    assert inputs == {"n": 10, "items": ["a", "b"]}

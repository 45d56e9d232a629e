"""YAML controls use the same resources and matchers as the Python DSL."""

import pytest

from inspecpy.errors import ProfileError
from inspecpy.plugins import registry
from inspecpy.profile.yaml_controls import load_yaml_controls
from inspecpy.profile.inputs import InputSet
from inspecpy.run.runner import run_control

TEXT = """
- id: yaml-1
  impact: high
  title: From YAML
  tags: [a]
  describe:
    - value: [1, 2, 2]
      should: [contain_duplicates]
    - value: 7
      should: [{be_between: [1, 9]}]
      should_not: [{eq: 8}]
    - command: echo hello
      its:
        stdout: {match: '^hello$'}
        exit_status: {should_not: {eq: 1}}
    - file: {path: /etc/passwd}
      should: [exist]
    - value: hello
      should: [{cmp: {input: greeting}}]
"""


def test_yaml_controls_run_with_shared_matchers():
    controls = load_yaml_controls("c.yml", TEXT, registry().resources, "controls/c.yml")
    assert controls[0].impact == 0.7 and controls[0].source_location.line == 2
    result = run_control(controls[0], inputs=InputSet.build([{"name": "greeting", "value": "HELLO"}]))
    assert [r.status for r in result.results] == ["passed"] * 7
    assert result.results[3].code_desc == "Command: `echo hello` stdout is expected to match /^hello$/"
    assert result.results[4].code_desc == "Command: `echo hello` exit_status is expected not to eq 1"


@pytest.mark.parametrize("text, message", [
    ("- id: x\n  describe:\n    - nosuch: 1\n", "c.yml:3: unknown resource 'nosuch'"),
    ("- id: x\n  describe:\n    - fille: /etc\n", "c.yml:3: unknown resource 'fille' (did you mean 'file'?)"),
    ("- id: x\n  describe:\n    - file: /etc\n      should: [exits]\n", "c.yml:3: unknown matcher 'exits' (did you mean 'exist'?)"),
    ("- id: x\n  describe: [\n", "c.yml:3: invalid YAML: expected the node content"),
    ("- title: no id\n", "c.yml:1: control has no 'id'"),
    ("- id: x\n  impact: 3\n", "c.yml:1: impact 3 is outside 0..1"),
    ("- id: x\n  colour: red\n", "c.yml:1: control 'x': unknown key(s) colour"),
])
def test_malformed_yaml_names_file_and_line(text, message):
    with pytest.raises(ProfileError) as error:
        load_yaml_controls("c.yml", text, registry().resources, "c.yml")
    assert str(error.value).startswith(message)


def test_yaml_only_if_runs_the_control_only_when_its_check_passes():
    text = ("- id: runs\n  only_if: {file: /etc/passwd, should: [exist]}\n  describe:\n    - value: 1\n      should: [{eq: 1}]\n"
            "- id: skipped\n  only_if: {file: /no/such, should: [exist]}\n  describe:\n    - value: 1\n      should: [{eq: 1}]\n")
    runs, skipped = load_yaml_controls("c.yml", text, registry().resources, "c.yml")
    assert run_control(runs).status == "passed"
    result = run_control(skipped)
    assert result.status == "skipped"
    assert result.results[0].skip_message == \
        "Skipped control due to only_if condition: {file: /no/such, should: [exist]}"

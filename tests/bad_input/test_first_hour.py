"""A new user's mistakes (issue 11): a run that checks nothing fails, mistakes are caught before a run and
explained where they are."""

from __future__ import annotations

import json

from tests.conftest import run_cli, write_profile

CONTROLS = """
from inspecpy import control, describe

@control("ssh-01", tags=["ssh"])
def _():
    describe(1).should.eq(1)

@control("ssh-02")
def _():
    describe(2).should.eq(2)
"""


def test_controls_that_match_nothing_are_a_usage_error_naming_the_nearest(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": CONTROLS})
    run = run_cli("exec", profile, "--controls", "ssh-1")
    assert run.code == 1 and run.out == ""
    assert run.err.strip() == ("inspecpy: error: --controls ssh-1 matched no control (did you mean 'ssh-01'?) "
                               "(the profiles have: ssh-01, ssh-02)")


def test_tags_that_match_nothing_are_a_usage_error(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": CONTROLS})
    run = run_cli("exec", profile, "--tags", "cis")
    assert run.code == 1 and "inspecpy: error: --tags cis matched no control" in run.err


def test_a_profile_with_no_controls_is_a_usage_error(tmp_path):
    profile = write_profile(tmp_path)
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'r.json'}")
    assert run.code == 1
    assert run.err.strip() == ("inspecpy: error: profile p has no controls: nothing would be checked "
                               "(add controls/*.py or controls/*.yml)")


def test_a_matcher_named_but_not_called_is_an_error_result_naming_the_line(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": """
        from inspecpy import control, describe
        from inspecpy.resources import file

        @control("half")
        def _():
            describe(file("/etc/passwd")).should.exist
            describe(1).should.eq(1)
        """})
    run = run_cli("exec", profile, "--reporter", f"json:{tmp_path / 'r.json'}")
    assert run.code == 100
    results = json.loads((tmp_path / "r.json").read_text())["profiles"][0]["controls"][0]["results"]
    assert [r["status"] for r in results] == ["passed", "failed"]
    assert results[1]["message"].startswith(f"{profile / 'controls' / 'c.py'}:7: describe(File /etc/passwd).should")
    assert "never calls it: add the parentheses, e.g. .exist()" in results[1]["message"]


def test_check_finds_mistakes_in_python_controls_without_running_them(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": """
        from inspecpy import control, describe
        from inspecpy.resources import file, package, port, user

        @control("typos", title="t", desc="d")
        def _():
            describe(package("bash")).should.be_instaled()
            describe(file("/etc/passwd")).its("mdoe").should.cmp("0644")
            describe(file("/etc/passwd")).should.exist
            describe(user(uid=0)).should.exist()
            describe(port("ssh")).should.be_listening()
            describe(file("/etc/passwd")).should.eqq(1)
            describe(file("/etc/passwd")).its("mode").should.cmp("0644")
        """})
    run = run_cli("check", profile, "--format", "json")
    assert run.code == 1
    errors = [(e["line"], e["msg"]) for e in json.loads(run.out)["errors"]]
    assert errors == [
        (7, "package has no attribute 'instaled' for be_instaled (did you mean 'be_installed'?)"),
        (8, errors[1][1]),
        (9, "matcher 'exist' is named but not called: write .exist(…) (without the parentheses nothing is checked)"),
        (10, "user(): got an unexpected keyword argument 'uid' (it takes user(username))"),
        (11, "port('ssh'): invalid literal for int() with base 10: 'ssh'"),
        (12, "unknown matcher 'eqq' (did you mean 'eq'?)"),
    ]
    assert errors[1][1].startswith("its('mdoe'): file has no attribute 'mdoe' (did you mean 'mode'?); it has: ")


def test_an_error_in_a_control_shows_its_file_and_line_and_debug_after_the_command_shows_the_traceback(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": """
        from inspecpy import control

        @control("boom")
        def _():
            raise ValueError("kaput")
        """})
    run = run_cli("exec", profile, "--no-color")
    assert f"(error: ValueError: kaput at {profile / 'controls' / 'c.py'}:6)" in run.out
    assert "Traceback" not in run.out
    debug = run_cli("exec", profile, "--no-color", "--debug")
    assert debug.code == 100 and "Traceback (most recent call last):" in debug.out
    assert 'raise ValueError("kaput")' in debug.out


def test_yaml_indentation_errors_say_what_is_probably_wrong(tmp_path):
    profile = write_profile(tmp_path, controls={"c.yml": """\
        - id: x
          describe:
            - file: /etc/passwd
              should: [exist]
             its: {mode: {cmp: "0644"}}
        """})
    run = run_cli("check", profile)
    assert run.code == 1
    assert ("controls/c.yml:5: invalid YAML: a key is indented at the wrong level (line 5 does not line up with "
            "the keys above it)") in run.out


def test_messages_spell_none_as_null_and_plugins_never_show_property_objects(tmp_path):
    profile = write_profile(tmp_path, controls={"c.py": """
        from inspecpy import control, describe

        @control("none")
        def _():
            describe(None).should.eq(1)
        """})
    run = run_cli("exec", profile, "--no-color")
    assert "got: null" in run.out and "nil" not in run.out
    plugins = run_cli("plugins")
    assert "<property object" not in plugins.out and "<function" not in plugins.out
    help_text = run_cli("shell", "-c", "help(service)")
    assert "<property object" not in help_text.out

"""Bad input to the core (issue 2): each gives one clear line, the exact exit code, and loses nothing else."""

import os

import pytest

from tests.conftest import run_cli, write_profile

OK_CONTROL = "from inspecpy import control, describe\n@control('good')\ndef _():\n    describe(1).should.eq(1)\n"


def assert_one_line_error(run, message):
    assert run.code == 1, run
    assert f"inspecpy: error: {message}" in run.err
    assert "Traceback" not in run.err


def test_nonexistent_profile(tmp_path):
    run = run_cli("exec", tmp_path / "nope")
    assert_one_line_error(run, f"profile not found: {tmp_path / 'nope'}")


def test_missing_inspec_yml(tmp_path):
    (tmp_path / "p" / "controls").mkdir(parents=True)
    run = run_cli("exec", tmp_path / "p")
    assert_one_line_error(run, f"{tmp_path / 'p' / 'inspec.yml'}: missing")


def test_inspec_yml_not_yaml(tmp_path):
    path = write_profile(tmp_path, metadata="name: [unclosed\n")
    run = run_cli("exec", path)
    assert_one_line_error(run, f"{path / 'inspec.yml'}:2: not valid YAML")


def test_inspec_yml_without_name(tmp_path):
    path = write_profile(tmp_path, metadata="title: no name\n")
    run = run_cli("exec", path)
    assert_one_line_error(run, f"{path / 'inspec.yml'}: 'name' is required")


def test_python_syntax_error_names_file_and_line_and_others_still_run(tmp_path):
    path = write_profile(tmp_path, controls={"a_bad.py": "x = 1\ndef broken(:\n", "b_good.py": OK_CONTROL})
    run = run_cli("exec", path)
    assert run.code == 1
    assert f"inspecpy: error: {path / 'controls' / 'a_bad.py'}:2: SyntaxError: invalid syntax" in run.err
    assert "✔  good" in run.out
    assert "Test Summary: 1 successful, 0 failures, 0 skipped" in run.out


def test_import_error_in_control_file_names_line(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": "import os\nimport no_such_module_xyz\n", "b.py": OK_CONTROL})
    run = run_cli("exec", path)
    assert run.code == 1
    assert f"{path / 'controls' / 'a.py'}:2: ModuleNotFoundError: No module named 'no_such_module_xyz'" in run.err
    assert "✔  good" in run.out


def test_malformed_yaml_control_names_file_and_line(tmp_path):
    path = write_profile(tmp_path, controls={"a.yml": "- id: x\n  describe:\n    - file: [a\n", "b.py": OK_CONTROL})
    run = run_cli("exec", path)
    assert run.code == 1
    assert f"{path / 'controls' / 'a.yml'}:4: invalid YAML" in run.err
    assert "✔  good" in run.out


@pytest.mark.parametrize("body, message", [
    ("- id: x\n  describe:\n    - flie: /etc\n", "unknown resource 'flie' (did you mean 'file'?)"),
    ("- id: x\n  describe:\n    - file: /etc\n      should: [bee_file]\n", "unknown matcher 'bee_file'"),
])
def test_unknown_resource_or_matcher_in_yaml(tmp_path, body, message):
    path = write_profile(tmp_path, controls={"a.yml": body})
    run = run_cli("exec", path)
    assert run.code == 1
    assert f"{path / 'controls' / 'a.yml'}:3: {message}" in run.err


def test_bad_controls_regex(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": OK_CONTROL})
    run = run_cli("exec", path, "--controls", "/[unclosed/")
    assert_one_line_error(run, "--controls /[unclosed/: not a valid regular expression")


def test_required_input_without_value(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": OK_CONTROL},
                         metadata="name: p\ninputs:\n  - name: api_key\n    required: true\n")
    run = run_cli("exec", path)
    assert_one_line_error(run, "input 'api_key' is required but has no value")
    assert run_cli("exec", path, "--input", "api_key=x").code == 0


def test_input_of_wrong_type(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": OK_CONTROL},
                         metadata="name: p\ninputs:\n  - name: days\n    type: Numeric\n")
    run = run_cli("exec", path, "--input", "days=ninety")
    assert_one_line_error(run, "input 'days' must be Numeric, got 'ninety'")


def test_duplicate_control_ids(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": OK_CONTROL, "b.py": OK_CONTROL})
    run = run_cli("exec", path)
    assert_one_line_error(run, f"duplicate control id 'good': {path / 'controls' / 'a.py'}:2 and "
                               f"{path / 'controls' / 'b.py'}:2")


def test_hung_command_times_out_and_other_checks_run(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": """
        from inspecpy import control, describe
        from inspecpy.resources import command
        @control("hangs")
        def _():
            describe(command("sleep 30")).its("exit_status").should.eq(0)
            describe(command("echo after")).its("stdout").should.eq("after\\n")
    """})
    run = run_cli("exec", path, "--command-timeout", "1", timeout=20)
    assert run.code == 100
    assert "(error: CommandTimeout: command timed out after 1s: sleep 30)" in run.out
    assert "✔  Command: `echo after` stdout is expected to eq" in run.out


def test_binary_huge_and_missing_files(tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 4)
    huge = tmp_path / "huge.img"
    with open(huge, "wb") as handle:  # sparse: 20 GB on paper, nothing on disk
        handle.truncate(20 * 1024 ** 3)
    path = write_profile(tmp_path, controls={"a.py": f"""
        from inspecpy import control, describe
        from inspecpy.resources import file
        @control("files")
        def _():
            describe(file({str(binary)!r})).its("size").should.eq(1024)
            describe(file({str(binary)!r})).its("content").should.match("\\x01")
            describe(file({str(huge)!r})).should.exist()
            describe(file({str(huge)!r})).its("size").should.eq(20 * 1024 ** 3)
            describe(file({str(huge)!r})).its("content").should.be_empty()
            describe(file("/no/such/file")).should_not.exist()
            describe(file("/no/such/file")).its("content").should.eq(None)
    """})
    run = run_cli("exec", path, timeout=30)
    assert run.code == 100, run.out
    lines = [l for l in run.out.splitlines() if "  ✔  " in l or "  ×  " in l]
    assert sum("✔" in l for l in lines) == 6
    assert "over the 67108864 bytes read for content; use size or sha256sum" in run.out


def test_unreadable_file_is_a_failed_result_that_says_so(tmp_path, monkeypatch):
    from inspecpy.dsl import describe
    from inspecpy.resources.builtin.file import File
    from inspecpy.targets import on_target
    from inspecpy.targets.local import LocalTarget

    secret = tmp_path / "secret"
    secret.write_text("x")
    target = LocalTarget("local://")
    if os.geteuid() == 0:  # root reads everything: make the OS refuse as it would a normal user
        def refuse(path):
            raise PermissionError(13, "Permission denied", path)
        monkeypatch.setattr(target, "_open", refuse)
    else:
        secret.chmod(0)
    with on_target(target):
        result = describe(File(str(secret))).its("content").should.eq("x")
    assert result.status == "failed"
    assert result.message == f"TargetError: permission denied: {secret}"


def test_unknown_subcommand_and_option():
    run = run_cli("nonsense")
    assert run.code == 1 and "inspecpy: error:" in run.err
    run = run_cli("exec", "x", "--no-such-option")
    assert run.code == 1 and "unrecognized arguments: --no-such-option" in run.err


def test_unknown_target_scheme(tmp_path):
    path = write_profile(tmp_path, controls={"a.py": OK_CONTROL})
    run = run_cli("exec", path, "-t", "winrm://host")
    assert run.code == 1
    assert "unknown target scheme 'winrm://'" in run.err

"""The shell's engine: evaluation, display, help, completion, one-shot exit codes and JSON."""

import json

import pytest

from inspecpy.shell import Shell
from inspecpy.shell.completion import complete
from inspecpy.shell.repl import incomplete
from inspecpy.targets.local import LocalTarget


@pytest.fixture
def shell():
    written = []
    session = Shell(LocalTarget("local://"), write=written.append)
    session.output = written
    return session


def text(session) -> str:
    out = "".join(session.output)
    session.output.clear()
    return out


def test_a_test_prints_at_once_and_sets_the_verdict(shell, tmp_path):
    (tmp_path / "f").write_text("x")
    outcome = shell.run(f'describe(file("{tmp_path / "f"}")).should.exist()')
    assert text(shell) == f"  ✔  File {tmp_path / 'f'} is expected to exist\n"
    assert outcome.exit_code == 0
    outcome = shell.run("describe(1).should.eq(2)")
    assert text(shell).startswith("  ×  1 is expected to eq 2\n     expected: 2\n")
    assert outcome.exit_code == 100


def test_a_bare_resource_prints_its_attributes(shell, tmp_path):
    (tmp_path / "f").write_text("hello")
    (tmp_path / "f").chmod(0o640)
    shell.run(f'file("{tmp_path / "f"}")')
    out = text(shell)
    assert out.startswith(f"File {tmp_path / 'f'}\n")
    assert "  content:" in out and "'hello'" in out
    assert "  mode:" in out and "0640" in out
    assert "resource_id" not in out


def test_variables_blocks_and_controls_persist(shell):
    shell.run("x = [1, 2, 2]")
    shell.run("describe(x).should.contain_duplicates()")
    assert "✔" in text(shell)
    outcome = shell.run('@control("c1", title="Defined here")\ndef _():\n    describe(x).its("0").should.eq(1)\n')
    out = text(shell)
    assert "  ✔  c1: Defined here\n     ✔  [1, 2, 2] 0 is expected to eq 1\n" == out
    assert outcome.controls[0].id == "c1"
    shell.run("x")
    assert text(shell) == "[1, 2, 2]\n"


def test_an_exception_prints_one_line_and_the_session_goes_on(shell):
    outcome = shell.run("1/0")
    assert text(shell) == "Error: ZeroDivisionError: division by zero\n"
    assert outcome.exit_code == 1
    shell.run("fiel('/etc')")
    assert text(shell) == "Error: unknown name 'fiel' (did you mean 'file'?)\n"
    shell.run("describe(1).should.eq(1)")
    assert "✔" in text(shell)


def test_half_written_tests_get_a_hint(shell):
    shell.run("describe(1)")
    assert "add .should.MATCHER(...)" in text(shell)


def test_help(shell):
    shell.run("help()")
    out = text(shell)
    assert "file" in out and "Matchers:" in out and "Ctrl-D leaves" in out
    shell.run("help(file)")
    out = text(shell)
    assert out.startswith("file: A file (or any path) on the target.") and "Attributes: " in out
    assert "Python::" in out
    shell.run('help("fiel")')
    assert "did you mean 'file'?" in text(shell)


def test_skip_gives_101_and_skipped_line(shell):
    outcome = shell.run('@control("s")\ndef _():\n    skip("not here")\n')
    assert "↺  not here" in text(shell)
    assert outcome.exit_code == 101


@pytest.mark.parametrize("line,expected", [
    ("describe(fil", ["file("]),
    ('file("/etc/passwd").mo', ["mode", "more_permissive_than"]),
    ('describe(file("/x")).should.be_fi', ["be_file"]),
    ('describe(file("/x")).sh', ["should", "should_not"]),
    ('describe(file("/x")).its("ow', ["owner"]),
    ('describe(file("/x")).its("m', ["mode", "mtime"]),
    ('"fil', []),
])
def test_completion(shell, line, expected):
    assert complete(line, shell.namespace) == expected


def test_completion_of_a_variable_holding_a_resource(shell):
    shell.run('p = file("/etc/passwd")')
    assert "exists" in complete("p.ex", shell.namespace)


def test_incomplete_blocks_continue():
    assert incomplete('@control("x")')
    assert incomplete("def _():\n    describe(1).should.eq(1)")
    assert not incomplete("def _():\n    describe(1).should.eq(1)\n")
    assert not incomplete("describe(1).should.eq(1)")
    assert not incomplete("1 +* 2")


def test_one_shot_exit_codes_and_json(inproc, tmp_path):
    assert inproc("shell", "-c", "describe(1).should.eq(1)").code == 0
    assert inproc("shell", "-c", "describe(1).should.eq(2)").code == 100
    assert inproc("shell", "-c", "nope(").code == 1
    (tmp_path / "f").write_text("x")
    run = inproc("shell", "-c", f'describe(file("{tmp_path / "f"}")).should.exist()', "--format", "json")
    data = json.loads(run.out)
    assert data["exit_code"] == 0 and data["target"] == "local://"
    assert data["results"] == [{"status": "passed", "code_desc": f"File {tmp_path / 'f'} is expected to exist",
                                "resource": "file", "resource_id": str(tmp_path / "f")}]
    run = inproc("shell", "-c", f'file("{tmp_path / "f"}")', "--format", "json")
    value = json.loads(run.out)["value"]
    assert value["resource"] == f"File {tmp_path / 'f'}" and value["attributes"]["size"] == 1


def test_profile_brings_its_libraries_and_inputs(inproc, tmp_path):
    from tests.conftest import write_profile

    lib = "from inspecpy.resources.base import Resource\nclass Motd(Resource):\n    name = 'motd_text'\n" \
          "    @property\n    def text(self):\n        return 'welcome'\n"
    path = write_profile(tmp_path, metadata="name: p\ninputs:\n  - name: who\n    value: ada\n",
                         libraries={"motd.py": lib})
    run = inproc("shell", "--profile", path, "-c", 'describe(motd_text()).its("text").should.eq("welcome")')
    assert run.code == 0, run
    run = inproc("shell", "--profile", path, "--input", "who=bob", "-c", 'describe(input("who")).should.eq("bob")')
    assert run.code == 0, run


def test_sensitive_inputs_are_redacted_in_the_shell(inproc, tmp_path):
    from tests.conftest import write_profile

    path = write_profile(tmp_path, metadata="name: p\ninputs:\n  - name: token\n    value: s3cret-xyz\n"
                                            "    sensitive: true\n")
    for code in ('input("token")', 'describe(input("token")).should.eq("no")', 'raise ValueError(input("token"))'):
        run = inproc("shell", "--profile", path, "-c", code)
        assert "s3cret-xyz" not in run.out + run.err and "***" in run.out
    run = inproc("shell", "--profile", path, "-c", 'input("token")', "--format", "json")
    assert json.loads(run.out)["value"] == "***"

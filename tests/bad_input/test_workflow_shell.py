"""The shell with bad input: an exception prints one line and the session goes on; a misspelt
resource suggests the nearest name."""

import json

from tests.conftest import run_cli
import subprocess
import sys


def shell(lines: str, *args: str, tmp_path):
    env = {"INSPECPY_HISTORY": str(tmp_path / "history"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "inspecpy", "shell", *args], input=lines, capture_output=True,
                          text=True, timeout=60, env=env)
    return proc


def test_errors_keep_the_session(tmp_path):
    proc = shell("1/0\nfiel('/etc/passwd')\ncommnd('id')\ndescribe(1).should.eq(1)\n", tmp_path=tmp_path)
    assert proc.returncode == 0
    out = proc.stdout
    assert "Error: ZeroDivisionError: division by zero" in out
    assert "Error: unknown name 'fiel' (did you mean 'file'?)" in out
    assert "Error: unknown name 'commnd' (did you mean 'command'?)" in out
    assert out.index("did you mean 'command'") < out.index("✔  1 is expected to eq 1")
    assert "Traceback" not in out + proc.stderr


def test_syntax_error_and_unknown_matcher_keep_the_session(tmp_path):
    proc = shell("describe(1).should.eq(1\n)\ndescribe(1).should.bee_one()\ndescribe(2).should.eq(2)\n",
                 tmp_path=tmp_path)
    assert "Error: AttributeError: unknown matcher 'bee_one'" in proc.stdout
    assert "✔  2 is expected to eq 2" in proc.stdout


def test_one_shot_error_is_exit_1_with_json(tmp_path):
    run = run_cli("shell", "-c", "fiel('/x')", "--format", "json")
    assert run.code == 1
    data = json.loads(run.out)
    assert data["error"] == "Error: unknown name 'fiel' (did you mean 'file'?)" and data["exit_code"] == 1


def test_unreachable_target_is_one_line(tmp_path):
    run = run_cli("shell", "-t", "nosuch://host", "-c", "1")
    assert run.code == 1 and "inspecpy: error: unknown target scheme 'nosuch://'" in run.err

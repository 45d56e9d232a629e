"""The shipped example profile: its report and exit code on hosts whose answers are known (recordings)."""

import json
import re

import pytest

from tests.conftest import ROOT, run_cli


def host(tmp_path, max_days: int, kernel: str = "6.1.0-18-amd64"):
    """A recording of a Debian host (``-t replay://FILE``): the verdicts follow from it, not from this machine."""
    recording = {
        "commands": {"uname -r": f"{kernel}\n"},
        "files": {"/etc/login.defs": {"content": f"PASS_MAX_DAYS\t{max_days}\nPASS_MIN_DAYS\t1\n", "mode": "0644"},
                  "/etc/shadow": {"content": "root:*:19000:0:99999:7:::\n", "mode": "0640", "gid": 42}}}
    path = tmp_path / f"host-{max_days}.json"
    path.write_text(json.dumps(recording))
    return f"replay://{path}"


@pytest.mark.parametrize("max_days, code", [(90, 0), (99999, 100)])
def test_example_profile_report_and_exit_code(tmp_path, max_days, code):
    run = run_cli("exec", ROOT / "profiles" / "example", "-t", host(tmp_path, max_days), "--no-color")
    assert "Profile:   Example Profile (example)" in run.out
    assert "✔  check_os_version: Operating System Version Check" in run.out
    assert "Command: `uname -r` stdout is expected to match /^[56]\\./" in run.out
    assert run.code == code, run.out + run.err
    line = "login.defs PASS_MAX_DAYS is expected to be at most 365"
    assert (f"×  {line}" if code else f"✔  {line}") in run.out
    assert re.search(r"Test Summary: \d+ successful, \d+ failures?, 0 skipped", run.out)


def test_example_profile_runs_on_this_machine():
    run = run_cli("exec", ROOT / "profiles" / "example", "--no-color")
    assert run.code in (0, 100), run.out + run.err  # the verdicts are this machine's; none is an error
    assert "error:" not in run.out


def test_input_on_the_command_line_changes_the_verdict():
    run = run_cli("exec", ROOT / "profiles" / "example", "--controls", "check_os_version",
                  "--input", "os_version=^0\\.0\\.")
    assert run.code == 100
    assert "×  check_os_version" in run.out
    assert "check_secure_password_policy" not in run.out


def test_tags_filter():
    run = run_cli("exec", ROOT / "profiles" / "example", "--tags", "password")
    assert "check_os_version" not in run.out and "check_secure_password_policy" in run.out


def test_version_and_detect():
    assert run_cli("--version").out.strip() == run_cli("version").out.strip() != ""
    detect = run_cli("detect")
    assert detect.code == 0 and "Family:" in detect.out and "Arch:" in detect.out

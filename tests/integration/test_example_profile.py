"""The shipped example profile runs against this machine with a correct report and exit code."""

import re

from tests.conftest import ROOT, run_cli


def login_defs_max_days() -> int | None:
    text = open("/etc/login.defs").read()
    found = re.search(r"^PASS_MAX_DAYS\s+(\d+)", text, re.M)
    return int(found.group(1)) if found else None


def test_example_profile_report_and_exit_code():
    run = run_cli("exec", ROOT / "profiles" / "example", "--no-color")
    assert "Profile:   Example Profile (example)" in run.out
    assert "✔  check_os_version: Operating System Version Check" in run.out
    assert "Command: `uname -r` stdout is expected to match /^[56]\\./" in run.out
    max_days = login_defs_max_days()
    expected_fail = max_days is None or max_days > 365
    assert run.code == (100 if expected_fail else 0), run.out + run.err
    line = "login.defs PASS_MAX_DAYS is expected to be at most 365"
    assert (f"×  {line}" if expected_fail else f"✔  {line}") in run.out
    assert re.search(r"Test Summary: \d+ successful, \d+ failures?, 0 skipped", run.out)


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

"""SSH faults (issue 3): each is one clear line naming the host, exit 1 or a failed result, and
nothing else is lost (the other targets and the checks run before it are reported)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.bad_input.faults import OK
from tests.conftest import ROOT, error_line, run_cli, write_profile
from tests.integration.sshd import PASSWORD, SUDO_PASSWORD, free_port, keygen

pytestmark = pytest.mark.integration


@pytest.fixture
def profile(tmp_path) -> Path:
    return write_profile(tmp_path, "p", {"ok.py": OK})


def fingerprint(public_key_file: Path) -> str:
    out = subprocess.run(["ssh-keygen", "-lf", str(public_key_file)], capture_output=True, text=True).stdout
    return out.split()[1]


def exec_with_local(profile, *args):
    """Run against the SSH target AND local://: the local results must survive the SSH fault."""
    return run_cli("exec", profile, "-t", "local://", *args, "--no-color")


def assert_local_survived(run):
    assert run.code == 1, run
    assert "Target:    local://" in run.out and "✔  ok" in run.out
    assert "Fleet Summary: 2 targets: 1 passed, 0 failed, 1 unreachable" in run.out


# --------------------------------------------------------------------- connecting
def test_unreachable_port(profile, sshd):
    port = free_port()
    run = exec_with_local(profile, "-t", f"ssh://{sshd.user}@127.0.0.1:{port}", "--connect-timeout", "3")
    assert error_line(run) == (f"inspecpy: error: ssh://{sshd.user}@127.0.0.1:{port}: "
                               f"cannot connect to 127.0.0.1:{port}: connection refused")
    assert_local_survived(run)


def test_host_name_that_does_not_resolve(profile):
    run = exec_with_local(profile, "-t", "ssh://someone@no-such-host.invalid")
    assert re.fullmatch(r"inspecpy: error: ssh://someone@no-such-host.invalid: cannot resolve host "
                        r"'no-such-host.invalid': .+", error_line(run))
    assert_local_survived(run)


def test_wrong_key(profile, sshd, tmp_path):
    other = keygen(tmp_path / "other_key")
    args = sshd.args(key=False) + ["-i", str(other)]
    run = exec_with_local(profile, *args)
    assert error_line(run) == (f"inspecpy: error: {sshd.uri()}: authentication failed for "
                               f"{sshd.user}@127.0.0.1:{sshd.port} (tried key {other})")
    assert_local_survived(run)


def test_wrong_password(profile, sshd):
    run = exec_with_local(profile, *sshd.args(key=False), "--password", "not-the-password")
    assert error_line(run) == (f"inspecpy: error: {sshd.uri()}: authentication failed for "
                               f"{sshd.user}@127.0.0.1:{sshd.port} (tried password)")
    assert "not-the-password" not in run.out + run.err
    assert_local_survived(run)


def test_unknown_host_key(profile, sshd, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    run = exec_with_local(profile, "-t", sshd.uri(), "-i", str(sshd.key), "--known-hosts", str(empty))
    fp = fingerprint(Path(f"{sshd.host_key}.pub"))
    assert error_line(run).startswith(
        f"inspecpy: error: {sshd.uri()}: unknown host key for [127.0.0.1]:{sshd.port}: ssh-ed25519 {fp} "
        f"is not in {empty}; check the fingerprint, then add it")
    assert "--insecure" in error_line(run)
    assert_local_survived(run)


def test_changed_host_key(profile, sshd, tmp_path):
    impostor = keygen(tmp_path / "impostor_host_key")
    kind, blob = Path(f"{impostor}.pub").read_text().split()[:2]
    known = tmp_path / "known_hosts"
    known.write_text(f"[127.0.0.1]:{sshd.port} {kind} {blob}\n")
    run = exec_with_local(profile, "-t", sshd.uri(), "-i", str(sshd.key), "--known-hosts", str(known))
    got, expected = fingerprint(Path(f"{sshd.host_key}.pub")), fingerprint(Path(f"{impostor}.pub"))
    assert error_line(run).startswith(
        f"inspecpy: error: {sshd.uri()}: HOST KEY CHANGED for [127.0.0.1]:{sshd.port}: the server offers "
        f"ssh-ed25519 {got} but known_hosts ({known}) has {expected}")
    assert_local_survived(run)


def test_insecure_skips_the_check_and_says_so(profile, sshd, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    run = run_cli("exec", profile, "-t", sshd.uri(), "-i", str(sshd.key), "--known-hosts", str(empty), "--insecure")
    assert run.code == 0, run
    fp = fingerprint(Path(f"{sshd.host_key}.pub"))
    assert f"--insecure: not checking the host key of [127.0.0.1]:{sshd.port} (ssh-ed25519 {fp})" in run.err


def test_missing_key_file(profile, sshd, tmp_path):
    missing = tmp_path / "no_such_key"
    run = exec_with_local(profile, *sshd.args(key=False), "-i", str(missing))
    assert error_line(run) == f"inspecpy: error: {sshd.uri()}: key file not found: {missing}"
    assert_local_survived(run)


def test_encrypted_key_without_passphrase(profile, sshd, tmp_path):
    locked = keygen(tmp_path / "locked_key", passphrase="secret phrase")
    env = {k: v for k, v in os.environ.items() if k not in ("INSPECPY_KEY_PASSPHRASE", "SSH_AUTH_SOCK")}
    run = run_cli("exec", profile, "-t", "local://", *sshd.args(key=False), "-i", str(locked), env=env)
    assert error_line(run) == (f"inspecpy: error: {sshd.uri()}: key file {locked} is encrypted: add it to "
                               "ssh-agent (ssh-add) or set INSPECPY_KEY_PASSPHRASE")
    assert_local_survived(run)


def test_sudo_that_needs_a_password_not_given(profile, sshd):
    args = ["-t", sshd.uri(sshd.users.sudo_user), "--known-hosts", str(sshd.known_hosts),
            "--password", SUDO_PASSWORD, "--sudo"]
    run = exec_with_local(profile, *args)
    assert error_line(run) == (f"inspecpy: error: {sshd.uri(sshd.users.sudo_user)}: sudo asks for a password: "
                               "give --sudo-password (or INSPECPY_SUDO_PASSWORD)")
    assert_local_survived(run)


def test_wrong_sudo_password(profile, sshd):
    args = ["-t", sshd.uri(sshd.users.sudo_user), "--known-hosts", str(sshd.known_hosts),
            "--password", SUDO_PASSWORD, "--sudo", "--sudo-password", "wrong-sudo-pw"]
    run = exec_with_local(profile, *args)
    assert error_line(run).endswith("sudo rejected the --sudo-password")
    assert "wrong-sudo-pw" not in run.out + run.err
    assert_local_survived(run)


def test_bad_uri_never_shows_the_password():
    run = run_cli("exec", ROOT / "profiles" / "example", "-t", "ssh://me:hunter2@host:notaport")
    assert run.code == 1
    assert "hunter2" not in run.out + run.err
    assert "ssh://me@host:notaport" in run.err


# ----------------------------------------------------------------------- during a run
HANG = """
from inspecpy import control, describe
from inspecpy.resources import command

@control("hang")
def _():
    describe(command("echo before")).its("stdout").should.eq("before\\n")
    describe(command("sleep SECONDS; echo never")).its("stdout").should.eq("never\\n")
    describe(command("echo after")).its("stdout").should.eq("after\\n")
"""


def test_command_hanging_past_the_timeout(sshd, tmp_path):
    seconds = f"60.{os.getpid()}"  # unique, so a concurrent run's sleep is not mistaken for ours
    profile = write_profile(tmp_path, "hang", {"hang.py": HANG.replace("SECONDS", seconds)})
    report = tmp_path / "r.json"
    run = run_cli("exec", profile, *sshd.args("--command-timeout", "1"), "--reporter", "cli", f"json:{report}")
    assert run.code == 100, run
    results = json.loads(report.read_text())["profiles"][0]["controls"][0]["results"]
    assert [r["status"] for r in results] == ["passed", "failed", "passed"]
    assert results[1]["message"] == f"CommandTimeout: command timed out after 1s: sleep {seconds}; echo never"
    left = subprocess.run(["pgrep", "-u", sshd.user, "-f", f"sleep {seconds}"], capture_output=True, text=True)
    assert left.stdout == "", "the timed-out command was not killed"


KILLER = """
import os, signal
from inspecpy import control, describe, input
from inspecpy.resources import command, file
from tests.integration.sshd import kill_sessions

@control("a-before")
def _():
    describe(command("echo one")).its("stdout").should.eq("one\\n")
    describe(file("/etc/passwd")).should.exist()

@control("b-kill")
def _():
    listener = int(input("sshd_pid"))
    kill_sessions(listener)                 # the connection drops
    if input("listener_too") == "yes":
        os.kill(listener, signal.SIGKILL)   # and nothing accepts a new one
    describe(1).should.eq(1)

@control("c-after")
def _():
    describe(command("echo two")).its("stdout").should.eq("two\\n")
    describe(file("/etc/group")).should.exist()
"""


@pytest.mark.parametrize("listener_too", [False, True], ids=["sessions-killed", "sshd-killed"])
def test_sshd_killed_mid_run(sshd_factory, tmp_path, listener_too):
    server = sshd_factory()
    profile = write_profile(tmp_path, "killer", {"killer.py": KILLER})
    report = tmp_path / "r.json"
    inputs = ["--input", f"sshd_pid={server.pid}", f"listener_too={'yes' if listener_too else 'no'}"]
    run = run_cli("exec", profile, *server.args(), *inputs, "--reporter", "cli", f"json:{report}")
    controls = {c["id"]: c["results"] for c in json.loads(report.read_text())["profiles"][0]["controls"]}
    assert [r["status"] for r in controls["a-before"]] == ["passed", "passed"]  # kept
    if not listener_too:
        assert run.code == 0, run
        assert [r["status"] for r in controls["c-after"]] == ["passed", "passed"]
        assert server.connections() == 2  # reconnected once
        assert "connection lost" in run.err and "reconnecting" in run.err
        return
    assert run.code == 100, run
    assert [r["status"] for r in controls["c-after"]] == ["failed", "failed"]  # each says why, at once
    for result in controls["c-after"]:
        # the listener dies with its sessions: the reconnection is refused, or (when it still accepted the
        # connection as it died) the handshake fails; either way the reason is named
        assert re.fullmatch(rf"TargetError: connection to {re.escape(server.uri())} lost \(.+\); reconnecting "
                            rf"failed: (cannot connect to 127.0.0.1:{server.port}: connection refused|"
                            rf"SSH handshake with 127.0.0.1:{server.port} failed: \S.*)",
                            result["message"]), result["message"]


# -------------------------------------------------------------- quoting and secrets
NAMES = st.text(st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1, max_size=40) | \
    st.lists(st.sampled_from(list(" '\"\\$`;&|<>(){}[]*?!#~=%\n\t") + ["$(touch PWNED)", "`touch PWNED`", "'; touch PWNED; '"]),
             min_size=1, max_size=8).map("".join)


@pytest.fixture(scope="module")
def odd_dir():
    base = Path(tempfile.mkdtemp(prefix="inspecpy-odd-names-"))  # not under pytest's 0700 folder
    base.chmod(0o755)
    yield base
    subprocess.run(["rm", "-rf", str(base)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_file_names_never_inject_commands(sshd, odd_dir, name):
    """A probe of a file with shell metacharacters in its name sees exactly that file."""
    assume(name not in (".", "..") and len(name.encode()) < 200)
    path = odd_dir / name
    content = f"content of {name!r}\n"
    path.write_text(content)
    os.chmod(path, 0o644)
    canary = Path(f"/home/{sshd.user}/PWNED")  # the remote shell's working directory
    try:
        with sshd.target() as target:
            assert target.run("cat -- {}", str(path)).stdout == content
            assert target.run("printf '%s' {}", name).stdout == name
            assert target.read_text(str(path)) == content
            assert target.stat(str(path)).size == len(content.encode())
            assert name in target.listdir(str(odd_dir))
        assert not canary.exists()
    finally:
        path.unlink()


def test_passwords_never_in_output_logs_or_reports(sshd, tmp_path):
    """Password login, sudo password, URI password; --debug logs, every reporter, stdout, stderr."""
    user = sshd.users.sudo_user
    profile = write_profile(tmp_path, "p", {"ok.py": OK})
    reports = [f"json:{tmp_path / 'r.json'}", f"junit:{tmp_path / 'r.xml'}", f"json-min:{tmp_path / 'r.min.json'}",
               f"yaml:{tmp_path / 'r.yml'}", f"cli:{tmp_path / 'r.txt'}"]
    env = {**os.environ, "INSPECPY_SUDO_PASSWORD": SUDO_PASSWORD}
    runs = [
        run_cli("--debug", "exec", profile, "-t", sshd.uri(user), "--known-hosts", str(sshd.known_hosts),
                "--password", SUDO_PASSWORD, "--sudo", "--reporter", *reports, env=env),
        run_cli("--debug", "exec", profile, "-t", f"ssh://{user}:{'pw%20in%20uri'}@127.0.0.1:{sshd.port}",
                "--known-hosts", str(sshd.known_hosts), "--reporter", "json", env=env),
        run_cli("--debug", "exec", profile, "-t", sshd.uri(), "--known-hosts", str(sshd.known_hosts),
                "--password", "wrong " + PASSWORD, env=env),
    ]
    assert runs[0].code == 0, runs[0]
    assert runs[1].code == 1 and runs[2].code == 1
    assert "DEBUG" in runs[0].err  # the debug log really was on
    texts = [r.out + r.err for r in runs] + [p.read_text() for p in tmp_path.glob("r.*")]
    for secret in (SUDO_PASSWORD, PASSWORD, "pw in uri", "pw%20in%20uri"):
        assert not any(secret in text for text in texts), secret

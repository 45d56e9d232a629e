"""The SSH target against a real sshd: ways to log in, one connection per target, fleets."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_profile

pytestmark = pytest.mark.integration

CHECKS = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("many")
def _():
    for i in range(40):
        describe(command(f"echo {i}")).its("stdout").should.eq(f"{i}\\n")
        describe(file("/etc/passwd")).its("size").should.be_greater_than(0)
    describe(file("/etc/hostname")).its("content").should.match(r"\\S")
"""


@pytest.fixture
def profile(tmp_path) -> Path:
    return write_profile(tmp_path, "checks", {"checks.py": CHECKS})


def home_with_ssh_config(tmp_path: Path, text: str) -> dict:
    """An environment whose HOME has ~/.ssh/config = *text* (and no agent)."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True, exist_ok=True)
    (home / ".ssh" / "config").write_text(text)
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "INSPECPY_PASSWORD")}
    return {**env, "HOME": str(home)}


def test_detect_prints_the_remote_platform(sshd):
    run = run_cli("detect", *sshd.args(), "--format", "json")
    assert run.code == 0, run
    info = json.loads(run.out)
    local = run_cli("detect", "--format", "json")
    assert {k: v for k, v in info.items() if k != "target"} == \
        {k: v for k, v in json.loads(local.out).items() if k != "target"}
    assert info["target"] == sshd.uri()


def test_everything_over_one_connection(sshd, profile):
    before = sshd.connections()
    run = run_cli("exec", profile, *sshd.args())
    assert run.code == 0, run.out + run.err
    assert "Test Summary: 81 successful, 0 failures, 0 skipped" in run.out
    assert sshd.connections() - before == 1


def test_password_from_the_environment(sshd, profile):
    env = {**os.environ, "INSPECPY_PASSWORD": sshd.password}
    env.pop("SSH_AUTH_SOCK", None)
    run = run_cli("exec", profile, *sshd.args(key=False), env=env)
    assert run.code == 0, run.err
    assert "Accepted password for inspecpy-ssh" in sshd.log.read_text()


def test_password_in_the_uri_is_hidden_in_the_report(sshd, profile, tmp_path):
    from urllib.parse import quote

    uri = f"ssh://{sshd.user}:{quote(sshd.password, safe='')}@127.0.0.1:{sshd.port}"
    report = tmp_path / "r.json"
    run = run_cli("exec", profile, "-t", uri, "--known-hosts", str(sshd.known_hosts), "--reporter", f"json:{report}")
    assert run.code == 0, run.err
    assert json.loads(report.read_text())["platform"]["target_id"] == sshd.uri()


def test_ssh_agent(sshd, profile, tmp_path):
    sock = tmp_path / "agent.sock"
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", str(sock)], stdout=subprocess.DEVNULL)
    try:
        env = home_with_ssh_config(tmp_path, "")
        env["SSH_AUTH_SOCK"] = str(sock)
        for _ in range(50):
            if subprocess.run(["ssh-add", str(sshd.key)], env=env, capture_output=True).returncode == 0:
                break
            subprocess.run(["sleep", "0.1"])
        run = run_cli("exec", profile, *sshd.args(key=False), env=env)
        assert run.code == 0, run.err
    finally:
        agent.terminate()
        agent.wait()


def test_ssh_config_alias(sshd, profile, tmp_path):
    env = home_with_ssh_config(tmp_path, f"""
Host box
  HostName 127.0.0.1
  User {sshd.user}
  Port {sshd.port}
  IdentityFile {sshd.key}
  UserKnownHostsFile {sshd.known_hosts}
""")
    report = tmp_path / "r.json"
    run = run_cli("exec", profile, "-t", "ssh://box", "--reporter", "cli", f"json:{report}", env=env)
    assert run.code == 0, run.err
    assert "Target:    ssh://box" in run.out


def test_proxy_jump(sshd, profile, tmp_path):
    env = home_with_ssh_config(tmp_path, f"""
Host inner
  HostName 127.0.0.1
  Port {sshd.port}
  ProxyJump {sshd.user}@127.0.0.1:{sshd.port}
""")
    before = sshd.connections()
    run = run_cli("exec", profile, "-t", f"ssh://{sshd.user}@inner", "-i", sshd.key,
                  "--known-hosts", sshd.known_hosts, env=env)
    assert run.code == 0, run.err
    assert sshd.connections() - before == 2  # the jump host, then the target through it


def test_fleet_reports_each_target_and_the_unreachable_one(sshd, profile, tmp_path):
    targets = tmp_path / "targets.txt"
    targets.write_text(f"# the fleet\n{sshd.uri()}\n\nlocal://   # this machine\nssh://nobody@127.0.0.1:1\n")
    before = sshd.connections()
    run = run_cli("exec", profile, "--target-file", targets, "-t", sshd.uri(sshd.users.user, "localhost"),
                  "-i", sshd.key, "--known-hosts", sshd.known_hosts, "--jobs", "4", "--no-color",
                  "--reporter", "cli", f"json:{tmp_path}/out-{{target}}.json")
    assert run.code == 1, run
    assert "inspecpy: error: ssh://nobody@127.0.0.1:1: cannot connect to 127.0.0.1:1: connection refused" in run.err
    assert "Fleet Summary: 4 targets: 2 passed, 0 failed, 2 unreachable" in run.out  # localhost: unknown host key
    assert "unknown host key for [localhost]" in run.err
    assert sshd.connections() - before == 1
    reports = sorted(p.name for p in tmp_path.glob("out-*.json"))
    assert len(reports) == 4
    ours = json.loads((tmp_path / f"out-{sshd.user}_127.0.0.1_{sshd.port}.json").read_text())
    assert ours["platform"]["target_id"] == sshd.uri()
    assert len(ours["profiles"][0]["controls"][0]["results"]) == 81


def test_many_targets_each_one_connection(sshd, profile):
    before = sshd.connections()
    run = run_cli("exec", profile, *sshd.args(), *["-t", sshd.uri()] * 5, "--jobs", "6")
    assert run.code == 0, run.err
    assert run.out.count("Test Summary: 81 successful") == 6
    assert sshd.connections() - before == 6


def test_large_file_streams_through_sftp(sshd, tmp_path):
    import hashlib

    big = Path(tempfile.mkdtemp(prefix="inspecpy-big-")) / "big.bin"  # not under pytest's 0700 folder
    big.parent.chmod(0o755)
    data = os.urandom(3 << 20) * 4  # 12 MiB: three 4 MiB windows
    big.write_bytes(data)
    os.chmod(big, 0o644)
    try:
        with sshd.target() as target:
            digest = hashlib.sha256()
            with target.open(str(big)) as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
            with target.open(str(big)) as stream:  # random access, as zip and model scanners need
                assert stream.seek(-10, os.SEEK_END) == len(data) - 10 and stream.read() == data[-10:]
                stream.seek(5_000_000)
                assert stream.read(7) == data[5_000_000:5_000_007] and stream.tell() == 5_000_007
            assert target.read_text("/proc/self/status").startswith("Name:")  # stat says size 0
    finally:
        big.unlink()
        big.parent.rmdir()

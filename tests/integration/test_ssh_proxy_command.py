"""ProxyCommand from ~/.ssh/config: tokens expanded as OpenSSH does, run by a shell, one line when it fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_profile
from tests.integration.test_ssh_target import home_with_ssh_config

pytestmark = pytest.mark.integration

# What `nc %h %p` does, in Python (nc is not always installed): relay stdin/stdout to HOST:PORT;
# first note the arguments it was given.
RELAY = """
import json, os, socket, sys, threading
log, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(log, "a") as out:
    out.write(json.dumps(sys.argv[2:]) + "\\n")
conn = socket.create_connection((host, port))
def upstream():
    while data := os.read(0, 65536):
        conn.sendall(data)
    conn.shutdown(socket.SHUT_WR)
threading.Thread(target=upstream, daemon=True).start()
while data := conn.recv(65536):
    os.write(1, data)
"""
CHECK = """
from inspecpy import control, describe
from inspecpy.resources import command, file

@control("through-the-proxy")
def _():
    describe(command("echo hi")).its("stdout").should.eq("hi\\n")
    describe(file("/etc/passwd")).its("content").should.match(r"^root:")
"""


@pytest.fixture
def relay(tmp_path) -> Path:
    folder = tmp_path / "proxy dir"      # a space: the config quotes the path
    folder.mkdir()
    (folder / "relay.py").write_text(RELAY)
    return folder


def test_proxy_command_with_tokens(sshd, tmp_path, relay):
    log = relay / "calls.log"
    env = home_with_ssh_config(tmp_path, f"""
Host viaproxy
  HostName 127.0.0.1
  Port 1
  IdentityFile {sshd.key}
  UserKnownHostsFile {sshd.known_hosts}
  ProxyCommand {sys.executable} "{relay / 'relay.py'}" '{log}' %h %p %r %n 100%%
""")
    profile = write_profile(tmp_path, "p", {"c.py": CHECK})
    before = sshd.connections()
    run = run_cli("exec", profile, "-t", f"ssh://{sshd.user}@viaproxy:{sshd.port}", env=env)  # the URI's port wins
    assert run.code == 0, run.err
    assert "Test Summary: 2 successful, 0 failures, 0 skipped" in run.out
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    assert calls == [["127.0.0.1", str(sshd.port), sshd.user, "viaproxy", "100%"]]
    assert sshd.connections() - before == 1


def test_proxy_command_that_fails_is_one_line(sshd, tmp_path):
    env = home_with_ssh_config(tmp_path, f"""
Host broken
  HostName 127.0.0.1
  Port {sshd.port}
  ProxyCommand no-such-proxy-program %h %p
""")
    run = run_cli("exec", write_profile(tmp_path, "p", {"c.py": CHECK}), "-t", f"ssh://{sshd.user}@broken",
                  "-i", sshd.key, "--known-hosts", sshd.known_hosts, env=env)
    assert run.code == 1, run
    errors = [line for line in run.err.splitlines() if line.startswith("inspecpy: error: ")]
    assert len(errors) == 1, run.err  # (paramiko itself still logs its banner error)
    assert errors[0].startswith(f"inspecpy: error: ssh://{sshd.user}@broken: SSH handshake with 127.0.0.1:"
                                f"{sshd.port} failed: ")
    assert errors[0].endswith("(ProxyCommand 'no-such-proxy-program 127.0.0.1 "
                              f"{sshd.port}': /bin/sh: 1: exec: no-such-proxy-program: not found)")


def test_user_name_with_shell_metacharacters_is_refused(sshd, tmp_path):
    env = home_with_ssh_config(tmp_path, "Host evil\n  ProxyCommand nc %h %p # %r\n")
    run = run_cli("detect", "-t", "ssh://x%24(touch%20PWNED)@evil", env=env)
    assert run.code == 1
    assert "ProxyCommand 'nc %h %p # %r': refusing to put %r='x$(touch PWNED)' (shell metacharacters)" in run.err

"""Fixtures for tests against a real OpenSSH server (see ``sshd.py``).

- ``ssh_users``: the test accounts and client key (session-scoped; skips
  with the reason when not root or sshd is missing);
- ``sshd``: one server for the whole session, e.g.
  ``cli("exec", profile, *sshd.args("--sudo"))`` or ``sshd.target()``;
- ``sshd_factory``: start a private server (for tests that stop or kill it),
  stopped at the test's end.
"""

from __future__ import annotations

import pytest

from tests.integration.sshd import SshServer, TestUsers, ensure_test_users, why_not_available


@pytest.fixture(scope="session")
def ssh_users(tmp_path_factory) -> TestUsers:
    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    return ensure_test_users(tmp_path_factory.mktemp("ssh-users"))


@pytest.fixture(scope="session")
def sshd(ssh_users, tmp_path_factory):
    server = SshServer.start_new(tmp_path_factory.mktemp("sshd"), ssh_users)
    yield server
    server.stop()


@pytest.fixture
def sshd_factory(ssh_users, tmp_path):
    servers: list[SshServer] = []

    def start(**kwargs) -> SshServer:
        server = SshServer.start_new(tmp_path / f"sshd{len(servers)}", ssh_users, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()

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
from tests.servers.fixtures import serve, serve_many


@pytest.fixture(scope="session")
def ssh_users(tmp_path_factory) -> TestUsers:
    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    return ensure_test_users(tmp_path_factory.mktemp("ssh-users"))


@pytest.fixture(scope="session")
def sshd(ssh_users, tmp_path_factory):
    yield from serve("sshd", lambda: SshServer.start_new(tmp_path_factory.mktemp("sshd"), ssh_users))


@pytest.fixture
def sshd_factory(ssh_users, tmp_path):
    yield from serve_many(lambda index, **kwargs: SshServer.start_new(tmp_path / f"sshd{index}", ssh_users, **kwargs))

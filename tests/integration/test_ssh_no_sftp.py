"""A server without the SFTP subsystem: file probes go through the remote shell, same verdicts."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_profile
from tests.integration.sshd import SshServer
from tests.integration.test_ssh_parity import fixture_dir, local_verdicts, run_parity  # noqa: F401  (fixtures)

pytestmark = pytest.mark.integration

ODD = "sp ace 'single' \"double\" $HOME `id`\nnew line"
BINARY = bytes(range(256)) * 3 + b"\r\n\0\n" + os.urandom(300_000) + b"no newline at the end"


@pytest.fixture(scope="module")
def no_sftp(ssh_users, tmp_path_factory):
    server = SshServer.start_new(tmp_path_factory.mktemp("sshd-no-sftp"), ssh_users, sftp=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def odd_files():
    base = Path(tempfile.mkdtemp(prefix="inspecpy-no-sftp-"))  # not under pytest's 0700 folder
    base.chmod(0o755)
    (base / ODD).write_bytes(BINARY)
    (base / ".hidden").write_text("x")
    (base / "*").write_text("a star")
    for path in base.iterdir():
        path.chmod(0o644)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_the_server_really_refuses_sftp(no_sftp):
    with no_sftp.target() as target:
        target.stat("/etc/passwd")
    assert "subsystem request for sftp by user inspecpy-ssh failed" in no_sftp.log.read_text()


def test_same_verdicts_as_local_through_the_shell(no_sftp, fixture_dir, local_verdicts, caplog):  # noqa: F811
    caplog.set_level(logging.DEBUG, logger="inspecpy.target.ssh")
    remote = run_parity(no_sftp.target(), fixture_dir)
    roots = [key for key in local_verdicts if key.startswith("root-")]  # not root: these fail
    assert {k: v for k, v in remote.items() if k not in roots} == \
        {k: v for k, v in local_verdicts.items() if k not in roots}
    fallbacks = [r.getMessage() for r in caplog.records if "file probes go through the remote shell" in r.message]
    assert len(fallbacks) == 1 and "cannot open an SFTP session" in fallbacks[0]  # once per connection


def test_binary_file_with_an_odd_name(no_sftp, odd_files):
    path = str(odd_files / ODD)
    with no_sftp.target() as target:
        assert sorted(target.listdir(str(odd_files))) == sorted(["*", ".hidden", ODD])
        st = target.stat(path)
        assert (st.type, st.mode, st.size, st.uid) == ("file", 0o644, len(BINARY), 0)
        assert st.mtime == int(os.stat(path).st_mtime)
        assert target.read(path) == BINARY
        with target.open(path) as stream:  # streamed windows, random access
            digest = hashlib.sha256()
            for block in iter(lambda: stream.read(50_000), b""):
                digest.update(block)
            assert digest.hexdigest() == hashlib.sha256(BINARY).hexdigest()
            assert stream.seek(-21, io.SEEK_END) == len(BINARY) - 21 and stream.read() == b"no newline at the end"
            stream.seek(4097)
            assert stream.read(5) == BINARY[4097:4102]
        assert target.read_text("/proc/self/status").startswith("Name:")  # stat says size 0


def test_missing_and_forbidden_files_read_as_over_sftp(no_sftp, sshd):
    results = []
    for server in (no_sftp, sshd):
        with server.target() as target:
            probes = []
            for path in ("/nonexistent/x", "/etc/shadow", "/root/.bashrc", "/etc"):
                try:
                    probes.append(target.read(path)[:0])
                except Exception as error:  # noqa: BLE001  (the message is what we compare)
                    probes.append(f"{type(error).__name__}: {error}")
            probes.append(target.stat("/root/x").exists)
            results.append(probes)
    assert results[0] == results[1]
    assert results[0][:4] == ["TargetError: no such file: /nonexistent/x", "TargetError: permission denied: /etc/shadow",
                              "TargetError: permission denied: /root/.bashrc", "TargetError: is a directory: /etc"]


def test_the_command_line_over_a_server_without_sftp(no_sftp, tmp_path):
    profile = write_profile(tmp_path, "p", {"f.py": """
from inspecpy import control, describe
from inspecpy.resources import file

@control("files")
def _():
    describe(file("/etc/passwd")).its("mode").should.cmp("0644")
    describe(file("/etc/passwd")).its("content").should.match(r"^root:")
"""})
    before = no_sftp.connections()
    run = run_cli("--debug", "exec", profile, *no_sftp.args())
    assert run.code == 0, run.err
    assert "Test Summary: 2 successful, 0 failures, 0 skipped" in run.out
    assert run.err.count("file probes go through the remote shell") == 1
    assert no_sftp.connections() - before == 1

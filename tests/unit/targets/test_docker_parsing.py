"""The container target's pure parts: the exec stream's framing and the engine's file modes."""

from __future__ import annotations

import socket
import struct
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspecpy.errors import CommandTimeout
from inspecpy.targets.docker.archive_files import go_file_type, go_permissions, parse_path_stat
from inspecpy.targets.docker.exec_pipes import ExecPipes
from inspecpy.targets.framed_shell import FramedShell, SessionLost


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxI", stream, len(payload)) + payload


@pytest.fixture
def pair():
    ours, engine = socket.socketpair()
    yield ours, engine
    ours.close()
    engine.close()


def collect(pipes: ExecPipes, until: int) -> dict[str, bytearray]:
    buffers = {"stdout": bytearray(), "stderr": bytearray()}
    while sum(map(len, buffers.values())) < until:
        pipes.receive(buffers, time.monotonic() + 5, what="test")
    return buffers


@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.binary(min_size=1, max_size=300)), min_size=1, max_size=12),
       st.integers(min_value=1, max_value=17))
def test_frames_split_anywhere_are_demultiplexed_intact(chunks, cut):
    ours, engine = socket.socketpair()
    try:
        wire = b"".join(frame(kind, data) for kind, data in chunks)
        pipes = ExecPipes(ours)
        for start in range(0, len(wire), cut):  # the engine's writes cut headers and payloads anywhere
            engine.sendall(wire[start:start + cut])
        buffers = collect(pipes, sum(len(d) for _, d in chunks))
        assert bytes(buffers["stdout"]) == b"".join(d for k, d in chunks if k == 1)
        assert bytes(buffers["stderr"]) == b"".join(d for k, d in chunks if k == 2)
    finally:
        ours.close()
        engine.close()


def test_a_closed_stream_is_a_lost_session_and_silence_a_timeout(pair):
    ours, engine = pair
    pipes = ExecPipes(ours)
    buffers = {"stdout": bytearray(), "stderr": bytearray()}
    with pytest.raises(CommandTimeout):
        pipes.receive(buffers, time.monotonic() + 0.05, what="waiting")
    engine.sendall(frame(1, b"last words"))
    engine.close()
    pipes.receive(buffers, None, what="reading")
    assert buffers["stdout"] == b"last words"
    with pytest.raises(SessionLost, match="the container's shell exited while reading"):
        pipes.receive(buffers, None, what="reading")
    assert not pipes.alive


def test_a_framed_shell_runs_over_the_exec_framing(pair):
    """What the engine would relay: the shell's answer to the framed command, as frames."""
    ours, engine = pair
    shell = FramedShell(ExecPipes(ours))
    marker = f"{shell.token}:1:".encode()
    engine.sendall(frame(2, b"warn\n" + marker + b"\n") + frame(1, b"\x00\xff binary\n" + marker + b"3\n"))
    assert shell.run_bytes("anything", timeout=5) == (b"\x00\xff binary\n", b"warn\n", 3)
    sent = engine.recv(4096)
    assert b"eval anything" in sent


@pytest.mark.parametrize("mode, kind, bits", [
    (0o644, "file", 0o644),
    ((1 << 31) | 0o755, "directory", 0o755),
    ((1 << 27) | 0o777, "symlink", 0o777),
    ((1 << 25) | 0o600, "pipe", 0o600),
    ((1 << 24) | 0o755, "socket", 0o755),
    ((1 << 26) | (1 << 21) | 0o666, "character_device", 0o666),
    ((1 << 26) | 0o660, "block_device", 0o660),
    ((1 << 23) | 0o755, "file", 0o4755),
    ((1 << 31) | (1 << 20) | 0o777, "directory", 0o1777),
    ((1 << 22) | 0o2755, "file", 0o2755),
])
def test_go_file_modes(mode, kind, bits):
    assert go_file_type(mode) == kind
    assert go_permissions(mode) == bits


def test_the_path_stat_header():
    header = "eyJuYW1lIjoic2giLCJzaXplIjo3LCJtb2RlIjoxMzQyMTgyMzksImxpbmtUYXJnZXQiOiIvYmluL2J1c3lib3gifQ=="
    assert parse_path_stat(header) == {"name": "sh", "size": 7, "mode": 134218239, "linkTarget": "/bin/busybox"}


class _Engine:
    """Just enough of ``docker.APIClient`` for the target to connect to a running container."""

    def inspect_container(self, name):
        return {"Id": "3f1c9a0b7d2e", "State": {"Running": True, "Status": "running"}}

    def close(self):
        pass


class _Garbling:
    """A container shell whose ``stat`` prints nonsense (no stat(1), say)."""

    def run_bytes(self, command, timeout):
        return b"sh: stat: not found\n", b"boom\n", 127

    def close(self):
        pass


def test_a_file_probe_failing_in_the_containers_shell_says_so_not_sftp(monkeypatch):
    from inspecpy.errors import TargetError
    from inspecpy.targets.docker import target as docker_target

    monkeypatch.setattr(docker_target, "start_shell", lambda api, container, user: _Garbling())
    target = docker_target.DockerTarget("docker://web")
    target._api = _Engine()
    with pytest.raises(TargetError) as caught:
        target.stat("/etc/passwd")
    assert str(caught.value) == ("the container's shell could not stat /etc/passwd: "
                                 "unexpected output 'sh: stat: not found' boom")


class _ArchiveEngine:
    """The archive API's HEAD for a few paths (Go file modes), as ``docker.APIClient`` answers it."""

    base_url, api_version = "http+docker://localhost", "1.41"

    def __init__(self, paths: dict[str, dict]):
        self.paths = paths

    def head(self, url, params):
        import base64
        import json
        from types import SimpleNamespace

        found = self.paths.get(params["path"])
        if found is None:
            return SimpleNamespace(status_code=404, headers={})
        header = base64.b64encode(json.dumps({"name": params["path"], "size": 0, **found}).encode()).decode()
        return SimpleNamespace(status_code=200, headers={"X-Docker-Container-Path-Stat": header})


SYMLINK, DIRECTORY = (1 << 27) | 0o777, (1 << 31) | 0o755


@pytest.mark.parametrize("probe", ["open", "listdir"])
def test_a_symlink_the_engine_did_not_resolve_is_missing_to_open_and_listdir_alike(probe):
    from inspecpy.targets.docker.archive_files import ArchiveFiles

    files = ArchiveFiles(_ArchiveEngine({"/app/link": {"mode": SYMLINK}, "/data": {"mode": DIRECTORY}}), "web")
    with pytest.raises(FileNotFoundError):
        getattr(files, probe)("/app/link")


def test_a_symlink_to_a_folder_is_followed_by_listdir():
    from inspecpy.targets.docker.archive_files import ArchiveFiles

    files = ArchiveFiles(_ArchiveEngine({"/app/link": {"mode": SYMLINK, "linkTarget": "/data"}}), "web")
    with pytest.raises(FileNotFoundError, match="/data"):  # followed to /data, which is not there
        files.listdir("/app/link")

"""The replay target answers as the recorded host did; the recording target keeps what a real host answered."""

from __future__ import annotations

import base64

import pytest

from inspecpy.errors import TargetError
from inspecpy.targets.local import LocalTarget
from inspecpy.targets.replay import RecordingTarget, ReplayTarget

BINARY = bytes(range(256))


def test_replay_answers_text_binary_stat_only_directories_and_refusals():
    host = ReplayTarget({
        "commands": {"uname -s": "Linux\n", "false": {"stderr": "", "exit_status": 1}},
        "files": {"/etc/hostname": "web1\n",
                  "/srv/model.bin": {"base64": base64.b64encode(BINARY).decode(), "mode": "0640"},
                  "/usr/bin/ssh": {"size": 1027112, "mode": "0755", "mtime": 1700000000.0},
                  "/etc/ssl/private": {"type": "directory", "mode": "0710", "gid": 111},
                  "/root/secret": {"unreadable": True, "mode": "0600"}},
        "dirs": {"/etc/ssl/private": ["server.key"]}})
    assert host.run("uname -s").stdout == "Linux\n" and host.run("false").exit_status == 1
    assert host.run("nmap localhost").exit_status == 127 and host.ran[-1] == "nmap localhost"
    assert host.read("/srv/model.bin") == BINARY and host.stat("/srv/model.bin").size == 256
    assert (host.stat("/usr/bin/ssh").size, host.stat("/usr/bin/ssh").mtime) == (1027112, 1700000000.0)
    private = host.stat("/etc/ssl/private")
    assert (private.type, private.mode, private.gid) == ("directory", 0o710, 111)
    assert host.listdir("/etc/ssl/private") == ["server.key"]
    with pytest.raises(TargetError, match="is a directory"):
        host.read("/etc/ssl/private")
    with pytest.raises(TargetError, match="permission denied"):
        host.read("/root/secret")
    assert not host.stat("/etc/shadow").exists


def test_a_recording_of_this_machine_replays_the_same_answers(tmp_path):
    (tmp_path / "model.bin").write_bytes(BINARY)
    (tmp_path / "notes.txt").write_text("héllo\n")
    (tmp_path / "big.txt").write_text("x" * 5000)
    with LocalTarget() as local:
        recorder = RecordingTarget(local)
        answers = [recorder.read(str(tmp_path / "model.bin")), recorder.read_text(str(tmp_path / "notes.txt")),
                   recorder.stat(str(tmp_path / "big.txt")).size, recorder.stat(str(tmp_path)).type,
                   recorder.listdir(str(tmp_path)), recorder.run("echo {}", "a b").stdout]
        recorded = recorder.recording
    files = recorded["files"]
    assert "base64" in files[str(tmp_path / "model.bin")] and files[str(tmp_path / "notes.txt")]["content"] == "héllo\n"
    assert "content" not in files[str(tmp_path / "big.txt")]    # stat'ed only: its size, not its text
    assert recorded["platform"]["kernel_release"]
    replay = ReplayTarget(recorded)
    assert [replay.read(str(tmp_path / "model.bin")), replay.read_text(str(tmp_path / "notes.txt")),
            replay.stat(str(tmp_path / "big.txt")).size, replay.stat(str(tmp_path)).type,
            replay.listdir(str(tmp_path)), replay.run("echo 'a b'").stdout] == answers
